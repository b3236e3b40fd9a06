// Costs of the synchronization primitives: an uncontended lock+unlock, a
// cross-process ping-pong over two semaphores, and a cross-process round trip
// through a mutex and a condition, each with both processes on one CPU and on
// two CPUs; and the latency of waking a waiter that has waited a while. The
// baselines are raw futexes, sleeping at once ("baseline") or after the same
// adaptive spin as refipc's ("spin_baseline").
#include <benchmark/benchmark.h>

#include <atomic>
#include <boost/interprocess/sync/interprocess_condition.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/interprocess/sync/interprocess_semaphore.hpp>
#include <boost/interprocess/sync/scoped_lock.hpp>
#include <chrono>
#include <cstdint>
#include <thread>

#include "bench/support/cross_process.hpp"
#include "refipc/sync/detail/spin.hpp"
#include "refipc/sync/interprocess_condition.hpp"
#include "refipc/sync/interprocess_mutex.hpp"
#include "refipc/sync/interprocess_semaphore.hpp"
#include "refipc/sync/scoped_lock.hpp"

namespace {

using bench_support::await_flag;
using bench_support::futex_wait;
using bench_support::futex_wake;
using bench_support::join_peer;
using bench_support::Placement;
using bench_support::raise_flag;
using bench_support::Regime;
using bench_support::Shared;
using bench_support::start_peer;
using bench_support::word;
using refipc::sync_detail::spin_until;

struct Refipc {
  using mutex = refipc::interprocess_mutex;
  using condition = refipc::interprocess_condition;
  using semaphore = refipc::interprocess_semaphore;
  using lock = refipc::scoped_lock<mutex>;
};

struct Boost {
  using mutex = boost::interprocess::interprocess_mutex;
  using condition = boost::interprocess::interprocess_condition;
  using semaphore = boost::interprocess::interprocess_semaphore;
  using lock = boost::interprocess::scoped_lock<mutex>;
};

// A minimal futex lock: 0 free, 1 locked, 2 locked with waiters. With
// `spin`, a contended lock first spins as refipc's mutex does.
template <bool spin>
struct RawFutexLock {
  word state{0};
  void lock() {
    std::uint32_t expected = 0;
    if (state.compare_exchange_strong(expected, 1, std::memory_order_acquire)) return;
    if (spin && spin_until(&state, [&] {
          std::uint32_t free = 0;
          return state.load(std::memory_order_relaxed) == 0 &&
                 state.compare_exchange_strong(free, 1, std::memory_order_acquire);
        })) {
      return;
    }
    while (state.exchange(2, std::memory_order_acquire) != 0) futex_wait(state, 2);
  }
  void unlock() {
    if (state.exchange(0, std::memory_order_release) == 2) futex_wake(state);
  }
};

template <class Impl>
void uncontended_lock(benchmark::State& state) {
  typename Impl::mutex m;
  for (auto _ : state) {
    m.lock();
    m.unlock();
    benchmark::ClobberMemory();
  }
}

void uncontended_lock_raw(benchmark::State& state) {
  RawFutexLock<false> m;
  for (auto _ : state) {
    m.lock();
    m.unlock();
    benchmark::ClobberMemory();
  }
}

template <class Impl>
struct SemaphorePair {
  typename Impl::semaphore ping{0};
  typename Impl::semaphore pong{0};
  bool stop = false;
};

template <class Impl>
void semaphore_ping_pong(benchmark::State& state, Regime regime) {
  Placement where(state, regime);
  if (!where.ok()) return;
  Shared<SemaphorePair<Impl>> pair;
  const pid_t peer = start_peer(where, [&] {
    for (;;) {
      pair->ping.wait();
      if (pair->stop) return;
      pair->pong.post();
    }
  });
  for (auto _ : state) {
    pair->ping.post();
    pair->pong.wait();
  }
  pair->stop = true;
  pair->ping.post();
  join_peer(state, peer);
}

template <class Impl>
struct Turn {
  typename Impl::mutex mutex;
  typename Impl::condition changed;
  int turn = 0;  // 1: the peer's turn, 0: the benchmark's, -1: stop
};

template <class Impl>
void condition_round_trip(benchmark::State& state, Regime regime) {
  using Lock = typename Impl::lock;
  Placement where(state, regime);
  if (!where.ok()) return;
  Shared<Turn<Impl>> shared;
  const pid_t peer = start_peer(where, [&] {
    Lock lock(shared->mutex);
    for (;;) {
      while (shared->turn == 0) shared->changed.wait(lock);
      if (shared->turn < 0) return;
      shared->turn = 0;
      shared->changed.notify_one();
    }
  });
  for (auto _ : state) {
    Lock lock(shared->mutex);
    shared->turn = 1;
    shared->changed.notify_one();
    while (shared->turn != 0) shared->changed.wait(lock);
  }
  {
    Lock lock(shared->mutex);
    shared->turn = -1;
    shared->changed.notify_one();
  }
  join_peer(state, peer);
}

// The same round trip over a raw futex lock and a sequence-number futex.
// Without `spin`, a notify always wakes and a wait always sleeps; with it,
// a wait first spins as refipc's condition does and a notify wakes only
// counted sleepers (the count and the sequence sequentially consistent on
// both sides, so a sleeper is seen or sees the new sequence).
template <bool spin>
struct RawTurn {
  RawFutexLock<spin> mutex;
  word sequence{0};
  word sleepers{0};
  int turn = 0;

