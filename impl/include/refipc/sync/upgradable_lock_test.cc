#include "refipc/sync/upgradable_lock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <utility>

#include "refipc/exceptions.hpp"
#include "refipc/sync/interprocess_upgradable_mutex.hpp"
#include "refipc/sync/scoped_lock.hpp"
#include "refipc/sync/sharable_lock.hpp"

namespace refipc {
namespace {

using namespace std::chrono;
using Mutex = interprocess_upgradable_mutex;

TEST(UpgradableLock, OnlyOneUpgradableOwner) {
  Mutex m;
  upgradable_lock<Mutex> a(m);
  upgradable_lock<Mutex> b(m, try_to_lock);
  upgradable_lock<Mutex> c(m, steady_clock::now() + milliseconds(5));
  EXPECT_TRUE(a.owns());
  EXPECT_FALSE(b.owns());
  EXPECT_FALSE(c.owns());
  EXPECT_FALSE(c.timed_lock(system_clock::now()));
  EXPECT_THROW(a.try_lock(), lock_exception);
  a.unlock();
  EXPECT_TRUE(b.try_lock());
}

TEST(UpgradableLock, PromotionToScopedLockWhenTheReadersLeave) {
  Mutex m;
  upgradable_lock<Mutex> u(m);
  sharable_lock<Mutex> reader(m);
  scoped_lock<Mutex> failed(std::move(u), try_to_lock);
  EXPECT_FALSE(failed.owns());
  EXPECT_EQ(failed.mutex(), nullptr);
  EXPECT_TRUE(u.owns());
  scoped_lock<Mutex> timed_out(std::move(u), steady_clock::now() + milliseconds(5));
  EXPECT_FALSE(timed_out.owns());
  EXPECT_TRUE(u.owns());
  reader.unlock();
  scoped_lock<Mutex> e(std::move(u));
  EXPECT_TRUE(e.owns());
  EXPECT_EQ(u.mutex(), nullptr);
  EXPECT_FALSE(m.try_lock_sharable());
}

TEST(UpgradableLock, TransfersFromSharableAndScopedLocks) {
  Mutex m;
  sharable_lock<Mutex> s(m);
  upgradable_lock<Mutex> u(std::move(s), try_to_lock);
  EXPECT_TRUE(u.owns());
  EXPECT_EQ(s.mutex(), nullptr);
  sharable_lock<Mutex> s2(m);
  upgradable_lock<Mutex> refused(std::move(s2), try_to_lock);
  EXPECT_FALSE(refused.owns());
  EXPECT_EQ(refused.mutex(), nullptr);
  EXPECT_TRUE(s2.owns());
  s2.unlock();
  u.unlock();
  scoped_lock<Mutex> e(m);
  upgradable_lock<Mutex> u2(std::move(e));
  EXPECT_TRUE(u2.owns());
  EXPECT_TRUE(m.try_lock_sharable());
  m.unlock_sharable();
}

}  // namespace
}  // namespace refipc
