// Contention: two processes of two threads each hammer one interprocess_mutex
// (lock, increment, unlock), one interprocess_upgradable_mutex (nine shared
// reads to one exclusive increment), or one message_queue (a sender and a
// receiver in each process, 64-byte messages, depth 256).
//
// One benchmark iteration is a round in which each of the four threads does
// kOps operations (a lock+unlock pair, a send, or a receive), timed from
// its start to the last thread's end; the counter ops_per_iteration makes
// the ratio table show wall time per operation, and the counter
// cpu_ns_per_op is the CPU time of both processes (every thread) per
// operation, so that spinning cannot buy latency with a core unseen.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <boost/interprocess/ipc/message_queue.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/interprocess/sync/interprocess_upgradable_mutex.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "bench/support/cross_process.hpp"
#include "bench/support/ratio_reporter.hpp"
#include "refipc/ipc/message_queue.hpp"
#include "refipc/sync/interprocess_mutex.hpp"
#include "refipc/sync/interprocess_upgradable_mutex.hpp"

namespace {

using bench_support::futex_wait;
using bench_support::futex_wake;
using bench_support::futex_wake_all;
using bench_support::join_peer;
using bench_support::Shared;
using bench_support::start_peer;
using bench_support::word;

constexpr int kOps = 1000;
constexpr int kWorkers = 4;
constexpr std::size_t kMessageSize = 64;
constexpr std::size_t kDepth = 256;

struct Refipc {
  using mutex = refipc::interprocess_mutex;
  using upgradable_mutex = refipc::interprocess_upgradable_mutex;
  using queue = refipc::message_queue;
  static constexpr auto create_only = refipc::create_only;
};

struct Boost {
  using mutex = boost::interprocess::interprocess_mutex;
  using upgradable_mutex = boost::interprocess::interprocess_upgradable_mutex;
  using queue = boost::interprocess::message_queue;
  static constexpr auto create_only = boost::interprocess::create_only;
};

// CPU time of every thread of this process, in nanoseconds.
std::int64_t process_cpu_ns() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto ns = [](const timeval& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_usec * 1000;
  };
  return ns(usage.ru_utime) + ns(usage.ru_stime);
}

// ThreadSanitizer sees no ordering that passes through another process: a
// message slot written by this process's sender, refilled through the peer,
// and read by this process's receiver looks like a race to it. Under it the
// four workers are threads of one process.
#if defined(__SANITIZE_THREAD__)
constexpr bool kPeerProcess = false;
#else
constexpr bool kPeerProcess = true;
#endif

// Starts and ends the rounds. Workers sleep between rounds, so the CPU time
// measured is the operations'.
struct Rounds {
  word round{0};
  word done{0};  // workers other than the benchmark thread done this round
  word stop{0};
  std::atomic<std::int64_t> peer_cpu_ns{0};
};

