// Turns gtest results into conformance verdicts: an expected failure (listed
// with a reason in the adapter's expectations) does not fail the run, an
// unexpected pass does, and so does an expectation naming a test that does not
// exist in a suite of this binary.
#pragma once

#include <gtest/gtest.h>

#include "conformance/harness/expectations.hpp"

namespace ipc_test {

class VerdictListener : public ::testing::EmptyTestEventListener {
 public:
  explicit VerdictListener(const Expectations& expectations) : expectations_(expectations) {}

  void OnTestStart(const ::testing::TestInfo& info) override;
  void OnTestEnd(const ::testing::TestInfo& info) override;
  void OnTestProgramEnd(const ::testing::UnitTest& unit_test) override;

  // 0 when every verdict is acceptable, 1 otherwise. Valid after the run.
  int exit_code() const { return problems_ == 0 ? 0 : 1; }

 private:
  const Expectations& expectations_;
  int passed_ = 0;
  int failed_ = 0;
  int expected_failures_ = 0;
  int unexpected_passes_ = 0;
  int unsupported_ = 0;
  int problems_ = 0;
};

}  // namespace ipc_test
