// upgradable_lock: upgradable ownership of a mutex for the lifetime of a
// scope.
#ifndef REFIPC_SYNC_UPGRADABLE_LOCK_HPP_
#define REFIPC_SYNC_UPGRADABLE_LOCK_HPP_

#include <chrono>
#include <utility>

#include "refipc/exceptions.hpp"
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
class upgradable_lock {
 public:
  using mutex_type = Mutex;

  upgradable_lock() noexcept = default;
  explicit upgradable_lock(mutex_type& m) : mutex_(&m) {
    m.lock_upgradable();
    owns_ = true;
  }
  upgradable_lock(mutex_type& m, defer_lock_type) noexcept : mutex_(&m) {}
  upgradable_lock(mutex_type& m, accept_ownership_type) noexcept : mutex_(&m), owns_(true) {}
  upgradable_lock(mutex_type& m, try_to_lock_type) : mutex_(&m), owns_(m.try_lock_upgradable()) {}
  template <class Clock, class Duration>
  upgradable_lock(mutex_type& m, const std::chrono::time_point<Clock, Duration>& abs_time)
      : mutex_(&m), owns_(m.timed_lock_upgradable(abs_time)) {}

  upgradable_lock(upgradable_lock&& other) noexcept
      : mutex_(std::exchange(other.mutex_, nullptr)), owns_(std::exchange(other.owns_, false)) {}
  explicit upgradable_lock(scoped_lock<mutex_type>&& scop) {
    if (scop.owns()) {
      scop.mutex()->unlock_and_lock_upgradable();
      owns_ = true;
    }
    mutex_ = scop.release();
  }
  upgradable_lock(sharable_lock<mutex_type>&& shar, try_to_lock_type) {
    if (shar.owns()) {
      if (!shar.mutex()->try_unlock_sharable_and_lock_upgradable()) return;
      owns_ = true;
    }
    mutex_ = shar.release();
  }
  // Unlocks the mutex owned before, if any, then takes other's state.
  upgradable_lock& operator=(upgradable_lock&& other) {
    if (this != &other) {
      if (owns_) mutex_->unlock_upgradable();
      mutex_ = std::exchange(other.mutex_, nullptr);
      owns_ = std::exchange(other.owns_, false);
    }
    return *this;
  }
  upgradable_lock(const upgradable_lock&) = delete;
  upgradable_lock& operator=(const upgradable_lock&) = delete;
  ~upgradable_lock() {
    if (owns_) mutex_->unlock_upgradable();
  }

  void lock() {
    check_can_lock();
    mutex_->lock_upgradable();
    owns_ = true;
  }
  bool try_lock() {
    check_can_lock();
    return owns_ = mutex_->try_lock_upgradable();
  }
  template <class Clock, class Duration>
  bool timed_lock(const std::chrono::time_point<Clock, Duration>& abs_time) {
    check_can_lock();
    return owns_ = mutex_->timed_lock_upgradable(abs_time);
  }
  void unlock() {
    if (mutex_ == nullptr || !owns_) throw lock_exception();
    mutex_->unlock_upgradable();
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
  void swap(upgradable_lock& other) noexcept {
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
void swap(upgradable_lock<Mutex>& a, upgradable_lock<Mutex>& b) noexcept {
  a.swap(b);
}

}  // namespace refipc

#endif  // REFIPC_SYNC_UPGRADABLE_LOCK_HPP_
