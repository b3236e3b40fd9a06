#include "conformance/harness/verdicts.hpp"

#include <cstdio>
#include <set>
#include <string>

namespace ipc_test {
namespace {

std::string full_name(const ::testing::TestInfo& info) {
  return std::string(info.test_suite_name()) + "." + info.name();
}

}  // namespace

void VerdictListener::OnTestStart(const ::testing::TestInfo& info) {
  const auto expected = expectations_.find(full_name(info));
  if (expected != expectations_.end()) {
    ::testing::Test::RecordProperty("expected_failure", expected->second);
  }
}

void VerdictListener::OnTestEnd(const ::testing::TestInfo& info) {
  const auto* result = info.result();
  const auto name = full_name(info);
  const auto expected = expectations_.find(name);
  if (result->Skipped()) {
    ++unsupported_;
    return;
  }
  const bool failed = result->Failed();
  if (expected == expectations_.end()) {
    failed ? ++failed_ : ++passed_;
    if (failed) ++problems_;
    return;
  }
  if (failed) {
    ++expected_failures_;
    std::printf("[  XFAIL   ] %s (expected: %s)\n", name.c_str(), expected->second.c_str());
  } else {
    ++unexpected_passes_;
    ++problems_;
    std::printf(
        "[  XPASS   ] %s passed but is listed as an expected failure (%s); remove the "
        "entry from the expectations file\n",
        name.c_str(), expected->second.c_str());
  }
}

void VerdictListener::OnTestProgramEnd(const ::testing::UnitTest& unit_test) {
  std::set<std::string> suites;
  std::set<std::string> tests;
  for (int i = 0; i < unit_test.total_test_suite_count(); ++i) {
    const auto* suite = unit_test.GetTestSuite(i);
    suites.insert(suite->name());
    if (suite->ad_hoc_test_result().Failed()) ++problems_;
    for (int j = 0; j < suite->total_test_count(); ++j)
      tests.insert(full_name(*suite->GetTestInfo(j)));
  }
  if (unit_test.ad_hoc_test_result().Failed()) ++problems_;
  for (const auto& [name, reason] : expectations_) {
    const auto suite = name.substr(0, name.find('.'));
    if (suites.count(suite) != 0 && tests.count(name) == 0) {
      ++problems_;
      std::printf("[  STALE   ] expectation for %s names no test of suite %s\n", name.c_str(),
                  suite.c_str());
    }
  }
  std::printf(
      "[ VERDICTS ] passed=%d failed=%d expected_failures=%d unexpected_passes=%d "
      "unsupported=%d\n",
      passed_, failed_, expected_failures_, unexpected_passes_, unsupported_);
  std::fflush(stdout);
}

}  // namespace ipc_test
