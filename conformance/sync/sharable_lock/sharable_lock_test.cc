// Conformance tests of sharable_lock: the manual's "Sharable Lock And
// Upgradable Lock", the transfers into a sharable_lock of "Lock Transfers
// Through Move Semantics", and the sharable_lock reference.
#include <chrono>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "conformance/common/recording_mutex.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

using ipc_test::RecordingMutex;
using namespace std::chrono;
using Calls = std::vector<std::string>;
using Lock = ipc::sharable_lock<RecordingMutex>;

class SharableLock : public ipc_test::ConformanceTest {};

TEST_F(SharableLock, ConstructorsCallTheSharableOperations) {
  IPC_SPEC("sharable_lock.ctors", "sharable_lock.dtor", "lock_options.select_constructor",
           "deadlines.chrono");
  static_assert(std::is_same_v<Lock::mutex_type, RecordingMutex>);
  {
    const Lock none;
    EXPECT_FALSE(none.owns());
    EXPECT_EQ(none.mutex(), nullptr);
  }
  RecordingMutex m;
  {
    const Lock lock(m);
    EXPECT_TRUE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
  }
  EXPECT_EQ(m.calls, (Calls{"lock_sharable", "unlock_sharable"}));
  m.calls.clear();
  {
    const Lock deferred(m, ipc::defer_lock);
    EXPECT_FALSE(deferred.owns());
    EXPECT_EQ(deferred.mutex(), &m);
  }
  EXPECT_EQ(m.calls, Calls{});
  {
    const Lock adopted(m, ipc::accept_ownership);
    EXPECT_TRUE(adopted.owns());
    EXPECT_EQ(adopted.mutex(), &m);
    EXPECT_EQ(m.calls, Calls{});
  }
  EXPECT_EQ(m.calls, Calls{"unlock_sharable"});
  for (bool grant : {true, false}) {
    m.calls.clear();
    m.grant = grant;
    {
      const Lock tried(m, ipc::try_to_lock);
      EXPECT_EQ(tried.owns(), grant);
      EXPECT_EQ(tried.mutex(), &m);
      const Lock timed(m, system_clock::now() + seconds(1));
      EXPECT_EQ(timed.owns(), grant);
      EXPECT_EQ(timed.mutex(), &m);
    }
    const Calls expected = grant ? Calls{"try_lock_sharable", "timed_lock_sharable",
                                         "unlock_sharable", "unlock_sharable"}
                                 : Calls{"try_lock_sharable", "timed_lock_sharable"};
    EXPECT_EQ(m.calls, expected);
  }
}

TEST_F(SharableLock, MembersLockAndUnlockSharable) {
  IPC_SPEC("sharable_lock.members", "deadlines.chrono");
  RecordingMutex m;
  Lock lock(m, ipc::defer_lock);
  lock.lock();
  EXPECT_TRUE(lock.owns());
  EXPECT_TRUE(static_cast<bool>(lock));
  EXPECT_THROW(lock.lock(), ipc::lock_exception);
  EXPECT_THROW(lock.try_lock(), ipc::lock_exception);
  EXPECT_THROW(lock.timed_lock(system_clock::now()), ipc::lock_exception);
  lock.unlock();
  EXPECT_FALSE(lock.owns());
  EXPECT_FALSE(static_cast<bool>(lock));
  EXPECT_THROW(lock.unlock(), ipc::lock_exception);
  m.grant = false;
  EXPECT_FALSE(lock.try_lock());
  EXPECT_FALSE(lock.timed_lock(system_clock::now()));
  EXPECT_FALSE(lock.try_lock_until(system_clock::now()));
  EXPECT_FALSE(lock.try_lock_for(milliseconds(1)));
  m.grant = true;
  EXPECT_TRUE(lock.try_lock_for(milliseconds(1)));
  lock.unlock();
  EXPECT_TRUE(lock.try_lock());
  EXPECT_EQ(m.calls, (Calls{"lock_sharable", "unlock_sharable", "try_lock_sharable",
                            "timed_lock_sharable", "try_lock_shared_until", "try_lock_shared_for",
                            "try_lock_shared_for", "unlock_sharable", "try_lock_sharable"}));
  m.calls.clear();
  EXPECT_EQ(lock.release(), &m);
  EXPECT_EQ(lock.mutex(), nullptr);
  EXPECT_FALSE(lock.owns());
  EXPECT_EQ(m.calls, Calls{});
  Lock empty;
  EXPECT_THROW(empty.lock(), ipc::lock_exception);
  EXPECT_THROW(empty.unlock(), ipc::lock_exception);
}

