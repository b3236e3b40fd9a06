// Conformance tests of named_mutex: the manual's "Named And Anonymous
// Synchronization Mechanisms", "Named mutex example" and the named_mutex
// reference; owner death is the optional feature owner_death.
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "conformance/common/named.hpp"
#include "conformance/common/placed.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using ipc_test::Opened;
using ipc_test::Placed;
using ipc_test::remove_named;
using ipc_test::remove_shared_memory;

using namespace std::chrono;

class NamedMutex : public ipc_test::ConformanceTest {};
class NamedMutexMultiProcess : public ipc_test::ConformanceTest {};

// Shared data guarded by the named mutex.
struct Counter {
  long value = 0;
  long inside = 0;  // processes in the critical section; never above 1
  long overlaps = 0;
};

void increment(ipc::named_mutex& mutex, Counter& c, int times) {
  for (int i = 0; i < times; ++i) {
    ipc::scoped_lock<ipc::named_mutex> lock(mutex);
    if (++c.inside != 1) ++c.overlaps;
    ++c.value;
    --c.inside;
  }
}

// args: mutex name, counter name, times.
IPC_CHILD_ROLE(named_mutex_incrementer) {
  ipc::named_mutex mutex(ipc::open_only, args.at(0).c_str());
  Opened<Counter> counter(args.at(1));
  increment(mutex, *counter.operator->(), std::stoi(args.at(2)));
}

// Opens the mutex by name, locks it, says "locked", waits for "release",
// unlocks and says "unlocked".
IPC_CHILD_ROLE(named_mutex_holder) {
  ipc::named_mutex mutex(ipc::open_only, args.at(0).c_str());
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  auto from_parent = ipc_test::Pipe::from_arg(args.at(2));
  mutex.lock();
  to_parent.send("locked");
  IPC_CHILD_CHECK(from_parent.receive() == "release");
  mutex.unlock();
  to_parent.send("unlocked");
}

// Locks the mutex, says "locked" and ends without unlocking: with _Exit when
// args[2] is "exit", otherwise it waits to be killed, on a pipe (args[3]) the
// parent never writes to, so that it also ends if the parent dies.
IPC_CHILD_ROLE(named_mutex_dier) {
  ipc::named_mutex mutex(ipc::open_only, args.at(0).c_str());
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  mutex.lock();
  to_parent.send("locked");
  if (args.at(2) == "exit") std::_Exit(0);
  ipc_test::Pipe::from_arg(args.at(3)).receive();
  IPC_CHILD_CHECK_MSG(false, "the parent wrote to a pipe it keeps silent");
}

TEST_F(NamedMutex, CreateOnlyCreatesOnceAndOpenOnlyOpensIt) {
  IPC_SPEC("named_mutex.create_only.creates", "named_mutex.open_only.opens");
  ipc_test::expect_create_only_rules<ipc::named_mutex>(
      unique_resource(remove_named<ipc::named_mutex>));
  ipc_test::expect_open_only_rules<ipc::named_mutex>(
      unique_resource(remove_named<ipc::named_mutex>));
}

TEST_F(NamedMutex, OpenOrCreateCreatesOrOpens) {
  IPC_SPEC("named_mutex.open_or_create.either");
  ipc_test::expect_open_or_create_rules<ipc::named_mutex>(
      unique_resource(remove_named<ipc::named_mutex>));
}

TEST_F(NamedMutex, PersistsUntilRemoved) {
  IPC_SPEC("named_mutex.remove.erases");
  ipc_test::expect_remove_rules<ipc::named_mutex>(unique_resource(remove_named<ipc::named_mutex>));
}

TEST_F(NamedMutex, InvalidNamesThrow) {
  IPC_SPEC("named_mutex.name.invalid_throws");
  ipc_test::expect_invalid_names_throw<ipc::named_mutex>();
}

TEST_F(NamedMutex, LockTryLockAndTimedLockOfAFreeMutex) {
  IPC_SPEC("named_mutex.try_lock.result", "named_mutex.timed_lock.result",
           "named_mutex.unlock.releases", "deadlines.chrono");
  ipc::named_mutex mutex(ipc::create_only, unique_resource(remove_named<ipc::named_mutex>).c_str());
  mutex.lock();
  mutex.unlock();
  ASSERT_TRUE(mutex.try_lock());
  mutex.unlock();
  ASSERT_TRUE(mutex.timed_lock(system_clock::now() + seconds(10)));
  mutex.unlock();
}

