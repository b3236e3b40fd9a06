#include "refipc/sync/interprocess_recursive_mutex.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#include "gtest/gtest.h"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

bool locked_elsewhere(interprocess_recursive_mutex& m) {
  bool taken = true;
  std::thread([&] {
    taken = m.try_lock();
    if (taken) m.unlock();
  }).join();
  return !taken;
}

TEST(InterprocessRecursiveMutexTest, OwnerRelocksAndReleasesAfterAsManyUnlocks) {
  interprocess_recursive_mutex m;
  m.lock();
  EXPECT_TRUE(m.try_lock());
  EXPECT_TRUE(m.timed_lock(system_clock::now()));
  EXPECT_TRUE(m.try_lock_for(milliseconds(0)));
  m.unlock();
  m.unlock();
  m.unlock();
  EXPECT_TRUE(locked_elsewhere(m));
  m.unlock();
  EXPECT_FALSE(locked_elsewhere(m));
  EXPECT_THROW(m.unlock(), lock_exception);
}

TEST(InterprocessRecursiveMutexTest, UnlockByAnotherThreadThrows) {
  interprocess_recursive_mutex m;
  m.lock();
  std::thread([&] { EXPECT_THROW(m.unlock(), lock_exception); }).join();
  m.unlock();
}

TEST(InterprocessRecursiveMutexTest, TimedLockTimesOutWhileHeldElsewhere) {
  interprocess_recursive_mutex m;
  std::atomic<bool> held{false}, done{false};
  std::thread owner([&] {
    m.lock();
    m.lock();
    held = true;
    while (!done) std::this_thread::yield();
    m.unlock();
    m.unlock();
  });
  while (!held) std::this_thread::yield();
  const auto start = steady_clock::now();
  EXPECT_FALSE(m.try_lock_until(steady_clock::now() + milliseconds(40)));
  EXPECT_GE(steady_clock::now() - start, milliseconds(35));
  done = true;
  owner.join();
  EXPECT_TRUE(m.try_lock());
  m.unlock();
}

TEST(InterprocessRecursiveMutexTest, ThreadsExcludeEachOther) {
  interprocess_recursive_mutex m;
  long counter = 0;
  std::thread a([&] {
    for (int i = 0; i < 20000; ++i) {
      m.lock();
      m.lock();
      ++counter;
      m.unlock();
      m.unlock();
    }
  });
  for (int i = 0; i < 20000; ++i) {
    m.lock();
    ++counter;
    m.unlock();
  }
  a.join();
  EXPECT_EQ(counter, 40000);
}

TEST(InterprocessRecursiveMutexTest, OwnerDeathLeavesTheNewOwnerHoldingItOnce) {
  interprocess_recursive_mutex m;
  std::thread([&] {
    m.lock();
    m.lock();
  }).join();
  EXPECT_THROW(m.lock(), owner_dead_exception);
  m.consistent();
  m.unlock();
  EXPECT_FALSE(locked_elsewhere(m));
}

}  // namespace
}  // namespace refipc
