#include "bench/support/cross_process.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <climits>
#include <string>

#include "refipc/sync/detail/spin.hpp"

namespace bench_support {

Placement::Placement(benchmark::State& state, Regime regime) {
  if (sched_getaffinity(0, sizeof saved_, &saved_) != 0) {
    state.SkipWithError("sched_getaffinity failed");
    return;
  }
  int cpus[2] = {-1, -1};
  int found = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE && found < 2; ++cpu) {
    if (CPU_ISSET(cpu, &saved_)) cpus[found++] = cpu;
  }
  const int needed = regime == Regime::two_cpus ? 2 : 1;
  if (found < needed) {
    state.SkipWithError("not enough CPUs for this regime");
    return;
  }
  if (!pin_to(cpus[0])) {
    state.SkipWithError("sched_setaffinity failed");
    return;
  }
  peer_cpu_ = cpus[needed - 1];
  ok_ = true;
}

Placement::~Placement() {
  if (ok_) sched_setaffinity(0, sizeof saved_, &saved_);
}

bool register_both_regimes(const char* name, void (*function)(benchmark::State&, Regime)) {
  const std::string prefix(name);
  benchmark::RegisterBenchmark((prefix + "/one_cpu").c_str(), function, Regime::one_cpu)
      ->UseRealTime();
  benchmark::RegisterBenchmark((prefix + "/two_cpus").c_str(), function, Regime::two_cpus)
      ->UseRealTime();
  return true;
}

bool pin_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

void join_peer(benchmark::State& state, pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    state.SkipWithError("peer process failed");
  }
}

void futex_wait(word& w, std::uint32_t expected) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&w), FUTEX_WAIT, expected, nullptr, nullptr,
          0);
}

void futex_wake(word& w) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&w), FUTEX_WAKE, 1, nullptr, nullptr, 0);
}

void futex_wake_all(word& w) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&w), FUTEX_WAKE, INT_MAX, nullptr, nullptr,
          0);
}

void raise_flag(word& w) {
  w.store(1, std::memory_order_release);
  futex_wake(w);
}

void await_flag(word& w) {
  while (w.exchange(0, std::memory_order_acquire) == 0) futex_wait(w, 0);
}

namespace {

struct Flags {
  word ping{0};
  word pong{0};
  word stop{0};
};

// Plain: every raise wakes, every wait sleeps at once.
struct Plain {
  static void raise(word& w) { raise_flag(w); }
  static void await(word& w) { await_flag(w); }
};

// Spin, then sleep: a flag is 0 (lowered), 1 (raised) or 2 (lowered, its
// one waiter asleep or about to be). The waiter sleeps only on 2, which a
// raise replaces, so a raise between its mark and its sleep is not lost.
struct SpinThenSleep {
  static void raise(word& w) {
    if (w.exchange(1, std::memory_order_release) == 2) futex_wake(w);
  }
  static void await(word& w) {
    refipc::sync_detail::spin_until(&w, [&] { return w.load(std::memory_order_relaxed) == 1; });
    for (;;) {
      std::uint32_t seen = 1;
      if (w.compare_exchange_strong(seen, 0, std::memory_order_acquire)) return;
      if (seen == 0 && !w.compare_exchange_strong(seen, 2, std::memory_order_relaxed)) continue;
      futex_wait(w, 2);
    }
  }
};

template <class Protocol>
void ping_pong(benchmark::State& state, Regime regime) {
  Placement where(state, regime);
  if (!where.ok()) return;
  Shared<Flags> flags;
  const pid_t peer = start_peer(where, [&] {
    for (;;) {
      Protocol::await(flags->ping);
      if (flags->stop.load()) return;
      Protocol::raise(flags->pong);
    }
  });
  for (auto _ : state) {
    Protocol::raise(flags->ping);
    Protocol::await(flags->pong);
  }
  flags->stop = 1;
  Protocol::raise(flags->ping);
  join_peer(state, peer);
}

}  // namespace

void futex_ping_pong(benchmark::State& state, Regime regime) { ping_pong<Plain>(state, regime); }

void spin_futex_ping_pong(benchmark::State& state, Regime regime) {
  ping_pong<SpinThenSleep>(state, regime);
}

}  // namespace bench_support
