// message_queue between two processes, queue depth 256: one-way throughput
// for 64-byte and 4 KiB messages, and the round trip of a 64-byte message
// over two queues. The round-trip baseline is a raw futex ping-pong.
#include <benchmark/benchmark.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/interprocess/ipc/message_queue.hpp>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "refipc/ipc/message_queue.hpp"

namespace {

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

// Runs `peer` in a forked child (which inherits the mapped queues).
template <class Peer>
pid_t start_peer(Peer peer) {
  const pid_t pid = fork();
  if (pid == 0) {
    peer();
    _exit(0);
  }
  return pid;
}

void join_peer(benchmark::State& state, pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    state.SkipWithError("peer process failed");
  }
}

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

template <class Impl>
void round_trip(benchmark::State& state) {
  constexpr std::size_t kSize = 64;
  TempQueue<Impl> ping("ping", kSize);
  TempQueue<Impl> pong("pong", kSize);
  const pid_t peer = start_peer([&] {
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

using word = std::atomic<std::uint32_t>;

void futex_wait(word& w, std::uint32_t expected) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&w), FUTEX_WAIT, expected, nullptr, nullptr,
          0);
}
void futex_wake(word& w) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&w), FUTEX_WAKE, 1, nullptr, nullptr, 0);
}

// Two flags in shared memory: each side raises the other's and waits on its
// own, with a wake-up every time (the least a blocking hand-off costs).
struct RawPair {
  word ping{0};
  word pong{0};
  word stop{0};
};

void raw_signal(word& w) {
  w.store(1, std::memory_order_release);
  futex_wake(w);
}
void raw_await(word& w) {
  while (w.exchange(0, std::memory_order_acquire) == 0) futex_wait(w, 0);
}

void round_trip_raw(benchmark::State& state) {
  void* memory =
      mmap(nullptr, sizeof(RawPair), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  auto* pair = new (memory) RawPair;
  const pid_t peer = start_peer([&] {
    for (;;) {
      raw_await(pair->ping);
      if (pair->stop.load()) return;
      raw_signal(pair->pong);
    }
  });
  for (auto _ : state) {
    raw_signal(pair->ping);
    raw_await(pair->pong);
  }
  pair->stop = 1;
  raw_signal(pair->ping);
  join_peer(state, peer);
  munmap(memory, sizeof(RawPair));
}

}  // namespace

BENCHMARK(throughput<Refipc, 64>)->Name("throughput_64B/refipc")->UseRealTime();
BENCHMARK(throughput<Boost, 64>)->Name("throughput_64B/boost")->UseRealTime();
BENCHMARK(throughput<Refipc, 4096>)->Name("throughput_4KiB/refipc")->UseRealTime();
BENCHMARK(throughput<Boost, 4096>)->Name("throughput_4KiB/boost")->UseRealTime();
BENCHMARK(round_trip<Refipc>)->Name("round_trip_64B/refipc")->UseRealTime();
BENCHMARK(round_trip<Boost>)->Name("round_trip_64B/boost")->UseRealTime();
BENCHMARK(round_trip_raw)->Name("round_trip_64B/baseline")->UseRealTime();
