// Adaptive busy-waiting before a futex sleep.
#ifndef REFIPC_SYNC_DETAIL_SPIN_HPP_
#define REFIPC_SYNC_DETAIL_SPIN_HPP_

#include <cstdint>

namespace refipc {
namespace sync_detail {

// Tells the CPU this is a spin-wait loop (saves power, frees the sibling
// hyper-thread).
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  asm volatile("yield");
#endif
}

// The most cpu_relax() rounds a waiter polls before it sleeps: about a few
// microseconds, the order of a cross-CPU wake-up. Zero on a single-CPU
// machine, where spinning only delays the peer.
int spin_rounds() noexcept;

// What each thread remembers of its recent spins on one primitive (keyed by
// address, in a small per-thread table where keys may share a slot). The
// policy (docs/design.md, "Adaptive spinning"):
// - while spins succeed, the next spin lasts twice the recent average of
//   the rounds they took, plus a margin, at most spin_rounds();
// - after kMissesBeforeSleep spins in a row expired, the thread sleeps at
//   once, except for one probe of spin_rounds() every `gap` waits; each
//   probe that expires doubles the gap up to kMaxGap, a success ends it.
// A peer that answers within the spin costs no sleep; a peer that cannot
// answer while we spin (the same CPU, or asleep) costs almost no spinning.
class spin_history {
 public:
  static constexpr int kMissesBeforeSleep = 3;
  static constexpr int kMargin = 16;
  static constexpr std::uint16_t kFirstGap = 8;
  static constexpr std::uint16_t kMaxGap = 1024;

  // The rounds the next spin may poll; counts a wait of the sleeping mode.
  int next_limit() noexcept;
  // The spin of `limit` rounds saw its condition after `rounds` rounds.
  void succeeded(int rounds) noexcept;
  // The spin of `limit` (> 0) rounds expired.
  void expired() noexcept;

 private:
  // Rounds a successful spin took, averaged; at first, a full spin.
  std::uint16_t average_ = 128;
  std::uint16_t misses_ = 0;  // spins in a row that expired
  std::uint16_t gap_ = kFirstGap;
  std::uint16_t countdown_ = 0;  // waits until the next probe
  bool probing_ = false;
};

// This thread's history for the primitive at `key`.
spin_history& spin_history_for(const void* key) noexcept;

// Polls ready() before a sleep on the primitive at `key`, for as long as
// this thread's recent waits on it suggest; true as soon as ready() holds.
template <class Ready>
bool spin_until(const void* key, Ready&& ready) noexcept {
  spin_history& history = spin_history_for(key);
  const int limit = history.next_limit();
  for (int round = 0; round < limit; ++round) {
    if (ready()) {
      history.succeeded(round);
      return true;
    }
    cpu_relax();
  }
  if (limit > 0) history.expired();
  return false;
}

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_SPIN_HPP_
