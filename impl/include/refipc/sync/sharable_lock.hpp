// sharable_lock: sharable ownership of a mutex for the lifetime of a scope.
#ifndef REFIPC_SYNC_SHARABLE_LOCK_HPP_
#define REFIPC_SYNC_SHARABLE_LOCK_HPP_

#include <chrono>
#include <utility>

#include "refipc/exceptions.hpp"
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
class sharable_lock {
 public:
  using mutex_type = Mutex;

  sharable_lock() noexcept = default;
  explicit sharable_lock(mutex_type& m) : mutex_(&m) {
    m.lock_sharable();
    owns_ = true;
  }
  sharable_lock(mutex_type& m, defer_lock_type) noexcept : mutex_(&m) {}
  sharable_lock(mutex_type& m, accept_ownership_type) noexcept : mutex_(&m), owns_(true) {}
  sharable_lock(mutex_type& m, try_to_lock_type) : mutex_(&m), owns_(m.try_lock_sharable()) {}
  template <class Clock, class Duration>
  sharable_lock(mutex_type& m, const std::chrono::time_point<Clock, Duration>& abs_time)
      : mutex_(&m), owns_(m.timed_lock_sharable(abs_time)) {}

  sharable_lock(sharable_lock&& other) noexcept
      : mutex_(std::exchange(other.mutex_, nullptr)), owns_(std::exchange(other.owns_, false)) {}
  explicit sharable_lock(upgradable_lock<mutex_type>&& upgr) {
    if (upgr.owns()) {
      upgr.mutex()->unlock_upgradable_and_lock_sharable();
      owns_ = true;
    }
    mutex_ = upgr.release();
  }
  explicit sharable_lock(scoped_lock<mutex_type>&& scop) {
    if (scop.owns()) {
      scop.mutex()->unlock_and_lock_sharable();
      owns_ = true;
    }
    mutex_ = scop.release();
  }
  // Unlocks the mutex owned before, if any, then takes other's state.
  sharable_lock& operator=(sharable_lock&& other) {
    if (this != &other) {
      if (owns_) mutex_->unlock_sharable();
      mutex_ = std::exchange(other.mutex_, nullptr);
      owns_ = std::exchange(other.owns_, false);
    }
    return *this;
  }
  sharable_lock(const sharable_lock&) = delete;
  sharable_lock& operator=(const sharable_lock&) = delete;
  ~sharable_lock() {
    if (owns_) mutex_->unlock_sharable();
  }

  void lock() {
    check_can_lock();
    mutex_->lock_sharable();
    owns_ = true;
  }
  bool try_lock() {
    check_can_lock();
    return owns_ = mutex_->try_lock_sharable();
  }
  template <class Clock, class Duration>
  bool timed_lock(const std::chrono::time_point<Clock, Duration>& abs_time) {
    check_can_lock();
    return owns_ = mutex_->timed_lock_sharable(abs_time);
  }
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration>& abs_time) {
    check_can_lock();
    return owns_ = mutex_->try_lock_shared_until(abs_time);
  }
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period>& rel_time) {
    check_can_lock();
    return owns_ = mutex_->try_lock_shared_for(rel_time);
  }
  void unlock() {
    if (mutex_ == nullptr || !owns_) throw lock_exception();
    mutex_->unlock_sharable();
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
  void swap(sharable_lock& other) noexcept {
    std::swap(mutex_, other.mutex_);
    std::swap(owns_, other.owns_);
  }

 private:
  void check_can_lock() const {
    if (mutex_ == nullptr || owns_) throw lock_exception();
  }

  mutex_type* mutex_ = nullptr;
  bool owns_ = false;
};

template <class Mutex>
void swap(sharable_lock<Mutex>& a, sharable_lock<Mutex>& b) noexcept {
  a.swap(b);
}

}  // namespace refipc

#endif  // REFIPC_SYNC_SHARABLE_LOCK_HPP_
