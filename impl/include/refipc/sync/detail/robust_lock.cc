#include "refipc/sync/detail/robust_lock.hpp"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <mutex>

#include "refipc/sync/detail/spin.hpp"

namespace refipc {
namespace sync_detail {
namespace {

thread_local robust_thread this_thread{{{nullptr}, 0, nullptr}, 0};

robust_list* empty_list(robust_thread& t) { return &t.head.list; }

// The child of fork() has only the forking thread, with a copy of its list
// (holding the parent's locks, not the child's) and no registration.
void forget_registration_after_fork() {
  this_thread.head.list.next = empty_list(this_thread);
  this_thread.head.list_op_pending = nullptr;
  this_thread.tid = 0;
}

void register_thread(robust_thread& t) {
  static std::once_flag at_fork;
  std::call_once(at_fork, [] { pthread_atfork(nullptr, nullptr, forget_registration_after_fork); });
  t.head.list.next = empty_list(t);
  t.head.futex_offset = robust_lock::futex_offset();
  t.head.list_op_pending = nullptr;
  syscall(SYS_set_robust_list, &t.head, sizeof t.head);
  t.tid = static_cast<std::uint32_t>(syscall(SYS_gettid)) & FUTEX_TID_MASK;
}

}  // namespace

robust_thread& registered_thread() {
  if (this_thread.tid == 0) register_thread(this_thread);
  return this_thread;
}

long robust_lock::futex_offset() noexcept {
  static_assert(offsetof(robust_lock, node_) == 0 && offsetof(robust_lock, word_) == 16,
                "robust_lock layout (docs/layout.md)");
  return static_cast<long>(offsetof(robust_lock, word_)) -
         static_cast<long>(offsetof(robust_lock, node_));
}

robust_lock::result robust_lock::acquire_contended(robust_thread& self, const deadline* until,
                                                   bool try_only) {
  // After sleeping, the lock is taken with FUTEX_WAITERS set, since other
  // threads may still be asleep on it.
  std::uint32_t waiters = 0;
  // Critical sections are usually short: an owner running on another CPU
  // often lets go before a sleep and its wake-up would be over.
  if (!try_only) {
    spin_until([&] {
      const std::uint32_t owner = word_.load(std::memory_order_relaxed) & FUTEX_TID_MASK;
      return owner == 0 || owner == self.tid;
    });
  }
  for (;;) {
    std::uint32_t seen = word_.load(std::memory_order_relaxed);
    const std::uint32_t owner = seen & FUTEX_TID_MASK;
    if (owner == 0) {
      const std::uint32_t mine = self.tid | waiters | (seen & (FUTEX_WAITERS | FUTEX_OWNER_DIED));
      if (word_.compare_exchange_weak(seen, mine, std::memory_order_acquire)) {
        return (seen & FUTEX_OWNER_DIED) != 0 ? result::owner_died : result::acquired;
      }
      continue;
    }
    if (owner == self.tid) return result::held_by_caller;
    if (try_only) return result::busy;
    if ((seen & FUTEX_WAITERS) == 0) {
      if (!word_.compare_exchange_weak(seen, seen | FUTEX_WAITERS, std::memory_order_relaxed)) {
        continue;
      }
      seen |= FUTEX_WAITERS;
    }
    waiters = FUTEX_WAITERS;
    if (!futex_wait(word_, seen, until)) return result::busy;
  }
}

void robust_lock::link(robust_thread& self) noexcept {
  robust_list* const first = self.head.list.next;
  node_.link.next = first;
  node_.prev = nullptr;  // null: the head comes before
  if (first != empty_list(self)) reinterpret_cast<robust_node*>(first)->prev = &node_;
  self.head.list.next = &node_.link;
}

void robust_lock::unlink(robust_thread& self) noexcept {
  robust_list* const next = node_.link.next;
  if (node_.prev != nullptr) {
    node_.prev->link.next = next;
  } else {
    self.head.list.next = next;
  }
  if (next != empty_list(self)) reinterpret_cast<robust_node*>(next)->prev = node_.prev;
}

}  // namespace sync_detail
}  // namespace refipc
