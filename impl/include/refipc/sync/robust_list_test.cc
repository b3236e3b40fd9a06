// refipc's mutexes share each thread's robust list with glibc's robust
// mutexes (see sync/detail/robust_lock.hpp): when a thread or process dies
// holding both kinds, every one of them reports the death to its next locker.
#include <gtest/gtest.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <new>
#include <random>
#include <string>
#include <thread>

#include "refipc/exceptions.hpp"
#include "refipc/sync/interprocess_mutex.hpp"

namespace refipc {
namespace {

constexpr int kEach = 4;  // glibc mutexes 0-3, refipc mutexes 4-7 of a held mask

struct Shared {
  pthread_mutex_t glibc[kEach];
  interprocess_mutex mine[kEach];
};

class RobustList : public ::testing::Test {
 public:
  void lock(int i) {
    if (i < kEach) {
      ASSERT_EQ(pthread_mutex_lock(&shared_->glibc[i]), 0);
    } else {
      shared_->mine[i - kEach].lock();
    }
  }
  void unlock(int i) {
    if (i < kEach) {
      ASSERT_EQ(pthread_mutex_unlock(&shared_->glibc[i]), 0);
    } else {
      shared_->mine[i - kEach].unlock();
    }
  }

 protected:
  void SetUp() override {
    void* p =
        mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(p, MAP_FAILED);
    shared_ = ::new (p) Shared;
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    for (auto& m : shared_->glibc) ASSERT_EQ(pthread_mutex_init(&m, &attr), 0);
    pthread_mutexattr_destroy(&attr);
  }
  void TearDown() override {
    for (auto& m : shared_->glibc) pthread_mutex_destroy(&m);
    shared_->~Shared();
    munmap(shared_, sizeof(Shared));
  }

  // Every mutex in `held` reports its owner's death, every other one is
  // free; all are left free and consistent. Never waits.
  void expect_dead_owner_of_exactly(unsigned held, const char* context) {
    for (int i = 0; i < kEach; ++i) {
      pthread_mutex_t& m = shared_->glibc[i];
      const int r = pthread_mutex_trylock(&m);
      if (held & (1u << i)) {
        EXPECT_EQ(r, EOWNERDEAD) << context << ": glibc mutex " << i;
        if (r == EOWNERDEAD) pthread_mutex_consistent(&m);
      } else {
        EXPECT_EQ(r, 0) << context << ": glibc mutex " << i;
      }
      if (r == 0 || r == EOWNERDEAD) pthread_mutex_unlock(&m);
    }
    for (int i = 0; i < kEach; ++i) {
      interprocess_mutex& m = shared_->mine[i];
      bool dead = false, taken = false;
      try {
        taken = m.try_lock();
      } catch (const owner_dead_exception&) {
        dead = taken = true;
        m.consistent();
      }
      EXPECT_TRUE(taken) << context << ": refipc mutex " << i;
      EXPECT_EQ(dead, (held & (1u << (kEach + i))) != 0) << context << ": refipc mutex " << i;
      if (taken) m.unlock();
    }
  }

  Shared* shared_ = nullptr;
};

// A random walk of locks and unlocks over both kinds, so that each kind is
// inserted and removed next to the other in every order; returns the held
// mask. glibc mutexes are taken in index order (a higher one held is
// released first), so that ThreadSanitizer sees no lock-order inversion.
unsigned random_walk(RobustList& t, std::uint32_t seed) {
  std::mt19937 rng(seed);
  unsigned held = 0;
  for (int step = 0; step < 300; ++step) {
    int i = static_cast<int>(rng() % (2 * kEach));
    if (i < kEach && !(held & (1u << i))) {
      for (int j = kEach - 1; j > i; --j) {
        if (held & (1u << j)) {
          i = j;
          break;
        }
      }
    }
    if (held & (1u << i)) {
      t.unlock(i);
      held &= ~(1u << i);
    } else {
      t.lock(i);
      held |= 1u << i;
    }
  }
  return held;
}

TEST_F(RobustList, KilledProcessHoldingBothKindsReportsEveryDeath) {
  std::mt19937 seeds(std::random_device{}());
  for (int round = 0; round < 20; ++round) {
    const std::uint32_t seed = static_cast<std::uint32_t>(seeds());
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    const pid_t child = fork();
    if (child == 0) {
      const unsigned held = random_walk(*this, seed);
      (void)!write(ready[1], &held, sizeof held);
      for (;;) pause();  // until killed
    }
    close(ready[1]);
    unsigned held = 0;
    // End of file instead if the child died before.
    const ssize_t n = read(ready[0], &held, sizeof held);
    close(ready[0]);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_EQ(n, static_cast<ssize_t>(sizeof held)) << "the child failed, seed " << seed;
    const std::string context = "seed " + std::to_string(seed);
    expect_dead_owner_of_exactly(held, context.c_str());
    if (HasFailure()) return;  // a mutex left held would block the next round
  }
}

TEST_F(RobustList, ThreadEndingWhileHoldingBothKindsReportsEveryDeath) {
  std::mt19937 seeds(std::random_device{}());
  for (int round = 0; round < 20; ++round) {
    const std::uint32_t seed = static_cast<std::uint32_t>(seeds());
    unsigned held = 0;
    std::thread([&] { held = random_walk(*this, seed); }).join();
    const std::string context = "seed " + std::to_string(seed);
    expect_dead_owner_of_exactly(held, context.c_str());
    if (HasFailure()) return;  // a mutex left held would block the next round
  }
}

// A robust list head as the kernel knows it, with glibc's slot before it.
struct raw_list {
  robust_list* prev_slot = nullptr;
  robust_list_head head{};
};

robust_list_head* current_list() {
  robust_list_head* head = nullptr;
  std::size_t length = 0;
  syscall(SYS_get_robust_list, 0, &head, &length);
  return head;
}

TEST_F(RobustList, ForeignListOfAnotherLayoutMakesLockingThrow) {
  std::thread([&] {
    robust_list_head* const glibc = current_list();
    raw_list foreign;
    foreign.head.list.next = &foreign.head.list;
    foreign.head.futex_offset = -16;  // not refipc's (nor glibc's) layout
    ASSERT_EQ(syscall(SYS_set_robust_list, &foreign.head, sizeof foreign.head), 0);
    try {
      shared_->mine[0].lock();
      ADD_FAILURE() << "locked with its owner death unreported";
      shared_->mine[0].unlock();
    } catch (const interprocess_exception& e) {
      EXPECT_EQ(e.get_error_code(), lock_error) << e.what();
    }
    syscall(SYS_set_robust_list, glibc, sizeof(robust_list_head));
  }).join();
}

TEST_F(RobustList, ThreadWithoutAListGetsRefipcsOwn) {
  std::thread([&] {
    ASSERT_EQ(syscall(SYS_set_robust_list, nullptr, sizeof(robust_list_head)), 0);
    shared_->mine[1].lock();
    shared_->mine[2].lock();
    shared_->mine[3].lock();
    shared_->mine[2].unlock();
    EXPECT_NE(current_list(), nullptr);
  }).join();
  expect_dead_owner_of_exactly((1u << (kEach + 1)) | (1u << (kEach + 3)), "own list");
}

}  // namespace
}  // namespace refipc
