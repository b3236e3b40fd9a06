// Conformance tests of upgradable_lock: the manual's "Sharable Lock And
// Upgradable Lock", the transfers into an upgradable_lock of "Lock Transfers
// Through Move Semantics", and the upgradable_lock reference.
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
using Lock = ipc::upgradable_lock<RecordingMutex>;

class UpgradableLock : public ipc_test::ConformanceTest {};

TEST_F(UpgradableLock, ConstructorsCallTheUpgradableOperations) {
  IPC_SPEC("upgradable_lock.ctors", "upgradable_lock.dtor", "lock_options.select_constructor",
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
  EXPECT_EQ(m.calls, (Calls{"lock_upgradable", "unlock_upgradable"}));
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
  EXPECT_EQ(m.calls, Calls{"unlock_upgradable"});
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
    const Calls expected = grant ? Calls{"try_lock_upgradable", "timed_lock_upgradable",
                                         "unlock_upgradable", "unlock_upgradable"}
                                 : Calls{"try_lock_upgradable", "timed_lock_upgradable"};
    EXPECT_EQ(m.calls, expected);
  }
}

TEST_F(UpgradableLock, MembersLockAndUnlockUpgradable) {
  IPC_SPEC("upgradable_lock.members", "deadlines.chrono");
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
  m.grant = true;
  EXPECT_TRUE(lock.timed_lock(system_clock::now()));
  lock.unlock();
  EXPECT_TRUE(lock.try_lock());
  EXPECT_EQ(m.calls, (Calls{"lock_upgradable", "unlock_upgradable", "try_lock_upgradable",
                            "timed_lock_upgradable", "timed_lock_upgradable", "unlock_upgradable",
                            "try_lock_upgradable"}));
  m.calls.clear();
  EXPECT_EQ(lock.release(), &m);
  EXPECT_EQ(lock.mutex(), nullptr);
  EXPECT_FALSE(lock.owns());
  EXPECT_EQ(m.calls, Calls{});
  Lock empty;
  EXPECT_THROW(empty.lock(), ipc::lock_exception);
  EXPECT_THROW(empty.unlock(), ipc::lock_exception);
}

TEST_F(UpgradableLock, SwapAndMoveExchangeStateWithoutCallingTheMutex) {
  IPC_SPEC("upgradable_lock.members", "upgradable_lock.move");
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
  EXPECT_EQ(a.calls, Calls{"lock_upgradable"});
  Lock target(b);
  target = std::move(moved);  // unlocks b first
  EXPECT_EQ(target.mutex(), &a);
  EXPECT_TRUE(target.owns());
  EXPECT_EQ(moved.mutex(), nullptr);
  EXPECT_EQ(b.calls, (Calls{"lock_upgradable", "unlock_upgradable"}));
  EXPECT_EQ(a.calls, Calls{"lock_upgradable"});
}

TEST_F(UpgradableLock, TransferFromScopedLockDemotes) {
  IPC_SPEC("upgradable_lock.from_scoped");
  RecordingMutex m;
  {
    ipc::scoped_lock<RecordingMutex> exclusive(m);
    Lock lock(std::move(exclusive));
    EXPECT_TRUE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
    EXPECT_FALSE(exclusive.owns());
    EXPECT_EQ(exclusive.mutex(), nullptr);
  }
  EXPECT_EQ(m.calls, (Calls{"lock", "unlock_and_lock_upgradable", "unlock_upgradable"}));
}

TEST_F(UpgradableLock, TryTransferFromSharableLockThatSucceeds) {
  IPC_SPEC("upgradable_lock.from_sharable_try");
  RecordingMutex m;
  {
    ipc::sharable_lock<RecordingMutex> sharable(m);
    Lock lock(std::move(sharable), ipc::try_to_lock);
    EXPECT_TRUE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
    EXPECT_FALSE(sharable.owns());
    EXPECT_EQ(sharable.mutex(), nullptr);
  }
  EXPECT_EQ(m.calls, (Calls{"lock_sharable", "try_unlock_sharable_and_lock_upgradable",
                            "unlock_upgradable"}));
}

