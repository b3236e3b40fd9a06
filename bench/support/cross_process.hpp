// Pieces of the benchmarks that run a peer process: shared memory objects,
// starting and joining the peer, raw futex calls, and the raw futex
// ping-pong that serves as the baseline of cross-process round trips.
#ifndef BENCH_SUPPORT_CROSS_PROCESS_HPP_
#define BENCH_SUPPORT_CROSS_PROCESS_HPP_

#include <benchmark/benchmark.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <new>

namespace bench_support {

// An object of type T in memory shared with forked children.
template <class T>
class Shared {
 public:
  Shared()
      : memory_(
            mmap(nullptr, sizeof(T), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)),
        object_(new (memory_) T) {}
  Shared(const Shared&) = delete;
  Shared& operator=(const Shared&) = delete;
  ~Shared() {
    object_->~T();
    munmap(memory_, sizeof(T));
  }
  T* operator->() const { return object_; }
  T& operator*() const { return *object_; }

 private:
  void* memory_;
  T* object_;
};

// Runs `peer` in a forked child (which inherits the parent's mappings).
template <class Peer>
pid_t start_peer(Peer peer) {
  const pid_t pid = fork();
  if (pid == 0) {
    peer();
    _exit(0);
  }
  return pid;
}

// Waits for the peer; a peer that failed marks the benchmark as skipped.
void join_peer(benchmark::State& state, pid_t pid);

using word = std::atomic<std::uint32_t>;
void futex_wait(word& w, std::uint32_t expected);
void futex_wake(word& w);

// Two processes hand a turn back and forth through two futex flags, with a
// wake-up every time: the least a blocking round trip costs.
void futex_ping_pong(benchmark::State& state);

}  // namespace bench_support

#endif  // BENCH_SUPPORT_CROSS_PROCESS_HPP_
