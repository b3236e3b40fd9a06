#include "refipc/sync/file_lock.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

class FileLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("TEST_TMPDIR");
    path_ = std::string(dir != nullptr ? dir : ".") + "/file_lock_test_" +
            std::to_string(std::random_device{}());
    ASSERT_TRUE(std::ofstream(path_).good());
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_;
};

TEST_F(FileLockTest, TwoObjectsInOneProcessExcludeEachOther) {
  file_lock a(path_.c_str());
  file_lock b(path_.c_str());
  a.lock();
  EXPECT_FALSE(b.try_lock());
  EXPECT_FALSE(b.try_lock_sharable());
  a.unlock();
  a.lock_sharable();
  EXPECT_TRUE(b.try_lock_sharable());
  EXPECT_FALSE(a.try_lock());  // Converting would conflict with b's sharable lock.
  b.unlock_sharable();
  EXPECT_TRUE(a.try_lock());  // Converts a's sharable lock.
  a.unlock();
}

TEST_F(FileLockTest, ClosingAnotherDescriptorKeepsTheLock) {
  file_lock a(path_.c_str());
  a.lock();
  std::ifstream(path_).close();
  { file_lock other(path_.c_str()); }
  file_lock b(path_.c_str());
  EXPECT_FALSE(b.try_lock());
}

TEST_F(FileLockTest, TimedFormsWaitAtLeastUntilTheDeadline) {
  file_lock a(path_.c_str());
  file_lock b(path_.c_str());
  a.lock();
  const auto start = steady_clock::now();
  EXPECT_FALSE(b.try_lock_for(milliseconds(30)));
  EXPECT_FALSE(b.timed_lock_sharable(system_clock::now() + milliseconds(30)));
  const auto waited = steady_clock::now() - start;
  EXPECT_GE(waited, milliseconds(60));
  EXPECT_LT(waited, seconds(20));
  a.unlock();
  EXPECT_TRUE(b.timed_lock(steady_clock::now()));
}

TEST_F(FileLockTest, MoveAndSwapTransferTheFile) {
  file_lock a(path_.c_str());
  file_lock moved(std::move(a));
  EXPECT_THROW(a.lock(), interprocess_exception);  // NOLINT(bugprone-use-after-move)
  moved.lock();
  file_lock empty;
  empty.swap(moved);
  EXPECT_THROW(moved.try_lock(), interprocess_exception);
  file_lock other(path_.c_str());
  EXPECT_FALSE(other.try_lock());
  empty = file_lock();  // Closing the descriptor releases the lock.
  EXPECT_TRUE(other.try_lock());
}

TEST_F(FileLockTest, MissingFileThrowsNotFound) {
  try {
    file_lock l((path_ + "_missing").c_str());
    FAIL() << "opened a missing file";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), not_found_error);
  }
  EXPECT_THROW(file_lock(nullptr), interprocess_exception);
}

}  // namespace
}  // namespace refipc
