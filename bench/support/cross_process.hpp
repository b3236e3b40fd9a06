// Pieces of the benchmarks that run a peer process: shared memory objects,
// starting and joining the peer on chosen CPUs, raw futex calls, and the raw
// futex ping-pongs that serve as baselines of cross-process round trips.
#ifndef BENCH_SUPPORT_CROSS_PROCESS_HPP_
#define BENCH_SUPPORT_CROSS_PROCESS_HPP_

#include <benchmark/benchmark.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>

namespace bench_support {

// An object of type T in memory shared with forked children.
template <class T>
class Shared {
 public:
  Shared()
      : memory_(
            mmap(nullptr, sizeof(T), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)),
        object_(new (checked(memory_)) T) {}
  Shared(const Shared&) = delete;
  Shared& operator=(const Shared&) = delete;
  ~Shared() {
    object_->~T();
    munmap(memory_, sizeof(T));
  }
  T* operator->() const { return object_; }
  T& operator*() const { return *object_; }

 private:
  static void* checked(void* memory) {
    if (memory == MAP_FAILED) {
      std::perror("bench: mmap");
      std::abort();
    }
    return memory;
  }
  void* memory_;
  T* object_;
};

// Where a cross-process case runs its two processes: both on one CPU (every
// hand-off goes through the scheduler, spinning cannot help) or each on its
// own CPU (a spinning peer can answer at once).
enum class Regime { one_cpu, two_cpus };

// Pins the calling thread for the life of the object, and chooses the
// peer's CPU; the previous affinity comes back at destruction. On failure
// (two CPUs asked of a machine that lets us use one) the benchmark is
// skipped and ok() is false: the caller must return at once.
class Placement {
 public:
  Placement(benchmark::State& state, Regime regime);
  Placement(const Placement&) = delete;
  Placement& operator=(const Placement&) = delete;
  ~Placement();
  bool ok() const { return ok_; }
  int peer_cpu() const { return peer_cpu_; }

 private:
  cpu_set_t saved_;
  bool ok_ = false;
  int peer_cpu_ = -1;
};

// Registers `function` in both regimes, as "<name>/one_cpu" and
// "<name>/two_cpus", timed in real time. Returns a value for a static
// initializer.
bool register_both_regimes(const char* name, void (*function)(benchmark::State&, Regime));

// Pins the calling thread to `cpu`; false on failure.
bool pin_to(int cpu);

// Runs `peer` in a forked child (which inherits the parent's mappings), on
// the peer CPU of `where`. A failed fork stops the program.
template <class Peer>
pid_t start_peer(const Placement& where, Peer peer) {
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("bench: fork");
    std::abort();
  }
  if (pid == 0) {
    if (!pin_to(where.peer_cpu())) _exit(2);
    peer();
    _exit(0);
  }
  return pid;
}

// The same, unpinned.
template <class Peer>
pid_t start_peer(Peer peer) {
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("bench: fork");
    std::abort();
  }
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
void futex_wake_all(word& w);

// A futex flag (0 lowered, 1 raised) that one process raises, waking its
// waiter, and another awaits, sleeping at once, and lowers.
void raise_flag(word& w);
void await_flag(word& w);

// Two processes hand a turn back and forth through two futex flags, with a
// wake-up every time: the least a blocking round trip costs.
void futex_ping_pong(benchmark::State& state, Regime regime);

// The same hand-off, but each waiter first spins exactly as refipc's
// primitives do (refipc::sync_detail::spin_until) and a raise calls the
// kernel only for a waiter that went to sleep: the least a spin-then-futex
// round trip costs.
void spin_futex_ping_pong(benchmark::State& state, Regime regime);

}  // namespace bench_support

#endif  // BENCH_SUPPORT_CROSS_PROCESS_HPP_
