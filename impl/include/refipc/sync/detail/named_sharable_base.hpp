// The exclusive and sharable operations shared by named_sharable_mutex and
// named_upgradable_mutex, forwarded to the mutex in the named object. Not
// part of the API.
#ifndef REFIPC_SYNC_DETAIL_NAMED_SHARABLE_BASE_HPP_
#define REFIPC_SYNC_DETAIL_NAMED_SHARABLE_BASE_HPP_

#include <chrono>

#include "refipc/sync/detail/named_mutex_base.hpp"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {
namespace sync_detail {

// Mutex: interprocess_sharable_mutex or interprocess_upgradable_mutex.
template <class Mutex>
class named_sharable_base : public named_mutex_base<Mutex> {
 public:
  void lock_sharable() { this->mutex().lock_sharable(); }
  bool try_lock_sharable() noexcept { return this->mutex().try_lock_sharable(); }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock_sharable(const TimePoint& abs_time) {
    return this->mutex().timed_lock_sharable(abs_time);
  }
  void unlock_sharable() { this->mutex().unlock_sharable(); }

  void lock_shared() { this->mutex().lock_shared(); }
  bool try_lock_shared() noexcept { return this->mutex().try_lock_shared(); }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool try_lock_shared_until(const TimePoint& abs_time) {
    return this->mutex().try_lock_shared_until(abs_time);
  }
  template <class Duration, sync_detail::if_duration<Duration> = 0>
  bool try_lock_shared_for(const Duration& rel_time) {
    return this->mutex().try_lock_shared_for(rel_time);
  }
  void unlock_shared() { this->mutex().unlock_shared(); }

 protected:
  using named_mutex_base<Mutex>::named_mutex_base;
  ~named_sharable_base() = default;
};

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_NAMED_SHARABLE_BASE_HPP_
