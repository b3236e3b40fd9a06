// scoped_lock: exclusive ownership of a mutex for the lifetime of a scope.
#ifndef REFIPC_SYNC_SCOPED_LOCK_HPP_
#define REFIPC_SYNC_SCOPED_LOCK_HPP_

#include <chrono>
#include <utility>

#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/lock_base.hpp"
#include "refipc/sync/detail/time_types.hpp"
#include "refipc/sync/lock_options.hpp"

namespace refipc {

template <class Mutex>
class sharable_lock;
template <class Mutex>
class upgradable_lock;

// Holds a pointer to a mutex and whether it owns it; the destructor unlocks an
// owned mutex. Movable, not copyable. Only the members that are used need the
// mutex to support them (try_lock, timed_lock, ...).
//
// lock(), try_lock() and the timed forms throw lock_exception when there is
// no mutex or it is already owned; unlock() when there is no mutex or it is
// not owned.
//
// Ownership moves in from an upgradable_lock of the same mutex type
// (unlock_upgradable_and_lock, which waits for the sharable owners to leave,
// or its try and timed forms) and from a sharable_lock only with try_to_lock
// (try_unlock_sharable_and_lock). When a try or timed conversion fails, the
// source keeps its ownership and this lock is as if default constructed. A
// source that does not own its mutex hands over the mutex unlocked. If the
// conversion throws, the source keeps its ownership.
//
// Owner death: if a member lock function throws owner_dead_exception, the
// scoped_lock owns the mutex (and unlocks it when destroyed). If a
// constructor throws it, no scoped_lock exists but the caller holds the
// mutex: adopt it with scoped_lock(m, accept_ownership).
template <class Mutex>
class scoped_lock : public sync_detail::lock_base<Mutex, sync_detail::exclusive_ownership> {
  using base = sync_detail::lock_base<Mutex, sync_detail::exclusive_ownership>;
  using base::check_can_lock;
  using base::mutex_;
  using base::owns_;

 public:
  using mutex_type = Mutex;

  scoped_lock() noexcept = default;
  explicit scoped_lock(mutex_type& m) : base(&m, false) {
    m.lock();
    owns_ = true;
  }
  scoped_lock(mutex_type& m, defer_lock_type) noexcept : base(&m, false) {}
  scoped_lock(mutex_type& m, accept_ownership_type) noexcept : base(&m, true) {}
  scoped_lock(mutex_type& m, try_to_lock_type) : base(&m, m.try_lock()) {}
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  scoped_lock(mutex_type& m, const TimePoint& abs_time) : base(&m, m.timed_lock(abs_time)) {}

  scoped_lock(scoped_lock&& other) noexcept = default;
  explicit scoped_lock(upgradable_lock<mutex_type>&& upgr) {
    this->take(upgr, [&] { upgr.mutex()->unlock_upgradable_and_lock(); });
  }
  scoped_lock(upgradable_lock<mutex_type>&& upgr, try_to_lock_type) {
    this->take_if(upgr, [&] { return upgr.mutex()->try_unlock_upgradable_and_lock(); });
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  scoped_lock(upgradable_lock<mutex_type>&& upgr, const TimePoint& abs_time) {
    this->take_if(upgr, [&] { return upgr.mutex()->timed_unlock_upgradable_and_lock(abs_time); });
  }
  scoped_lock(sharable_lock<mutex_type>&& shar, try_to_lock_type) {
    this->take_if(shar, [&] { return shar.mutex()->try_unlock_sharable_and_lock(); });
  }
  // Unlocks the mutex owned before, if any, then takes other's state.
  scoped_lock& operator=(scoped_lock&& other) = default;

  void lock() {
    check_can_lock();
    adopt_on_owner_death([&] {
      mutex_->lock();
      return true;
    });
  }
  bool try_lock() {
    check_can_lock();
    return adopt_on_owner_death([&] { return mutex_->try_lock(); });
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock(const TimePoint& abs_time) {
    check_can_lock();
    return adopt_on_owner_death([&] { return mutex_->timed_lock(abs_time); });
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool try_lock_until(const TimePoint& abs_time) {
    return timed_lock(abs_time);
  }
  template <class Duration, sync_detail::if_duration<Duration> = 0>
  bool try_lock_for(const Duration& rel_time) {
    check_can_lock();
    return adopt_on_owner_death([&] { return mutex_->try_lock_for(rel_time); });
  }

 private:
  template <class F>
  bool adopt_on_owner_death(F attempt) {
    try {
      owns_ = attempt();
    } catch (const owner_dead_exception&) {
      owns_ = true;
      throw;
    }
    return owns_;
  }
};

template <class Mutex>
void swap(scoped_lock<Mutex>& a, scoped_lock<Mutex>& b) noexcept {
  a.swap(b);
}

}  // namespace refipc

#endif  // REFIPC_SYNC_SCOPED_LOCK_HPP_
