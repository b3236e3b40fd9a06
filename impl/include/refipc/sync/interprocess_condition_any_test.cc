#include "refipc/sync/interprocess_condition_any.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "refipc/sync/interprocess_upgradable_mutex.hpp"
#include "refipc/sync/scoped_lock.hpp"
#include "refipc/sync/sharable_lock.hpp"

namespace refipc {
namespace {

using namespace std::chrono;
using Mutex = interprocess_upgradable_mutex;

TEST(InterprocessConditionAny, WaitsWithASharableLock) {
  Mutex m;
  interprocess_condition_any cond;
  bool ready = false;
  std::thread waiter([&] {
    sharable_lock<Mutex> lock(m);
    cond.wait(lock, [&] { return ready; });
    EXPECT_TRUE(lock.owns());
  });
  {
    scoped_lock<Mutex> lock(m);
    ready = true;
  }
  cond.notify_all();
  waiter.join();
}

TEST(InterprocessConditionAny, TimedWaitTimesOutHoldingTheLockAgain) {
  Mutex m;
  interprocess_condition_any cond;
  sharable_lock<Mutex> lock(m);
  const auto start = steady_clock::now();
  EXPECT_EQ(cond.wait_for(lock, milliseconds(20)), cv_status::timeout);
  EXPECT_FALSE(cond.wait_until(lock, system_clock::now() + milliseconds(20), [] { return false; }));
  EXPECT_GE(steady_clock::now() - start, milliseconds(40));
  EXPECT_TRUE(lock.owns());
  EXPECT_FALSE(m.try_lock());
}

}  // namespace
}  // namespace refipc
