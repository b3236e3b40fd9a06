#include "refipc/sync/sharable_lock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <utility>

#include "refipc/exceptions.hpp"
#include "refipc/sync/interprocess_upgradable_mutex.hpp"
#include "refipc/sync/scoped_lock.hpp"
#include "refipc/sync/upgradable_lock.hpp"

namespace refipc {
namespace {

using namespace std::chrono;
using Mutex = interprocess_upgradable_mutex;

TEST(SharableLock, ConstructorsAndMembersUseTheSharableOperations) {
  Mutex m;
  {
    sharable_lock<Mutex> a(m);
    sharable_lock<Mutex> b(m, try_to_lock);
    sharable_lock<Mutex> c(m, steady_clock::now());
    EXPECT_TRUE(a && b && c);
    EXPECT_FALSE(m.try_lock());
  }
  EXPECT_TRUE(m.try_lock());
  sharable_lock<Mutex> d(m, try_to_lock);
  EXPECT_FALSE(d);
  EXPECT_FALSE(d.try_lock_for(milliseconds(1)));
  m.unlock();
  EXPECT_TRUE(d.try_lock_until(system_clock::now()));
  EXPECT_THROW(d.lock(), lock_exception);
  d.unlock();
  EXPECT_THROW(d.unlock(), lock_exception);
  EXPECT_THROW(sharable_lock<Mutex>().try_lock(), lock_exception);
}

TEST(SharableLock, TransfersFromExclusiveAndUpgradableNeverFail) {
  Mutex m;
  scoped_lock<Mutex> e(m);
  sharable_lock<Mutex> s(std::move(e));
  EXPECT_TRUE(s.owns());
  EXPECT_EQ(e.mutex(), nullptr);
  EXPECT_FALSE(m.try_lock());
  EXPECT_TRUE(m.try_lock_upgradable());  // sharable now, not exclusive
  m.unlock_upgradable();
  s.unlock();
  upgradable_lock<Mutex> u(m);
  sharable_lock<Mutex> s2(std::move(u));
  EXPECT_TRUE(s2.owns());
  EXPECT_FALSE(u.owns());
  EXPECT_TRUE(m.try_lock_upgradable());  // the upgradable ownership is gone
  m.unlock_upgradable();
}

TEST(SharableLock, UnownedSourceHandsOverTheMutexUnlocked) {
  Mutex m;
  scoped_lock<Mutex> e(m, defer_lock);
  sharable_lock<Mutex> s(std::move(e));
  EXPECT_EQ(s.mutex(), &m);
  EXPECT_FALSE(s.owns());
  EXPECT_EQ(e.mutex(), nullptr);
}

}  // namespace
}  // namespace refipc
