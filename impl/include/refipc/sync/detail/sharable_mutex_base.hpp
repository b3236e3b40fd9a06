// The exclusive and sharable operations shared by
// interprocess_sharable_mutex and interprocess_upgradable_mutex. Not part of
// the API.
#ifndef REFIPC_SYNC_DETAIL_SHARABLE_MUTEX_BASE_HPP_
#define REFIPC_SYNC_DETAIL_SHARABLE_MUTEX_BASE_HPP_

#include <chrono>

#include "refipc/sync/detail/futex.hpp"
#include "refipc/sync/detail/rw_lock.hpp"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {
namespace sync_detail {

class sharable_mutex_base {
 public:
  sharable_mutex_base(const sharable_mutex_base&) = delete;
  sharable_mutex_base& operator=(const sharable_mutex_base&) = delete;

  void lock() { lock_.lock(); }
  bool try_lock() noexcept { return lock_.try_lock(); }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock(const TimePoint& abs_time) {
    return lock_.lock_until(make_deadline(abs_time));
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool try_lock_until(const TimePoint& abs_time) {
    return timed_lock(abs_time);
  }
  template <class Duration, sync_detail::if_duration<Duration> = 0>
  bool try_lock_for(const Duration& rel_time) {
    return lock_.lock_until(deadline_after(rel_time));
  }
  void unlock() { lock_.unlock(); }

  void lock_sharable() { lock_.lock_sharable(); }
  bool try_lock_sharable() noexcept { return lock_.try_lock_sharable(); }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock_sharable(const TimePoint& abs_time) {
    return lock_.lock_sharable_until(make_deadline(abs_time));
  }
  void unlock_sharable() { lock_.unlock_sharable(); }

  // The standard library's names for the sharable operations.
  void lock_shared() { lock_sharable(); }
  bool try_lock_shared() noexcept { return try_lock_sharable(); }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool try_lock_shared_until(const TimePoint& abs_time) {
    return timed_lock_sharable(abs_time);
  }
  template <class Duration, sync_detail::if_duration<Duration> = 0>
  bool try_lock_shared_for(const Duration& rel_time) {
    return lock_.lock_sharable_until(deadline_after(rel_time));
  }
  void unlock_shared() { unlock_sharable(); }

 protected:
  sharable_mutex_base() noexcept = default;
  ~sharable_mutex_base() = default;

  rw_lock lock_;
};

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_SHARABLE_MUTEX_BASE_HPP_
