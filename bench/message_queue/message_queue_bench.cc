// message_queue between two processes, queue depth 256: one-way throughput
// for 64-byte and 4 KiB messages, and the round trip of a 64-byte message
// over two queues, with both processes on one CPU and on two CPUs. The
// round-trip baselines are raw futex ping-pongs, sleeping at once or after
// refipc's spin. Also the cost of a send and a receive in one thread, where
// nothing crosses between CPUs.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <boost/interprocess/ipc/message_queue.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "bench/support/cross_process.hpp"
#include "refipc/ipc/message_queue.hpp"

namespace {

using bench_support::join_peer;
using bench_support::Placement;
using bench_support::Regime;
using bench_support::start_peer;

constexpr std::size_t kDepth = 256;

struct Refipc {
  using queue = refipc::message_queue;
  static constexpr auto create_only = refipc::create_only;
};

struct Boost {
  using queue = boost::interprocess::message_queue;
  static constexpr auto create_only = boost::interprocess::create_only;
};

// A queue created for one benchmark run and removed after it.
template <class Impl>
class TempQueue {
 public:
  TempQueue(const char* tag, std::size_t size)
      : name_(std::string("refipc_mq_bench_") + tag + "_" + std::to_string(getpid())),
        removed_(Impl::queue::remove(name_.c_str())),
        queue_(Impl::create_only, name_.c_str(), kDepth, size) {}
  ~TempQueue() { Impl::queue::remove(name_.c_str()); }
  typename Impl::queue& operator*() { return queue_; }

 private:
  std::string name_;
  bool removed_;  // of a leftover of an interrupted run
  typename Impl::queue queue_;
};

// The peer receives until an empty message; the benchmark sends.
template <class Impl, std::size_t size>
void throughput(benchmark::State& state) {
  TempQueue<Impl> queue("throughput", size);
  const pid_t peer = start_peer([&] {
    std::vector<char> buffer(size);
    std::size_t received = 0;
    unsigned int priority = 0;
    do {
      (*queue).receive(buffer.data(), size, received, priority);
    } while (received != 0);
  });
  std::vector<char> message(size, 'm');
  for (auto _ : state) (*queue).send(message.data(), size, 0);
  (*queue).send(message.data(), 0, 0);
  join_peer(state, peer);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}

// The cost of the code path alone: one thread sends a 64-byte message and
// receives it back, so nothing crosses between CPUs.
template <class Impl>
void send_receive_one_thread(benchmark::State& state) {
  constexpr std::size_t kSize = 64;
  TempQueue<Impl> queue("one_thread", kSize);
  char message[kSize] = {};
  std::size_t received = 0;
  unsigned int priority = 0;
  for (auto _ : state) {
    (*queue).send(message, kSize, 0);
    (*queue).receive(message, kSize, received, priority);
  }
}

template <class Impl>
void round_trip(benchmark::State& state, Regime regime) {
  constexpr std::size_t kSize = 64;
  Placement where(state, regime);
  if (!where.ok()) return;
  TempQueue<Impl> ping("ping", kSize);
  TempQueue<Impl> pong("pong", kSize);
  const pid_t peer = start_peer(where, [&] {
    char buffer[kSize];
    std::size_t received = 0;
    unsigned int priority = 0;
    for (;;) {
      (*ping).receive(buffer, kSize, received, priority);
      if (received == 0) return;
      (*pong).send(buffer, received, priority);
    }
  });
  char message[kSize] = {};
  std::size_t received = 0;
  unsigned int priority = 0;
  for (auto _ : state) {
    (*ping).send(message, kSize, 0);
    (*pong).receive(message, kSize, received, priority);
  }
  (*ping).send(message, 0, 0);
  join_peer(state, peer);
}

}  // namespace

BENCHMARK(throughput<Refipc, 64>)->Name("throughput_64B/refipc")->UseRealTime();
BENCHMARK(throughput<Boost, 64>)->Name("throughput_64B/boost")->UseRealTime();
BENCHMARK(throughput<Refipc, 4096>)->Name("throughput_4KiB/refipc")->UseRealTime();
BENCHMARK(throughput<Boost, 4096>)->Name("throughput_4KiB/boost")->UseRealTime();
BENCHMARK(send_receive_one_thread<Refipc>)->Name("send_receive_one_thread_64B/refipc");
BENCHMARK(send_receive_one_thread<Boost>)->Name("send_receive_one_thread_64B/boost");

// The round trip in both regimes: "round_trip_64B/<impl>/<regime>".
[[maybe_unused]] const bool registered = [] {
  using bench_support::register_both_regimes;
  register_both_regimes("round_trip_64B/refipc", round_trip<Refipc>);
  register_both_regimes("round_trip_64B/boost", round_trip<Boost>);
  register_both_regimes("round_trip_64B/baseline", bench_support::futex_ping_pong);
  register_both_regimes("round_trip_64B/spin_baseline", bench_support::spin_futex_ping_pong);
  return true;
}();
