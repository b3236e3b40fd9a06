#include "refipc/sync/detail/robust_lock.hpp"

#if REFIPC_WAIT_FUTEX

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <mutex>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/spin.hpp"

namespace refipc {
namespace sync_detail {

// The lock word and the list link at glibc's distance; a persisted layout
// (docs/layout.md) that depends on the pointer width.
struct robust_lock_layout {
  static_assert(offsetof(robust_lock, word_) == 0 &&
                    offsetof(robust_lock, node_) + offsetof(decltype(robust_lock::node_), link) ==
                        robust_lock::kLinkDistance,
                "robust_lock: the list link at glibc's distance from the word");
  static_assert(!kRobustListHasPrev || offsetof(robust_node, link) == sizeof(robust_list*),
                "robust_lock: prev just before next, as in glibc's 64-bit mutexes");
  static_assert(sizeof(void*) == 8 ? sizeof(robust_lock) == 40 && alignof(robust_lock) == 8
                                   : sizeof(robust_lock) == 24 && alignof(robust_lock) == 4,
                "robust_lock: 40 bytes 8-aligned (64-bit), 24 bytes 4-aligned (32-bit)");
};

#if defined(__GLIBC__) && defined(__PTHREAD_MUTEX_HAVE_PREV)
static_assert(__PTHREAD_MUTEX_HAVE_PREV == (kRobustListHasPrev ? 1 : 0) &&
                  offsetof(pthread_mutex_t, __data.__list.__next) -
                          offsetof(pthread_mutex_t, __data.__lock) ==
                      static_cast<std::size_t>(robust_lock::kLinkDistance),
              "glibc lays out its robust mutexes unlike robust_lock: they cannot share a list");
#if __PTHREAD_MUTEX_HAVE_PREV
static_assert(offsetof(pthread_mutex_t, __data.__list.__next) -
                      offsetof(pthread_mutex_t, __data.__list.__prev) ==
                  sizeof(void*),
              "glibc's prev link is not just before next: robust_lock cannot share its list");
#endif
#endif

namespace {

// A list head of refipc's own, for threads without one. `prev_slot` stands
// where glibc keeps its robust_prev (64-bit): unlinking the last entry writes
// the head's "prev", as it does for any entry after the one removed.
struct own_list {
  robust_list* prev_slot;
  robust_list_head head;
};

thread_local own_list own{nullptr, {{nullptr}, 0, nullptr}};
thread_local robust_thread this_thread{nullptr, 0};

// Entries may carry the kernel's PI flag in bit 0.
robust_list* untagged(robust_list* link) {
  return reinterpret_cast<robust_list*>(reinterpret_cast<std::uintptr_t>(link) &
                                        ~std::uintptr_t{1});
}

robust_node* node_of(robust_list* link) {
  return reinterpret_cast<robust_node*>(reinterpret_cast<char*>(untagged(link)) -
                                        offsetof(robust_node, link));
}

// The child of fork() has only the forking thread and no list of its own
// (glibc registers a fresh one): register again on next use.
void forget_registration_after_fork() {
  this_thread.head = nullptr;
  this_thread.tid = 0;
}

// Out of line, so that registered_thread()'s test of a registered thread
// compiles to a few instructions without this function's stack frame.
[[gnu::noinline, gnu::cold]] void register_thread(robust_thread& t) {
  static std::once_flag at_fork;
  std::call_once(at_fork, [] { pthread_atfork(nullptr, nullptr, forget_registration_after_fork); });
  robust_list_head* head = nullptr;
  std::size_t length = 0;
  if (syscall(SYS_get_robust_list, 0, &head, &length) != 0) {
    throw interprocess_exception(error_info(errno),
                                 "refipc: get_robust_list failed, owner death cannot be detected");
  }
  if (head == nullptr) {
    own.head.list.next = &own.head.list;
    own.head.futex_offset = robust_lock::futex_offset();
    own.head.list_op_pending = nullptr;
    if (syscall(SYS_set_robust_list, &own.head, sizeof own.head) != 0) {
      throw interprocess_exception(
          error_info(errno), "refipc: set_robust_list failed, owner death cannot be detected");
    }
    head = &own.head;
  } else if (length != sizeof(robust_list_head) ||
             head->futex_offset != robust_lock::futex_offset()) {
    throw interprocess_exception(
        error_info(lock_error),
        "refipc: this thread's robust futex list was registered with a layout other than "
        "glibc's; refipc's locks cannot join it");
  }
  t.head = head;
  t.tid = static_cast<std::uint32_t>(syscall(SYS_gettid)) & FUTEX_TID_MASK;
}

}  // namespace

robust_thread& registered_thread() {
  if (__builtin_expect(this_thread.tid == 0, 0)) register_thread(this_thread);
  return this_thread;
}

robust_lock::result robust_lock::acquire_contended(robust_thread& self, const deadline* until,
                                                   bool try_only) {
  // After sleeping, the lock is taken with FUTEX_WAITERS set, since other
  // threads may still be asleep on it.
  std::uint32_t waiters = 0;
  // Critical sections are usually short: an owner running on another CPU
  // often lets go before a sleep and its wake-up would be over.
  if (!try_only) {
    spin_until(&word_, [&] {
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

namespace {

// Inserted first, as glibc inserts. The kernel only follows `next`, and the
// head's store publishes the entry last, so the list is whole at every
// instruction a fatal signal could interrupt.
[[maybe_unused]] void link_first(robust_node& node, robust_list* head) noexcept {
  robust_list* const first = head->next;
  node.link.next = first;
  node.prev = head;
  node_of(first)->prev = &node.link;
  head->next = &node.link;
}

[[maybe_unused]] void link_first(robust_slist_node& node, robust_list* head) noexcept {
  node.link.next = head->next;
  head->next = &node.link;
}

[[maybe_unused]] void unlink_from(robust_node& node, robust_list*) noexcept {
  robust_list* const next = node.link.next;
  robust_list* const prev = node.prev;
  node_of(next)->prev = prev;
  node_of(prev)->link.next = next;
}

// No prev: find the link that points here. The list is this thread's, so no
// other thread changes it meanwhile; it is circular, so a damaged list ends
// the walk at the head.
[[maybe_unused]] void unlink_from(robust_slist_node& node, robust_list* head) noexcept {
  robust_list* before = head;
  while (before->next != &node.link) {
    before = untagged(before->next);
    if (before == head) return;
  }
  before->next = node.link.next;
}

}  // namespace

// The owner is read again after the check so that a lock released meanwhile
// by an owner that then ended is not mistaken for one.
bool robust_lock::names_impossible_owner() const noexcept {
  const std::uint32_t owner = word_.load(std::memory_order_relaxed) & FUTEX_TID_MASK;
  if (owner == 0) return false;
  if (kill(static_cast<pid_t>(owner), 0) == 0 || errno != ESRCH) return false;
  return (word_.load(std::memory_order_relaxed) & FUTEX_TID_MASK) == owner;
}

void robust_lock::link(robust_thread& self) noexcept { link_first(node_, &self.head->list); }

void robust_lock::unlink(robust_thread& self) noexcept { unlink_from(node_, &self.head->list); }

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_WAIT_FUTEX
