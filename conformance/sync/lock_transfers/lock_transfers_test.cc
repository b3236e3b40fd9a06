// Conformance tests of the transfers into a scoped_lock: the manual's
// "Transfers To Scoped Lock", "Transferring Unlocked Locks" and "Transfer
// Failures", and the scoped_lock reference. (The transfers into sharable_lock
// and upgradable_lock are tested with those.)
#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "conformance/common/recording_mutex.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

using ipc_test::RecordingMutex;
using namespace std::chrono;
using Calls = std::vector<std::string>;
using Scoped = ipc::scoped_lock<RecordingMutex>;
using Upgradable = ipc::upgradable_lock<RecordingMutex>;
using Sharable = ipc::sharable_lock<RecordingMutex>;

class ScopedLockTransfer : public ipc_test::ConformanceTest {};

TEST_F(ScopedLockTransfer, FromUpgradableLockPromotes) {
  IPC_SPEC("scoped_lock.from_upgradable");
  RecordingMutex m;
  {
    Upgradable upgradable(m);
    Scoped lock(std::move(upgradable));
    EXPECT_TRUE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
    EXPECT_FALSE(upgradable.owns());
    EXPECT_EQ(upgradable.mutex(), nullptr);
  }
  EXPECT_EQ(m.calls, (Calls{"lock_upgradable", "unlock_upgradable_and_lock", "unlock"}));
}

TEST_F(ScopedLockTransfer, ConditionalTransfersThatSucceed) {
  IPC_SPEC("scoped_lock.from_upgradable_try", "scoped_lock.from_sharable_try", "deadlines.chrono");
  RecordingMutex m;
  {
    Upgradable upgradable(m);
    Scoped lock(std::move(upgradable), ipc::try_to_lock);
    EXPECT_TRUE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
    EXPECT_FALSE(upgradable.owns());
    EXPECT_EQ(upgradable.mutex(), nullptr);
  }
  {
    Upgradable upgradable(m);
    Scoped lock(std::move(upgradable), system_clock::now() + seconds(1));
    EXPECT_TRUE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
    EXPECT_EQ(upgradable.mutex(), nullptr);
  }
  {
    Sharable sharable(m);
    Scoped lock(std::move(sharable), ipc::try_to_lock);
    EXPECT_TRUE(lock.owns());
    EXPECT_EQ(lock.mutex(), &m);
    EXPECT_FALSE(sharable.owns());
    EXPECT_EQ(sharable.mutex(), nullptr);
  }
  EXPECT_EQ(m.calls, (Calls{"lock_upgradable", "try_unlock_upgradable_and_lock", "unlock",
                            "lock_upgradable", "timed_unlock_upgradable_and_lock", "unlock",
                            "lock_sharable", "try_unlock_sharable_and_lock", "unlock"}));
}

TEST_F(ScopedLockTransfer, ConditionalTransfersThatFailLeaveTheSourceOwning) {
  IPC_SPEC("scoped_lock.from_upgradable_try", "scoped_lock.from_sharable_try", "deadlines.chrono");
  RecordingMutex m;
  {
    Upgradable upgradable(m);
    m.grant = false;
    Scoped tried(std::move(upgradable), ipc::try_to_lock);
    EXPECT_FALSE(tried.owns());
    EXPECT_EQ(tried.mutex(), nullptr);
    Scoped timed(std::move(upgradable), system_clock::now() + milliseconds(1));
    EXPECT_FALSE(timed.owns());
    EXPECT_EQ(timed.mutex(), nullptr);
    EXPECT_TRUE(upgradable.owns());
    EXPECT_EQ(upgradable.mutex(), &m);
    m.grant = true;
  }
  {
    Sharable sharable(m);
    m.grant = false;
    Scoped tried(std::move(sharable), ipc::try_to_lock);
    EXPECT_FALSE(tried.owns());
    EXPECT_EQ(tried.mutex(), nullptr);
    EXPECT_TRUE(sharable.owns());
    EXPECT_EQ(sharable.mutex(), &m);
  }
  EXPECT_EQ(m.calls, (Calls{"lock_upgradable", "try_unlock_upgradable_and_lock",
                            "timed_unlock_upgradable_and_lock", "unlock_upgradable",
                            "lock_sharable", "try_unlock_sharable_and_lock", "unlock_sharable"}));
}

TEST_F(ScopedLockTransfer, FromUnlockedUpgradableLockHandsOverTheMutex) {
  IPC_SPEC("scoped_lock.transfer_unlocked");
  RecordingMutex m;
  Upgradable upgradable(m, ipc::defer_lock);
  Scoped lock(std::move(upgradable));
  EXPECT_EQ(lock.mutex(), &m);
  EXPECT_FALSE(lock.owns());
  EXPECT_EQ(upgradable.mutex(), nullptr);
  EXPECT_FALSE(upgradable.owns());
  EXPECT_EQ(m.calls, Calls{});
}

