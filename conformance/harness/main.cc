// main() of every conformance test binary: runs a child role when asked to,
// otherwise loads the run's context and runs the tests with verdict rules.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "conformance/harness/adapter.hpp"
#include "conformance/harness/process.hpp"
#include "conformance/harness/runfiles.hpp"
#include "conformance/harness/session.hpp"
#include "conformance/harness/verdicts.hpp"

namespace {

constexpr const char kFeaturesFile[] = "refipc/spec/features.txt";

// IPC_TEST_EXPECTATIONS (an absolute path) overrides the adapter's file, so an
// implementation's author can try expectations without rebuilding.
std::string expectations_path(const ipc_test::AdapterInfo& adapter) {
  if (const char* path = std::getenv("IPC_TEST_EXPECTATIONS"); path != nullptr && *path != '\0') {
    return path;
  }
  return adapter.expectations.empty() ? "" : ipc_test::runfile(adapter.expectations);
}

void load_session(const ipc_test::AdapterInfo& adapter) {
  auto& session = ipc_test::session();
  const auto features_path = ipc_test::runfile(kFeaturesFile);
  session.known_features =
      ipc_test::parse_feature_names(ipc_test::read_text_file(features_path), features_path);
  for (const auto& feature : adapter.features) {
    if (session.known_features.count(feature) == 0) {
      throw std::runtime_error("adapter '" + adapter.name + "' claims feature '" + feature +
                               "', which spec/features.txt does not list");
    }
    session.provided_features.insert(feature);
  }
  const auto path = expectations_path(adapter);
  if (!path.empty()) {
    session.expectations = ipc_test::parse_expectations(ipc_test::read_text_file(path), path);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // A peer that closed its end of a pipe must not kill the test.
  signal(SIGPIPE, SIG_IGN);
  ipc_test::run_child_role_if_requested(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  ipc_test::init_runfiles(argv[0]);
  const auto& adapter = ipc_test::adapter_info();
  try {
    load_session(adapter);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "conformance harness: %s\n", e.what());
    return 1;
  }
  std::printf("[ ADAPTER  ] %s\n", adapter.name.c_str());
  ::testing::Test::RecordProperty("implementation", adapter.name);
  auto* verdicts = new ipc_test::VerdictListener(ipc_test::session().expectations);
  ::testing::UnitTest::GetInstance()->listeners().Append(verdicts);  // gtest owns it
  // Failures are judged by the verdict rules, not by gtest's own status.
  [[maybe_unused]] const int gtest_status = RUN_ALL_TESTS();
  return verdicts->exit_code();
}
