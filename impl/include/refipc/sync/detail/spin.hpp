// Bounded busy-waiting before a futex sleep.
#ifndef REFIPC_SYNC_DETAIL_SPIN_HPP_
#define REFIPC_SYNC_DETAIL_SPIN_HPP_

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

// How many cpu_relax() rounds a waiter polls before it sleeps: about a few
// microseconds, the order of a cross-CPU wake-up. A peer that answers within
// that time is seen without two trips through the scheduler. Zero on a
// single-CPU machine, where spinning only delays the peer.
int spin_rounds() noexcept;

// Polls ready() up to spin_rounds() times; true as soon as it holds.
template <class Ready>
bool spin_until(Ready&& ready) noexcept {
  for (int round = spin_rounds(); round > 0; --round) {
    if (ready()) return true;
    cpu_relax();
  }
  return false;
}

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_SPIN_HPP_
