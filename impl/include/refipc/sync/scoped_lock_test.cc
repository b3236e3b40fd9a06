#include "refipc/sync/scoped_lock.hpp"

#include <chrono>
#include <shared_mutex>
#include <thread>
#include <type_traits>
#include <utility>

#include "gtest/gtest.h"
#include "refipc/exceptions.hpp"
#include "refipc/sync/interprocess_mutex.hpp"
#include "refipc/sync/interprocess_recursive_mutex.hpp"
#include "refipc/sync/mutex_family.hpp"
#include "refipc/sync/null_mutex.hpp"

namespace refipc {
namespace {

using namespace std::chrono;
using lock_type = scoped_lock<interprocess_mutex>;

bool free_elsewhere(interprocess_mutex& m) {
  bool taken = false;
  std::thread([&] {
    taken = m.try_lock();
    if (taken) m.unlock();
  }).join();
  return taken;
}

TEST(ScopedLockTest, ConstructorsSetOwnershipAsRequested) {
  interprocess_mutex m;
  {
    const lock_type none;
    EXPECT_FALSE(none.owns());
    EXPECT_EQ(none.mutex(), nullptr);
  }
  {
    const lock_type locked(m);
    EXPECT_TRUE(locked.owns());
    EXPECT_EQ(locked.mutex(), &m);
    EXPECT_FALSE(free_elsewhere(m));
  }
  EXPECT_TRUE(free_elsewhere(m));
  {
    const lock_type deferred(m, defer_lock);
    EXPECT_FALSE(deferred.owns());
    EXPECT_EQ(deferred.mutex(), &m);
    EXPECT_TRUE(free_elsewhere(m));
  }
  m.lock();
  { const lock_type adopted(m, accept_ownership); }
  EXPECT_TRUE(free_elsewhere(m));
  {
    const lock_type tried(m, try_to_lock);
    EXPECT_TRUE(tried.owns());
    const lock_type timed(m, steady_clock::now() + milliseconds(10));
    EXPECT_FALSE(timed.owns());
    EXPECT_FALSE(static_cast<bool>(timed));
    EXPECT_EQ(timed.mutex(), &m);
  }
  EXPECT_TRUE(free_elsewhere(m));
}

TEST(ScopedLockTest, MemberFunctionsAndLockExceptions) {
  interprocess_mutex m;
  lock_type none;
  EXPECT_THROW(none.lock(), lock_exception);
  EXPECT_THROW(none.try_lock(), lock_exception);
  EXPECT_THROW(none.timed_lock(system_clock::now()), lock_exception);
  EXPECT_THROW(none.unlock(), lock_exception);

  lock_type lock(m, defer_lock);
  EXPECT_THROW(lock.unlock(), lock_exception);
  EXPECT_TRUE(lock.try_lock());
  EXPECT_THROW(lock.lock(), lock_exception);
  EXPECT_THROW(lock.try_lock_for(milliseconds(1)), lock_exception);
  lock.unlock();
  EXPECT_TRUE(lock.timed_lock(system_clock::now() + seconds(10)));
  lock.unlock();
  EXPECT_TRUE(lock.try_lock_until(steady_clock::now() + seconds(10)));
  lock.unlock();
  EXPECT_TRUE(lock.try_lock_for(seconds(10)));
  lock.unlock();
  lock.lock();
  EXPECT_TRUE(lock);
}

TEST(ScopedLockTest, MoveReleaseAndSwap) {
  interprocess_mutex a, b;
  lock_type first(a);
  lock_type moved(std::move(first));
  EXPECT_FALSE(first.owns());
  EXPECT_EQ(first.mutex(), nullptr);
  EXPECT_TRUE(moved.owns());
  EXPECT_EQ(moved.mutex(), &a);

  lock_type other(b);
  moved = std::move(other);  // unlocks a
  EXPECT_TRUE(free_elsewhere(a));
  EXPECT_EQ(moved.mutex(), &b);
  EXPECT_EQ(other.mutex(), nullptr);

  lock_type deferred(a, defer_lock);
  swap(moved, deferred);
  EXPECT_EQ(moved.mutex(), &a);
  EXPECT_FALSE(moved.owns());
  EXPECT_EQ(deferred.mutex(), &b);
  EXPECT_TRUE(deferred.owns());

  EXPECT_EQ(deferred.release(), &b);
  EXPECT_FALSE(deferred.owns());
  EXPECT_EQ(deferred.mutex(), nullptr);
  EXPECT_FALSE(free_elsewhere(b));  // release() did not unlock
  b.unlock();

  static_assert(!std::is_copy_constructible_v<lock_type>);
  static_assert(!std::is_copy_assignable_v<lock_type>);
  static_assert(!std::is_convertible_v<lock_type, int>);
}

TEST(ScopedLockTest, AdoptsTheMutexWhenLockReportsOwnerDeath) {
  interprocess_mutex m;
  std::thread([&] { m.lock(); }).join();
  {
    lock_type lock(m, defer_lock);
    EXPECT_THROW(lock.lock(), owner_dead_exception);
    EXPECT_TRUE(lock.owns());
  }  // unlocked here, still marked
  try {
    lock_type lock(m);
    FAIL() << "no owner_dead_exception";
  } catch (const owner_dead_exception&) {
    lock_type adopted(m, accept_ownership);
    m.consistent();
  }
  const lock_type clean(m);
  EXPECT_TRUE(clean.owns());
}

TEST(ScopedLockTest, WorksWithRecursiveAndNullMutexes) {
  interprocess_recursive_mutex r;
  {
    scoped_lock<interprocess_recursive_mutex> outer(r);
    scoped_lock<interprocess_recursive_mutex> inner(r, try_to_lock);
    EXPECT_TRUE(inner.owns());
  }
  null_mutex n;
  scoped_lock<null_mutex> lock(n, system_clock::now());
  EXPECT_TRUE(lock.owns());
}

TEST(NullMutexTest, EveryOperationSucceeds) {
  null_mutex m;
  m.lock();
  m.unlock();
  EXPECT_TRUE(m.try_lock());
  EXPECT_TRUE(m.timed_lock(system_clock::time_point()));
  EXPECT_TRUE(m.try_lock_for(seconds(0)));
  m.lock_sharable();
  EXPECT_TRUE(m.try_lock_sharable());
  m.lock_shared();
  EXPECT_TRUE(m.try_lock_shared());
  m.unlock_shared();
  {
    std::shared_lock<null_mutex> shared(m);
    EXPECT_TRUE(shared.owns_lock());
  }
  EXPECT_TRUE(m.timed_lock_sharable(steady_clock::now()));
  m.unlock_sharable();
  m.lock_upgradable();
  EXPECT_TRUE(m.try_lock_upgradable());
  EXPECT_TRUE(m.timed_lock_upgradable(steady_clock::now()));
  m.unlock_upgradable();
  m.unlock_and_lock_upgradable();
  m.unlock_and_lock_sharable();
  m.unlock_upgradable_and_lock_sharable();
  m.unlock_upgradable_and_lock();
  EXPECT_TRUE(m.try_unlock_upgradable_and_lock());
  EXPECT_TRUE(m.timed_unlock_upgradable_and_lock(steady_clock::now()));
  EXPECT_TRUE(m.try_unlock_sharable_and_lock());
  EXPECT_TRUE(m.try_unlock_sharable_and_lock_upgradable());
}

TEST(MutexFamilyTest, NamesTheMutexTypes) {
  static_assert(std::is_same_v<mutex_family::mutex_type, interprocess_mutex>);
  static_assert(std::is_same_v<mutex_family::recursive_mutex_type, interprocess_recursive_mutex>);
  static_assert(std::is_same_v<null_mutex_family::mutex_type, null_mutex>);
  static_assert(std::is_same_v<null_mutex_family::recursive_mutex_type, null_mutex>);
  mutex_family::recursive_mutex_type m;
  m.lock();
  EXPECT_TRUE(m.try_lock());
  m.unlock();
  m.unlock();
}

}  // namespace
}  // namespace refipc
