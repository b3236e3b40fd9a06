#include "refipc/sync/named_upgradable_mutex.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "gtest/gtest.h"
#include "refipc/exceptions.hpp"
#include "refipc/sync/named_sharable_mutex.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

class NamedUpgradableMutexTest : public ::testing::Test {
 protected:
  void TearDown() override { named_upgradable_mutex::remove(name_.c_str()); }
  const std::string name_ = "refipc_named_upgradable_mutex_test_" + std::to_string(getpid()) + "_" +
                            ::testing::UnitTest::GetInstance()->current_test_info()->name();
};

TEST_F(NamedUpgradableMutexTest, TwoObjectsOfOneNameShareTheMutex) {
  named_upgradable_mutex a(create_only, name_.c_str());
  named_upgradable_mutex b(open_only, name_.c_str());
  a.lock_upgradable();
  EXPECT_TRUE(b.try_lock_sharable());
  EXPECT_FALSE(b.try_lock_upgradable());
  EXPECT_FALSE(a.try_unlock_upgradable_and_lock());  // b's sharable ownership is in the way.
  b.unlock_sharable();
  EXPECT_TRUE(a.timed_unlock_upgradable_and_lock(steady_clock::now() + seconds(10)));
  EXPECT_FALSE(b.try_lock_shared_for(milliseconds(1)));
  a.unlock_and_lock_sharable();
  EXPECT_TRUE(b.try_lock_shared());
  b.unlock_shared();
  a.unlock_sharable();
}

TEST_F(NamedUpgradableMutexTest, ANameHeldByASharableMutexIsRefused) {
  named_sharable_mutex other(create_only, name_.c_str());
  try {
    named_upgradable_mutex m(open_only, name_.c_str());
    ADD_FAILURE() << "opened a named_sharable_mutex as a named_upgradable_mutex";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), corrupted_error);
  }
}

TEST_F(NamedUpgradableMutexTest, ExclusiveOwnerInAnotherProcessExcludesEveryMode) {
  named_upgradable_mutex m(create_only, name_.c_str());
  int ready[2], done[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(done), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    named_upgradable_mutex child(open_only, name_.c_str());
    child.lock();
    char byte = 1;
    (void)!write(ready[1], &byte, 1);
    (void)!read(done[0], &byte, 1);
    child.unlock();
    _exit(0);
  }
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  EXPECT_FALSE(m.try_lock_sharable());
  EXPECT_FALSE(m.try_lock_upgradable());
  EXPECT_FALSE(m.timed_lock(system_clock::now() + milliseconds(10)));
  ASSERT_EQ(write(done[1], &byte, 1), 1);
  m.lock_upgradable();  // Waits for the child's unlock.
  m.unlock_upgradable();
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  for (int fd : {ready[0], ready[1], done[0], done[1]}) close(fd);
}

}  // namespace
}  // namespace refipc
