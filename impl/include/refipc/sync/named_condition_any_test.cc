#include "refipc/sync/named_condition_any.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "gtest/gtest.h"
#include "refipc/exceptions.hpp"
#include "refipc/sync/named_condition.hpp"
#include "refipc/sync/named_semaphore.hpp"
#include "refipc/sync/named_sharable_mutex.hpp"
#include "refipc/sync/scoped_lock.hpp"
#include "refipc/sync/sharable_lock.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

class NamedConditionAnyTest : public ::testing::Test {
 protected:
  void TearDown() override {
    named_condition_any::remove(name_.c_str());
    named_sharable_mutex::remove((name_ + "_m").c_str());
    named_semaphore::remove((name_ + "_s").c_str());
  }
  const std::string name_ = "refipc_named_condition_any_test_" + std::to_string(getpid()) + "_" +
                            ::testing::UnitTest::GetInstance()->current_test_info()->name();
};

TEST_F(NamedConditionAnyTest, TimedWaitWithSharableLockTimesOutAndRelocks) {
  named_sharable_mutex m(create_only, (name_ + "_m").c_str());
  named_condition_any c(create_only, name_.c_str());
  sharable_lock<named_sharable_mutex> lock(m);
  EXPECT_FALSE(c.timed_wait(lock, steady_clock::now() + milliseconds(20)));
  EXPECT_TRUE(lock.owns());
  EXPECT_EQ(c.wait_for(lock, milliseconds(1)), cv_status::timeout);
  EXPECT_FALSE(m.try_lock());  // Still held sharable.
}

TEST_F(NamedConditionAnyTest, ANameHeldByANamedConditionIsRefused) {
  named_condition other(create_only, name_.c_str());
  try {
    named_condition_any c(open_only, name_.c_str());
    ADD_FAILURE() << "opened a named_condition as a named_condition_any";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), corrupted_error);
  }
}

TEST_F(NamedConditionAnyTest, NotifyWakesASharableWaiterInAnotherProcess) {
  named_sharable_mutex m(create_only, (name_ + "_m").c_str());
  named_condition_any c(create_only, name_.c_str());
  named_semaphore flag(create_only, (name_ + "_s").c_str(), 0);
  sharable_lock<named_sharable_mutex> lock(m);
  const pid_t pid = fork();
  if (pid == 0) {
    named_sharable_mutex cm(open_only, (name_ + "_m").c_str());
    named_condition_any cc(open_only, name_.c_str());
    named_semaphore cflag(open_only, (name_ + "_s").c_str());
    {
      // Exclusive: free only while the parent waits, so the notification
      // cannot come before the wait.
      scoped_lock<named_sharable_mutex> child_lock(cm);
      cflag.post();
      cc.notify_all();
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