  void wait() {
    const std::uint32_t seen = sequence.load(std::memory_order_relaxed);
    mutex.unlock();
    if (!spin) {
      futex_wait(sequence, seen);
    } else if (!spin_until(&sequence,
                           [&] { return sequence.load(std::memory_order_relaxed) != seen; })) {
      sleepers.fetch_add(1, std::memory_order_seq_cst);
      futex_wait(sequence, seen);
      sleepers.fetch_sub(1, std::memory_order_relaxed);
    }
    mutex.lock();
  }
  void notify() {
    sequence.fetch_add(1, std::memory_order_seq_cst);
    if (!spin || sleepers.load(std::memory_order_seq_cst) != 0) futex_wake(sequence);
  }
};

template <bool spin>
void condition_round_trip_raw(benchmark::State& state, Regime regime) {
  Placement where(state, regime);
  if (!where.ok()) return;
  Shared<RawTurn<spin>> shared;
  const pid_t peer = start_peer(where, [&] {
    shared->mutex.lock();
    for (;;) {
      while (shared->turn == 0) shared->wait();
      if (shared->turn < 0) return;
      shared->turn = 0;
      shared->notify();
    }
  });
  for (auto _ : state) {
    shared->mutex.lock();
    shared->turn = 1;
    shared->notify();
    while (shared->turn != 0) shared->wait();
    shared->mutex.unlock();
  }
  shared->mutex.lock();
  shared->turn = -1;
  shared->notify();
  shared->mutex.unlock();
  join_peer(state, peer);
}

// How long a post takes to wake a waiter that has been waiting for kIdle:
// the waiter is asleep by then (in the kernel with futexes; in its longest
// pause with refipc's portable backend, which polls). Timed from just
// before the post to the waiter's return from wait(), on one monotonic clock
// read by both processes; two CPUs, so that the waiter need not wait for the
// poster to block.
constexpr auto kIdle = std::chrono::milliseconds(10);

std::int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

template <class Wake>
struct WakeTimes {
  Wake wake;
  std::int64_t posted_at = 0;  // written before the post, read after the wake
  std::int64_t woken_at = 0;   // written before the answer, read after it
  bool stop = false;
};

// Runs the timed loop: `post` wakes the peer (which runs `serve` until stop)
// and `wait_answer` returns once it has answered.
template <class Wake, class Serve, class Post, class WaitAnswer>
void time_wake_after_idle(benchmark::State& state, Serve serve, Post post, WaitAnswer wait_answer) {
  Placement where(state, Regime::two_cpus);
  if (!where.ok()) return;
  Shared<WakeTimes<Wake>> shared;
  const pid_t peer = start_peer(where, [&] { serve(*shared); });
  for (auto _ : state) {
    std::this_thread::sleep_for(kIdle);
    shared->posted_at = monotonic_ns();
    post(*shared);
    wait_answer(*shared);
    state.SetIterationTime(static_cast<double>(shared->woken_at - shared->posted_at) / 1e9);
  }
  shared->stop = true;
  post(*shared);
  join_peer(state, peer);
}

template <class Impl>
void wake_after_idle(benchmark::State& state) {
  using Times = WakeTimes<SemaphorePair<Impl>>;
  time_wake_after_idle<SemaphorePair<Impl>>(
      state,
      [](Times& t) {
        for (;;) {
          t.wake.ping.wait();
          if (t.stop) return;
          t.woken_at = monotonic_ns();
          t.wake.pong.post();
        }
      },
      [](Times& t) { t.wake.ping.post(); }, [](Times& t) { t.wake.pong.wait(); });
}

// The same over two raw futex flags: the waiter sleeps in the kernel at once.
struct RawFlags {
  word ping{0};
  word pong{0};
};

void wake_after_idle_raw(benchmark::State& state) {
  using Times = WakeTimes<RawFlags>;
  time_wake_after_idle<RawFlags>(
      state,
      [](Times& t) {
        for (;;) {
          await_flag(t.wake.ping);
          if (t.stop) return;
          t.woken_at = monotonic_ns();
          raise_flag(t.wake.pong);
        }
      },
      [](Times& t) { raise_flag(t.wake.ping); }, [](Times& t) { await_flag(t.wake.pong); });
}

}  // namespace

