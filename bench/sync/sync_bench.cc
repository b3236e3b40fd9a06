// Costs of the synchronization primitives: an uncontended lock+unlock, a
// cross-process ping-pong over two semaphores, and a cross-process round trip
// through a mutex and a condition. The baselines are raw futexes.
#include <benchmark/benchmark.h>

#include <atomic>
#include <boost/interprocess/sync/interprocess_condition.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/interprocess/sync/interprocess_semaphore.hpp>
#include <boost/interprocess/sync/scoped_lock.hpp>
#include <cstdint>

#include "bench/support/cross_process.hpp"
#include "refipc/sync/interprocess_condition.hpp"
#include "refipc/sync/interprocess_mutex.hpp"
#include "refipc/sync/interprocess_semaphore.hpp"
#include "refipc/sync/scoped_lock.hpp"

namespace {

using bench_support::futex_wait;
using bench_support::futex_wake;
using bench_support::join_peer;
using bench_support::Shared;
using bench_support::start_peer;
using bench_support::word;

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

// A minimal futex lock: 0 free, 1 locked, 2 locked with waiters.
struct RawFutexLock {
  word state{0};
  void lock() {
    std::uint32_t expected = 0;
    if (state.compare_exchange_strong(expected, 1, std::memory_order_acquire)) return;
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
  }
}

void uncontended_lock_raw(benchmark::State& state) {
  RawFutexLock m;
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
void semaphore_ping_pong(benchmark::State& state) {
  Shared<SemaphorePair<Impl>> pair;
  const pid_t peer = start_peer([&] {
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
void condition_round_trip(benchmark::State& state) {
  using Lock = typename Impl::lock;
  Shared<Turn<Impl>> shared;
  const pid_t peer = start_peer([&] {
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
struct RawTurn {
  RawFutexLock mutex;
  word sequence{0};
  int turn = 0;
};

void raw_wait(RawTurn& t) {
  const std::uint32_t seen = t.sequence.load(std::memory_order_relaxed);
  t.mutex.unlock();
  futex_wait(t.sequence, seen);
  t.mutex.lock();
}
void raw_notify(RawTurn& t) {
  t.sequence.fetch_add(1, std::memory_order_release);
  futex_wake(t.sequence);
}

void condition_round_trip_raw(benchmark::State& state) {
  Shared<RawTurn> shared;
  const pid_t peer = start_peer([&] {
    shared->mutex.lock();
    for (;;) {
      while (shared->turn == 0) raw_wait(*shared);
      if (shared->turn < 0) return;
      shared->turn = 0;
      raw_notify(*shared);
    }
  });
  for (auto _ : state) {
    shared->mutex.lock();
    shared->turn = 1;
    raw_notify(*shared);
    while (shared->turn != 0) raw_wait(*shared);
    shared->mutex.unlock();
  }
  shared->mutex.lock();
  shared->turn = -1;
  raw_notify(*shared);
  shared->mutex.unlock();
  join_peer(state, peer);
}

}  // namespace

BENCHMARK(uncontended_lock<Refipc>)->Name("mutex_uncontended_lock/refipc");
BENCHMARK(uncontended_lock<Boost>)->Name("mutex_uncontended_lock/boost");
BENCHMARK(uncontended_lock_raw)->Name("mutex_uncontended_lock/baseline");
BENCHMARK(semaphore_ping_pong<Refipc>)->Name("semaphore_ping_pong/refipc")->UseRealTime();
BENCHMARK(semaphore_ping_pong<Boost>)->Name("semaphore_ping_pong/boost")->UseRealTime();
BENCHMARK(bench_support::futex_ping_pong)->Name("semaphore_ping_pong/baseline")->UseRealTime();
BENCHMARK(condition_round_trip<Refipc>)->Name("condition_round_trip/refipc")->UseRealTime();
BENCHMARK(condition_round_trip<Boost>)->Name("condition_round_trip/boost")->UseRealTime();
BENCHMARK(condition_round_trip_raw)->Name("condition_round_trip/baseline")->UseRealTime();
