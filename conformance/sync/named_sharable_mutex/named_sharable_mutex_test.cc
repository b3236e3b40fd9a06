// Conformance tests of named_sharable_mutex: the exclusive and sharable
// operations of the manual's "Upgradable Mutex Operations" on a mutex found by
// name ("Named And Anonymous Synchronization Mechanisms").
#include <chrono>
#include <string>

#include "conformance/common/named.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using ipc_test::remove_named;

using namespace std::chrono;
using Mutex = ipc::named_sharable_mutex;

class NamedSharableMutex : public ipc_test::ConformanceTest {};
class NamedSharableMutexMultiProcess : public ipc_test::ConformanceTest {};

// args: mutex name, mode ("exclusive" or "sharable"), pipe to the parent,
// pipe from the parent. Opens the mutex by name, takes the mode, says "held",
// waits for "release", releases and says "released".
IPC_CHILD_ROLE(named_sharable_holder) {
  Mutex mutex(ipc::open_only, args.at(0).c_str());
  const bool exclusive = args.at(1) == "exclusive";
  auto to_parent = ipc_test::Pipe::from_arg(args.at(2));
  auto from_parent = ipc_test::Pipe::from_arg(args.at(3));
  if (exclusive) {
    mutex.lock();
  } else {
    mutex.lock_sharable();
  }
  to_parent.send("held");
  IPC_CHILD_CHECK(from_parent.receive() == "release");
  if (exclusive) {
    mutex.unlock();
  } else {
    mutex.unlock_sharable();
  }
  to_parent.send("released");
}

// A child holding the mutex in one mode until release().
class Holder {
 public:
  Holder(const std::string& name, const std::string& mode)
      : child_(ipc_test::spawn_role("named_sharable_holder",
                                    {name, mode, to_parent_.arg(), from_parent_.arg()})) {
    received_ = to_parent_.receive();
  }
  bool holds() const { return received_ == "held"; }
  void release() { from_parent_.send("release"); }
  // After the parent has taken an ownership that needed the release.
  void expect_released() {
    EXPECT_EQ(to_parent_.receive(), "released");
    IPC_EXPECT_CHILD_OK(child_.wait());
  }

 private:
  ipc_test::Pipe to_parent_, from_parent_;
  ipc_test::Child child_;
  std::string received_;
};

// `attempt` (a timed operation with a deadline 100 ms away) fails, not early.
template <class F>
void expect_times_out(F attempt) {
  const auto deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(attempt(deadline));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
}

TEST_F(NamedSharableMutex, CreateOnlyCreatesOnceAndOpenOnlyOpensIt) {
  IPC_SPEC("named_sharable_mutex.create_only.creates", "named_sharable_mutex.open_only.opens");
  ipc_test::expect_create_only_rules<Mutex>(unique_resource(remove_named<Mutex>));
  ipc_test::expect_open_only_rules<Mutex>(unique_resource(remove_named<Mutex>));
}

TEST_F(NamedSharableMutex, OpenOrCreateCreatesOrOpens) {
  IPC_SPEC("named_sharable_mutex.open_or_create.either");
  ipc_test::expect_open_or_create_rules<Mutex>(unique_resource(remove_named<Mutex>));
}

TEST_F(NamedSharableMutex, PersistsUntilRemoved) {
  IPC_SPEC("named_sharable_mutex.remove.erases");
  ipc_test::expect_remove_rules<Mutex>(unique_resource(remove_named<Mutex>));
}

TEST_F(NamedSharableMutex, InvalidNamesThrow) {
  IPC_SPEC("named_sharable_mutex.name.invalid_throws");
  ipc_test::expect_invalid_names_throw<Mutex>();
}

TEST_F(NamedSharableMutex, TimedFormsTakeAFreeMutex) {
  IPC_SPEC("named_sharable_mutex.timed_forms", "deadlines.chrono");
  Mutex mutex(ipc::create_only, unique_resource(remove_named<Mutex>).c_str());
  const auto later = system_clock::now() + seconds(10);
  ASSERT_TRUE(mutex.timed_lock(later));
  mutex.unlock();
  ASSERT_TRUE(mutex.try_lock_until(later));
  mutex.unlock();
  ASSERT_TRUE(mutex.try_lock_for(seconds(10)));
  mutex.unlock();
  ASSERT_TRUE(mutex.timed_lock_sharable(later));
  ASSERT_TRUE(mutex.try_lock_shared_until(later));
  ASSERT_TRUE(mutex.try_lock_shared_for(seconds(10)));
  mutex.unlock_sharable();
  mutex.unlock_shared();
  mutex.unlock_sharable();
}

TEST_F(NamedSharableMutexMultiProcess, SharableOwnerDelaysOnlyExclusiveOwnership) {
  IPC_SPEC("named_sharable_mutex.modes", "named_sharable_mutex.timed_forms",
           "named_sharable_mutex.open_only.opens", "deadlines.chrono");
  const std::string name = unique_resource(remove_named<Mutex>);
  Mutex mutex(ipc::create_only, name.c_str());
  Holder holder(name, "sharable");
  ASSERT_TRUE(holder.holds());
  EXPECT_FALSE(mutex.try_lock());
  EXPECT_FALSE(mutex.try_lock_for(milliseconds(20)));
  expect_times_out([&](auto deadline) { return mutex.timed_lock(deadline); });
  ASSERT_TRUE(mutex.try_lock_sharable());
  ASSERT_TRUE(mutex.try_lock_shared_for(milliseconds(20)));
  mutex.unlock_shared();
  mutex.unlock_sharable();
  holder.release();
  mutex.lock();  // Returns once the child has unlocked.
  holder.expect_released();
  mutex.unlock();
}

TEST_F(NamedSharableMutexMultiProcess, ExclusiveOwnerExcludesSharableOwners) {
  IPC_SPEC("named_sharable_mutex.modes", "named_sharable_mutex.timed_forms", "deadlines.chrono");
  const std::string name = unique_resource(remove_named<Mutex>);
  Mutex mutex(ipc::create_only, name.c_str());
  Holder holder(name, "exclusive");
  ASSERT_TRUE(holder.holds());
  EXPECT_FALSE(mutex.try_lock());
  EXPECT_FALSE(mutex.try_lock_shared());
  expect_times_out([&](auto deadline) { return mutex.timed_lock_sharable(deadline); });
  holder.release();
  mutex.lock_sharable();  // Returns once the child has unlocked.
  holder.expect_released();
  mutex.unlock_sharable();
}

}  // namespace
