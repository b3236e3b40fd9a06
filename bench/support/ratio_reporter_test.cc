#include "bench/support/ratio_reporter.hpp"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(RatioReporter, PairsImplementationsOfACaseWithArguments) {
  RatioReporter reporter;
  reporter.record("BM_Find/refipc/1000", 10.0);
  reporter.record("BM_Find/boost/1000", 25.0);
  reporter.record("BM_Find/baseline/1000", 5.0);
  reporter.record("BM_Other/refipc", 3.0);
  const auto& times = reporter.times();
  ASSERT_EQ(times.size(), 2u);
  EXPECT_DOUBLE_EQ(times.at("BM_Find/1000").at("boost"), 25.0);
  const auto table = reporter.ratio_table();
  EXPECT_NE(table.find("2.50x"), std::string::npos) << table;  // boost/refipc
  EXPECT_NE(table.find("2.00x"), std::string::npos) << table;  // refipc/baseline
}

TEST(RatioReporter, IgnoresNamesWithoutImplementation) {
  RatioReporter reporter;
  reporter.record("BM_Unpaired/16", 1.0);
  EXPECT_TRUE(reporter.times().empty());
}

}  // namespace
}  // namespace bench
