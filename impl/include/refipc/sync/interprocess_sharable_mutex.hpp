// A process-shared mutex with exclusive and sharable ownership.
#ifndef REFIPC_SYNC_INTERPROCESS_SHARABLE_MUTEX_HPP_
#define REFIPC_SYNC_INTERPROCESS_SHARABLE_MUTEX_HPP_

#include <chrono>

#include "refipc/sync/detail/futex.hpp"
#include "refipc/sync/detail/rw_lock.hpp"

namespace refipc {

// Place it in shared memory or a mapped file. Many threads may hold it
// sharable (readers) at a time, or one thread exclusively (a writer). A thread
// waiting for exclusive ownership stops new sharable owners from entering, so
// writers are not starved by readers. Non-recursive; construction cannot fail.
//
// Timed operations take std::chrono time points and durations with the clock
// rules of interprocess_mutex. unlock() and unlock_sharable() throw
// lock_exception when nobody holds the mutex in that mode. Unlike
// interprocess_mutex, the death of an owner is not detected.
class interprocess_sharable_mutex {
 public:
  interprocess_sharable_mutex() noexcept = default;
  interprocess_sharable_mutex(const interprocess_sharable_mutex&) = delete;
  interprocess_sharable_mutex& operator=(const interprocess_sharable_mutex&) = delete;
  // Must not be held or waited on by anyone.
  ~interprocess_sharable_mutex() = default;

  void lock() { lock_.lock(); }
  bool try_lock() noexcept { return lock_.try_lock(); }
  template <class Clock, class Duration>
  bool timed_lock(const std::chrono::time_point<Clock, Duration>& abs_time) {
    return lock_.lock_until(sync_detail::make_deadline(abs_time));
  }
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration>& abs_time) {
    return timed_lock(abs_time);
  }
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period>& rel_time) {
    return lock_.lock_until(sync_detail::deadline_after(rel_time));
  }
  void unlock() { lock_.unlock(); }

  void lock_sharable() { lock_.lock_sharable(); }
  bool try_lock_sharable() noexcept { return lock_.try_lock_sharable(); }
  template <class Clock, class Duration>
  bool timed_lock_sharable(const std::chrono::time_point<Clock, Duration>& abs_time) {
    return lock_.lock_sharable_until(sync_detail::make_deadline(abs_time));
  }
  void unlock_sharable() { lock_.unlock_sharable(); }

  // The standard library's names for the sharable operations.
  void lock_shared() { lock_sharable(); }
  bool try_lock_shared() noexcept { return try_lock_sharable(); }
  template <class Clock, class Duration>
  bool try_lock_shared_until(const std::chrono::time_point<Clock, Duration>& abs_time) {
    return timed_lock_sharable(abs_time);
  }
  template <class Rep, class Period>
  bool try_lock_shared_for(const std::chrono::duration<Rep, Period>& rel_time) {
    return lock_.lock_sharable_until(sync_detail::deadline_after(rel_time));
  }
  void unlock_shared() { unlock_sharable(); }

 private:
  sync_detail::rw_lock lock_;
};

}  // namespace refipc

#endif  // REFIPC_SYNC_INTERPROCESS_SHARABLE_MUTEX_HPP_