TEST_F(NamedMutexMultiProcess, ProcessesIncrementACounterExactly) {
  IPC_SPEC("named_mutex.lock.exclusive", "named_mutex.open_only.opens");
  const std::string mutex_name = unique_resource(remove_named<ipc::named_mutex>);
  const std::string counter_name = unique_resource(remove_shared_memory);
  ipc::named_mutex mutex(ipc::create_only, mutex_name.c_str());
  Placed<Counter> counter(counter_name);
  constexpr int kProcesses = 4;
  constexpr int kTimes = 1000;
  std::vector<ipc_test::Child> children;
  for (int i = 0; i < kProcesses; ++i) {
    children.push_back(ipc_test::spawn_role("named_mutex_incrementer",
                                            {mutex_name, counter_name, std::to_string(kTimes)}));
  }
  increment(mutex, *counter, kTimes);
  for (auto& child : children) IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_EQ(counter->value, long{kProcesses + 1} * kTimes);
  EXPECT_EQ(counter->overlaps, 0);
}

TEST_F(NamedMutexMultiProcess, HeldByAnotherProcessTryAndTimedLockFail) {
  IPC_SPEC("named_mutex.try_lock.result", "named_mutex.timed_lock.result",
           "named_mutex.unlock.releases", "deadlines.chrono");
  const std::string name = unique_resource(remove_named<ipc::named_mutex>);
  ipc::named_mutex mutex(ipc::create_only, name.c_str());
  ipc_test::Pipe to_parent, from_parent;
  auto child =
      ipc_test::spawn_role("named_mutex_holder", {name, to_parent.arg(), from_parent.arg()});
  ASSERT_EQ(to_parent.receive(), "locked");
  EXPECT_FALSE(mutex.try_lock());
  const auto deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(mutex.timed_lock(deadline));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  from_parent.send("release");
  // lock() returns once the child has unlocked, so "unlocked" is on its way.
  mutex.lock();
  EXPECT_EQ(to_parent.receive(), "unlocked");
  mutex.unlock();
  IPC_EXPECT_CHILD_OK(child.wait());
}

#ifdef IPC_HAS_OWNER_DEATH
// Takes a mutex whose previous owner died: the lock reports it and holds it.
void expect_owner_death_reported(ipc::named_mutex& mutex) {
  try {
    mutex.timed_lock(system_clock::now() + seconds(30));
    ADD_FAILURE() << "the dead owner was not reported";
    mutex.unlock();
  } catch (const ipc::owner_dead_exception&) {
  }
}
#endif

TEST_F(NamedMutexMultiProcess, OwnerExitingWhileHoldingItIsReported) {
  IPC_SPEC("named_mutex.owner_death.reported", "named_mutex.owner_death.consistent");
  IPC_REQUIRE_FEATURE("owner_death");
#ifdef IPC_HAS_OWNER_DEATH
  const std::string name = unique_resource(remove_named<ipc::named_mutex>);
  ipc::named_mutex mutex(ipc::create_only, name.c_str());
  ipc_test::Pipe to_parent;
  auto child = ipc_test::spawn_role("named_mutex_dier", {name, to_parent.arg(), "exit"});
  ASSERT_EQ(to_parent.receive(), "locked");
  IPC_EXPECT_CHILD_OK(child.wait());
  expect_owner_death_reported(mutex);
  mutex.unlock();  // Without consistent(): reported again.
  EXPECT_THROW(mutex.try_lock(), ipc::owner_dead_exception);
  mutex.consistent();
  mutex.unlock();
  ipc::scoped_lock<ipc::named_mutex> lock(mutex);
  EXPECT_TRUE(lock.owns());
#else
  FAIL() << "the adapter claims owner_death without IPC_HAS_OWNER_DEATH";
#endif
}

TEST_F(NamedMutexMultiProcess, OwnerKilledWhileHoldingItIsReported) {
  IPC_SPEC("named_mutex.owner_death.reported", "named_mutex.owner_death.consistent");
  IPC_REQUIRE_FEATURE("owner_death");
#ifdef IPC_HAS_OWNER_DEATH
  // A signal that kills the child abruptly: Windows has no SIGKILL, and the
  // harness's Child::kill ends a child with TerminateProcess whatever the signal.
#ifdef _WIN32
  constexpr int kKillSignal = SIGTERM;
#else
  constexpr int kKillSignal = SIGKILL;
#endif
  const std::string name = unique_resource(remove_named<ipc::named_mutex>);
  ipc::named_mutex mutex(ipc::create_only, name.c_str());
  ipc_test::Pipe to_parent, silent;
  auto child =
      ipc_test::spawn_role("named_mutex_dier", {name, to_parent.arg(), "kill", silent.arg()});
  ASSERT_EQ(to_parent.receive(), "locked");
  child.kill(kKillSignal);
  const auto result = child.wait();
  EXPECT_FALSE(result.exited);
  EXPECT_EQ(result.signal, kKillSignal);
  expect_owner_death_reported(mutex);
  mutex.consistent();
  mutex.unlock();
  EXPECT_TRUE(mutex.try_lock());
  mutex.unlock();
#else
  FAIL() << "the adapter claims owner_death without IPC_HAS_OWNER_DEATH";
#endif
}

}  // namespace
