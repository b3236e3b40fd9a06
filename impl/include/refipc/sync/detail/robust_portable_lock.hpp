// robust_lock with the portable wait backend (robust_lock.hpp): the owner's
// process id and thread token in one 64-bit word, the owner process's start
// token beside it. A waiter polls the word with backoff; once it has waited
// about a millisecond (at once for a try), it asks the operating system
// whether the owner process still runs (or, for an owner in its own process,
// whether the owner thread still runs), and takes over the lock of a dead
// one as "owner died". Include robust_lock.hpp.
//
// Word: bits 0-29 the owner thread's token (unique in its process, 0:
// unlocked), bit 30 owner died (as FUTEX_OWNER_DIED), bits 32-63 the owner's
// process id. Stamp: the owner's process id (bits 32-63) and start token
// (bits 0-31; see process_identity.hpp), written by the owner just after it
// takes the word and cleared just before it releases it.
#ifndef REFIPC_SYNC_DETAIL_ROBUST_PORTABLE_LOCK_HPP_
#define REFIPC_SYNC_DETAIL_ROBUST_PORTABLE_LOCK_HPP_

#include <atomic>
#include <cstdint>

#include "refipc/sync/detail/futex.hpp"
#include "refipc/sync/detail/process_identity.hpp"

namespace refipc {
namespace sync_detail {

// The calling thread's identity in lock words.
struct robust_thread {
  std::uint32_t tid;  // a token unique among the threads of this process
};

// This thread's identity, made on first use.
robust_thread& registered_thread();

class robust_lock {
 public:
  enum class result { busy, acquired, owner_died, held_by_caller };

  robust_lock() noexcept = default;
  robust_lock(const robust_lock&) = delete;
  robust_lock& operator=(const robust_lock&) = delete;

  // As the futex backend's: takes the lock for thread `self`, waiting until
  // `until` (forever when null) unless `try_only`.
  result acquire(robust_thread& self, const deadline* until, bool try_only) {
    const std::uint64_t mine = word_of(self);
    std::uint64_t expected = 0;
    if (!word_.compare_exchange_strong(expected, mine, std::memory_order_acquire)) {
      return acquire_contended(mine, until, try_only);
    }
    record_owner();
    return result::acquired;
  }

  // Releases a lock held by `self` (the caller checks owned_by first).
  void release(robust_thread&) noexcept {
    stamp_.store(0, std::memory_order_relaxed);
    const std::uint64_t keep = word_.load(std::memory_order_relaxed) & kOwnerDied;
    // Release: the next owner sees the protected state, and the cleared
    // stamp (docs/design.md, "Wait backends"). A seq_cst exchange, not a
    // store: the message queue orders its commits before its later loads
    // with it, pairing with observe(), which needs every change of the word
    // after its creation to be a read-modify-write.
    word_.exchange(keep, std::memory_order_seq_cst);
  }

  bool owned_by(const robust_thread& self) const noexcept {
    return self.tid != 0 && (word_.load(std::memory_order_relaxed) & ~kOwnerDied) == word_of(self);
  }
  // Whether the word names an owner no lock operation could have left: a
  // process id without a thread token or the reverse.
  bool names_impossible_owner() const noexcept {
    const std::uint64_t w = word_.load(std::memory_order_relaxed);
    return ((w >> 32) == 0) != ((w & kTidMask) == 0);
  }
  // As the futex backend's: a seq_cst read of the word for its place in the
  // total order (docs/design.md, the message queue's gates).
  void observe() const noexcept { static_cast<void>(word_.load(std::memory_order_seq_cst)); }
  bool inconsistent() const noexcept {
    return (word_.load(std::memory_order_relaxed) & kOwnerDied) != 0;
  }
  // By the owner: the state protected by the lock has been repaired.
  void mark_consistent() noexcept { word_.fetch_and(~kOwnerDied, std::memory_order_relaxed); }

  static constexpr std::uint64_t kTidMask = (std::uint64_t{1} << 30) - 1;
  static constexpr std::uint64_t kOwnerDied = std::uint64_t{1} << 30;

 private:
  static std::uint64_t word_of(const robust_thread& self) noexcept {
    return std::uint64_t{this_process().pid} << 32 | self.tid;
  }
  result acquire_contended(std::uint64_t mine, const deadline* until, bool try_only);
  // Whether the owner named by `seen` belongs to a process that has ended.
  bool holder_gone(std::uint64_t seen) const noexcept;
  void record_owner() noexcept {
    const process_stamp self = this_process();
    stamp_.store(std::uint64_t{self.pid} << 32 | self.start, std::memory_order_relaxed);
  }
  // Checks the layout (a friend has access to the private members).
  friend struct robust_lock_layout;

  std::atomic<std::uint64_t> word_{0};
  std::atomic<std::uint64_t> stamp_{0};
  unsigned char unused_[24] = {};
};

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_ROBUST_PORTABLE_LOCK_HPP_
