#include "refipc/sync/detail/rw_lock.hpp"

#include <climits>

#include "refipc/exceptions.hpp"

namespace refipc {
namespace sync_detail {

// Every change of state_ that may let a waiter in is a sequentially
// consistent read-modify-write followed by wake_all(), and a waiter counts
// itself in sleepers_ (also sequentially consistent) before the kernel
// compares state_: of the two, the one first in the single total order is
// seen by the other, so either the releaser sees the sleeper or the sleeper's
// futex_wait sees the new state and returns. A plain or release store there
// would let the sleeper count be read before the store is visible (the
// store-buffer pattern; x86 does it). See docs/design.md.
bool rw_lock::wait(std::uint32_t seen, const deadline* until) noexcept {
  sleepers_.fetch_add(1, std::memory_order_seq_cst);
  const bool in_time = futex_wait(state_, seen, until);
  sleepers_.fetch_sub(1, std::memory_order_relaxed);
  return in_time;
}

void rw_lock::wake_all() noexcept {
  // Every kind of waiter sleeps on the same word, so wake them all and let
  // each re-check what it waits for.
  if (sleepers_.load(std::memory_order_seq_cst) != 0) futex_wake(state_, INT_MAX);
}

bool rw_lock::drain_readers(const deadline* until, std::uint32_t restore) {
  std::uint32_t s = state_.load(std::memory_order_acquire);
  while ((s & kReaders) != 0) {
    if (!wait(s, until)) {
      // Timed out: give the writer bit back (readers cannot leave the count
      // at anything but a value with the writer bit still set).
      s = state_.load(std::memory_order_relaxed);
      while ((s & kReaders) != 0) {
        if (state_.compare_exchange_weak(s, (s & ~kWriter) | restore, std::memory_order_seq_cst)) {
          wake_all();
          return false;
        }
      }
      return true;  // the last reader left meanwhile: exclusive ownership
    }
    s = state_.load(std::memory_order_acquire);
  }
  return true;
}

bool rw_lock::acquire_exclusive(const deadline* until) {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  for (;;) {
    if ((s & (kWriter | kUpgradable)) == 0) {
      if (state_.compare_exchange_weak(s, s | kWriter, std::memory_order_acquire)) break;
    } else {
      if (!wait(s, until)) return false;
      s = state_.load(std::memory_order_relaxed);
    }
  }
  return drain_readers(until, 0);
}

bool rw_lock::try_lock() noexcept {
  std::uint32_t free = 0;
  return state_.compare_exchange_strong(free, kWriter, std::memory_order_acquire);
}

void rw_lock::unlock() {
  std::uint32_t held = kWriter;
  if (!state_.compare_exchange_strong(held, 0, std::memory_order_seq_cst)) {
    throw lock_exception();  // not held exclusively
  }
  wake_all();
}

bool rw_lock::acquire_sharable(const deadline* until) {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  for (;;) {
    if ((s & kWriter) == 0 && (s & kReaders) != kReaders) {
      if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire)) return true;
    } else {
      if (!wait(s, until)) return false;
      s = state_.load(std::memory_order_relaxed);
    }
  }
}

bool rw_lock::try_lock_sharable() noexcept {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  while ((s & kWriter) == 0 && (s & kReaders) != kReaders) {
    if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire)) return true;
  }
  return false;
}

void rw_lock::unlock_sharable() {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  do {
    if ((s & kReaders) == 0) throw lock_exception();  // no sharable owner
  } while (!state_.compare_exchange_weak(s, s - 1, std::memory_order_seq_cst));
  // Only a writer draining the readers or a thread held back by the reader
  // limit can be waiting for a sharable owner to leave.
  if ((s & kWriter) != 0 || (s & kReaders) == kReaders) wake_all();
}

bool rw_lock::acquire_upgradable(const deadline* until) {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  for (;;) {
    if ((s & (kWriter | kUpgradable)) == 0) {
      if (state_.compare_exchange_weak(s, s | kUpgradable, std::memory_order_acquire)) return true;
    } else {
      if (!wait(s, until)) return false;
      s = state_.load(std::memory_order_relaxed);
    }
  }
}

bool rw_lock::try_lock_upgradable() noexcept {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  while ((s & (kWriter | kUpgradable)) == 0) {
    if (state_.compare_exchange_weak(s, s | kUpgradable, std::memory_order_acquire)) return true;
  }
  return false;
}

void rw_lock::unlock_upgradable() {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  do {
    if ((s & kUpgradable) == 0) throw lock_exception();  // no upgradable owner
  } while (!state_.compare_exchange_weak(s, s & ~kUpgradable, std::memory_order_seq_cst));
  wake_all();
}

void rw_lock::unlock_and_lock_upgradable() {
  std::uint32_t held = kWriter;
  if (!state_.compare_exchange_strong(held, kUpgradable, std::memory_order_seq_cst)) {
    throw lock_exception();
  }
  wake_all();  // sharable waiters may enter now
}

void rw_lock::unlock_and_lock_sharable() {
  std::uint32_t held = kWriter;
  if (!state_.compare_exchange_strong(held, 1, std::memory_order_seq_cst)) throw lock_exception();
  wake_all();
}

void rw_lock::unlock_upgradable_and_lock_sharable() {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  do {
    // The caller's sharable ownership must fit under the reader limit.
    if ((s & kUpgradable) == 0 || (s & kReaders) == kReaders) throw lock_exception();
  } while (!state_.compare_exchange_weak(s, (s & ~kUpgradable) + 1, std::memory_order_seq_cst));
  wake_all();  // an upgradable or exclusive waiter may enter now
}

bool rw_lock::promote_upgradable(const deadline* until) {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  do {
    if ((s & kUpgradable) == 0) throw lock_exception();
  } while (
      !state_.compare_exchange_weak(s, (s & ~kUpgradable) | kWriter, std::memory_order_acquire));
  return drain_readers(until, kUpgradable);
}

bool rw_lock::try_unlock_upgradable_and_lock() {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  if ((s & kUpgradable) == 0) throw lock_exception();
  while (s == kUpgradable) {
    if (state_.compare_exchange_weak(s, kWriter, std::memory_order_acquire)) return true;
  }
  return false;
}

bool rw_lock::try_unlock_sharable_and_lock() {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  if ((s & kReaders) == 0) throw lock_exception();
  while (s == 1) {  // the caller is the only owner of any kind
    if (state_.compare_exchange_weak(s, kWriter, std::memory_order_acquire)) return true;
  }
  return false;
}

bool rw_lock::try_unlock_sharable_and_lock_upgradable() {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  if ((s & kReaders) == 0) throw lock_exception();
  while ((s & (kWriter | kUpgradable)) == 0) {
    if (state_.compare_exchange_weak(s, (s - 1) | kUpgradable, std::memory_order_seq_cst)) {
      // One sharable owner fewer: a thread held back by the reader limit
      // may enter.
      if ((s & kReaders) == kReaders) wake_all();
      return true;
    }
  }
  return false;
}

}  // namespace sync_detail
}  // namespace refipc
