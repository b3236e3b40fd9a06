// Tests with fixed outcomes; verdicts_test runs this binary with several
// expectations files and checks the verdicts.
#include <cstdio>

#include "conformance/harness/fixture.hpp"

namespace {

class Probe : public ipc_test::ConformanceTest {};

TEST_F(Probe, Passes) { SUCCEED(); }

TEST_F(Probe, Fails) {
  at_teardown([] { std::printf("cleanup ran after failure\n"); });
  ASSERT_TRUE(false) << "this probe always fails";
}

TEST_F(Probe, ProvidedFeature) {
  IPC_REQUIRE_FEATURE("owner_death");
  SUCCEED();
}

TEST_F(Probe, MissingFeature) {
  IPC_REQUIRE_FEATURE("xsi_shared_memory");
  ADD_FAILURE() << "must have been skipped";
}

}  // namespace
