#include "refipc/sync/detail/recovering_lock.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace refipc {
namespace sync_detail {
namespace {

// A mutex whose previous holder died: like refipc's, it keeps reporting the
// death (with the mutex taken) until consistent().
struct orphaned_mutex {
  bool held = false;
  bool dead_owner = true;
  bool busy = false;  // another holder: try_lock fails
  int deaths_reported = 0;

  void lock() {
    held = true;
    if (dead_owner) {
      ++deaths_reported;
      throw owner_dead_exception();
    }
  }
  bool try_lock() {
    if (busy) return false;
    lock();
    return true;
  }
  void unlock() { held = false; }
  void consistent() { dead_owner = false; }
};

TEST(RecoveringLock, RepairedStructureKeepsTheLockAndForgetsTheDeath) {
  orphaned_mutex m;
  int repairs = 0;
  lock_recovering(
      m, [&] { return ++repairs > 0; }, "x");
  EXPECT_TRUE(m.held);
  EXPECT_FALSE(m.dead_owner);
  m.unlock();
  lock_recovering(
      m, [&] { return ++repairs > 0; }, "x");
  EXPECT_EQ(repairs, 1);  // the second locker is not told
}

TEST(RecoveringLock, UnrepairedStructureReleasesTheLockAndThrowsCorrupted) {
  orphaned_mutex m;
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      lock_recovering(
          m, [] { return false; }, "damaged");
      FAIL() << "no exception";
    } catch (const interprocess_exception& e) {
      EXPECT_EQ(e.get_error_code(), corrupted_error);
      EXPECT_STREQ(e.what(), "damaged");
    }
    EXPECT_FALSE(m.held);  // never left held: later lockers cannot hang
    EXPECT_TRUE(m.dead_owner);
  }
  EXPECT_EQ(m.deaths_reported, 2);  // every later locker learns of it
}

TEST(RecoveringLock, ARepairThatThrowsCountsAsUnrepaired) {
  orphaned_mutex m;
  EXPECT_THROW(lock_recovering(
                   m, []() -> bool { throw std::runtime_error("x"); }, "x"),
               interprocess_exception);
  EXPECT_FALSE(m.held);
}

TEST(RecoveringLock, TryFormRecoversOrReportsBusy) {
  orphaned_mutex m;
  m.busy = true;
  EXPECT_FALSE(try_lock_recovering(
      m, [] { return true; }, "x"));
  m.busy = false;
  EXPECT_THROW(try_lock_recovering(
                   m, [] { return false; }, "x"),
               interprocess_exception);
  EXPECT_FALSE(m.held);
  EXPECT_TRUE(try_lock_recovering(
      m, [] { return true; }, "x"));
  EXPECT_TRUE(m.held);
  EXPECT_FALSE(m.dead_owner);
}

TEST(RecoveringLock, PlainLockingIsUnchanged) {
  orphaned_mutex m;
  m.dead_owner = false;
  lock_recovering(
      m, []() -> bool { throw std::logic_error("repair must not run"); }, "x");
  EXPECT_TRUE(m.held);
}

}  // namespace
}  // namespace sync_detail
}  // namespace refipc
