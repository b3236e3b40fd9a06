// A process-shared, non-recursive mutex built on a robust futex.
#ifndef REFIPC_SYNC_INTERPROCESS_MUTEX_HPP_
#define REFIPC_SYNC_INTERPROCESS_MUTEX_HPP_

#include <chrono>

#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/futex.hpp"
#include "refipc/sync/detail/robust_lock.hpp"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {

// Place it in shared memory or a mapped file and lock it from any thread of
// any process that maps it. Construction cannot fail.
//
// Timed operations take std::chrono time points: a system_clock deadline
// follows the wall clock, a steady_clock deadline (and try_lock_for) is not
// affected when the wall clock is set; other clocks are converted through
// their current time.
//
// Stricter than Boost: lock() by the thread that already holds the mutex
// throws lock_exception instead of deadlocking (try_lock() and the timed
// forms return false), and unlock() by a thread that does not hold it throws
// lock_exception.
//
// Owner death (beyond Boost): when the owning thread ends while holding the
// mutex (its process exits, _exits, is killed, or execs), the kernel releases
// the mutex and marks it. The next lock operation to take it returns with the
// mutex held and throws owner_dead_exception. The new owner repairs the
// protected data, calls consistent(), and unlocks. A mutex unlocked without
// consistent() reports the death to its next owner as well. See
// refipc/sync/detail/robust_lock.hpp for the mechanism, which shares each
// thread's robust list with glibc's robust mutexes.
class interprocess_mutex {
 public:
  interprocess_mutex() noexcept = default;
  interprocess_mutex(const interprocess_mutex&) = delete;
  interprocess_mutex& operator=(const interprocess_mutex&) = delete;
  // Must not be held or waited on by anyone. A held mutex is linked into its
  // owner's robust list, so it must not be destroyed or unmapped while held.
  ~interprocess_mutex() = default;

  void lock();
  bool try_lock();
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock(const TimePoint& abs_time) {
    return lock_until(sync_detail::make_deadline(abs_time));
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool try_lock_until(const TimePoint& abs_time) {
    return timed_lock(abs_time);
  }
  template <class Duration, sync_detail::if_duration<Duration> = 0>
  bool try_lock_for(const Duration& rel_time) {
    return lock_until(sync_detail::deadline_after(rel_time));
  }
  void unlock();

  // By the owner, after owner_dead_exception: the protected state has been
  // repaired, so later owners are not told of the death. lock_exception if
  // the caller does not hold the mutex.
  void consistent();

 private:
  bool lock_until(const sync_detail::deadline& until);

  sync_detail::robust_lock lock_;
};

}  // namespace refipc

#endif  // REFIPC_SYNC_INTERPROCESS_MUTEX_HPP_
