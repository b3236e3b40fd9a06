// upgradable_lock: upgradable ownership of a mutex for the lifetime of a
// scope.
#ifndef REFIPC_SYNC_UPGRADABLE_LOCK_HPP_
#define REFIPC_SYNC_UPGRADABLE_LOCK_HPP_

#include <chrono>
#include <utility>

#include "refipc/sync/detail/lock_base.hpp"
#include "refipc/sync/detail/time_types.hpp"
#include "refipc/sync/lock_options.hpp"

namespace refipc {

template <class Mutex>
class scoped_lock;
template <class Mutex>
class sharable_lock;

// Like scoped_lock, for the upgradable operations of the mutex
// (lock_upgradable, try_lock_upgradable, timed_lock_upgradable,
// unlock_upgradable); only the ones used need to exist. The destructor calls
// unlock_upgradable() when the lock owns the mutex.
//
// lock(), try_lock() and timed_lock() throw lock_exception when there is no
// mutex or it is already owned; unlock() when there is no mutex or it is not
// owned.
//
// Ownership moves in from a scoped_lock without waiting
// (unlock_and_lock_upgradable), and from a sharable_lock only with
// try_to_lock (try_unlock_sharable_and_lock_upgradable). When that try fails,
// the sharable_lock keeps its ownership and this lock is as if default
// constructed. A source that does not own its mutex hands over the mutex
// unlocked. If the conversion throws, the source keeps its ownership.
template <class Mutex>
class upgradable_lock : public sync_detail::lock_base<Mutex, sync_detail::upgradable_ownership> {
  using base = sync_detail::lock_base<Mutex, sync_detail::upgradable_ownership>;
  using base::check_can_lock;
  using base::mutex_;
  using base::owns_;

 public:
  using mutex_type = Mutex;

  upgradable_lock() noexcept = default;
  explicit upgradable_lock(mutex_type& m) : base(&m, false) {
    m.lock_upgradable();
    owns_ = true;
  }
  upgradable_lock(mutex_type& m, defer_lock_type) noexcept : base(&m, false) {}
  upgradable_lock(mutex_type& m, accept_ownership_type) noexcept : base(&m, true) {}
  upgradable_lock(mutex_type& m, try_to_lock_type) : base(&m, m.try_lock_upgradable()) {}
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  upgradable_lock(mutex_type& m, const TimePoint& abs_time)
      : base(&m, m.timed_lock_upgradable(abs_time)) {}

  upgradable_lock(upgradable_lock&& other) noexcept = default;
  explicit upgradable_lock(scoped_lock<mutex_type>&& scop) {
    this->take(scop, [&] { scop.mutex()->unlock_and_lock_upgradable(); });
  }
  upgradable_lock(sharable_lock<mutex_type>&& shar, try_to_lock_type) {
    this->take_if(shar, [&] { return shar.mutex()->try_unlock_sharable_and_lock_upgradable(); });
  }
  // Unlocks the mutex owned before, if any, then takes other's state.
  upgradable_lock& operator=(upgradable_lock&& other) = default;

  void lock() {
    check_can_lock();
    mutex_->lock_upgradable();
    owns_ = true;
  }
  bool try_lock() {
    check_can_lock();
    return owns_ = mutex_->try_lock_upgradable();
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock(const TimePoint& abs_time) {
    check_can_lock();
    return owns_ = mutex_->timed_lock_upgradable(abs_time);
  }
};

template <class Mutex>
void swap(upgradable_lock<Mutex>& a, upgradable_lock<Mutex>& b) noexcept {
  a.swap(b);
}

}  // namespace refipc

#endif  // REFIPC_SYNC_UPGRADABLE_LOCK_HPP_
