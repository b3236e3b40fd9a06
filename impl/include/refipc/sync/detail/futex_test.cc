#include "refipc/sync/detail/futex.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "gtest/gtest.h"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {
namespace sync_detail {
namespace {

using namespace std::chrono;

TEST(ToTimespecTest, SplitsSecondsAndNanoseconds) {
  const time64 ts = to_timespec(milliseconds(2500));
  EXPECT_EQ(ts.tv_sec, 2);
  EXPECT_EQ(ts.tv_nsec, 500000000L);
}

TEST(ToTimespecTest, NegativeGivesZeroAndHugeIsCapped) {
  const time64 negative = to_timespec(seconds(-5));
  EXPECT_EQ(negative.tv_sec, 0);
  EXPECT_EQ(negative.tv_nsec, 0);
  const time64 huge = to_timespec(hours::max());
  // Beyond 2038: a 32-bit time_t would have wrapped.
  EXPECT_GT(huge.tv_sec, std::int64_t{100} * 366 * 24 * 3600);
  EXPECT_EQ(huge.tv_nsec, 0);
}

TEST(MakeDeadlineTest, PicksTheClockOfTheTimePoint) {
  const auto wall = system_clock::time_point(seconds(1700000000));
  EXPECT_TRUE(make_deadline(wall).realtime);
  EXPECT_EQ(make_deadline(wall).at.tv_sec, 1700000000);
  const auto steady = steady_clock::time_point(seconds(42));
  EXPECT_FALSE(make_deadline(steady).realtime);
  EXPECT_EQ(make_deadline(steady).at.tv_sec, 42);
}

TEST(MakeDeadlineTest, OtherClocksBecomeMonotonic) {
  const deadline d = make_deadline(high_resolution_clock::now() + seconds(100));
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  if (std::is_same_v<high_resolution_clock, system_clock>) {
    EXPECT_TRUE(d.realtime);
  } else {
    EXPECT_FALSE(d.realtime);
    EXPECT_GE(d.at.tv_sec, now.tv_sec + 99);
  }
}

TEST(DeadlineAfterTest, IsMonotonicNowPlusSpan) {
  timespec before;
  clock_gettime(CLOCK_MONOTONIC, &before);
  const deadline d = deadline_after(seconds(10));
  EXPECT_FALSE(d.realtime);
  EXPECT_GE(d.at.tv_sec, before.tv_sec + 10);
  EXPECT_LE(d.at.tv_sec, before.tv_sec + 12);
  EXPECT_LT(d.at.tv_nsec, 1000000000L);
}

// A deadline after 2038 (the end of a 32-bit time_t) must not wrap into
// the past: the waiter sleeps until woken instead of timing out at once.
TEST(FutexWaitTest, DeadlineBeyond2038DoesNotExpire) {
  // The waiter is woken by futex_wake alone, the word unchanged: only the
  // futex can do that (the portable backend's wake is a no-op and its waiters
  // watch the word), so elsewhere this would wait until 2100.
  if (!kFutexBackend) GTEST_SKIP() << "needs the futex backend: wakes without a change";
  futex_word word{0};
  const deadline year_2100{true, {std::int64_t{4102444800}, 0}};
  EXPECT_EQ(make_deadline(system_clock::time_point(seconds(4102444800))).at.tv_sec,
            year_2100.at.tv_sec);
  std::atomic<bool> done{false};
  bool woken = false;
  std::thread waiter([&] {
    woken = futex_wait(word, 0, &year_2100);
    done.store(true);
  });
  while (!done.load()) {
    futex_wake(word, 1);
    std::this_thread::yield();
  }
  waiter.join();
  EXPECT_TRUE(woken);
}

template <class Clock>
void expect_wait_times_out() {
  futex_word word{7};
  const auto start = steady_clock::now();
  const deadline d = make_deadline(Clock::now() + milliseconds(50));
  EXPECT_FALSE(futex_wait(word, 7, &d));
  EXPECT_GE(steady_clock::now() - start, milliseconds(45));
}

TEST(FutexWaitTest, TimesOutOnMonotonicAndRealtimeDeadlines) {
  expect_wait_times_out<steady_clock>();
  expect_wait_times_out<system_clock>();
}

TEST(FutexWaitTest, ReturnsAtOnceWhenTheWordDiffers) {
  futex_word word{1};
  const deadline d = deadline_after(seconds(30));
  EXPECT_TRUE(futex_wait(word, 2, &d));
}

TEST(FutexWaitTest, PastDeadlineTimesOut) {
  futex_word word{0};
  const deadline d = make_deadline(system_clock::time_point(seconds(1)));
  EXPECT_FALSE(futex_wait(word, 0, &d));
}

}  // namespace
}  // namespace sync_detail
}  // namespace refipc
