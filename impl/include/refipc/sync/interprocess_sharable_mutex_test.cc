#include "refipc/sync/interprocess_sharable_mutex.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

TEST(InterprocessSharableMutex, ReadersShareWritersExclude) {
  interprocess_sharable_mutex m;
  m.lock_sharable();
  EXPECT_TRUE(m.try_lock_sharable());
  EXPECT_FALSE(m.try_lock());
  EXPECT_FALSE(m.try_lock_for(milliseconds(5)));
  m.unlock_sharable();
  m.unlock_sharable();
  m.lock();
  EXPECT_FALSE(m.try_lock_sharable());
  EXPECT_FALSE(m.try_lock_shared_until(system_clock::now() + milliseconds(5)));
  EXPECT_FALSE(m.timed_lock_sharable(steady_clock::now() + milliseconds(5)));
  m.unlock();
  EXPECT_TRUE(m.try_lock_until(steady_clock::now()));
  m.unlock();
}

TEST(InterprocessSharableMutex, ReleasingAModeNobodyHoldsThrows) {
  interprocess_sharable_mutex m;
  EXPECT_THROW(m.unlock(), lock_exception);
  EXPECT_THROW(m.unlock_sharable(), lock_exception);
  m.lock();
  EXPECT_THROW(m.unlock_sharable(), lock_exception);
  m.unlock();
}

}  // namespace
}  // namespace refipc
