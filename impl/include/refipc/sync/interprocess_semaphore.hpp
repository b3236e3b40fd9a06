// A process-shared counting semaphore built on a futex.
#ifndef REFIPC_SYNC_INTERPROCESS_SEMAPHORE_HPP_
#define REFIPC_SYNC_INTERPROCESS_SEMAPHORE_HPP_

#include <chrono>
#include <cstdint>

#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/futex.hpp"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {

// Place it in shared memory or a mapped file; any thread of any process that
// maps it may post or wait, in any combination. Timed waits take std::chrono
// time points, with the clock rules of interprocess_mutex.
//
// The count is at most max_count: a larger initial count, or a post() that
// would exceed it, throws interprocess_exception (sem_error).
//
// Beyond Boost: a waiter killed after a post woke it, before its wait
// returned, has not taken the unit, and another waiter gets it: post() wakes
// every sleeper, and each takes its unit itself (docs/design.md).
class interprocess_semaphore {
 public:
  static constexpr unsigned int max_count = 0x7fffffffu;

  explicit interprocess_semaphore(unsigned int initial_count);
  interprocess_semaphore(const interprocess_semaphore&) = delete;
  interprocess_semaphore& operator=(const interprocess_semaphore&) = delete;
  // Nobody may be waiting on it.
  ~interprocess_semaphore() = default;

  void post();
  void wait();
  bool try_wait();
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_wait(const TimePoint& abs_time) {
    const auto until = sync_detail::make_deadline(abs_time);
    return wait_until(&until);
  }

 private:
  bool wait_until(const sync_detail::deadline* until);

  sync_detail::futex_word count_;
  sync_detail::futex_word sleepers_{0};
};

}  // namespace refipc

#endif  // REFIPC_SYNC_INTERPROCESS_SEMAPHORE_HPP_
