// Conformance tests of named_recursive_mutex: the manual's "Named And
// Anonymous Synchronization Mechanisms", "Mutexes" and the
// named_recursive_mutex reference; owner death is the optional feature
// owner_death.
#include <unistd.h>

#include <chrono>
#include <string>

#include "conformance/common/named.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using ipc_test::remove_named;

using namespace std::chrono;

using Mutex = ipc::named_recursive_mutex;

class NamedRecursiveMutex : public ipc_test::ConformanceTest {};
class NamedRecursiveMutexMultiProcess : public ipc_test::ConformanceTest {};

// Opens the mutex by name and reports, for the parent's checks, whether it
// could take it: "taken" (then unlocks) or "busy".
IPC_CHILD_ROLE(named_recursive_mutex_prober) {
  Mutex mutex(ipc::open_only, args.at(0).c_str());
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  if (args.at(2) == "try") {
    if (mutex.try_lock()) {
      mutex.unlock();
      to_parent.send("taken");
    } else {
      to_parent.send("busy");
    }
    return;
  }
  const auto deadline = system_clock::now() + milliseconds(100);
  if (mutex.timed_lock(deadline)) {
    mutex.unlock();
    to_parent.send("taken");
    return;
  }
  IPC_CHILD_CHECK_MSG(system_clock::now() >= deadline, "timed_lock returned early");
  to_parent.send("busy");
}

// Locks the mutex twice, says "locked" and _exits without unlocking.
IPC_CHILD_ROLE(named_recursive_mutex_dier) {
  Mutex mutex(ipc::open_only, args.at(0).c_str());
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  mutex.lock();
  mutex.lock();
  to_parent.send("locked");
  _exit(0);
}

std::string probe(const std::string& name, const char* how) {
  ipc_test::Pipe to_parent;
  auto child = ipc_test::spawn_role("named_recursive_mutex_prober", {name, to_parent.arg(), how});
  std::string answer = to_parent.receive();
  IPC_EXPECT_CHILD_OK(child.wait());
  return answer;
}

TEST_F(NamedRecursiveMutex, CreateOnlyCreatesOnceAndOpenOnlyOpensIt) {
  IPC_SPEC("named_recursive_mutex.create_only.creates", "named_recursive_mutex.open_only.opens");
  ipc_test::expect_create_only_rules<Mutex>(unique_resource(remove_named<Mutex>));
  ipc_test::expect_open_only_rules<Mutex>(unique_resource(remove_named<Mutex>));
}

TEST_F(NamedRecursiveMutex, OpenOrCreateCreatesOrOpens) {
  IPC_SPEC("named_recursive_mutex.open_or_create.either");
  ipc_test::expect_open_or_create_rules<Mutex>(unique_resource(remove_named<Mutex>));
}

TEST_F(NamedRecursiveMutex, PersistsUntilRemoved) {
  IPC_SPEC("named_recursive_mutex.remove.erases");
  ipc_test::expect_remove_rules<Mutex>(unique_resource(remove_named<Mutex>));
}

TEST_F(NamedRecursiveMutex, InvalidNamesThrow) {
  IPC_SPEC("named_recursive_mutex.name.invalid_throws");
  ipc_test::expect_invalid_names_throw<Mutex>();
}

TEST_F(NamedRecursiveMutexMultiProcess, HeldUntilUnlockedAsOftenAsLocked) {
  IPC_SPEC("named_recursive_mutex.lock.recursive", "named_recursive_mutex.timed_lock.result",
           "deadlines.chrono");
  const std::string name = unique_resource(remove_named<Mutex>);
  Mutex mutex(ipc::create_only, name.c_str());
  mutex.lock();
  ASSERT_TRUE(mutex.try_lock());
  ASSERT_TRUE(mutex.timed_lock(system_clock::now() + seconds(10)));
  EXPECT_EQ(probe(name, "try"), "busy");
  mutex.unlock();
  mutex.unlock();
  EXPECT_EQ(probe(name, "timed"), "busy");
  mutex.unlock();
  EXPECT_EQ(probe(name, "try"), "taken");
  EXPECT_EQ(probe(name, "timed"), "taken");
}

TEST_F(NamedRecursiveMutexMultiProcess, OwnerDeathIsReported) {
  IPC_SPEC("named_recursive_mutex.owner_death.reported", "deadlines.chrono");
  IPC_REQUIRE_FEATURE("owner_death");
#ifdef IPC_HAS_OWNER_DEATH
  const std::string name = unique_resource(remove_named<Mutex>);
  Mutex mutex(ipc::create_only, name.c_str());
  ipc_test::Pipe to_parent;
  auto child = ipc_test::spawn_role("named_recursive_mutex_dier", {name, to_parent.arg()});
  ASSERT_EQ(to_parent.receive(), "locked");
  IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_THROW(mutex.try_lock_for(seconds(30)), ipc::owner_dead_exception);
  mutex.consistent();
  mutex.unlock();
  EXPECT_EQ(probe(name, "try"), "taken");
#else
  FAIL() << "the adapter claims owner_death without IPC_HAS_OWNER_DEATH";
#endif
}

}  // namespace
