// Conformance tests of scoped_lock, lock_options, null_mutex and
// mutex_family: the manual's "Scoped lock" section and their references.
#include <chrono>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

using namespace std::chrono;

class ScopedLock : public ipc_test::ConformanceTest {};
class LockOptions : public ipc_test::ConformanceTest {};
class NullMutex : public ipc_test::ConformanceTest {};
class MutexFamily : public ipc_test::ConformanceTest {};

// A mutex that records the calls scoped_lock makes; try_lock and timed_lock
// return `grant`.
struct RecordingMutex {
  int locks = 0;
  int try_locks = 0;
  int timed_locks = 0;
  int unlocks = 0;
  bool grant = true;
  bool held = false;
  system_clock::time_point last_deadline;

  void lock() {
    ++locks;
    held = true;
  }
  bool try_lock() {
    ++try_locks;
    held = grant;
    return grant;
  }
  template <class TimePoint>
  bool timed_lock(const TimePoint& abs_time) {
    ++timed_locks;
    last_deadline = abs_time;
    held = grant;
    return grant;
  }
  void unlock() {
    ++unlocks;
    held = false;
  }
  int calls() const { return locks + try_locks + timed_locks + unlocks; }
};

using Lock = ipc::scoped_lock<RecordingMutex>;

TEST_F(ScopedLock, DefaultConstructedHasNoMutex) {
  IPC_SPEC("scoped_lock.ctor.default", "scoped_lock.mutex_type");
  static_assert(std::is_same_v<Lock::mutex_type, RecordingMutex>);
  const Lock lock;
  EXPECT_FALSE(lock.owns());
  EXPECT_EQ(lock.mutex(), nullptr);
}

TEST_F(ScopedLock, ConstructorLocksAndDestructorUnlocks) {
  IPC_SPEC("scoped_lock.ctor.locks", "scoped_lock.dtor.unlocks");
  RecordingMutex m;
  {
    const Lock lock(m);
    EXPECT_EQ(m.locks, 1);
    EXPECT_TRUE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
  }
  EXPECT_EQ(m.unlocks, 1);
  EXPECT_EQ(m.calls(), 2);
}

