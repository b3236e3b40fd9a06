#include "bench/support/cross_process.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/wait.h>

namespace bench_support {

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

namespace {

struct Flags {
  word ping{0};
  word pong{0};
  word stop{0};
};

void raise(word& w) {
  w.store(1, std::memory_order_release);
  futex_wake(w);
}

void await(word& w) {
  while (w.exchange(0, std::memory_order_acquire) == 0) futex_wait(w, 0);
}

}  // namespace

void futex_ping_pong(benchmark::State& state) {
  Shared<Flags> flags;
  const pid_t peer = start_peer([&] {
    for (;;) {
      await(flags->ping);
      if (flags->stop.load()) return;
      raise(flags->pong);
    }
  });
  for (auto _ : state) {
    raise(flags->ping);
    await(flags->pong);
  }
  flags->stop = 1;
  raise(flags->ping);
  join_peer(state, peer);
}

}  // namespace bench_support
