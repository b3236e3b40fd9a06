// Kill-injection of woken waiters: two processes sleep on a primitive, one
// release wakes the first, and the first dies without taking what it was
// woken for. The other must then get it: a woken waiter's death must not
// consume the wake-up (docs/design.md, "Waiters that die"). Every wait is
// bounded; nothing sleeps to synchronise.
//
// To make that happen every round, the first waiter is SIGKILLed just
// before the release: a killed task stays queued on the futex until it runs,
// so the release's wake-up goes to a task that will never return to user
// space, as when the kill comes just after the wake-up. Meanwhile it is kept
// from running (and leaving the queue) by moving it to the parent's CPU in
// the SCHED_IDLE class. A round where it ran anyway is harmless: the
// release then wakes the second waiter. With the portable wait backend
// nobody is woken (waiters poll), and the test checks that a killed waiter
// still strands nobody.
#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>

#include "refipc/sync/detail/wait_backend.hpp"
#include "refipc/sync/interprocess_mutex.hpp"
#include "refipc/sync/interprocess_semaphore.hpp"
#include "refipc/sync/testing/handoff.hpp"

namespace refipc {
namespace {

using namespace std::chrono;
using testing::shared_object;
using testing::stress_clock;

constexpr auto kPatience = seconds(5);
constexpr int kShortRounds = 20;

pid_t spawn(const std::function<void()>& body) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(0);
  }
  return pid;
}

// Whether `pid` sleeps in a wait of the wait backend (its wait channel: a
// futex, or the portable backend's pause), looking until `patience` has
// passed.
bool asleep_on_futex(pid_t pid, stress_clock::duration patience) {
  const char* const channel = sync_detail::kFutexBackend ? "futex" : "nanosleep";
  const std::string wchan = "/proc/" + std::to_string(pid) + "/wchan";
  return testing::await(
      [&] {
        std::ifstream in(wchan);
        std::string where;
        in >> where;
        return where.find(channel) != std::string::npos;
      },
      stress_clock::now() + patience);
}

// Reaps `pid` if it exits within `patience` (poll on a pidfd: no busy wait).
bool exits_within(pid_t pid, milliseconds patience) {
  const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return false;
  pollfd p{fd, POLLIN, 0};
  const bool exited = poll(&p, 1, static_cast<int>(patience.count())) == 1;
  close(fd);
  if (exited) waitpid(pid, nullptr, 0);
  return exited;
}

// Keeps the parent and `sleeper` on the parent's CPU, with `sleeper` in the
// SCHED_IDLE class, until destroyed (the parent's affinity is restored).
class starved_on_this_cpu {
 public:
  explicit starved_on_this_cpu(pid_t sleeper) {
    sched_getaffinity(0, sizeof saved_, &saved_);
    cpu_set_t here;
    CPU_ZERO(&here);
    CPU_SET(sched_getcpu(), &here);
    sched_param idle{};
    ok_ = sched_setaffinity(0, sizeof here, &here) == 0 &&
          sched_setaffinity(sleeper, sizeof here, &here) == 0 &&
          sched_setscheduler(sleeper, SCHED_IDLE, &idle) == 0;
  }
  starved_on_this_cpu(const starved_on_this_cpu&) = delete;
  starved_on_this_cpu& operator=(const starved_on_this_cpu&) = delete;
  ~starved_on_this_cpu() { sched_setaffinity(0, sizeof saved_, &saved_); }
  bool ok() const { return ok_; }

 private:
  cpu_set_t saved_;
  bool ok_ = false;
};

void kill_and_reap(pid_t pid) {
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

int rounds() {
  const testing::stress_budget b = testing::budget();
  return b.long_form ? static_cast<int>(duration_cast<seconds>(b.time).count()) * 10 : kShortRounds;
}

// Per round: the second waiter got the unit, or it was stranded beside the
// sleeping second one.
struct outcome {
  int second_got = 0;
  int stranded = 0;
};

TEST(WaiterDeath, AKilledWokenSemaphoreWaiterDoesNotStrandTheNext) {
  outcome o;
  for (int round = 0; round < rounds(); ++round) {
    shared_object<interprocess_semaphore> s(0);
    const pid_t first = spawn([&] { s->wait(); });
    ASSERT_TRUE(asleep_on_futex(first, seconds(10)));
    const pid_t second = spawn([&] { s->wait(); });
    ASSERT_TRUE(asleep_on_futex(second, seconds(10)));
    {
      const starved_on_this_cpu starved(first);
      ASSERT_TRUE(starved.ok());
      kill(first, SIGKILL);
      s->post();
    }
    waitpid(first, nullptr, 0);
    if (exits_within(second, kPatience)) {
      ++o.second_got;
      continue;
    }
    // The first waiter died before its wait returned: the unit is there.
    EXPECT_TRUE(s->try_wait());
    ++o.stranded;
    s->post();
    if (!exits_within(second, kPatience)) {
      kill_and_reap(second);
      ADD_FAILURE() << "the second waiter slept through a second post";
    }
  }
  std::printf("[waiter death] semaphore: %d rounds, second waiter got the unit %d, stranded %d\n",
              rounds(), o.second_got, o.stranded);
  EXPECT_EQ(o.stranded, 0) << "a killed woken waiter stranded the next one";
}

// interprocess_mutex: the kernel wakes another waiter when a thread dies
// with a lock operation pending on a free futex (robust_lock keeps
// list_op_pending set while it sleeps), and releases a lock the dead thread
// took.
TEST(WaiterDeath, AKilledWokenMutexWaiterDoesNotStrandTheNext) {
  int second_got = 0;
  for (int round = 0; round < rounds(); ++round) {
    shared_object<interprocess_mutex> m;
    m->lock();
    const auto take_and_leave = [&] {
      try {
        m->lock();
      } catch (const owner_dead_exception&) {
        m->consistent();
      }
      m->unlock();
    };
    const pid_t first = spawn(take_and_leave);
    ASSERT_TRUE(asleep_on_futex(first, seconds(10)));
    const pid_t second = spawn(take_and_leave);
    ASSERT_TRUE(asleep_on_futex(second, seconds(10)));
    {
      const starved_on_this_cpu starved(first);
      ASSERT_TRUE(starved.ok());
      kill(first, SIGKILL);
      m->unlock();
    }
    waitpid(first, nullptr, 0);
    if (exits_within(second, kPatience)) {
      ++second_got;
    } else {
      kill_and_reap(second);
      ADD_FAILURE() << "round " << round << ": the second waiter slept beside a free mutex";
    }
  }
  std::printf("[waiter death] mutex: %d rounds, second waiter got the mutex %d\n", rounds(),
              second_got);
}

}  // namespace
}  // namespace refipc
