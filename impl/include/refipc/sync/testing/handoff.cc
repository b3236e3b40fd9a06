#include "refipc/sync/testing/handoff.hpp"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <thread>

namespace refipc {
namespace testing {
namespace {

constexpr std::uint64_t kShortRounds = 5000;
constexpr auto kShortTime = std::chrono::seconds(1);
// How long a role waits for its peer's next step beyond the waiter's bound.
constexpr auto kPeerPatience = std::chrono::seconds(30);

inline void cpu_pause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             stress_clock::now().time_since_epoch())
      .count();
}

// The two roles' meeting point, in shared memory. Rounds count from 1.
struct control {
  std::atomic<std::uint64_t> round{0};     // holder: the resource is busy
  std::atomic<std::uint64_t> ready{0};     // waiter: about to wait
  std::atomic<std::uint64_t> released{0};  // holder: release() returned
  std::atomic<std::int64_t> released_at{0};
  std::atomic<std::uint64_t> done{0};  // waiter: round over
  std::atomic<bool> stop{false};
  std::atomic<bool> stuck{false};
  std::atomic<std::uint64_t> lost{0};
  std::atomic<std::uint64_t> late{0};
  char error[256] = {};
};

void record_error(control& c, const char* role, const char* what) {
  std::snprintf(c.error, sizeof c.error, "%s: %s", role, what);
  c.stuck.store(true);
}

// Pauses a pseudo-random few hundred cycles to microseconds, so that the
// release sweeps every point of the waiter's way to sleep.
void jitter(std::uint64_t& seed) {
  seed ^= seed << 13;
  seed ^= seed >> 7;
  seed ^= seed << 17;
  const std::uint64_t limit = (seed & 3) < 2 ? 64 : (seed & 3) == 2 ? 1024 : 8192;
  for (std::uint64_t k = (seed >> 8) % limit; k > 0; --k) cpu_pause();
}

void holder(const handoff& h, control& c, const stress_budget& b) {
  const auto end = stress_clock::now() + b.time;
  std::uint64_t seed = 0x9e3779b97f4a7c15ull;
  try {
    for (std::uint64_t r = 1;; ++r) {
      if (r > b.max_rounds || stress_clock::now() >= end || c.stuck.load()) {
        c.stop.store(true);
        c.round.store(r);
        return;
      }
      h.hold();
      c.round.store(r);
      const auto patience = stress_clock::now() + kPeerPatience;
      if (!await([&] { return c.ready.load() == r || c.stuck.load(); }, patience)) {
        c.stuck.store(true);
      }
      if (c.stuck.load()) return;
      jitter(seed);
      h.release();
      c.released_at.store(now_ns());
      c.released.store(r);
      if (!await([&] { return c.done.load() == r || c.stuck.load(); }, patience)) {
        c.stuck.store(true);
      }
      if (c.stuck.load()) return;
      if (h.finish) h.finish();
    }
  } catch (const std::exception& e) {
    record_error(c, "holder", e.what());
  }
}

void waiter(const handoff& h, control& c, std::chrono::milliseconds bound) {
  try {
    for (std::uint64_t r = 1;; ++r) {
      if (!await([&] { return c.round.load() >= r || c.stuck.load(); },
                 stress_clock::now() + bound + kPeerPatience)) {
        c.stuck.store(true);
      }
      if (c.stop.load() || c.stuck.load()) return;
      c.ready.store(r);
      const auto deadline = stress_clock::now() + bound;
      if (h.acquire(deadline)) {
        h.give_back();
      } else {
        if (!await([&] { return c.released.load() == r || c.stuck.load(); },
                   stress_clock::now() + kPeerPatience)) {
          c.stuck.store(true);
        }
        if (c.stuck.load()) return;
        const std::int64_t margin =
            std::chrono::duration_cast<std::chrono::nanoseconds>(bound).count() / 2;
        const std::int64_t deadline_ns =
            std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch())
                .count();
        const bool early = c.released_at.load() + margin < deadline_ns;
        // The probe runs in both cases, to take a semaphore's unit.
        if (h.available() && early) {
          c.lost.fetch_add(1);
        } else {
          c.late.fetch_add(1);
        }
      }
      c.done.store(r);
    }
  } catch (const std::exception& e) {
    record_error(c, "waiter", e.what());
  }
}

}  // namespace

stress_budget budget() {
  const char* seconds = std::getenv("REFIPC_STRESS_SECONDS");
  if (seconds != nullptr && std::atoi(seconds) > 0) {
    return {std::chrono::seconds(std::atoi(seconds)), UINT64_MAX, true};
  }
  return {kShortTime, kShortRounds, false};
}

bool await(const std::function<bool()>& ready, stress_clock::time_point until) {
  for (int spin = 0; spin < 2000; ++spin) {
    if (ready()) return true;
    cpu_pause();
  }
  for (;;) {
    if (ready()) return true;
    if (stress_clock::now() >= until) return false;
    sched_yield();
  }
}

handoff_result run_handoffs(const std::string& name, const handoff& h, across mode,
                            std::chrono::milliseconds bound) {
  shared_object<control> c;
  const stress_budget b = budget();
  if (mode == across::threads) {
    std::thread peer([&] { waiter(h, *c, bound); });
    holder(h, *c, b);
    peer.join();
  } else {
    std::fflush(nullptr);
    const pid_t child = fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
      waiter(h, *c, bound);
      _exit(0);
    }
    holder(h, *c, b);
    int status = 0;
    const auto patience = stress_clock::now() + bound + kPeerPatience;
    if (!await([&] { return waitpid(child, &status, WNOHANG) == child; }, patience)) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      c->stuck.store(true);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      c->stuck.store(true);
    }
  }
  handoff_result result;
  result.rounds = c->done.load();
  result.lost = c->lost.load();
  result.late = c->late.load();
  result.stuck = c->stuck.load();
  result.error = c->error;
  std::printf("[handoff] %s (%s, %s form): %llu hand-offs, %llu lost wake-ups, %llu late%s%s\n",
              name.c_str(), mode == across::threads ? "threads" : "processes",
              b.long_form ? "long" : "short", static_cast<unsigned long long>(result.rounds),
              static_cast<unsigned long long>(result.lost),
              static_cast<unsigned long long>(result.late), result.stuck ? ", STUCK " : "",
              result.error.c_str());
  std::fflush(stdout);
  return result;
}

}  // namespace testing
}  // namespace refipc
