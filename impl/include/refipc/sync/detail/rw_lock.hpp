// The lock word shared by interprocess_sharable_mutex and
// interprocess_upgradable_mutex: exclusive, upgradable and sharable
// ownership in one futex.
#ifndef REFIPC_SYNC_DETAIL_RW_LOCK_HPP_
#define REFIPC_SYNC_DETAIL_RW_LOCK_HPP_

#include <cstdint>

#include "refipc/sync/detail/futex.hpp"

namespace refipc {
namespace sync_detail {

// All state is in state_: a writer bit, an upgradable bit and the number of
// sharable owners. A thread that wants exclusive ownership first sets the
// writer bit (only when neither the writer nor the upgradable bit is set),
// which stops new sharable and upgradable owners, and then waits for the
// sharable owners to leave. So a steady stream of readers cannot starve a
// writer. Promotion from upgradable turns the upgradable bit into the writer
// bit in one step, so no other writer can come between.
//
// Ownership is not recorded per thread. Release and conversion functions
// throw lock_exception when the mutex is in no state of the kind they
// release (for example unlock_sharable() with no sharable owner); a release
// by a thread that is not the owner cannot be detected otherwise. No function
// here detects the death of an owner.
class rw_lock {
 public:
  void lock() { acquire_exclusive(nullptr); }
  bool try_lock() noexcept;
  bool lock_until(const deadline& until) { return acquire_exclusive(&until); }
  void unlock();

  void lock_sharable() { acquire_sharable(nullptr); }
  bool try_lock_sharable() noexcept;
  bool lock_sharable_until(const deadline& until) { return acquire_sharable(&until); }
  void unlock_sharable();

  void lock_upgradable() { acquire_upgradable(nullptr); }
  bool try_lock_upgradable() noexcept;
  bool lock_upgradable_until(const deadline& until) { return acquire_upgradable(&until); }
  void unlock_upgradable();

  void unlock_and_lock_upgradable();
  void unlock_and_lock_sharable();
  void unlock_upgradable_and_lock_sharable();
  void unlock_upgradable_and_lock() { promote_upgradable(nullptr); }
  bool try_unlock_upgradable_and_lock();
  bool unlock_upgradable_and_lock_until(const deadline& until) {
    return promote_upgradable(&until);
  }
  bool try_unlock_sharable_and_lock();
  bool try_unlock_sharable_and_lock_upgradable();

  static constexpr std::uint32_t kWriter = 1u << 31;
  static constexpr std::uint32_t kUpgradable = 1u << 30;
  static constexpr std::uint32_t kReaders = kUpgradable - 1;  // mask of the count

 private:
  bool acquire_exclusive(const deadline* until);
  bool acquire_sharable(const deadline* until);
  bool acquire_upgradable(const deadline* until);
  bool promote_upgradable(const deadline* until);
  // With the writer bit set by this thread: waits until no sharable owner is
  // left. On timeout, replaces the writer bit by `restore` and returns false.
  bool drain_readers(const deadline* until, std::uint32_t restore);
  // Sleeps while state_ == seen; false when the deadline has passed.
  bool wait(std::uint32_t seen, const deadline* until) noexcept;
  void wake_all() noexcept;

  futex_word state_{0};
  futex_word sleepers_{0};
};

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_RW_LOCK_HPP_
