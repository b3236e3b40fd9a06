#include "refipc/sync/named_condition.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "gtest/gtest.h"
#include "refipc/sync/named_mutex.hpp"
#include "refipc/sync/named_semaphore.hpp"
#include "refipc/sync/scoped_lock.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

class NamedConditionTest : public ::testing::Test {
 protected:
  void TearDown() override {
    named_condition::remove(name_.c_str());
    named_mutex::remove((name_ + "_m").c_str());
    named_semaphore::remove((name_ + "_s").c_str());
  }
  const std::string name_ = "refipc_named_condition_test_" + std::to_string(getpid()) + "_" +
                            ::testing::UnitTest::GetInstance()->current_test_info()->name();
};

TEST_F(NamedConditionTest, TimedWaitWithScopedLockTimesOutAndRelocks) {
  named_mutex m(create_only, (name_ + "_m").c_str());
  named_condition c(create_only, name_.c_str());
  scoped_lock<named_mutex> lock(m);
  EXPECT_FALSE(c.timed_wait(lock, steady_clock::now() + milliseconds(20)));
  EXPECT_TRUE(lock.owns());
  EXPECT_EQ(c.wait_for(lock, milliseconds(1)), cv_status::timeout);
}

TEST_F(NamedConditionTest, NotifyWakesAWaiterInAnotherProcess) {
  named_mutex m(create_only, (name_ + "_m").c_str());
  named_condition c(create_only, name_.c_str());
  named_semaphore flag(create_only, (name_ + "_s").c_str(), 0);
  scoped_lock<named_mutex> lock(m);
  const pid_t pid = fork();
  if (pid == 0) {
    named_mutex cm(open_only, (name_ + "_m").c_str());
    named_condition cc(open_only, name_.c_str());
    named_semaphore cflag(open_only, (name_ + "_s").c_str());
    {
      scoped_lock<named_mutex> child_lock(cm);  // Free once the parent waits.
      cflag.post();
      cc.notify_one();
    }
    _exit(0);
  }
  c.wait(lock, [&] { return flag.try_wait(); });
  EXPECT_TRUE(lock.owns());
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace refipc
