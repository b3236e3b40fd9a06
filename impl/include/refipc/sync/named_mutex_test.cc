#include "refipc/sync/named_mutex.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "gtest/gtest.h"
#include "refipc/exceptions.hpp"
#include "refipc/sync/scoped_lock.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

class NamedMutexTest : public ::testing::Test {
 protected:
  void TearDown() override { named_mutex::remove(name_.c_str()); }
  const std::string name_ = "refipc_named_mutex_test_" + std::to_string(getpid()) + "_" +
                            ::testing::UnitTest::GetInstance()->current_test_info()->name();
};

// Forks a child that opens the mutex by name, locks it, reports through a
// pipe and then either _exits (kill = false) or waits to be SIGKILLed.
pid_t child_holding(const std::string& name, bool kill_it) {
  int ready[2];
  EXPECT_EQ(pipe(ready), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    named_mutex m(open_only, name.c_str());
    m.lock();
    const char byte = 1;
    (void)!write(ready[1], &byte, 1);
    if (kill_it) pause();
    _exit(0);
  }
  close(ready[1]);
  char byte = 0;
  EXPECT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);
  if (kill_it) kill(pid, SIGKILL);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return pid;
}

TEST_F(NamedMutexTest, TwoObjectsOfOneNameShareTheMutex) {
  named_mutex a(create_only, name_.c_str());
  named_mutex b(open_only, name_.c_str());
  a.lock();
  EXPECT_FALSE(b.try_lock());  // Same thread: refused rather than deadlocked.
  a.unlock();
  EXPECT_TRUE(b.try_lock_for(milliseconds(1)));
  b.unlock();
}

TEST_F(NamedMutexTest, OwnerExitingWhileHoldingItIsReportedUntilConsistent) {
  named_mutex m(create_only, name_.c_str());
  child_holding(name_, false);
  EXPECT_THROW(m.lock(), owner_dead_exception);
  m.unlock();  // Not repaired: reported again.
  EXPECT_THROW(m.try_lock(), owner_dead_exception);
  m.consistent();
  m.unlock();
  scoped_lock<named_mutex> lock(m);
  EXPECT_TRUE(lock.owns());
}

TEST_F(NamedMutexTest, OwnerKilledWhileHoldingItIsReported) {
  named_mutex m(create_only, name_.c_str());
  child_holding(name_, true);
  EXPECT_THROW(m.timed_lock(system_clock::now() + seconds(30)), owner_dead_exception);
  m.consistent();
  m.unlock();
}

}  // namespace
}  // namespace refipc
