// scoped_lock: exclusive ownership of a mutex for the lifetime of a scope.
#ifndef REFIPC_SYNC_SCOPED_LOCK_HPP_
#define REFIPC_SYNC_SCOPED_LOCK_HPP_

#include <chrono>
#include <utility>

#include "refipc/exceptions.hpp"
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
class scoped_lock {
 public:
  using mutex_type = Mutex;

  scoped_lock() noexcept = default;
  explicit scoped_lock(mutex_type& m) : mutex_(&m) {
    m.lock();
    owns_ = true;
  }
  scoped_lock(mutex_type& m, defer_lock_type) noexcept : mutex_(&m) {}
  scoped_lock(mutex_type& m, accept_ownership_type) noexcept : mutex_(&m), owns_(true) {}
  scoped_lock(mutex_type& m, try_to_lock_type) : mutex_(&m), owns_(m.try_lock()) {}
  template <class Clock, class Duration>
  scoped_lock(mutex_type& m, const std::chrono::time_point<Clock, Duration>& abs_time)
      : mutex_(&m), owns_(m.timed_lock(abs_time)) {}

  scoped_lock(scoped_lock&& other) noexcept
      : mutex_(std::exchange(other.mutex_, nullptr)), owns_(std::exchange(other.owns_, false)) {}
  explicit scoped_lock(upgradable_lock<mutex_type>&& upgr) {
    if (upgr.owns()) {
      upgr.mutex()->unlock_upgradable_and_lock();
      owns_ = true;
    }
    mutex_ = upgr.release();
  }
  scoped_lock(upgradable_lock<mutex_type>&& upgr, try_to_lock_type) {
    take_if(upgr, [&] { return upgr.mutex()->try_unlock_upgradable_and_lock(); });
  }
  template <class Clock, class Duration>
  scoped_lock(upgradable_lock<mutex_type>&& upgr,
              const std::chrono::time_point<Clock, Duration>& abs_time) {
    take_if(upgr, [&] { return upgr.mutex()->timed_unlock_upgradable_and_lock(abs_time); });
  }
  scoped_lock(sharable_lock<mutex_type>&& shar, try_to_lock_type) {
    take_if(shar, [&] { return shar.mutex()->try_unlock_sharable_and_lock(); });
  }
  // Unlocks the mutex owned before, if any, then takes other's state.
  scoped_lock& operator=(scoped_lock&& other) {
    if (this != &other) {
      if (owns_) mutex_->unlock();
      mutex_ = std::exchange(other.mutex_, nullptr);
      owns_ = std::exchange(other.owns_, false);
    }
    return *this;
  }
  scoped_lock(const scoped_lock&) = delete;
  scoped_lock& operator=(const scoped_lock&) = delete;
  ~scoped_lock() {
    if (owns_) mutex_->unlock();
  }

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
  template <class Clock, class Duration>
  bool timed_lock(const std::chrono::time_point<Clock, Duration>& abs_time) {
    check_can_lock();
    return adopt_on_owner_death([&] { return mutex_->timed_lock(abs_time); });
  }
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration>& abs_time) {
    return timed_lock(abs_time);
  }
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period>& rel_time) {
    check_can_lock();
    return adopt_on_owner_death([&] { return mutex_->try_lock_for(rel_time); });
  }
  void unlock() {
    if (mutex_ == nullptr || !owns_) throw lock_exception();
    mutex_->unlock();
    owns_ = false;
  }

  bool owns() const noexcept { return owns_; }
  explicit operator bool() const noexcept { return owns_; }
  mutex_type* mutex() const noexcept { return mutex_; }
  // Forgets the mutex without unlocking it.
  mutex_type* release() noexcept {
    owns_ = false;
    return std::exchange(mutex_, nullptr);
  }
  void swap(scoped_lock& other) noexcept {
    std::swap(mutex_, other.mutex_);
    std::swap(owns_, other.owns_);
  }

 private:
  void check_can_lock() const {
    if (mutex_ == nullptr || owns_) throw lock_exception();
  }
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

  // A conditional transfer from `source`: an owning source is taken over
  // only if `convert` succeeds; one that does not own hands over its mutex.
  template <class Source, class F>
  void take_if(Source& source, F convert) {
    if (source.owns()) {
      if (!convert()) return;
      owns_ = true;
    }
    mutex_ = source.release();
  }

  mutex_type* mutex_ = nullptr;
  bool owns_ = false;
};

template <class Mutex>
void swap(scoped_lock<Mutex>& a, scoped_lock<Mutex>& b) noexcept {
  a.swap(b);
}

}  // namespace refipc

#endif  // REFIPC_SYNC_SCOPED_LOCK_HPP_
