#include "refipc/sync/interprocess_condition.hpp"

#include <chrono>
#include <thread>

#include "gtest/gtest.h"
#include "refipc/sync/interprocess_mutex.hpp"
#include "refipc/sync/scoped_lock.hpp"

namespace refipc {
namespace {

using namespace std::chrono;
using lock_type = scoped_lock<interprocess_mutex>;

struct Shared {
  interprocess_mutex mutex;
  interprocess_condition changed;
  int value = 0;
};

TEST(InterprocessConditionTest, WaitReturnsAfterNotifyWithTheLockHeld) {
  // The two threads take turns: one makes the value odd, the other even.
  Shared s;
  std::thread odd([&] {
    for (int i = 0; i < 200; ++i) {
      lock_type lock(s.mutex);
      s.changed.wait(lock, [&] { return s.value % 2 == 0; });
      ++s.value;
      s.changed.notify_one();
    }
  });
  for (int i = 0; i < 200; ++i) {
    lock_type lock(s.mutex);
    while (s.value % 2 == 0) s.changed.wait(lock);
    EXPECT_TRUE(lock.owns());
    ++s.value;
    s.changed.notify_one();
  }
  odd.join();
  EXPECT_EQ(s.value, 400);
}

TEST(InterprocessConditionTest, NotifyAllWakesEveryWaiter) {
  Shared s;
  std::thread waiters[3];
  for (auto& t : waiters) {
    t = std::thread([&] {
      lock_type lock(s.mutex);
      ++s.value;
      s.changed.notify_all();
      s.changed.wait(lock, [&] { return s.value < 0; });
    });
  }
  {
    lock_type lock(s.mutex);
    s.changed.wait(lock, [&] { return s.value == 3; });
    s.value = -1;
    s.changed.notify_all();
  }
  for (auto& t : waiters) t.join();
}

TEST(InterprocessConditionTest, TimedFormsTimeOutAndRelock) {
  Shared s;
  lock_type lock(s.mutex);
  const auto start = steady_clock::now();
  EXPECT_FALSE(s.changed.timed_wait(lock, system_clock::now() + milliseconds(20)));
  EXPECT_TRUE(lock.owns());
  EXPECT_EQ(s.changed.wait_until(lock, steady_clock::now() + milliseconds(20)), cv_status::timeout);
  EXPECT_EQ(s.changed.wait_for(lock, milliseconds(20)), cv_status::timeout);
  EXPECT_FALSE(s.changed.timed_wait(lock, steady_clock::now() + milliseconds(20),
                                    [&] { return s.value != 0; }));
  EXPECT_FALSE(s.changed.wait_for(lock, milliseconds(20), [&] { return s.value != 0; }));
  EXPECT_FALSE(
      s.changed.wait_until(lock, system_clock::now() + milliseconds(20), [&] { return false; }));
  EXPECT_GE(steady_clock::now() - start, milliseconds(6 * 20 - 5));
  EXPECT_THROW(s.mutex.lock(), lock_exception);  // still held by this thread
  EXPECT_TRUE(s.changed.wait_for(lock, hours(1), [] { return true; }));
}

TEST(InterprocessConditionTest, TimedWaitReturnsTrueWhenNotified) {
  Shared s;
  std::thread notifier([&] {
    lock_type lock(s.mutex);
    s.value = 1;
    s.changed.notify_all();
  });
  {
    lock_type lock(s.mutex);
    EXPECT_TRUE(s.changed.wait_for(lock, seconds(60), [&] { return s.value == 1; }));
  }
  notifier.join();
}

TEST(InterprocessConditionTest, WaitWithoutHoldingTheLockThrows) {
  Shared s;
  lock_type lock(s.mutex, defer_lock);
  EXPECT_THROW(s.changed.wait(lock), lock_exception);
}

TEST(InterprocessConditionTest, NotifyWithoutWaitersDoesNothing) {
  Shared s;
  s.changed.notify_one();
  s.changed.notify_all();
  lock_type lock(s.mutex);
  EXPECT_EQ(s.changed.wait_for(lock, milliseconds(5)), cv_status::timeout);
}

}  // namespace
}  // namespace refipc
