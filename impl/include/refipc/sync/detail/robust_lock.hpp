// The lock word shared by refipc's mutexes: a robust futex that the kernel
// releases, marked "owner died", when its owner thread or process ends.
//
// Word layout, as the kernel expects of robust futexes: bits 0-29 hold the
// owner's thread id (0: unlocked), bit 30 (FUTEX_OWNER_DIED) says a previous
// owner ended while holding the lock and nobody has called consistent() since,
// bit 31 (FUTEX_WAITERS) says a thread may be sleeping on the word.
//
// Every thread that locks registers a robust list with set_robust_list(2); a
// held lock is linked into its owner's list, in the lock itself. When a thread
// ends (exit, _exit, a fatal signal or exec), the kernel walks its list, and
// for each word still holding its id sets FUTEX_OWNER_DIED, clears the id and
// wakes one waiter. A thread has one robust list: registering refipc's
// replaces the C library's, so POSIX robust mutexes (PTHREAD_MUTEX_ROBUST)
// locked by the same thread no longer report their owner's death.
#ifndef REFIPC_SYNC_DETAIL_ROBUST_LOCK_HPP_
#define REFIPC_SYNC_DETAIL_ROBUST_LOCK_HPP_

#include <linux/futex.h>

#include <cstdint>

#include "refipc/sync/detail/futex.hpp"

namespace refipc {
namespace sync_detail {

// A link of a thread's robust list; `next` is what the kernel follows. Each
// pointer has eight bytes whatever the pointer width, so a lock has the same
// size and offsets in 32-bit and 64-bit processes (see docs/layout.md). Only
// the lock's owner reads or writes its node.
struct robust_node {
  robust_list link;
  alignas(8) robust_node* prev;
};
static_assert(sizeof(robust_node) == 16 && alignof(robust_node) == 8, "robust_node layout");

// The kernel's list head for this thread, and the thread's id.
struct robust_thread {
  robust_list_head head;
  std::uint32_t tid;  // 0 until registered in this thread (or after fork)
};

// This thread's registration, registering it on first use.
robust_thread& registered_thread();

class robust_lock {
 public:
  enum class result { busy, acquired, owner_died, held_by_caller };

  robust_lock() noexcept = default;
  robust_lock(const robust_lock&) = delete;
  robust_lock& operator=(const robust_lock&) = delete;

  // Takes the lock for thread `self`, waiting until `until` (forever when
  // null) unless `try_only`. owner_died: taken, but a previous owner ended
  // while holding it and nobody has called mark_consistent() since.
  result acquire(robust_thread& self, const deadline* until, bool try_only) {
    self.head.list_op_pending = &node_.link;
    std::uint32_t expected = 0;
    const result r = word_.compare_exchange_strong(expected, self.tid, std::memory_order_acquire)
                         ? result::acquired
                         : acquire_contended(self, until, try_only);
    if (r == result::acquired || r == result::owner_died) link(self);
    self.head.list_op_pending = nullptr;
    return r;
  }

  // Releases a lock held by `self` (the caller checks owned_by first).
  void release(robust_thread& self) noexcept {
    self.head.list_op_pending = &node_.link;
    unlink(self);
    const std::uint32_t keep = word_.load(std::memory_order_relaxed) & FUTEX_OWNER_DIED;
    if (word_.exchange(keep, std::memory_order_release) & FUTEX_WAITERS) futex_wake(word_, 1);
    self.head.list_op_pending = nullptr;
  }

  bool owned_by(const robust_thread& self) const noexcept {
    return self.tid != 0 && (word_.load(std::memory_order_relaxed) & FUTEX_TID_MASK) == self.tid;
  }
  // The owner's thread id as the word names it (0: free). For diagnosis of
  // a damaged word: a live owner is not told apart from a word naming a
  // thread that happens to exist.
  std::uint32_t owner() const noexcept {
    return word_.load(std::memory_order_relaxed) & FUTEX_TID_MASK;
  }
  bool inconsistent() const noexcept {
    return (word_.load(std::memory_order_relaxed) & FUTEX_OWNER_DIED) != 0;
  }
  // By the owner: the state protected by the lock has been repaired.
  void mark_consistent() noexcept {
    word_.fetch_and(~std::uint32_t{FUTEX_OWNER_DIED}, std::memory_order_relaxed);
  }

  // The distance from a list link to its word, the same for every lock.
  static long futex_offset() noexcept;

 private:
  result acquire_contended(robust_thread& self, const deadline* until, bool try_only);
  void link(robust_thread& self) noexcept;
  void unlink(robust_thread& self) noexcept;

  robust_node node_{{nullptr}, nullptr};
  futex_word word_{0};
};
// Persisted in shared memory: node at 0, word at 16, 24 bytes.
static_assert(sizeof(robust_lock) == 24 && alignof(robust_lock) == 8, "robust_lock layout");

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_ROBUST_LOCK_HPP_
