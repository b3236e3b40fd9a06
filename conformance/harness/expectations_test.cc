#include "conformance/harness/expectations.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "conformance/harness/session.hpp"

namespace ipc_test {
namespace {

TEST(Expectations, ParsesEntriesCommentsAndBlankLines) {
  const auto parsed = parse_expectations(
      "# header\n\nSuite.Test: a reason: with colon\n  Other.Case_2 :  spaced  \n", "f");
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed.at("Suite.Test"), "a reason: with colon");
  EXPECT_EQ(parsed.at("Other.Case_2"), "spaced");
}

TEST(Expectations, RejectsMissingReasonWithLocation) {
  try {
    parse_expectations("\nSuite.Test:  \n", "exp.txt");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "exp.txt:2: expected failure of Suite.Test has no reason");
  }
}

TEST(Expectations, RejectsMalformedNamesAndDuplicates) {
  EXPECT_THROW(parse_expectations("NoDot: reason\n", "f"), std::runtime_error);
  EXPECT_THROW(parse_expectations("Bad Name.Test: reason\n", "f"), std::runtime_error);
  EXPECT_THROW(parse_expectations("no colon here\n", "f"), std::runtime_error);
  EXPECT_THROW(parse_expectations("A.B: x\nA.B: y\n", "f"), std::runtime_error);
}

TEST(FeatureNames, ParsesNamesAndRejectsMalformedLines) {
  const auto names = parse_feature_names("# c\nbarrier: the barrier\nxsi: System V\n", "f");
  EXPECT_EQ(names, (std::set<std::string>{"barrier", "xsi"}));
  EXPECT_THROW(parse_feature_names("no description\n", "f"), std::runtime_error);
}

}  // namespace
}  // namespace ipc_test
