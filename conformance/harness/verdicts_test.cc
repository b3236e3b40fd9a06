#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "conformance/harness/process.hpp"
#include "conformance/harness/runfiles.hpp"

namespace ipc_test {
namespace {

// Runs the probe with `expectations` as its expectations file and, when not
// empty, `citations` as its citation table.
ChildResult run_probe(const std::string& expectations, const std::string& citations = "") {
  const std::string dir = std::getenv("TEST_TMPDIR");
  const std::string path = dir + "/expectations.txt";
  std::ofstream(path) << expectations;
  const std::string table = dir + "/citations.txt";
  std::ofstream(table) << citations;
  const std::string flag = "--ipc_citations=" + table;
  const std::string probe = runfile("refipc/conformance/harness/verdict_probe");
  // Under a user-mode emulator the test runner names it in REFIPC_EXEC_PREFIX
  // (an emulated binary cannot execve a foreign one by itself).
  const char* emulator = std::getenv("REFIPC_EXEC_PREFIX");
  std::vector<std::string> argv;
  if (emulator != nullptr && *emulator != '\0') argv.push_back(emulator);
  argv.push_back(probe);
  if (!citations.empty()) argv.push_back(flag);
  Child child = fork_child([&] {
    setenv("IPC_TEST_EXPECTATIONS", path.c_str(), 1);
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    IPC_CHILD_CHECK_MSG(false, "exec of " << probe << " failed");
  });
  return child.wait();
}

TEST(Verdicts, UnexpectedFailureFailsTheRun) {
  const auto result = run_probe("");
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_NE(result.output.find("passed=2 failed=1 expected_failures=0 unexpected_passes=0 "
                               "unsupported=1"),
            std::string::npos)
      << result.output;
}

TEST(Verdicts, ExpectedFailureWithReasonPasses) {
  const auto result = run_probe("# comment\nProbe.Fails: fails on purpose\n");
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.output.find("[  XFAIL   ] Probe.Fails (expected: fails on purpose)"),
            std::string::npos)
      << result.output;
}

TEST(Verdicts, UnexpectedPassFailsTheRun) {
  const auto result = run_probe("Probe.Fails: fails on purpose\nProbe.Passes: wrongly listed\n");
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_NE(result.output.find("[  XPASS   ] Probe.Passes"), std::string::npos) << result.output;
}

TEST(Verdicts, StaleExpectationFailsTheRun) {
  const auto result = run_probe("Probe.Fails: fails on purpose\nProbe.Gone: no such test\n");
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_NE(result.output.find("[  STALE   ] expectation for Probe.Gone"), std::string::npos)
      << result.output;
}

TEST(Verdicts, CleanupRunsWhenATestFails) {
  const auto result = run_probe("");
  EXPECT_NE(result.output.find("cleanup ran after failure"), std::string::npos) << result.output;
}

TEST(Verdicts, ExpectationOfAnotherSuiteIsIgnored) {
  const auto result = run_probe("Probe.Fails: on purpose\nOtherSuite.Anything: elsewhere\n");
  EXPECT_EQ(result.exit_code, 0) << result.describe();
}

TEST(Verdicts, ExpectationWithoutReasonIsRejected) {
  const auto result = run_probe("Probe.Fails:\n");
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_NE(result.output.find("has no reason"), std::string::npos) << result.output;
}

TEST(Verdicts, UnsupportedFeatureIsASkipNotAFailure) {
  const auto result = run_probe("Probe.Fails: on purpose\n");
  EXPECT_NE(result.output.find("UNSUPPORTED: the adapter does not provide the optional feature "
                               "'xsi_shared_memory'"),
            std::string::npos)
      << result.output;
  EXPECT_EQ(result.output.find("must have been skipped"), std::string::npos) << result.output;
}

// The self-test adapter claims the level "boost" and the feature owner_death.
TEST(Verdicts, TestOfAnUnclaimedLevelIsUnsupportedAndDoesNotRun) {
  const auto result = run_probe("",
                                "Probe.Fails\textension\t-\tx.extended\n"
                                "Probe.Passes\tboost\t-\tx.boosted\n");
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.output.find("UNSUPPORTED: the adapter does not claim the requirement level "
                               "'extension'"),
            std::string::npos)
      << result.output;
  EXPECT_EQ(result.output.find("cleanup ran after failure"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("passed=2 failed=0 expected_failures=0 unexpected_passes=0 "
                               "unsupported=2"),
            std::string::npos)
      << result.output;
}

TEST(Verdicts, TestOfAnUnclaimedFeatureOfItsIdsIsUnsupported) {
  const auto result = run_probe("Probe.Fails: on purpose\n",
                                "Probe.Passes\tmanual\twindows_shared_memory\tx.y\n"
                                "Probe.ProvidedFeature\textension\towner_death\tx.z\n");
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.output.find("UNSUPPORTED: the adapter does not provide the optional feature "
                               "'windows_shared_memory'"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("UNSUPPORTED: the adapter does not claim the requirement level "
                               "'extension'"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("passed=0 failed=0 expected_failures=1 unexpected_passes=0 "
                               "unsupported=3"),
            std::string::npos)
      << result.output;
}

TEST(Verdicts, MalformedCitationTableIsRejected) {
  const auto result = run_probe("", "Probe.Passes\tsomewhere\t-\tx.y\n");
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_NE(result.output.find("unknown level 'somewhere'"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace ipc_test
