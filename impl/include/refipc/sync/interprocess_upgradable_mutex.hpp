// A process-shared mutex with exclusive, sharable and upgradable ownership.
#ifndef REFIPC_SYNC_INTERPROCESS_UPGRADABLE_MUTEX_HPP_
#define REFIPC_SYNC_INTERPROCESS_UPGRADABLE_MUTEX_HPP_

#include <chrono>

#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/futex.hpp"
#include "refipc/sync/detail/sharable_mutex_base.hpp"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {

// Place it in shared memory or a mapped file. Owners may hold it exclusively
// (one writer, nobody else), sharable (many readers) or upgradable (one
// privileged reader, alongside sharable owners). The conversions change the
// caller's ownership atomically: no other thread takes exclusive or
// upgradable ownership in between. A thread waiting for exclusive ownership
// (also by promotion) stops new sharable and upgradable owners from entering,
// so writers are not starved by readers. Non-recursive; construction cannot
// fail.
//
// Timed operations take std::chrono time points and durations with the clock
// rules of interprocess_mutex. Release and conversion functions throw
// lock_exception when nobody holds the mutex in the mode they release. Unlike
// interprocess_mutex, the death of an owner is not detected.
class interprocess_upgradable_mutex : public sync_detail::sharable_mutex_base {
 public:
  interprocess_upgradable_mutex() noexcept = default;
  interprocess_upgradable_mutex(const interprocess_upgradable_mutex&) = delete;
  interprocess_upgradable_mutex& operator=(const interprocess_upgradable_mutex&) = delete;
  // Must not be held or waited on by anyone.
  ~interprocess_upgradable_mutex() = default;

  // Exclusive and sharable ownership: see sharable_mutex_base.

  // Upgradable ownership.
  void lock_upgradable() { lock_.lock_upgradable(); }
  bool try_lock_upgradable() noexcept { return lock_.try_lock_upgradable(); }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock_upgradable(const TimePoint& abs_time) {
    return lock_.lock_upgradable_until(sync_detail::make_deadline(abs_time));
  }
  void unlock_upgradable() { lock_.unlock_upgradable(); }

  // Demotions: never block.
  void unlock_and_lock_upgradable() { lock_.unlock_and_lock_upgradable(); }
  void unlock_and_lock_sharable() { lock_.unlock_and_lock_sharable(); }
  void unlock_upgradable_and_lock_sharable() { lock_.unlock_upgradable_and_lock_sharable(); }

  // Promotions. The upgradable one waits for the sharable owners to leave;
  // its try and timed forms keep upgradable ownership when they fail. The
  // sharable ones only try, and keep sharable ownership when they fail.
  void unlock_upgradable_and_lock() { lock_.unlock_upgradable_and_lock(); }
  bool try_unlock_upgradable_and_lock() { return lock_.try_unlock_upgradable_and_lock(); }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_unlock_upgradable_and_lock(const TimePoint& abs_time) {
    return lock_.unlock_upgradable_and_lock_until(sync_detail::make_deadline(abs_time));
  }
  bool try_unlock_sharable_and_lock() { return lock_.try_unlock_sharable_and_lock(); }
  bool try_unlock_sharable_and_lock_upgradable() {
    return lock_.try_unlock_sharable_and_lock_upgradable();
  }
};

}  // namespace refipc

#endif  // REFIPC_SYNC_INTERPROCESS_UPGRADABLE_MUTEX_HPP_
