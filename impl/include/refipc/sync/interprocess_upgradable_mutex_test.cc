#include "refipc/sync/interprocess_upgradable_mutex.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

TEST(InterprocessUpgradableMutex, TimedFormsAcceptBothClocksAndDurations) {
  interprocess_upgradable_mutex m;
  m.lock_upgradable();
  const auto start = steady_clock::now();
  EXPECT_FALSE(m.timed_lock(steady_clock::now() + milliseconds(20)));
  EXPECT_FALSE(m.try_lock_until(system_clock::now() + milliseconds(20)));
  EXPECT_FALSE(m.try_lock_for(milliseconds(20)));
  EXPECT_FALSE(m.timed_lock_upgradable(steady_clock::now() + milliseconds(20)));
  EXPECT_GE(steady_clock::now() - start, milliseconds(80));
  EXPECT_TRUE(m.timed_lock_sharable(system_clock::now() + milliseconds(20)));
  EXPECT_TRUE(m.try_lock_shared_for(milliseconds(20)));
  m.unlock_shared();
  m.unlock_sharable();
  EXPECT_TRUE(m.timed_unlock_upgradable_and_lock(steady_clock::now()));
  m.unlock();
}

TEST(InterprocessUpgradableMutex, ReleasingAModeNobodyHoldsThrows) {
  interprocess_upgradable_mutex m;
  EXPECT_THROW(m.unlock(), lock_exception);
  EXPECT_THROW(m.unlock_shared(), lock_exception);
  EXPECT_THROW(m.unlock_upgradable(), lock_exception);
  EXPECT_THROW(m.unlock_upgradable_and_lock(), lock_exception);
}

TEST(InterprocessUpgradableMutex, StandardSharedNamesAreTheSharableOperations) {
  interprocess_upgradable_mutex m;
  m.lock_shared();
  EXPECT_TRUE(m.try_lock_shared());
  EXPECT_TRUE(m.try_lock_shared_until(steady_clock::now()));
  EXPECT_FALSE(m.try_lock());
  m.unlock_shared();
  m.unlock_shared();
  m.unlock_sharable();
  EXPECT_TRUE(m.try_lock());
  m.unlock();
}

}  // namespace
}  // namespace refipc