TEST_F(SharableLock, SwapAndMoveExchangeStateWithoutCallingTheMutex) {
  IPC_SPEC("sharable_lock.members", "sharable_lock.move");
  static_assert(!std::is_copy_constructible_v<Lock> && !std::is_copy_assignable_v<Lock>);
  RecordingMutex a, b;
  Lock la(a);
  Lock lb(b, ipc::defer_lock);
  la.swap(lb);
  EXPECT_EQ(la.mutex(), &b);
  EXPECT_FALSE(la.owns());
  EXPECT_EQ(lb.mutex(), &a);
  EXPECT_TRUE(lb.owns());
  Lock moved(std::move(lb));
  EXPECT_EQ(moved.mutex(), &a);
  EXPECT_TRUE(moved.owns());
  EXPECT_EQ(lb.mutex(), nullptr);
  EXPECT_FALSE(lb.owns());
  EXPECT_EQ(a.calls, Calls{"lock_sharable"});
  Lock target(b);
  target = std::move(moved);  // unlocks b first
  EXPECT_EQ(target.mutex(), &a);
  EXPECT_TRUE(target.owns());
  EXPECT_EQ(moved.mutex(), nullptr);
  EXPECT_EQ(b.calls, (Calls{"lock_sharable", "unlock_sharable"}));
  EXPECT_EQ(a.calls, Calls{"lock_sharable"});
}

TEST_F(SharableLock, TransferFromUpgradableLockDemotes) {
  IPC_SPEC("sharable_lock.from_upgradable");
  RecordingMutex m;
  {
    ipc::upgradable_lock<RecordingMutex> upgradable(m);
    Lock lock(std::move(upgradable));
    EXPECT_TRUE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
    EXPECT_FALSE(upgradable.owns());
    EXPECT_EQ(upgradable.mutex(), nullptr);
  }
  EXPECT_EQ(m.calls,
            (Calls{"lock_upgradable", "unlock_upgradable_and_lock_sharable", "unlock_sharable"}));
}

TEST_F(SharableLock, TransferFromScopedLockDemotes) {
  IPC_SPEC("sharable_lock.from_scoped");
  RecordingMutex m;
  {
    ipc::scoped_lock<RecordingMutex> exclusive(m);
    Lock lock(std::move(exclusive));
    EXPECT_TRUE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
    EXPECT_FALSE(exclusive.owns());
    EXPECT_EQ(exclusive.mutex(), nullptr);
  }
  EXPECT_EQ(m.calls, (Calls{"lock", "unlock_and_lock_sharable", "unlock_sharable"}));
}

TEST_F(SharableLock, TransferFromUnlockedLocksHandsOverTheMutex) {
  IPC_SPEC("sharable_lock.transfer_unlocked");
  RecordingMutex m;
  {
    ipc::scoped_lock<RecordingMutex> exclusive(m, ipc::defer_lock);
    Lock from_scoped(std::move(exclusive));
    EXPECT_EQ(from_scoped.mutex(), &m);
    EXPECT_FALSE(from_scoped.owns());
    EXPECT_EQ(exclusive.mutex(), nullptr);
    EXPECT_FALSE(exclusive.owns());
    ipc::upgradable_lock<RecordingMutex> upgradable(m, ipc::defer_lock);
    Lock from_upgradable(std::move(upgradable));
    EXPECT_EQ(from_upgradable.mutex(), &m);
    EXPECT_FALSE(from_upgradable.owns());
    EXPECT_EQ(upgradable.mutex(), nullptr);
  }
  EXPECT_EQ(m.calls, Calls{});
}

TEST_F(SharableLock, TransfersOnARealMutexLeaveItSharable) {
  IPC_SPEC("sharable_lock.from_scoped", "sharable_lock.from_upgradable");
  using Mutex = ipc::interprocess_upgradable_mutex;
  Mutex m;
  {
    ipc::scoped_lock<Mutex> exclusive(m);
    ipc::sharable_lock<Mutex> lock(std::move(exclusive));
    ASSERT_TRUE(lock.owns());
    EXPECT_FALSE(m.try_lock());
    ASSERT_TRUE(m.try_lock_sharable());  // another reader may enter
    m.unlock_sharable();
  }
  {
    ipc::upgradable_lock<Mutex> upgradable(m);
    ipc::sharable_lock<Mutex> lock(std::move(upgradable));
    ASSERT_TRUE(lock.owns());
    ASSERT_TRUE(m.try_lock_upgradable());  // the upgradable ownership was given up
    m.unlock_upgradable();
  }
  ASSERT_TRUE(m.try_lock());
  m.unlock();
}

TEST_F(SharableLock, ThrowingConversionLeavesTheSourceOwning) {
  IPC_SPEC("sharable_lock.transfer_throws");
  RecordingMutex m;
  {
    ipc::scoped_lock<RecordingMutex> exclusive(m);
    ipc::upgradable_lock<RecordingMutex> upgradable(m);
    m.conversions_throw = true;
    EXPECT_THROW(Lock lock(std::move(exclusive)), std::runtime_error);
    EXPECT_THROW(Lock lock(std::move(upgradable)), std::runtime_error);
    EXPECT_TRUE(exclusive.owns());
    EXPECT_EQ(exclusive.mutex(), &m);
    EXPECT_TRUE(upgradable.owns());
    EXPECT_EQ(upgradable.mutex(), &m);
  }
  EXPECT_EQ(m.calls, (Calls{"lock", "lock_upgradable", "unlock_and_lock_sharable",
                            "unlock_upgradable_and_lock_sharable", "unlock_upgradable", "unlock"}));
}

}  // namespace