TEST_F(UpgradableLock, TryTransferFromSharableLockThatFailsLeavesTheSourceOwning) {
  IPC_SPEC("upgradable_lock.from_sharable_try");
  RecordingMutex m;
  {
    ipc::sharable_lock<RecordingMutex> sharable(m);
    m.grant = false;
    Lock lock(std::move(sharable), ipc::try_to_lock);
    EXPECT_FALSE(lock.owns());
    EXPECT_EQ(lock.mutex(), nullptr);
    EXPECT_TRUE(sharable.owns());
    EXPECT_EQ(sharable.mutex(), &m);
  }
  EXPECT_EQ(m.calls,
            (Calls{"lock_sharable", "try_unlock_sharable_and_lock_upgradable", "unlock_sharable"}));
}

TEST_F(UpgradableLock, TransferFromUnlockedScopedLockHandsOverTheMutex) {
  IPC_SPEC("upgradable_lock.transfer_unlocked");
  RecordingMutex m;
  {
    ipc::scoped_lock<RecordingMutex> exclusive(m, ipc::defer_lock);
    Lock lock(std::move(exclusive));
    EXPECT_EQ(lock.mutex(), &m);
    EXPECT_FALSE(lock.owns());
    EXPECT_EQ(exclusive.mutex(), nullptr);
  }
  EXPECT_EQ(m.calls, Calls{});
}

TEST_F(UpgradableLock, TryTransferFromUnlockedSharableLockHandsOverTheMutex) {
  IPC_SPEC("upgradable_lock.transfer_unlocked");
  RecordingMutex m;
  {
    ipc::sharable_lock<RecordingMutex> sharable(m, ipc::defer_lock);
    Lock lock(std::move(sharable), ipc::try_to_lock);
    EXPECT_EQ(lock.mutex(), &m);
    EXPECT_FALSE(lock.owns());
    EXPECT_EQ(sharable.mutex(), nullptr);
    EXPECT_FALSE(sharable.owns());
  }
  EXPECT_EQ(m.calls, Calls{});
}

TEST_F(UpgradableLock, TransfersOnARealMutex) {
  IPC_SPEC("upgradable_lock.from_scoped", "upgradable_lock.from_sharable_try");
  using Mutex = ipc::interprocess_upgradable_mutex;
  Mutex m;
  {
    ipc::scoped_lock<Mutex> exclusive(m);
    ipc::upgradable_lock<Mutex> lock(std::move(exclusive));
    ASSERT_TRUE(lock.owns());
    EXPECT_FALSE(m.try_lock_upgradable());
    ASSERT_TRUE(m.try_lock_sharable());  // readers may enter again
    m.unlock_sharable();
  }
  {
    ipc::sharable_lock<Mutex> first(m);
    ipc::sharable_lock<Mutex> second(m);
    ipc::upgradable_lock<Mutex> lock(std::move(first), ipc::try_to_lock);
    ASSERT_TRUE(lock.owns());
    ipc::upgradable_lock<Mutex> refused(std::move(second), ipc::try_to_lock);
    EXPECT_FALSE(refused.owns());
    EXPECT_EQ(refused.mutex(), nullptr);
    EXPECT_TRUE(second.owns());
  }
  ASSERT_TRUE(m.try_lock());
  m.unlock();
}

TEST_F(UpgradableLock, ThrowingConversionLeavesTheSourceOwning) {
  IPC_SPEC("upgradable_lock.transfer_throws");
  RecordingMutex m;
  {
    ipc::scoped_lock<RecordingMutex> exclusive(m);
    ipc::sharable_lock<RecordingMutex> sharable(m);
    m.conversions_throw = true;
    EXPECT_THROW(Lock lock(std::move(exclusive)), std::runtime_error);
    EXPECT_THROW(Lock lock(std::move(sharable), ipc::try_to_lock), std::runtime_error);
    EXPECT_TRUE(exclusive.owns());
    EXPECT_EQ(exclusive.mutex(), &m);
    EXPECT_TRUE(sharable.owns());
    EXPECT_EQ(sharable.mutex(), &m);
  }
  EXPECT_EQ(m.calls,
            (Calls{"lock", "lock_sharable", "unlock_and_lock_upgradable",
                   "try_unlock_sharable_and_lock_upgradable", "unlock_sharable", "unlock"}));
}

}  // namespace
