// sharable_lock: sharable ownership of a mutex for the lifetime of a scope.
#ifndef REFIPC_SYNC_SHARABLE_LOCK_HPP_
#define REFIPC_SYNC_SHARABLE_LOCK_HPP_

#include <chrono>
#include <utility>

#include "refipc/sync/detail/lock_base.hpp"
#include "refipc/sync/detail/time_types.hpp"
#include "refipc/sync/lock_options.hpp"

namespace refipc {

template <class Mutex>
class scoped_lock;
template <class Mutex>
class upgradable_lock;

// Like scoped_lock, for the sharable operations of the mutex (lock_sharable,
// try_lock_sharable, timed_lock_sharable, unlock_sharable); only the ones
// used need to exist. The destructor calls unlock_sharable() when the lock
// owns the mutex.
//
// lock(), try_lock() and the timed forms throw lock_exception when there is
// no mutex or it is already owned; unlock() when there is no mutex or it is
// not owned.
//
// Ownership moves in from an upgradable_lock or a scoped_lock of the same
// mutex type, always without waiting (unlock_upgradable_and_lock_sharable or
// unlock_and_lock_sharable). A source that does not own its mutex hands over
// the mutex unlocked. If the conversion throws, the source keeps its
// ownership.
template <class Mutex>
class sharable_lock : public sync_detail::lock_base<Mutex, sync_detail::sharable_ownership> {
  using base = sync_detail::lock_base<Mutex, sync_detail::sharable_ownership>;
  using base::check_can_lock;
  using base::mutex_;
  using base::owns_;

 public:
  using mutex_type = Mutex;

  sharable_lock() noexcept = default;
  explicit sharable_lock(mutex_type& m) : base(&m, false) {
    m.lock_sharable();
    owns_ = true;
  }
  sharable_lock(mutex_type& m, defer_lock_type) noexcept : base(&m, false) {}
  sharable_lock(mutex_type& m, accept_ownership_type) noexcept : base(&m, true) {}
  sharable_lock(mutex_type& m, try_to_lock_type) : base(&m, m.try_lock_sharable()) {}
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  sharable_lock(mutex_type& m, const TimePoint& abs_time)
      : base(&m, m.timed_lock_sharable(abs_time)) {}

  sharable_lock(sharable_lock&& other) noexcept = default;
  explicit sharable_lock(upgradable_lock<mutex_type>&& upgr) {
    this->take(upgr, [&] { upgr.mutex()->unlock_upgradable_and_lock_sharable(); });
  }
  explicit sharable_lock(scoped_lock<mutex_type>&& scop) {
    this->take(scop, [&] { scop.mutex()->unlock_and_lock_sharable(); });
  }
  // Unlocks the mutex owned before, if any, then takes other's state.
  sharable_lock& operator=(sharable_lock&& other) = default;

  void lock() {
    check_can_lock();
    mutex_->lock_sharable();
    owns_ = true;
  }
  bool try_lock() {
    check_can_lock();
    return owns_ = mutex_->try_lock_sharable();
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock(const TimePoint& abs_time) {
    check_can_lock();
    return owns_ = mutex_->timed_lock_sharable(abs_time);
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool try_lock_until(const TimePoint& abs_time) {
    check_can_lock();
    return owns_ = mutex_->try_lock_shared_until(abs_time);
  }
  template <class Duration, sync_detail::if_duration<Duration> = 0>
  bool try_lock_for(const Duration& rel_time) {
    check_can_lock();
    return owns_ = mutex_->try_lock_shared_for(rel_time);
  }
};

template <class Mutex>
void swap(sharable_lock<Mutex>& a, sharable_lock<Mutex>& b) noexcept {
  a.swap(b);
}

}  // namespace refipc

#endif  // REFIPC_SYNC_SHARABLE_LOCK_HPP_
