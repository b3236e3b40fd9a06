// robust_lock with the futex wait backend (robust_lock.hpp): a robust futex
// that the kernel releases, marked "owner died", when its owner thread or
// process ends. Include robust_lock.hpp.
//
// Word layout, as the kernel expects of robust futexes: bits 0-29 hold the
// owner's thread id (0: unlocked), bit 30 (FUTEX_OWNER_DIED) says a previous
// owner ended while holding the lock and nobody has called consistent() since,
// bit 31 (FUTEX_WAITERS) says a thread may be sleeping on the word.
//
// A held lock is linked into its owner thread's robust list (set_robust_list
// (2)), in the lock itself. When a thread ends (exit, _exit, a fatal signal
// or exec), the kernel walks its list, and for each word still holding its id
// sets FUTEX_OWNER_DIED, clears the id and wakes one waiter.
//
// The kernel keeps one list per thread, found from its head, and finds each
// entry's word at the head's futex_offset from the entry's link. glibc
// registers a list for every thread it starts, for its own robust mutexes
// (PTHREAD_MUTEX_ROBUST). refipc joins that list instead of replacing it:
// a robust_lock is laid out as glibc's mutexes are (the word 32 bytes before
// the list link, the `prev` link just before it), so both kinds of lock, and
// several copies of refipc, share one list and all report owner death. On
// 32-bit targets glibc's mutexes have no `prev` (the word is 20 bytes before
// a singly linked `next`): refipc's locks there take the same shape and
// unlink by walking the list from its head, as glibc does. A
// thread without a list (started without glibc) gets refipc's own, in the
// same layout. A list registered by someone else with another futex_offset,
// or a kernel that refuses robust lists, makes locking throw instead of
// silently losing owner death.
#ifndef REFIPC_SYNC_DETAIL_ROBUST_FUTEX_LOCK_HPP_
#define REFIPC_SYNC_DETAIL_ROBUST_FUTEX_LOCK_HPP_

#include <linux/futex.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "refipc/sync/detail/futex.hpp"

namespace refipc {
namespace sync_detail {

// glibc links its robust mutexes both ways on 64-bit targets only.
constexpr bool kRobustListHasPrev = sizeof(void*) == 8;

// A link of a thread's robust list, laid out as glibc's 64-bit one
// (__pthread_list_t: __prev, then __next). The kernel follows link.next;
// `prev` (the link before, or the list head) lets glibc and refipc unlink in
// constant time. Either may rewrite the links of the other's entries.
struct robust_node {
  robust_list* prev;
  robust_list link;
};

// A link of a singly linked list (glibc's 32-bit __pthread_slist_t).
struct robust_slist_node {
  robust_list link;
};

// The robust list the kernel walks when this thread ends, and the thread's id.
struct robust_thread {
  robust_list_head* head;
  std::uint32_t tid;  // 0 until registered in this thread (or after fork)
};

// This thread's registration, made on first use. Throws
// interprocess_exception (lock_error) when the thread's robust list has
// another layout, and with the kernel's error when it refuses robust lists.
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
    self.head->list_op_pending = entry();
    std::uint32_t expected = 0;
    const result r = word_.compare_exchange_strong(expected, self.tid, std::memory_order_acquire)
                         ? result::acquired
                         : acquire_contended(self, until, try_only);
    if (r == result::acquired || r == result::owner_died) link(self);
    self.head->list_op_pending = nullptr;
    return r;
  }

  // Releases a lock held by `self` (the caller checks owned_by first). The
  // exchange is seq_cst: the message queue orders its commits before its
  // later loads with it, pairing with observe() (docs/design.md).
  void release(robust_thread& self) noexcept {
    self.head->list_op_pending = entry();
    unlink(self);
    const std::uint32_t keep = word_.load(std::memory_order_relaxed) & FUTEX_OWNER_DIED;
    if (word_.exchange(keep, std::memory_order_seq_cst) & FUTEX_WAITERS) futex_wake(word_, 1);
    self.head->list_op_pending = nullptr;
  }

  bool owned_by(const robust_thread& self) const noexcept {
    return self.tid != 0 && (word_.load(std::memory_order_relaxed) & FUTEX_TID_MASK) == self.tid;
  }
  // Whether the word names an owner no lock operation could have left: a
  // thread that no longer exists, since the kernel clears the owner of every
  // robust lock a thread held when it ends. For diagnosis of a damaged word:
  // a word naming a thread that happens to exist is not told apart.
  bool names_impossible_owner() const noexcept;
  // A seq_cst read of the word, for its place in the total order: it either
  // synchronises with a release (every later change of the word being a
  // read-modify-write) or precedes it in that order.
  void observe() const noexcept { static_cast<void>(word_.load(std::memory_order_seq_cst)); }
  bool inconsistent() const noexcept {
    return (word_.load(std::memory_order_relaxed) & FUTEX_OWNER_DIED) != 0;
  }
  // By the owner: the state protected by the lock has been repaired.
  void mark_consistent() noexcept {
    word_.fetch_and(~std::uint32_t{FUTEX_OWNER_DIED}, std::memory_order_relaxed);
  }

  // The distance from the word to the list link: glibc's (minus the
  // futex_offset of its threads' list heads).
  static constexpr long kLinkDistance = kRobustListHasPrev ? 32 : 20;
  static constexpr long futex_offset() noexcept { return -kLinkDistance; }

 private:
  // The bytes between the word and the link: `prev` ends them when there is one.
  static constexpr std::size_t kGap =
      kLinkDistance - sizeof(futex_word) - (kRobustListHasPrev ? sizeof(robust_list*) : 0);

  result acquire_contended(robust_thread& self, const deadline* until, bool try_only);
  robust_list* entry() noexcept { return &node_.link; }
  void link(robust_thread& self) noexcept;
  void unlink(robust_thread& self) noexcept;
  // Checks the layout (a friend has access to the private members).
  friend struct robust_lock_layout;

  futex_word word_{0};
  [[maybe_unused]] unsigned char unused_[kGap] = {};
  std::conditional_t<kRobustListHasPrev, robust_node, robust_slist_node> node_{};
};

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_ROBUST_FUTEX_LOCK_HPP_
