// A process-shared condition variable built on a futex.
#ifndef REFIPC_SYNC_INTERPROCESS_CONDITION_HPP_
#define REFIPC_SYNC_INTERPROCESS_CONDITION_HPP_

#include <chrono>
#include <cstdint>

#include "refipc/exceptions.hpp"
#include "refipc/sync/cv_status.hpp"
#include "refipc/sync/detail/futex.hpp"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {

// Place it in shared memory or a mapped file next to the mutex it is used
// with. The wait functions take a lock L that holds the mutex (for example
// scoped_lock<interprocess_mutex>): they call lock.unlock(), sleep, and call
// lock.lock() before returning, also after a timeout. Waits may wake
// spuriously; the predicate forms loop until the predicate holds. Timed waits
// take std::chrono time points and durations, with the clock rules of
// interprocess_mutex. If relocking reports owner_dead_exception, the lock
// holds the mutex and the exception propagates.
class interprocess_condition {
 public:
  interprocess_condition() noexcept = default;
  interprocess_condition(const interprocess_condition&) = delete;
  interprocess_condition& operator=(const interprocess_condition&) = delete;
  // Nobody may be waiting on it.
  ~interprocess_condition() = default;

  void notify_one() noexcept { notify(1); }
  void notify_all() noexcept;

  template <class L>
  void wait(L& lock) {
    wait_until_deadline(lock, nullptr);
  }
  template <class L, class Pr>
  void wait(L& lock, Pr pred) {
    while (!pred()) wait(lock);
  }

  // False when abs_time has passed without a notification.
  template <class L, class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_wait(L& lock, const TimePoint& abs_time) {
    const auto until = sync_detail::make_deadline(abs_time);
    return wait_until_deadline(lock, &until);
  }
  // The predicate's value when it holds or abs_time has passed.
  template <class L, class TimePoint, class Pr, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_wait(L& lock, const TimePoint& abs_time, Pr pred) {
    const auto until = sync_detail::make_deadline(abs_time);
    return wait_with_predicate(lock, until, pred);
  }

  template <class L, class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  cv_status wait_until(L& lock, const TimePoint& abs_time) {
    return timed_wait(lock, abs_time) ? cv_status::no_timeout : cv_status::timeout;
  }
  template <class L, class TimePoint, class Pr, sync_detail::if_time_point<TimePoint> = 0>
  bool wait_until(L& lock, const TimePoint& abs_time, Pr pred) {
    return timed_wait(lock, abs_time, pred);
  }

  template <class L, class Duration, sync_detail::if_duration<Duration> = 0>
  cv_status wait_for(L& lock, const Duration& rel_time) {
    const auto until = sync_detail::deadline_after(rel_time);
    return wait_until_deadline(lock, &until) ? cv_status::no_timeout : cv_status::timeout;
  }
  template <class L, class Duration, class Pr, sync_detail::if_duration<Duration> = 0>
  bool wait_for(L& lock, const Duration& rel_time, Pr pred) {
    return wait_with_predicate(lock, sync_detail::deadline_after(rel_time), pred);
  }

 private:
  // Returns false if `until` passed before a notification.
  template <class L>
  bool wait_until_deadline(L& lock, const sync_detail::deadline* until) {
    // Read with the mutex held: a notification from then on ends the sleep.
    const std::uint32_t generation = generation_.load(std::memory_order_relaxed);
    lock.unlock();
    const bool notified = sleep(generation, until);
    lock.lock();
    return notified;
  }
  template <class L, class Pr>
  bool wait_with_predicate(L& lock, const sync_detail::deadline& until, Pr& pred) {
    while (!pred()) {
      if (!wait_until_deadline(lock, &until)) return pred();
    }
    return true;
  }

  void notify(int count) noexcept;
  // Sleeps until generation_ differs from `generation`; false on timeout.
  bool sleep(std::uint32_t generation, const sync_detail::deadline* until) noexcept;

  // Bumped by every notification; waiters sleep while it is unchanged.
  sync_detail::futex_word generation_{0};
  sync_detail::futex_word sleepers_{0};
};

}  // namespace refipc

#endif  // REFIPC_SYNC_INTERPROCESS_CONDITION_HPP_
