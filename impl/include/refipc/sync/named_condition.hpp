// A process-shared condition variable found by name: an
// interprocess_condition in a named shared memory object.
#ifndef REFIPC_SYNC_NAMED_CONDITION_HPP_
#define REFIPC_SYNC_NAMED_CONDITION_HPP_

#include <chrono>

#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/cv_status.hpp"
#include "refipc/sync/detail/named_object.hpp"
#include "refipc/sync/detail/time_types.hpp"
#include "refipc/sync/interprocess_condition.hpp"

namespace refipc {

// Each process constructs its own named_condition from the name; all of them
// use the same condition. Creation, opening, name rules and errors are those
// of named_mutex. The waits take a lock that holds a mutex, as the manual
// shows with scoped_lock<named_mutex>; any lock type with unlock() and lock()
// works. They behave as interprocess_condition's, timed forms and predicates
// included.
class named_condition {
 public:
  named_condition(create_only_t, const char* name, const permissions& perm = permissions())
      : object_(create_only, name, kType, perm) {}
  named_condition(open_or_create_t, const char* name, const permissions& perm = permissions())
      : object_(open_or_create, name, kType, perm) {}
  named_condition(open_only_t, const char* name) : object_(open_only, name, kType) {}
  named_condition(const named_condition&) = delete;
  named_condition& operator=(const named_condition&) = delete;
  ~named_condition() = default;

  void notify_one() noexcept { object_.get().notify_one(); }
  void notify_all() noexcept { object_.get().notify_all(); }

  template <class L>
  void wait(L& lock) {
    object_.get().wait(lock);
  }
  template <class L, class Pr>
  void wait(L& lock, Pr pred) {
    object_.get().wait(lock, pred);
  }
  template <class L, class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_wait(L& lock, const TimePoint& abs_time) {
    return object_.get().timed_wait(lock, abs_time);
  }
  template <class L, class TimePoint, class Pr, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_wait(L& lock, const TimePoint& abs_time, Pr pred) {
    return object_.get().timed_wait(lock, abs_time, pred);
  }
  template <class L, class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  cv_status wait_until(L& lock, const TimePoint& abs_time) {
    return object_.get().wait_until(lock, abs_time);
  }
  template <class L, class TimePoint, class Pr, sync_detail::if_time_point<TimePoint> = 0>
  bool wait_until(L& lock, const TimePoint& abs_time, Pr pred) {
    return object_.get().wait_until(lock, abs_time, pred);
  }
  template <class L, class Duration, sync_detail::if_duration<Duration> = 0>
  cv_status wait_for(L& lock, const Duration& rel_time) {
    return object_.get().wait_for(lock, rel_time);
  }
  template <class L, class Duration, class Pr, sync_detail::if_duration<Duration> = 0>
  bool wait_for(L& lock, const Duration& rel_time, Pr pred) {
    return object_.get().wait_for(lock, rel_time, pred);
  }

  static bool remove(const char* name) noexcept {
    return sync_detail::named_object<interprocess_condition>::remove(name);
  }

 private:
  static constexpr const char* kType = "named_condition";
  sync_detail::named_object<interprocess_condition> object_;
};

}  // namespace refipc

#endif  // REFIPC_SYNC_NAMED_CONDITION_HPP_
