// A process-shared recursive mutex built on a robust futex.
#ifndef REFIPC_SYNC_INTERPROCESS_RECURSIVE_MUTEX_HPP_
#define REFIPC_SYNC_INTERPROCESS_RECURSIVE_MUTEX_HPP_

#include <chrono>
#include <cstdint>

#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/futex.hpp"
#include "refipc/sync/detail/robust_lock.hpp"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {

// Like interprocess_mutex (placement, clocks, owner death), except that the
// owning thread may lock it again; it is released when it has been unlocked
// as many times as it was locked. unlock() by a thread that does not hold it
// throws lock_exception. After owner_dead_exception the caller holds it once,
// whatever the dead owner's count was.
class interprocess_recursive_mutex {
 public:
  interprocess_recursive_mutex() noexcept = default;
  interprocess_recursive_mutex(const interprocess_recursive_mutex&) = delete;
  interprocess_recursive_mutex& operator=(const interprocess_recursive_mutex&) = delete;
  ~interprocess_recursive_mutex() = default;

  void lock();
  bool try_lock();
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock(const TimePoint& abs_time) {
    const auto until = sync_detail::make_deadline(abs_time);
    return lock_until(&until, false);
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool try_lock_until(const TimePoint& abs_time) {
    return timed_lock(abs_time);
  }
  template <class Duration, sync_detail::if_duration<Duration> = 0>
  bool try_lock_for(const Duration& rel_time) {
    const auto until = sync_detail::deadline_after(rel_time);
    return lock_until(&until, false);
  }
  void unlock();

  // As interprocess_mutex::consistent().
  void consistent();

 private:
  bool lock_until(const sync_detail::deadline* until, bool try_only);

  sync_detail::robust_lock lock_;
  std::uint32_t count_ = 0;  // written by the owner only
};

}  // namespace refipc

#endif  // REFIPC_SYNC_INTERPROCESS_RECURSIVE_MUTEX_HPP_