TEST_F(ScopedLock, DestructorUnlocksWhenAnExceptionLeavesTheScope) {
  IPC_SPEC("scoped_lock.dtor.unlocks");
  ipc::interprocess_mutex m;
  try {
    ipc::scoped_lock<ipc::interprocess_mutex> lock(m);
    throw std::runtime_error("leave");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(m.try_lock());
  m.unlock();
}

TEST_F(ScopedLock, DeferLockLeavesTheMutexAlone) {
  IPC_SPEC("scoped_lock.ctor.defer_lock", "scoped_lock.dtor.unlocks",
           "lock_options.select_constructor");
  RecordingMutex m;
  {
    const Lock lock(m, ipc::defer_lock);
    EXPECT_FALSE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
  }
  EXPECT_EQ(m.calls(), 0);
}

TEST_F(ScopedLock, AcceptOwnershipAdoptsALockedMutex) {
  IPC_SPEC("scoped_lock.ctor.accept_ownership", "lock_options.select_constructor");
  RecordingMutex m;
  m.lock();
  {
    const Lock lock(m, ipc::accept_ownership);
    EXPECT_TRUE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
    EXPECT_EQ(m.calls(), 1);
  }
  EXPECT_EQ(m.unlocks, 1);
}

TEST_F(ScopedLock, TryToLockOwnsWhatTryLockReturned) {
  IPC_SPEC("scoped_lock.ctor.try_to_lock", "lock_options.select_constructor");
  RecordingMutex m;
  {
    const Lock lock(m, ipc::try_to_lock);
    EXPECT_EQ(m.try_locks, 1);
    EXPECT_TRUE(lock.owns());
  }
  EXPECT_EQ(m.unlocks, 1);
  m.grant = false;
  {
    const Lock lock(m, ipc::try_to_lock);
    EXPECT_EQ(m.try_locks, 2);
    EXPECT_FALSE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
  }
  EXPECT_EQ(m.unlocks, 1);
}

TEST_F(ScopedLock, TimedConstructorOwnsWhatTimedLockReturned) {
  IPC_SPEC("scoped_lock.ctor.timed", "deadlines.chrono");
  RecordingMutex m;
  const auto deadline = system_clock::now() + seconds(5);
  {
    const Lock lock(m, deadline);
    EXPECT_EQ(m.timed_locks, 1);
    EXPECT_EQ(m.last_deadline, deadline);
    EXPECT_TRUE(lock.owns());
  }
  m.grant = false;
  {
    const Lock lock(m, deadline);
    EXPECT_FALSE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
  }
  EXPECT_EQ(m.unlocks, 1);
}

TEST_F(ScopedLock, MoveConstructionTransfersOwnership) {
  IPC_SPEC("scoped_lock.move");
  static_assert(!std::is_copy_constructible_v<Lock>);
  static_assert(!std::is_copy_assignable_v<Lock>);
  RecordingMutex m;
  Lock source(m);
  const Lock target(std::move(source));
  EXPECT_TRUE(target.owns());
  EXPECT_EQ(target.mutex(), &m);
  EXPECT_FALSE(source.owns());
  EXPECT_EQ(source.mutex(), nullptr);
  EXPECT_EQ(m.calls(), 1);
}

TEST_F(ScopedLock, MoveAssignmentUnlocksTheTargetsMutexFirst) {
  IPC_SPEC("scoped_lock.move_assign");
  RecordingMutex a, b;
  Lock target(a);
  Lock source(b);
  target = std::move(source);
  EXPECT_EQ(a.unlocks, 1);
  EXPECT_EQ(b.unlocks, 0);
  EXPECT_EQ(target.mutex(), &b);
  EXPECT_TRUE(target.owns());
  EXPECT_EQ(source.mutex(), nullptr);
  EXPECT_FALSE(source.owns());
}

TEST_F(ScopedLock, MemberLockFunctionsCallTheMutex) {
  IPC_SPEC("scoped_lock.lock.member", "scoped_lock.unlock.member", "scoped_lock.bool",
           "deadlines.chrono");
  RecordingMutex m;
  Lock lock(m, ipc::defer_lock);
  lock.lock();
  EXPECT_EQ(m.locks, 1);
  EXPECT_TRUE(lock.owns());
  EXPECT_TRUE(static_cast<bool>(lock));
  lock.unlock();
  EXPECT_EQ(m.unlocks, 1);
  EXPECT_FALSE(lock.owns());
  EXPECT_FALSE(static_cast<bool>(lock));
  m.grant = false;
  EXPECT_FALSE(lock.try_lock());
  EXPECT_FALSE(lock.owns());
  EXPECT_FALSE(lock.timed_lock(system_clock::now()));
  EXPECT_FALSE(lock.owns());
  m.grant = true;
  EXPECT_TRUE(lock.try_lock());
  EXPECT_TRUE(lock.owns());
  lock.unlock();
  EXPECT_TRUE(lock.timed_lock(system_clock::now() + seconds(1)));
  EXPECT_TRUE(lock.owns());
  EXPECT_EQ(m.try_locks, 2);
  EXPECT_EQ(m.timed_locks, 2);
}

TEST_F(ScopedLock, LockFunctionsThrowWithoutMutexOrWhenOwned) {
  IPC_SPEC("scoped_lock.lock.exception", "scoped_lock.unlock.member", "deadlines.chrono");
  Lock none;
  EXPECT_THROW(none.lock(), ipc::lock_exception);
  EXPECT_THROW(none.try_lock(), ipc::lock_exception);
  EXPECT_THROW(none.timed_lock(system_clock::now()), ipc::lock_exception);
  EXPECT_THROW(none.unlock(), ipc::lock_exception);
  RecordingMutex m;
  Lock owned(m);
  EXPECT_THROW(owned.lock(), ipc::lock_exception);
  EXPECT_THROW(owned.try_lock(), ipc::lock_exception);
  EXPECT_THROW(owned.timed_lock(system_clock::now()), ipc::lock_exception);
  EXPECT_EQ(m.calls(), 1);
  Lock deferred(m, ipc::defer_lock);
  EXPECT_THROW(deferred.unlock(), ipc::lock_exception);
  EXPECT_EQ(m.calls(), 1);
}

TEST_F(ScopedLock, ReleaseForgetsTheMutexWithoutUnlocking) {
  IPC_SPEC("scoped_lock.release");
  RecordingMutex m;
  {
    Lock lock(m);
    EXPECT_EQ(lock.release(), &m);
    EXPECT_EQ(lock.mutex(), nullptr);
    EXPECT_FALSE(lock.owns());
  }
  EXPECT_EQ(m.unlocks, 0);
  EXPECT_TRUE(m.held);
}

TEST_F(ScopedLock, SwapExchangesState) {
  IPC_SPEC("scoped_lock.swap");
  RecordingMutex a, b;
  Lock owning(a);
  Lock deferred(b, ipc::defer_lock);
  owning.swap(deferred);
  EXPECT_EQ(owning.mutex(), &b);
  EXPECT_FALSE(owning.owns());
  EXPECT_EQ(deferred.mutex(), &a);
  EXPECT_TRUE(deferred.owns());
  EXPECT_EQ(a.calls() + b.calls(), 1);
}

TEST_F(LockOptions, TagsAreConstantsOfDistinctTypes) {
  IPC_SPEC("lock_options.tags");
  static_assert(std::is_same_v<std::decay_t<decltype(ipc::defer_lock)>, ipc::defer_lock_type>);
  static_assert(std::is_same_v<std::decay_t<decltype(ipc::try_to_lock)>, ipc::try_to_lock_type>);
  static_assert(
      std::is_same_v<std::decay_t<decltype(ipc::accept_ownership)>, ipc::accept_ownership_type>);
  static_assert(!std::is_same_v<ipc::defer_lock_type, ipc::try_to_lock_type>);
  static_assert(!std::is_same_v<ipc::try_to_lock_type, ipc::accept_ownership_type>);
  static_assert(std::is_empty_v<ipc::defer_lock_type> && std::is_empty_v<ipc::try_to_lock_type> &&
                std::is_empty_v<ipc::accept_ownership_type>);
  EXPECT_TRUE(std::is_const_v<std::remove_reference_t<decltype(ipc::defer_lock)>>);
}

TEST_F(NullMutex, ExclusiveOperationsSucceed) {
  IPC_SPEC("null_mutex.exclusive", "deadlines.chrono");
  ipc::null_mutex m;
  m.lock();
  m.unlock();
  EXPECT_TRUE(m.try_lock());
  EXPECT_TRUE(m.try_lock());  // "held", yet try_lock still succeeds
  EXPECT_TRUE(m.timed_lock(system_clock::now() - seconds(10)));
  m.unlock();
}

TEST_F(NullMutex, SharableAndUpgradableOperationsSucceed) {
  IPC_SPEC("null_mutex.sharable_upgradable", "deadlines.chrono");
  ipc::null_mutex m;
  const auto past = system_clock::now() - seconds(10);
  m.lock_sharable();
  EXPECT_TRUE(m.try_lock_sharable());
  EXPECT_TRUE(m.timed_lock_sharable(past));
  m.unlock_sharable();
  m.lock_upgradable();
  EXPECT_TRUE(m.try_lock_upgradable());
  EXPECT_TRUE(m.timed_lock_upgradable(past));
  m.unlock_upgradable();
  m.unlock_and_lock_upgradable();
  m.unlock_and_lock_sharable();
  m.unlock_upgradable_and_lock_sharable();
  m.unlock_upgradable_and_lock();
  EXPECT_TRUE(m.try_unlock_upgradable_and_lock());
  EXPECT_TRUE(m.timed_unlock_upgradable_and_lock(past));
  EXPECT_TRUE(m.try_unlock_sharable_and_lock());
  EXPECT_TRUE(m.try_unlock_sharable_and_lock_upgradable());
}

TEST_F(NullMutex, ScopedLockAlwaysOwnsIt) {
  IPC_SPEC("null_mutex.scoped_lock", "deadlines.chrono");
  ipc::null_mutex m;
  const ipc::scoped_lock<ipc::null_mutex> plain(m);
  const ipc::scoped_lock<ipc::null_mutex> tried(m, ipc::try_to_lock);
  const ipc::scoped_lock<ipc::null_mutex> timed(m, system_clock::now() - seconds(10));
  EXPECT_TRUE(plain.owns() && tried.owns() && timed.owns());
}

TEST_F(MutexFamily, NamesTheProcessSharedMutexes) {
  IPC_SPEC("mutex_family.types");
  static_assert(std::is_same_v<ipc::mutex_family::mutex_type, ipc::interprocess_mutex>);
  static_assert(
      std::is_same_v<ipc::mutex_family::recursive_mutex_type, ipc::interprocess_recursive_mutex>);
  ipc::mutex_family::recursive_mutex_type recursive;
  recursive.lock();
  EXPECT_TRUE(recursive.try_lock());
  recursive.unlock();
  recursive.unlock();
}

TEST_F(MutexFamily, NullFamilyNamesNullMutex) {
  IPC_SPEC("mutex_family.null_types");
  static_assert(std::is_same_v<ipc::null_mutex_family::mutex_type, ipc::null_mutex>);
  static_assert(std::is_same_v<ipc::null_mutex_family::recursive_mutex_type, ipc::null_mutex>);
  ipc::null_mutex_family::mutex_type m;
  EXPECT_TRUE(m.try_lock());
}

}  // namespace
