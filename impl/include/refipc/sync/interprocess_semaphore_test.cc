#include "refipc/sync/interprocess_semaphore.hpp"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <new>
#include <thread>

#include "gtest/gtest.h"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

TEST(InterprocessSemaphoreTest, CountsPostsAndWaits) {
  interprocess_semaphore s(2);
  EXPECT_TRUE(s.try_wait());
  s.wait();
  EXPECT_FALSE(s.try_wait());
  s.post();
  s.post();
  EXPECT_TRUE(s.try_wait());
  EXPECT_TRUE(s.timed_wait(steady_clock::now()));
  EXPECT_FALSE(s.try_wait());
}

TEST(InterprocessSemaphoreTest, TimedWaitTimesOutOnBothClocks) {
  interprocess_semaphore s(0);
  const auto start = steady_clock::now();
  EXPECT_FALSE(s.timed_wait(steady_clock::now() + milliseconds(30)));
  EXPECT_FALSE(s.timed_wait(system_clock::now() + milliseconds(30)));
  EXPECT_GE(steady_clock::now() - start, milliseconds(55));
  EXPECT_FALSE(s.timed_wait(system_clock::time_point()));
}

TEST(InterprocessSemaphoreTest, CountIsBoundedByMaxCount) {
  EXPECT_THROW(interprocess_semaphore(interprocess_semaphore::max_count + 1u),
               interprocess_exception);
  interprocess_semaphore s(interprocess_semaphore::max_count);
  try {
    s.post();
    FAIL() << "post above max_count did not throw";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), sem_error);
  }
  EXPECT_TRUE(s.try_wait());
  s.post();
}

TEST(InterprocessSemaphoreTest, PingPongBetweenThreads) {
  interprocess_semaphore ping(0), pong(0);
  int value = 0;
  std::thread peer([&] {
    for (int i = 0; i < 2000; ++i) {
      ping.wait();
      ++value;
      pong.post();
    }
  });
  for (int i = 0; i < 2000; ++i) {
    ping.post();
    pong.wait();
  }
  peer.join();
  EXPECT_EQ(value, 2000);
}

TEST(InterprocessSemaphoreTest, PostsReachWaitersInAnotherProcess) {
  void* memory = mmap(nullptr, 2 * sizeof(interprocess_semaphore), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(memory, MAP_FAILED);
  auto* sems = static_cast<interprocess_semaphore*>(memory);
  new (&sems[0]) interprocess_semaphore(0);
  new (&sems[1]) interprocess_semaphore(0);
  const pid_t child = fork();
  if (child == 0) {
    for (int i = 0; i < 500; ++i) {
      sems[0].wait();
      sems[1].post();
    }
    _exit(sems[0].try_wait() ? 1 : 0);
  }
  for (int i = 0; i < 500; ++i) {
    sems[0].post();
    sems[1].wait();
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  munmap(memory, 2 * sizeof(interprocess_semaphore));
}

}  // namespace
}  // namespace refipc
