#include "refipc/sync/detail/rw_lock.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {
namespace sync_detail {
namespace {

using namespace std::chrono_literals;

TEST(RwLock, ExclusiveExcludesEverything) {
  rw_lock l;
  l.lock();
  EXPECT_FALSE(l.try_lock());
  EXPECT_FALSE(l.try_lock_sharable());
  EXPECT_FALSE(l.try_lock_upgradable());
  l.unlock();
  EXPECT_TRUE(l.try_lock());
  l.unlock();
}

TEST(RwLock, SharableOwnersCoexistWithOneUpgradable) {
  rw_lock l;
  l.lock_sharable();
  EXPECT_TRUE(l.try_lock_sharable());
  EXPECT_TRUE(l.try_lock_upgradable());
  EXPECT_FALSE(l.try_lock_upgradable());
  EXPECT_FALSE(l.try_lock());
  l.unlock_upgradable();
  l.unlock_sharable();
  l.unlock_sharable();
  EXPECT_TRUE(l.try_lock());
  l.unlock();
}

TEST(RwLock, ReleasesWithoutThatOwnershipThrow) {
  rw_lock l;
  EXPECT_THROW(l.unlock(), lock_exception);
  EXPECT_THROW(l.unlock_sharable(), lock_exception);
  EXPECT_THROW(l.unlock_upgradable(), lock_exception);
  EXPECT_THROW(l.unlock_and_lock_sharable(), lock_exception);
  EXPECT_THROW(l.unlock_and_lock_upgradable(), lock_exception);
  EXPECT_THROW(l.unlock_upgradable_and_lock_sharable(), lock_exception);
  EXPECT_THROW(l.unlock_upgradable_and_lock(), lock_exception);
  EXPECT_THROW(l.try_unlock_upgradable_and_lock(), lock_exception);
  EXPECT_THROW(l.try_unlock_sharable_and_lock(), lock_exception);
  EXPECT_THROW(l.try_unlock_sharable_and_lock_upgradable(), lock_exception);
  l.lock_sharable();
  EXPECT_THROW(l.unlock(), lock_exception);  // sharable, not exclusive
  l.unlock_sharable();
}

TEST(RwLock, TimedPromotionThatTimesOutKeepsUpgradableAndLetsReadersIn) {
  rw_lock l;
  l.lock_sharable();
  l.lock_upgradable();
  EXPECT_FALSE(l.unlock_upgradable_and_lock_until(deadline_after(10ms)));
  // Still upgradable: another upgradable owner cannot enter, a reader can.
  EXPECT_FALSE(l.try_lock_upgradable());
  EXPECT_TRUE(l.try_lock_sharable());
  l.unlock_sharable();
  l.unlock_sharable();
  EXPECT_TRUE(l.try_unlock_upgradable_and_lock());
  l.unlock();
}

TEST(RwLock, TimedExclusiveThatTimesOutWithdrawsTheWriterBit) {
  rw_lock l;
  l.lock_sharable();
  EXPECT_FALSE(l.lock_until(deadline_after(10ms)));
  EXPECT_TRUE(l.try_lock_sharable());
  EXPECT_TRUE(l.try_lock_upgradable());
  l.unlock_upgradable();
  l.unlock_sharable();
  l.unlock_sharable();
}

TEST(RwLock, WaitingWriterHoldsBackNewReaders) {
  rw_lock l;
  l.lock_sharable();
  std::atomic<bool> written{false};
  std::thread writer([&] {
    l.lock();
    written = true;
    l.unlock();
  });
  // Once the writer has announced itself, new readers are refused although
  // only a reader holds the lock.
  while (l.try_lock_sharable()) {
    l.unlock_sharable();
    std::this_thread::yield();
  }
  EXPECT_FALSE(written);
  l.unlock_sharable();
  writer.join();
  EXPECT_TRUE(written);
}

TEST(RwLock, PromotionWaitsForReadersToLeave) {
  rw_lock l;
  l.lock_upgradable();
  l.lock_sharable();
  std::atomic<bool> promoted{false};
  std::thread upgrader([&] {
    l.unlock_upgradable_and_lock();
    promoted = true;
    l.unlock();
  });
  while (l.try_lock_sharable()) {  // until the promotion has started
    l.unlock_sharable();
    std::this_thread::yield();
  }
  EXPECT_FALSE(promoted);
  l.unlock_sharable();
  upgrader.join();
  EXPECT_TRUE(promoted);
}

TEST(RwLock, DemotionsAreImmediate) {
  rw_lock l;
  l.lock();
  l.unlock_and_lock_upgradable();
  EXPECT_TRUE(l.try_lock_sharable());
  l.unlock_sharable();
  l.unlock_upgradable_and_lock_sharable();
  EXPECT_TRUE(l.try_lock_upgradable());
  l.unlock_upgradable();
  l.unlock_sharable();
  l.lock();
  l.unlock_and_lock_sharable();
  EXPECT_TRUE(l.try_unlock_sharable_and_lock());
  l.unlock();
}

TEST(RwLock, SharablePromotionsOnlyTry) {
  rw_lock l;
  l.lock_sharable();
  l.lock_sharable();
  EXPECT_FALSE(l.try_unlock_sharable_and_lock());  // another reader
  EXPECT_TRUE(l.try_unlock_sharable_and_lock_upgradable());
  l.lock_sharable();
  EXPECT_FALSE(l.try_unlock_sharable_and_lock_upgradable());  // upgradable taken
  l.unlock_sharable();
  l.unlock_sharable();
  l.unlock_upgradable();
}

}  // namespace
}  // namespace sync_detail
}  // namespace refipc
