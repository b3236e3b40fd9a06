// Conformance tests of interprocess_sharable_mutex: the exclusive and
// sharable operations of the manual's "Upgradable Mutex Operations".
#include <chrono>
#include <string>

#include "conformance/common/placed.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using ipc_test::Opened;
using ipc_test::Placed;
using ipc_test::remove_shared_memory;

using namespace std::chrono;
using Mutex = ipc::interprocess_sharable_mutex;

class InterprocessSharableMutex : public ipc_test::ConformanceTest {};
class InterprocessSharableMutexMultiProcess : public ipc_test::ConformanceTest {};

TEST_F(InterprocessSharableMutex, ExclusiveOwnershipExcludesEveryOtherOwner) {
  IPC_SPEC("interprocess_sharable_mutex.exclusive");
  Mutex m;
  m.lock();
  EXPECT_FALSE(m.try_lock());
  EXPECT_FALSE(m.try_lock_sharable());
  m.unlock();
  ASSERT_TRUE(m.try_lock());
  EXPECT_FALSE(m.try_lock_sharable());
  m.unlock();
  ASSERT_TRUE(m.try_lock_sharable());
  m.unlock_sharable();
}

TEST_F(InterprocessSharableMutex, ManySharableOwnersAtOnce) {
  IPC_SPEC("interprocess_sharable_mutex.sharable");
  Mutex m;
  m.lock_sharable();
  m.lock_shared();
  ASSERT_TRUE(m.try_lock_sharable());
  ASSERT_TRUE(m.try_lock_shared());
  EXPECT_FALSE(m.try_lock());
  m.unlock_sharable();
  m.unlock_shared();
  m.unlock_sharable();
  EXPECT_FALSE(m.try_lock());
  m.unlock_sharable();
  ASSERT_TRUE(m.try_lock());
  m.unlock();
}

TEST_F(InterprocessSharableMutex, TimedFormsSucceedOrTimeOutNotBeforeTheDeadline) {
  IPC_SPEC("interprocess_sharable_mutex.timed_forms", "deadlines.chrono");
  Mutex m;
  ASSERT_TRUE(m.timed_lock(system_clock::now() + seconds(10)));
  m.unlock();
  ASSERT_TRUE(m.try_lock_until(system_clock::now() + seconds(10)));
  m.unlock();
  ASSERT_TRUE(m.try_lock_for(seconds(10)));
  ASSERT_FALSE(m.try_lock_shared_for(milliseconds(100)));
  auto deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(m.timed_lock_sharable(deadline));
  EXPECT_GE(system_clock::now(), deadline);
  deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(m.try_lock_shared_until(deadline));
  EXPECT_GE(system_clock::now(), deadline);
  m.unlock();
  ASSERT_TRUE(m.timed_lock_sharable(system_clock::now() + seconds(10)));
  ASSERT_TRUE(m.try_lock_shared_until(system_clock::now() + seconds(10)));
  ASSERT_TRUE(m.try_lock_shared_for(seconds(10)));
  const auto start = steady_clock::now();
  EXPECT_FALSE(m.try_lock_for(milliseconds(100)));
  EXPECT_GE(steady_clock::now() - start, milliseconds(100));
  deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(m.timed_lock(deadline));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  m.unlock_sharable();
  m.unlock_sharable();
  m.unlock_sharable();
  ASSERT_TRUE(m.try_lock());
  m.unlock();
}

struct Shared {
  Mutex mutex;
};

// Holds the mutex sharable until told to release it.
IPC_CHILD_ROLE(sharable_reader) {
  Opened<Shared> opened(args.at(0));
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  auto from_parent = ipc_test::Pipe::from_arg(args.at(2));
  opened->mutex.lock_sharable();
  to_parent.send("held");
  IPC_CHILD_CHECK(from_parent.receive() == "release");
  opened->mutex.unlock_sharable();
}

TEST_F(InterprocessSharableMutexMultiProcess, ReadersOfTwoProcessesShareAndKeepWritersOut) {
  IPC_SPEC("interprocess_sharable_mutex.process_shared", "interprocess_sharable_mutex.sharable",
           "interprocess_sharable_mutex.exclusive");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Shared> shared(name);
  ipc_test::Pipe to_parent, from_parent;
  auto child = ipc_test::spawn_role("sharable_reader", {name, to_parent.arg(), from_parent.arg()});
  ASSERT_EQ(to_parent.receive(), "held");
  ASSERT_TRUE(shared->mutex.try_lock_sharable());
  shared->mutex.unlock_sharable();
  EXPECT_FALSE(shared->mutex.try_lock());
  from_parent.send("release");
  // Returns once the child's sharable ownership is gone.
  shared->mutex.lock();
  shared->mutex.unlock();
  IPC_EXPECT_CHILD_OK(child.wait());
}

}  // namespace
