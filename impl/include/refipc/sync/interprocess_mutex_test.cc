#include "refipc/sync/interprocess_mutex.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <new>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

// A mutex in an anonymous shared mapping, shared with forked children.
class SharedMutex {
 public:
  SharedMutex() {
    memory_ = mmap(nullptr, sizeof(interprocess_mutex), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    EXPECT_NE(memory_, MAP_FAILED);
    mutex_ = new (memory_) interprocess_mutex;
  }
  ~SharedMutex() { munmap(memory_, sizeof(interprocess_mutex)); }
  interprocess_mutex& operator*() const { return *mutex_; }

 private:
  void* memory_;
  interprocess_mutex* mutex_;
};

// Forks a child that locks `m`, reports through a pipe and then runs `then`;
// returns its pid once it holds the mutex.
template <class Then>
pid_t child_holding(interprocess_mutex& m, Then then) {
  int ready[2];
  EXPECT_EQ(pipe(ready), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    m.lock();
    const char byte = 1;
    (void)!write(ready[1], &byte, 1);
    then();
    _exit(0);
  }
  close(ready[1]);
  char byte = 0;
  EXPECT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);
  return pid;
}

int wait_exit_code(pid_t pid) {
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

TEST(InterprocessMutexTest, LockTryLockUnlock) {
  interprocess_mutex m;
  m.lock();
  m.unlock();
  EXPECT_TRUE(m.try_lock());
  m.unlock();
  EXPECT_TRUE(m.try_lock_for(milliseconds(1)));
  m.unlock();
}

TEST(InterprocessMutexTest, RelockByOwnerThrowsAndTryLockFails) {
  interprocess_mutex m;
  m.lock();
  EXPECT_THROW(m.lock(), lock_exception);
  EXPECT_FALSE(m.try_lock());
  EXPECT_FALSE(m.timed_lock(steady_clock::now() + seconds(30)));
  m.unlock();
}

TEST(InterprocessMutexTest, UnlockWithoutOwnershipThrows) {
  interprocess_mutex m;
  EXPECT_THROW(m.unlock(), lock_exception);
  EXPECT_THROW(m.consistent(), lock_exception);
  m.lock();
  std::thread other([&] { EXPECT_THROW(m.unlock(), lock_exception); });
  other.join();
  m.unlock();
}

TEST(InterprocessMutexTest, ThreadsExcludeEachOther) {
  interprocess_mutex m;
  long counter = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        m.lock();
        ++counter;
        m.unlock();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(counter, 80000);
}

TEST(InterprocessMutexTest, TimedFormsTimeOutWhileAnotherThreadHoldsIt) {
  interprocess_mutex m;
  std::atomic<bool> held{false}, done{false};
  std::thread owner([&] {
    m.lock();
    held = true;
    while (!done) std::this_thread::yield();
    m.unlock();
  });
  while (!held) std::this_thread::yield();
  const auto start = steady_clock::now();
  EXPECT_FALSE(m.timed_lock(steady_clock::now() + milliseconds(30)));
  EXPECT_FALSE(m.timed_lock(system_clock::now() + milliseconds(30)));
  EXPECT_FALSE(m.try_lock_until(steady_clock::now() + milliseconds(30)));
  EXPECT_FALSE(m.try_lock_for(milliseconds(30)));
  EXPECT_GE(steady_clock::now() - start, milliseconds(4 * 30 - 5));
  EXPECT_FALSE(m.try_lock());
  done = true;
  owner.join();
  EXPECT_TRUE(m.timed_lock(steady_clock::now() + seconds(30)));
  m.unlock();
}

TEST(InterprocessMutexTest, WaiterWakesWhenOwnerUnlocks) {
  interprocess_mutex m;
  std::atomic<int> stage{0};
  m.lock();
  std::thread waiter([&] {
    stage = 1;
    m.lock();
    stage = 2;
    m.unlock();
  });
  while (stage == 0) std::this_thread::yield();
  m.unlock();
  waiter.join();
  EXPECT_EQ(stage, 2);
}

TEST(InterprocessMutexOwnerDeathTest, ChildExitingWhileHoldingIt) {
  SharedMutex m;
  EXPECT_EQ(wait_exit_code(child_holding(*m, [] { _exit(0); })), 0);
  EXPECT_THROW((*m).lock(), owner_dead_exception);
  // The caller holds it now, still marked until consistent().
  EXPECT_FALSE((*m).try_lock());
  (*m).unlock();
  EXPECT_THROW((*m).lock(), owner_dead_exception);
  (*m).consistent();
  (*m).unlock();
  (*m).lock();
  (*m).unlock();
}

TEST(InterprocessMutexOwnerDeathTest, ChildKilledWhileHoldingIt) {
  SharedMutex m;
  const pid_t child = child_holding(*m, [] {
    for (;;) pause();
  });
  kill(child, SIGKILL);
  EXPECT_EQ(wait_exit_code(child), -SIGKILL);
  EXPECT_THROW((*m).try_lock(), owner_dead_exception);
  (*m).consistent();
  (*m).unlock();
  EXPECT_TRUE((*m).try_lock());
  (*m).unlock();
}

TEST(InterprocessMutexOwnerDeathTest, SleepingWaiterIsWokenWithTheDeath) {
  SharedMutex m;
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  const pid_t owner = child_holding(*m, [&] {
    char byte;
    (void)!read(go[0], &byte, 1);
  });
  const pid_t waiter = fork();
  if (waiter == 0) {
    try {
      (*m).lock();
    } catch (const owner_dead_exception&) {
      _exit(3);
    }
    _exit(1);
  }
  // Whether the waiter is asleep or not yet, the outcome is the same.
  const char byte = 1;
  EXPECT_EQ(write(go[1], &byte, 1), 1);
  EXPECT_EQ(wait_exit_code(owner), 0);
  EXPECT_EQ(wait_exit_code(waiter), 3);
  close(go[0]);
  close(go[1]);
}

TEST(InterprocessMutexOwnerDeathTest, ThreadEndingWhileHoldingIt) {
  interprocess_mutex m;
  std::thread([&] { m.lock(); }).join();
  EXPECT_THROW(m.timed_lock(steady_clock::now() + seconds(30)), owner_dead_exception);
  m.consistent();
  m.unlock();
}

TEST(InterprocessMutexOwnerDeathTest, OtherHeldMutexesSurviveAnUnlockInBetween) {
  // Locks held together are linked in one list; unlocking the middle one
  // must keep the others reported on death.
  SharedMutex a, b, c;
  const pid_t child = fork();
  if (child == 0) {
    (*a).lock();
    (*b).lock();
    (*c).lock();
    (*b).unlock();
    _exit(0);
  }
  EXPECT_EQ(wait_exit_code(child), 0);
  EXPECT_THROW((*a).lock(), owner_dead_exception);
  EXPECT_TRUE((*b).try_lock());
  EXPECT_THROW((*c).lock(), owner_dead_exception);
  // Held mutexes are linked into this thread's list: release them before
  // their memory goes away.
  (*a).unlock();
  (*b).unlock();
  (*c).unlock();
}

}  // namespace
}  // namespace refipc
