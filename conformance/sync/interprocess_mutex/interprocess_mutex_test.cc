// Conformance tests of interprocess_mutex: the manual's "Mutexes" section and
// the interprocess_mutex reference.
#include <chrono>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "conformance/common/placed.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using ipc_test::Opened;
using ipc_test::Placed;
using ipc_test::remove_shared_memory;

using namespace std::chrono;

class InterprocessMutex : public ipc_test::ConformanceTest {};
class InterprocessMutexMultiProcess : public ipc_test::ConformanceTest {};

// The data of the tests, constructed in shared memory.
struct Counter {
  ipc::interprocess_mutex mutex;
  long value = 0;
  long inside = 0;  // threads in the critical section; never above 1
  long overlaps = 0;
};

void increment(Counter& c, int times) {
  for (int i = 0; i < times; ++i) {
    ipc::scoped_lock<ipc::interprocess_mutex> lock(c.mutex);
    if (++c.inside != 1) ++c.overlaps;
    ++c.value;
    --c.inside;
  }
}

IPC_CHILD_ROLE(mutex_incrementer) {
  Opened<Counter> counter(args.at(0));
  increment(*counter.operator->(), std::stoi(args.at(1)));
}

// Locks the mutex, says "locked", waits for "release", unlocks.
IPC_CHILD_ROLE(mutex_holder) {
  Opened<Counter> counter(args.at(0));
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  auto from_parent = ipc_test::Pipe::from_arg(args.at(2));
  counter->mutex.lock();
  to_parent.send("locked");
  IPC_CHILD_CHECK(from_parent.receive() == "release");
  counter->mutex.unlock();
  to_parent.send("unlocked");
}

TEST_F(InterprocessMutex, LockAndUnlockAFreeMutex) {
  IPC_SPEC("interprocess_mutex.unlock.releases", "interprocess_mutex.try_lock.result");
  ipc::interprocess_mutex mutex;
  mutex.lock();
  mutex.unlock();
  ASSERT_TRUE(mutex.try_lock());
  mutex.unlock();
  ASSERT_TRUE(mutex.try_lock());
  mutex.unlock();
}

TEST_F(InterprocessMutex, TimedLockOnAFreeMutexSucceeds) {
  IPC_SPEC("interprocess_mutex.timed_lock.acquires", "deadlines.chrono");
  ipc::interprocess_mutex mutex;
  ASSERT_TRUE(mutex.timed_lock(system_clock::now() + seconds(10)));
  mutex.unlock();
  // A deadline already in the past still takes a free mutex.
  ASSERT_TRUE(mutex.timed_lock(system_clock::now() - seconds(1)));
  mutex.unlock();
}

TEST_F(InterprocessMutexMultiProcess, ProcessesIncrementACounterExactly) {
  IPC_SPEC("interprocess_mutex.placement.shared_memory", "interprocess_mutex.lock.exclusive");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Counter> counter(name);
  constexpr int kProcesses = 4;
  constexpr int kTimes = 2000;
  std::vector<ipc_test::Child> children;
  for (int i = 0; i < kProcesses; ++i) {
    children.push_back(ipc_test::spawn_role("mutex_incrementer", {name, std::to_string(kTimes)}));
  }
  increment(*counter, kTimes);
  for (auto& child : children) IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_EQ(counter->value, long{kProcesses + 1} * kTimes);
  EXPECT_EQ(counter->overlaps, 0);
}

TEST_F(InterprocessMutexMultiProcess, TryLockFailsWhileAnotherProcessHoldsIt) {
  IPC_SPEC("interprocess_mutex.try_lock.result", "interprocess_mutex.unlock.releases");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Counter> counter(name);
  ipc_test::Pipe to_parent, from_parent;
  auto child = ipc_test::spawn_role("mutex_holder", {name, to_parent.arg(), from_parent.arg()});
  ASSERT_EQ(to_parent.receive(), "locked");
  EXPECT_FALSE(counter->mutex.try_lock());
  from_parent.send("release");
  ASSERT_EQ(to_parent.receive(), "unlocked");
  EXPECT_TRUE(counter->mutex.try_lock());
  counter->mutex.unlock();
  IPC_EXPECT_CHILD_OK(child.wait());
}

TEST_F(InterprocessMutexMultiProcess, LockWaitsUntilTheOwnerUnlocks) {
  IPC_SPEC("interprocess_mutex.lock.exclusive", "interprocess_mutex.unlock.releases");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Counter> counter(name);
  ipc_test::Pipe to_parent, from_parent;
  auto child = ipc_test::spawn_role("mutex_holder", {name, to_parent.arg(), from_parent.arg()});
  ASSERT_EQ(to_parent.receive(), "locked");
  from_parent.send("release");
  // The child may or may not have unlocked yet; lock() returns only after it
  // has, so "unlocked" is already on its way.
  counter->mutex.lock();
  EXPECT_EQ(to_parent.receive(), "unlocked");
  counter->mutex.unlock();
  IPC_EXPECT_CHILD_OK(child.wait());
}

TEST_F(InterprocessMutexMultiProcess, TimedLockTimesOutWhileAnotherProcessHoldsIt) {
  IPC_SPEC("interprocess_mutex.timed_lock.timeout", "interprocess_mutex.timed_lock.acquires",
           "deadlines.chrono");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Counter> counter(name);
  ipc_test::Pipe to_parent, from_parent;
  auto child = ipc_test::spawn_role("mutex_holder", {name, to_parent.arg(), from_parent.arg()});
  ASSERT_EQ(to_parent.receive(), "locked");
  const auto deadline = system_clock::now() + milliseconds(200);
  EXPECT_FALSE(counter->mutex.timed_lock(deadline));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  from_parent.send("release");
  EXPECT_TRUE(counter->mutex.timed_lock(system_clock::now() + seconds(60)));
  counter->mutex.unlock();
  EXPECT_EQ(to_parent.receive(), "unlocked");
  IPC_EXPECT_CHILD_OK(child.wait());
}

}  // namespace
