#include "refipc/sync/named_recursive_mutex.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "gtest/gtest.h"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

class NamedRecursiveMutexTest : public ::testing::Test {
 protected:
  void TearDown() override { named_recursive_mutex::remove(name_.c_str()); }
  const std::string name_ = "refipc_named_recursive_mutex_test_" + std::to_string(getpid()) + "_" +
                            ::testing::UnitTest::GetInstance()->current_test_info()->name();
};

TEST_F(NamedRecursiveMutexTest, RelocksAndReleasesAfterAsManyUnlocks) {
  named_recursive_mutex m(create_only, name_.c_str());
  m.lock();
  EXPECT_TRUE(m.try_lock());
  const pid_t pid = fork();
  if (pid == 0) {
    named_recursive_mutex other(open_only, name_.c_str());
    _exit(other.try_lock() ? 1 : 0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the child took a held mutex";
  m.unlock();
  m.unlock();
  EXPECT_THROW(m.unlock(), lock_exception);
}

TEST_F(NamedRecursiveMutexTest, OwnerDeathIsReported) {
  named_recursive_mutex m(create_only, name_.c_str());
  const pid_t pid = fork();
  if (pid == 0) {
    named_recursive_mutex other(open_only, name_.c_str());
    other.lock();
    other.lock();
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_THROW(m.try_lock_for(seconds(30)), owner_dead_exception);
  m.consistent();
  m.unlock();
  EXPECT_TRUE(m.try_lock());
  m.unlock();
}

}  // namespace
}  // namespace refipc
