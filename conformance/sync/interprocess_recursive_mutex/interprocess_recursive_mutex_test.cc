// Conformance tests of interprocess_recursive_mutex: the manual's "Mutexes"
// section and the interprocess_recursive_mutex reference.
#include <chrono>
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

using namespace std::chrono;

class InterprocessRecursiveMutex : public ipc_test::ConformanceTest {};
class InterprocessRecursiveMutexMultiProcess : public ipc_test::ConformanceTest {};

struct Counter {
  ipc::interprocess_recursive_mutex mutex;
  long value = 0;
};

// Locks the mutex twice, says "locked", then on each "unlock" unlocks once
// and answers "unlocked".
IPC_CHILD_ROLE(recursive_holder) {
  Opened<Counter> counter(args.at(0));
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  auto from_parent = ipc_test::Pipe::from_arg(args.at(2));
  counter->mutex.lock();
  IPC_CHILD_CHECK(counter->mutex.try_lock());
  to_parent.send("locked");
  for (int i = 0; i < 2; ++i) {
    IPC_CHILD_CHECK(from_parent.receive() == "unlock");
    counter->mutex.unlock();
    to_parent.send("unlocked");
  }
}

IPC_CHILD_ROLE(recursive_incrementer) {
  Opened<Counter> counter(args.at(0));
  for (int i = std::stoi(args.at(1)); i > 0; --i) {
    counter->mutex.lock();
    counter->mutex.lock();
    ++counter->value;
    counter->mutex.unlock();
    counter->mutex.unlock();
  }
}

TEST_F(InterprocessRecursiveMutex, OwnerLocksAgainWithEveryForm) {
  IPC_SPEC("interprocess_recursive_mutex.lock.recursive", "deadlines.chrono");
  ipc::interprocess_recursive_mutex mutex;
  mutex.lock();
  mutex.lock();
  EXPECT_TRUE(mutex.try_lock());
  EXPECT_TRUE(mutex.timed_lock(system_clock::now() + seconds(10)));
  for (int i = 0; i < 4; ++i) mutex.unlock();
  EXPECT_TRUE(mutex.try_lock());
  mutex.unlock();
}

TEST_F(InterprocessRecursiveMutexMultiProcess, ReleasedOnlyAfterAsManyUnlocks) {
  IPC_SPEC("interprocess_recursive_mutex.unlock.count",
           "interprocess_recursive_mutex.try_lock.busy");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Counter> counter(name);
  ipc_test::Pipe to_parent, from_parent;
  auto child = ipc_test::spawn_role("recursive_holder", {name, to_parent.arg(), from_parent.arg()});
  ASSERT_EQ(to_parent.receive(), "locked");
  EXPECT_FALSE(counter->mutex.try_lock());
  from_parent.send("unlock");
  ASSERT_EQ(to_parent.receive(), "unlocked");
  EXPECT_FALSE(counter->mutex.try_lock());  // still locked once
  from_parent.send("unlock");
  ASSERT_EQ(to_parent.receive(), "unlocked");
  EXPECT_TRUE(counter->mutex.try_lock());
  counter->mutex.unlock();
  IPC_EXPECT_CHILD_OK(child.wait());
}

TEST_F(InterprocessRecursiveMutexMultiProcess, TimedLockTimesOutWhileAnotherProcessHoldsIt) {
  IPC_SPEC("interprocess_recursive_mutex.timed_lock.timeout", "deadlines.chrono");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Counter> counter(name);
  ipc_test::Pipe to_parent, from_parent;
  auto child = ipc_test::spawn_role("recursive_holder", {name, to_parent.arg(), from_parent.arg()});
  ASSERT_EQ(to_parent.receive(), "locked");
  const auto deadline = system_clock::now() + milliseconds(200);
  EXPECT_FALSE(counter->mutex.timed_lock(deadline));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  for (int i = 0; i < 2; ++i) {
    from_parent.send("unlock");
    ASSERT_EQ(to_parent.receive(), "unlocked");
  }
  IPC_EXPECT_CHILD_OK(child.wait());
}

TEST_F(InterprocessRecursiveMutexMultiProcess, ProcessesIncrementACounterExactly) {
  IPC_SPEC("interprocess_recursive_mutex.placement.shared_memory");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Counter> counter(name);
  constexpr int kProcesses = 3;
  constexpr int kTimes = 2000;
  std::vector<ipc_test::Child> children;
  for (int i = 0; i < kProcesses; ++i) {
    children.push_back(
        ipc_test::spawn_role("recursive_incrementer", {name, std::to_string(kTimes)}));
  }
  for (auto& child : children) IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_EQ(counter->value, long{kProcesses} * kTimes);
}

}  // namespace
