#include "refipc/sync/detail/robust_lock.hpp"

#if !REFIPC_WAIT_FUTEX

#include <cstddef>
#include <mutex>
#include <unordered_set>

#if !defined(_WIN32)
#include <pthread.h>
#endif

#include "refipc/sync/detail/backoff.hpp"
#include "refipc/sync/detail/spin.hpp"

namespace refipc {
namespace sync_detail {

// The futex backend's size and alignment (docs/layout.md), so that the
// structures holding a lock keep their layout; the segment, queue and named
// object signatures tell the backends apart.
struct robust_lock_layout {
  static_assert(offsetof(robust_lock, word_) == 0 && offsetof(robust_lock, stamp_) == 8,
                "robust_lock (portable): the word, then the stamp");
  static_assert(sizeof(robust_lock) == 40 && alignof(robust_lock) == 8,
                "robust_lock: 40 bytes, 8-aligned, in every interprocess_mutex");
  static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
                "robust_lock (portable): a lock-free 64-bit word shared between processes");
};

namespace {

// The tokens of this process's running threads, so that a waiter can tell
// that an owner thread of its own process has ended (the futex backend's
// kernel list reports that too). Tokens come from a counter and are not
// reused (it wraps after 2^30 threads).
std::atomic<std::uint32_t> next_tid{0};
std::mutex live_mutex;
std::unordered_set<std::uint32_t> live_tids;

// A thread's token, withdrawn from live_tids when the thread ends.
struct registration {
  robust_thread self{0};
  ~registration() {
    if (self.tid == 0) return;
    std::lock_guard<std::mutex> hold(live_mutex);
    live_tids.erase(self.tid);
  }
};
thread_local registration this_thread;

bool thread_running(std::uint32_t tid) {
  std::lock_guard<std::mutex> hold(live_mutex);
  return live_tids.count(tid) != 0;
}

#if !defined(_WIN32)
// fork() while another thread holds live_mutex would leave it locked for
// good in the child.
void lock_live() { live_mutex.lock(); }
void unlock_live() { live_mutex.unlock(); }
#endif

}  // namespace

robust_thread& registered_thread() {
  robust_thread& self = this_thread.self;
  if (self.tid != 0) return self;
#if !defined(_WIN32)
  static std::once_flag at_fork;
  std::call_once(at_fork, [] { pthread_atfork(lock_live, unlock_live, unlock_live); });
#endif
  std::uint32_t tid = 0;
  while (tid == 0) {
    tid = next_tid.fetch_add(1, std::memory_order_relaxed) &
          static_cast<std::uint32_t>(robust_lock::kTidMask);
  }
  std::lock_guard<std::mutex> hold(live_mutex);
  live_tids.insert(tid);
  self.tid = tid;
  return self;
}

bool robust_lock::holder_gone(std::uint64_t seen) const noexcept {
  const auto pid = static_cast<std::uint32_t>(seen >> 32);
  const auto tid = static_cast<std::uint32_t>(seen & kTidMask);
  // A damaged word is not taken for a dead owner.
  if (pid == 0 || tid == 0) return false;
  if (pid == this_process().pid) return !thread_running(tid);
  // The start token tells a reused pid apart, when the stamp is the owner's
  // (its owner writes it just after taking the word).
  const std::uint64_t stamp = stamp_.load(std::memory_order_relaxed);
  const auto start = (stamp >> 32) == pid ? static_cast<std::uint32_t>(stamp) : 0;
  return process_gone(pid, start);
}

robust_lock::result robust_lock::acquire_contended(std::uint64_t mine, const deadline* until,
                                                   bool try_only) {
  if (!try_only) {
    spin_until(&word_, [&] {
      const std::uint64_t owner = word_.load(std::memory_order_relaxed) & ~kOwnerDied;
      return owner == 0 || owner == mine;
    });
  }
  backoff pauses;
  for (;;) {
    std::uint64_t seen = word_.load(std::memory_order_relaxed);
    const std::uint64_t owner = seen & ~kOwnerDied;
    if (owner == 0) {
      if (word_.compare_exchange_weak(seen, mine | (seen & kOwnerDied),
                                      std::memory_order_acquire)) {
        record_owner();
        return (seen & kOwnerDied) != 0 ? result::owner_died : result::acquired;
      }
      continue;
    }
    if (owner == mine) return result::held_by_caller;
    // The owner's death is looked for once the wait has lasted (each look
    // reads /proc or asks the system), and at once for a try.
    if ((try_only || pauses.capped()) && holder_gone(seen)) {
      if (word_.compare_exchange_strong(seen, mine | kOwnerDied, std::memory_order_acquire)) {
        record_owner();
        return result::owner_died;
      }
      continue;
    }
    if (try_only || !pauses.pause(until)) return result::busy;
  }
}

}  // namespace sync_detail
}  // namespace refipc

#endif  // !REFIPC_WAIT_FUTEX
