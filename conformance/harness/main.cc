// main() of every conformance test binary: runs a child role when asked to,
// otherwise loads the run's context and runs the tests with verdict rules.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

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

// The value of --ipc_citations=PATH (set by conformance_test(): the binary's
// citation table), or "".
std::string citations_path(int argc, char** argv) {
  constexpr std::string_view kFlag = "--ipc_citations=";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.substr(0, kFlag.size()) == kFlag) return std::string(arg.substr(kFlag.size()));
  }
  return "";
}

void load_session(const ipc_test::AdapterInfo& adapter, const std::string& citations) {
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
  session.claimed_levels = {"manual"};
  for (const auto& level : adapter.levels) {
    if (level != "boost" && level != "extension") {
      throw std::runtime_error("adapter '" + adapter.name + "' claims unknown level '" + level +
                               "' (boost and extension can be claimed)");
    }
    session.claimed_levels.insert(level);
  }
  if (!citations.empty()) {
    // A workspace-relative path (from $(rootpath)) or an absolute one.
    const auto table = citations[0] == '/' ? citations : ipc_test::runfile("refipc/" + citations);
    session.citations = ipc_test::parse_citations(ipc_test::read_text_file(table), table);
  }
  const auto path = expectations_path(adapter);
  if (!path.empty()) {
    session.expectations = ipc_test::parse_expectations(ipc_test::read_text_file(path), path);
  }
}

}  // namespace

int main(int argc, char** argv) {
#ifdef SIGPIPE
  // A peer that closed its end of a pipe must not kill the test (Windows has
  // no SIGPIPE: a write to such a pipe fails).
  signal(SIGPIPE, SIG_IGN);
#endif
  ipc_test::run_child_role_if_requested(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  ipc_test::init_runfiles(argv[0]);
  const auto& adapter = ipc_test::adapter_info();
  try {
    load_session(adapter, citations_path(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "conformance harness: %s\n", e.what());
    return 1;
  }
  std::printf("[ ADAPTER  ] %s\n", adapter.name.c_str());
  ::testing::Test::RecordProperty("implementation", adapter.name);
  const auto& session = ipc_test::session();
  auto& listeners = ::testing::UnitTest::GetInstance()->listeners();  // gtest owns them
  listeners.Append(new ipc_test::RequirementGate(session.citations, session.claimed_levels,
                                                 session.provided_features));
  auto* verdicts = new ipc_test::VerdictListener(session.expectations);
  listeners.Append(verdicts);
  // Failures are judged by the verdict rules, not by gtest's own status.
  [[maybe_unused]] const int gtest_status = RUN_ALL_TESTS();
  return verdicts->exit_code();
}
