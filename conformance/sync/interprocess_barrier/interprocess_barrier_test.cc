// Conformance tests of barrier: the barrier reference of the manual's
// synchronization chapter. Boost 1.81 has no barrier: its tests fail there,
// as its expectations say.
#include <atomic>
#include <string>
#include <vector>

#include "conformance/common/placed.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using ipc_test::Opened;
using ipc_test::Placed;
using ipc_test::remove_shared_memory;

class Barrier : public ipc_test::ConformanceTest {};

#ifndef IPC_COMPILE_GAP_BARRIER

constexpr int kProcesses = 4;  // the parent and three children
constexpr int kRounds = 20;

struct Shared {
  ipc::barrier gate{kProcesses};
  std::atomic<int> arrived[kRounds] = {};
  std::atomic<int> serial[kRounds] = {};
  std::atomic<int> early_leavers{0};
};

// One participant's rounds: count the arrival, wait, then check that every
// participant had arrived before anyone left.
void take_part(Shared& s) {
  for (int round = 0; round < kRounds; ++round) {
    ++s.arrived[round];
    if (s.gate.wait()) ++s.serial[round];
    if (s.arrived[round].load() != kProcesses) ++s.early_leavers;
  }
}

IPC_CHILD_ROLE(barrier_participant) {
  Opened<Shared> opened(args.at(0));
  take_part(*opened.operator->());
}

#endif  // IPC_COMPILE_GAP_BARRIER

TEST_F(Barrier, ProcessesMeetInEveryRoundAndOneGetsTrue) {
  IPC_SPEC("interprocess_barrier.wait_blocks", "interprocess_barrier.serial_thread",
           "interprocess_barrier.reusable");
#ifdef IPC_COMPILE_GAP_BARRIER
  FAIL() << "barrier does not exist in this implementation (IPC_COMPILE_GAP_BARRIER)";
#else
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Shared> shared(name);
  std::vector<ipc_test::Child> children;
  for (int i = 1; i < kProcesses; ++i) {
    children.push_back(ipc_test::spawn_role("barrier_participant", {name}));
  }
  take_part(*shared);
  for (auto& child : children) IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_EQ(shared->early_leavers.load(), 0);
  for (int round = 0; round < kRounds; ++round) {
    EXPECT_EQ(shared->arrived[round].load(), kProcesses) << "round " << round;
    EXPECT_EQ(shared->serial[round].load(), 1) << "round " << round;
  }
#endif
}

TEST_F(Barrier, CountOfOneReturnsTrueAtOnce) {
  IPC_SPEC("interprocess_barrier.wait_blocks", "interprocess_barrier.serial_thread",
           "interprocess_barrier.reusable");
#ifdef IPC_COMPILE_GAP_BARRIER
  FAIL() << "barrier does not exist in this implementation (IPC_COMPILE_GAP_BARRIER)";
#else
  ipc::barrier alone(1);
  EXPECT_TRUE(alone.wait());
  EXPECT_TRUE(alone.wait());
#endif
}

}  // namespace