BENCHMARK(uncontended_lock<Refipc>)->Name("mutex_uncontended_lock/refipc");
BENCHMARK(uncontended_lock<Boost>)->Name("mutex_uncontended_lock/boost");
BENCHMARK(uncontended_lock_raw)->Name("mutex_uncontended_lock/baseline");
// A fixed count: the minimum time would count the timed wakes only, not the
// idle waits between them, and ask for thousands of iterations.
constexpr int kWakes = 50;
BENCHMARK(wake_after_idle<Refipc>)
    ->Name("semaphore_wake_after_idle/refipc")
    ->UseManualTime()
    ->Iterations(kWakes);
BENCHMARK(wake_after_idle<Boost>)
    ->Name("semaphore_wake_after_idle/boost")
    ->UseManualTime()
    ->Iterations(kWakes);
BENCHMARK(wake_after_idle_raw)
    ->Name("semaphore_wake_after_idle/baseline")
    ->UseManualTime()
    ->Iterations(kWakes);

// Every cross-process case in both regimes: "<case>/<impl>/<regime>".
[[maybe_unused]] const bool registered = [] {
  using bench_support::register_both_regimes;
  register_both_regimes("semaphore_ping_pong/refipc", semaphore_ping_pong<Refipc>);
  register_both_regimes("semaphore_ping_pong/boost", semaphore_ping_pong<Boost>);
  register_both_regimes("semaphore_ping_pong/baseline", bench_support::futex_ping_pong);
  register_both_regimes("semaphore_ping_pong/spin_baseline", bench_support::spin_futex_ping_pong);
  register_both_regimes("condition_round_trip/refipc", condition_round_trip<Refipc>);
  register_both_regimes("condition_round_trip/boost", condition_round_trip<Boost>);
  register_both_regimes("condition_round_trip/baseline", condition_round_trip_raw<false>);
  register_both_regimes("condition_round_trip/spin_baseline", condition_round_trip_raw<true>);
  return true;
}();