TEST_F(ScopedLockTransfer, TryFromUnlockedUpgradableLockHandsOverTheMutex) {
  IPC_SPEC("scoped_lock.transfer_unlocked");
  RecordingMutex m;
  Upgradable upgradable(m, ipc::defer_lock);
  Scoped lock(std::move(upgradable), ipc::try_to_lock);
  EXPECT_EQ(lock.mutex(), &m);
  EXPECT_FALSE(lock.owns());
  EXPECT_EQ(upgradable.mutex(), nullptr);
  EXPECT_EQ(m.calls, Calls{});
}

TEST_F(ScopedLockTransfer, TimedFromUnlockedUpgradableLockHandsOverTheMutex) {
  IPC_SPEC("scoped_lock.transfer_unlocked", "deadlines.chrono");
  RecordingMutex m;
  Upgradable upgradable(m, ipc::defer_lock);
  Scoped lock(std::move(upgradable), system_clock::now() + seconds(1));
  EXPECT_EQ(lock.mutex(), &m);
  EXPECT_FALSE(lock.owns());
  EXPECT_EQ(upgradable.mutex(), nullptr);
  EXPECT_EQ(m.calls, Calls{});
}

TEST_F(ScopedLockTransfer, TryFromUnlockedSharableLockHandsOverTheMutex) {
  IPC_SPEC("scoped_lock.transfer_unlocked");
  RecordingMutex m;
  Sharable sharable(m, ipc::defer_lock);
  Scoped lock(std::move(sharable), ipc::try_to_lock);
  EXPECT_EQ(lock.mutex(), &m);
  EXPECT_FALSE(lock.owns());
  EXPECT_EQ(sharable.mutex(), nullptr);
  EXPECT_EQ(m.calls, Calls{});
}

// The manual's example of a failed transfer, on a real mutex: the source
// still owns, and the mutex is in the state the source holds.
TEST_F(ScopedLockTransfer, FailuresOnARealMutexKeepTheSourcesOwnership) {
  IPC_SPEC("scoped_lock.from_upgradable_try", "scoped_lock.from_sharable_try",
           "scoped_lock.from_upgradable", "deadlines.chrono");
  using Mutex = ipc::interprocess_upgradable_mutex;
  Mutex m;
  {
    ipc::sharable_lock<Mutex> reader(m);
    ipc::upgradable_lock<Mutex> upgradable(m);
    ipc::scoped_lock<Mutex> tried(std::move(upgradable), ipc::try_to_lock);
    EXPECT_FALSE(tried.owns());
    const auto deadline = system_clock::now() + milliseconds(100);
    ipc::scoped_lock<Mutex> timed(std::move(upgradable), deadline);
    EXPECT_GE(system_clock::now(), deadline);
    EXPECT_FALSE(timed.owns());
    ASSERT_TRUE(upgradable.owns());
    EXPECT_FALSE(m.try_lock_upgradable());  // still held upgradable
    ipc::scoped_lock<Mutex> from_reader(std::move(reader), ipc::try_to_lock);
    EXPECT_FALSE(from_reader.owns());
    EXPECT_TRUE(reader.owns());
    reader.unlock();
    ipc::scoped_lock<Mutex> promoted(std::move(upgradable));
    ASSERT_TRUE(promoted.owns());
    EXPECT_FALSE(m.try_lock_sharable());
  }
  {
    ipc::sharable_lock<Mutex> reader(m);
    ipc::scoped_lock<Mutex> exclusive(std::move(reader), ipc::try_to_lock);
    ASSERT_TRUE(exclusive.owns());  // the only owner may promote
    EXPECT_FALSE(m.try_lock_sharable());
  }
  ASSERT_TRUE(m.try_lock());
  m.unlock();
}

TEST_F(ScopedLockTransfer, ThrowingConversionLeavesTheSourceOwning) {
  IPC_SPEC("scoped_lock.transfer_throws", "deadlines.chrono");
  RecordingMutex m;
  {
    Upgradable upgradable(m);
    Sharable sharable(m);
    m.conversions_throw = true;
    EXPECT_THROW(Scoped lock(std::move(upgradable)), std::runtime_error);
    EXPECT_THROW(Scoped lock(std::move(upgradable), ipc::try_to_lock), std::runtime_error);
    EXPECT_THROW(Scoped lock(std::move(upgradable), system_clock::now()), std::runtime_error);
    EXPECT_THROW(Scoped lock(std::move(sharable), ipc::try_to_lock), std::runtime_error);
    EXPECT_TRUE(upgradable.owns());
    EXPECT_EQ(upgradable.mutex(), &m);
    EXPECT_TRUE(sharable.owns());
    EXPECT_EQ(sharable.mutex(), &m);
  }
  EXPECT_EQ(m.calls,
            (Calls{"lock_upgradable", "lock_sharable", "unlock_upgradable_and_lock",
                   "try_unlock_upgradable_and_lock", "timed_unlock_upgradable_and_lock",
                   "try_unlock_sharable_and_lock", "unlock_sharable", "unlock_upgradable"}));
}

}  // namespace