// Runs op(worker, i) for i < kOps in every round, in four workers: the
// benchmark thread (worker 0) and a thread of its own (1), and two threads
// (2, 3) of a forked peer.
template <class Op>
void run_rounds(benchmark::State& state, Op op) {
  Shared<Rounds> rounds;
  const auto worker = [&](int index) {
    std::uint32_t seen = 0;
    for (;;) {
      std::uint32_t round;
      while ((round = rounds->round.load(std::memory_order_acquire)) == seen) {
        futex_wait(rounds->round, round);
      }
      seen = round;
      if (rounds->stop.load(std::memory_order_acquire) != 0) return;
      for (int i = 0; i < kOps; ++i) op(index, i);
      if (rounds->done.fetch_add(1, std::memory_order_acq_rel) + 1 == kWorkers - 1) {
        futex_wake(rounds->done);
      }
    }
  };
  const auto peer_workers = [&] {
    std::thread second(worker, 3);
    worker(2);
    second.join();
  };
  pid_t peer = -1;
  std::thread peer_thread;
  if (kPeerProcess) {
    peer = start_peer([&] {
      const std::int64_t start = process_cpu_ns();
      peer_workers();
      rounds->peer_cpu_ns = process_cpu_ns() - start;
    });
  } else {
    peer_thread = std::thread(peer_workers);
  }
  std::thread helper(worker, 1);
  const std::int64_t start = process_cpu_ns();
  for (auto _ : state) {
    rounds->done.store(0, std::memory_order_relaxed);
    const auto began = std::chrono::steady_clock::now();
    rounds->round.fetch_add(1, std::memory_order_release);
    futex_wake_all(rounds->round);
    for (int i = 0; i < kOps; ++i) op(0, i);
    std::uint32_t done;
    while ((done = rounds->done.load(std::memory_order_acquire)) != kWorkers - 1) {
      futex_wait(rounds->done, done);
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
    state.SetIterationTime(took.count());
  }
  const std::int64_t own_cpu = process_cpu_ns() - start;
  rounds->stop.store(1, std::memory_order_release);
  rounds->round.fetch_add(1, std::memory_order_release);
  futex_wake_all(rounds->round);
  helper.join();
  if (kPeerProcess) {
    join_peer(state, peer);
  } else {
    peer_thread.join();
  }
  const double ops = static_cast<double>(state.iterations()) * kWorkers * kOps;
  if (ops > 0) {
    state.counters[bench::RatioReporter::kCpuCounter] =
        static_cast<double>(own_cpu + rounds->peer_cpu_ns.load()) / ops;
  }
  state.counters[bench::RatioReporter::kOpsCounter] = kWorkers * kOps;
}

template <class Impl>
struct Counted {
  typename Impl::mutex mutex;
  std::uint64_t counter = 0;
};

template <class Impl>
void mutex_2x2(benchmark::State& state) {
  Shared<Counted<Impl>> shared;
  run_rounds(state, [&](int, int) {
    shared->mutex.lock();
    ++shared->counter;
    shared->mutex.unlock();
  });
  if (shared->counter != static_cast<std::uint64_t>(state.iterations()) * kWorkers * kOps) {
    state.SkipWithError("lost an increment");
  }
}

template <class Impl>
struct Guarded {
  typename Impl::upgradable_mutex mutex;
  std::uint64_t counter = 0;
};

template <class Impl>
void upgradable_mutex_2x2_90_percent_readers(benchmark::State& state) {
  Shared<Guarded<Impl>> shared;
  run_rounds(state, [&](int worker, int i) {
    if ((i + worker) % 10 == 0) {
      shared->mutex.lock();
      ++shared->counter;
      shared->mutex.unlock();
    } else {
      shared->mutex.lock_sharable();
      benchmark::DoNotOptimize(shared->counter);
      shared->mutex.unlock_sharable();
    }
  });
  if (shared->counter != static_cast<std::uint64_t>(state.iterations()) * kWorkers * kOps / 10) {
    state.SkipWithError("lost an increment");
  }
}

// A queue created for one benchmark run and removed after it.
template <class Impl>
class TempQueue {
 public:
  TempQueue()
      : name_("refipc_contended_bench_" + std::to_string(getpid())),
        removed_(Impl::queue::remove(name_.c_str())),
        queue_(Impl::create_only, name_.c_str(), kDepth, kMessageSize) {}
  ~TempQueue() { Impl::queue::remove(name_.c_str()); }
  typename Impl::queue& operator*() { return queue_; }

 private:
  std::string name_;
  bool removed_;  // of a leftover of an interrupted run
  typename Impl::queue queue_;
};

// Workers 0 and 2 send, 1 and 3 receive: a sender and a receiver per process.
template <class Impl>
void message_queue_2x2(benchmark::State& state) {
  TempQueue<Impl> queue;
  run_rounds(state, [&](int worker, int i) {
    char message[kMessageSize] = {};
    if (worker % 2 == 0) {
      message[0] = static_cast<char>(i);
      (*queue).send(message, kMessageSize, 0);
    } else {
      std::size_t received = 0;
      unsigned int priority = 0;
      (*queue).receive(message, kMessageSize, received, priority);
      benchmark::DoNotOptimize(message);
    }
  });
}

}  // namespace

BENCHMARK(mutex_2x2<Refipc>)->Name("mutex_2x2/refipc")->UseManualTime();
BENCHMARK(mutex_2x2<Boost>)->Name("mutex_2x2/boost")->UseManualTime();
BENCHMARK(upgradable_mutex_2x2_90_percent_readers<Refipc>)
    ->Name("upgradable_mutex_2x2_90_percent_readers/refipc")
    ->UseManualTime();
BENCHMARK(upgradable_mutex_2x2_90_percent_readers<Boost>)
    ->Name("upgradable_mutex_2x2_90_percent_readers/boost")
    ->UseManualTime();
BENCHMARK(message_queue_2x2<Refipc>)->Name("message_queue_2x2/refipc")->UseManualTime();
BENCHMARK(message_queue_2x2<Boost>)->Name("message_queue_2x2/boost")->UseManualTime();
