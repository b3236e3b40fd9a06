// Hand-off stress test of barrier: participants pass round after round, and
// a watchdog reports a participant still asleep in a round that another one
// has left (the round completed, so its wake-up was lost). barrier::wait has
// no deadline, so the watchdog, not the waiter, bounds the wait. Short form
// by default, REFIPC_STRESS_SECONDS for the long form (docs/design.md).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "refipc/sync/interprocess_barrier.hpp"
#include "refipc/sync/testing/handoff.hpp"

namespace refipc {
namespace {

using namespace std::chrono;
using testing::stress_clock;

constexpr int kMaxParticipants = 4;
constexpr auto kPatience = seconds(2);
constexpr auto kPeerPatience = seconds(30);

struct rounds_state {
  explicit rounds_state(unsigned n) : b(n) {}
  barrier b;
  std::atomic<std::uint64_t> returned[kMaxParticipants] = {};
  std::atomic<std::uint64_t> last{0};  // set by participant 0 before its last round
};

void participate(rounds_state& s, int index, const testing::stress_budget& budget) {
  const auto end = stress_clock::now() + budget.time;
  for (std::uint64_t r = 1;; ++r) {
    if (index == 0 && (r >= budget.max_rounds || stress_clock::now() >= end)) s.last.store(r);
    s.b.wait();
    s.returned[index].store(r);
    if (s.last.load() == r) return;  // written before the round: visible after it
  }
}

enum class verdict { finished, lost, stuck };

// Watches the participants until they finish or one stops making progress.
verdict watch(rounds_state& s, int n) {
  std::uint64_t slowest = 0;
  auto since = stress_clock::now();
  for (;;) {
    std::uint64_t low = UINT64_MAX, high = 0;
    for (int i = 0; i < n; ++i) {
      low = std::min(low, s.returned[i].load());
      high = std::max(high, s.returned[i].load());
    }
    if (s.last.load() != 0 && low == s.last.load()) return verdict::finished;
    const auto now = stress_clock::now();
    if (low != slowest) {
      slowest = low;
      since = now;
    } else if (high > low && now - since > kPatience) {
      return verdict::lost;  // a round someone left, someone still sleeps in
    } else if (now - since > kPatience + kPeerPatience) {
      return verdict::stuck;
    }
    // A watchdog, not a synchronisation: the participants never wait for it.
    std::this_thread::sleep_for(milliseconds(1));
  }
}

void report(const char* form, int n, const rounds_state& s, verdict v) {
  std::printf("[handoff] barrier of %d (%s, %s form): %llu rounds, %s\n", n, form,
              testing::budget().long_form ? "long" : "short",
              static_cast<unsigned long long>(s.returned[0].load()),
              v == verdict::finished ? "0 lost wake-ups"
              : v == verdict::lost   ? "a LOST wake-up"
                                     : "STUCK");
  EXPECT_EQ(v, verdict::finished);
}

TEST(HandoffStress, BarrierOfThreeThreads) {
  constexpr int kThreads = 3;
  // Leaked when a participant is stuck for good: its thread is detached.
  auto* s = new testing::shared_object<rounds_state>(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([s, i] { participate(**s, i, testing::budget()); });
  }
  const verdict v = watch(**s, kThreads);
  report("threads", kThreads, **s, v);
  for (std::thread& t : threads) {
    if (v == verdict::finished) {
      t.join();
    } else {
      t.detach();
    }
  }
  if (v == verdict::finished) delete s;
}

TEST(HandoffStress, BarrierOfTwoProcesses) {
  testing::shared_object<rounds_state> s(2);
  std::fflush(nullptr);
  pid_t children[2];
  for (int i = 0; i < 2; ++i) {
    children[i] = fork();
    if (children[i] == 0) {
      participate(*s, i, testing::budget());
      _exit(0);
    }
  }
  const verdict v = watch(*s, 2);
  report("processes", 2, *s, v);
  for (pid_t child : children) {
    if (v != verdict::finished) kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    if (v == verdict::finished) {
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
  }
}

}  // namespace
}  // namespace refipc
