// A process-shared condition variable for any kind of lock, found by name: an
// interprocess_condition_any in a named shared memory object.
#ifndef REFIPC_SYNC_NAMED_CONDITION_ANY_HPP_
#define REFIPC_SYNC_NAMED_CONDITION_ANY_HPP_

#include <chrono>

#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/cv_status.hpp"
#include "refipc/sync/detail/named_object.hpp"
#include "refipc/sync/detail/time_types.hpp"
#include "refipc/sync/interprocess_condition_any.hpp"

namespace refipc {

// Each process constructs its own named_condition_any from the name; all of
// them use the same condition. Creation, opening, name rules and errors are
// those of named_mutex (see refipc/sync/named_mutex.hpp). The waits take any
// lock L with unlock() and lock() (a scoped_lock, sharable_lock or
// upgradable_lock of any mutex) and behave as interprocess_condition_any's,
// timed forms and predicates included.
class named_condition_any {
 public:
  named_condition_any(create_only_t, const char* name, const permissions& perm = permissions())
      : object_(create_only, name, kType, perm) {}
  named_condition_any(open_or_create_t, const char* name, const permissions& perm = permissions())
      : object_(open_or_create, name, kType, perm) {}
  named_condition_any(open_only_t, const char* name) : object_(open_only, name, kType) {}
  named_condition_any(const named_condition_any&) = delete;
  named_condition_any& operator=(const named_condition_any&) = delete;
  ~named_condition_any() = default;

  void notify_one() noexcept { condition().notify_one(); }
  void notify_all() noexcept { condition().notify_all(); }

  template <class L>
  void wait(L& lock) {
    condition().wait(lock);
  }
  template <class L, class Pr>
  void wait(L& lock, Pr pred) {
    condition().wait(lock, pred);
  }
  template <class L, class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_wait(L& lock, const TimePoint& abs_time) {
    return condition().timed_wait(lock, abs_time);
  }
  template <class L, class TimePoint, class Pr, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_wait(L& lock, const TimePoint& abs_time, Pr pred) {
    return condition().timed_wait(lock, abs_time, pred);
  }
  template <class L, class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  cv_status wait_until(L& lock, const TimePoint& abs_time) {
    return condition().wait_until(lock, abs_time);
  }
  template <class L, class TimePoint, class Pr, sync_detail::if_time_point<TimePoint> = 0>
  bool wait_until(L& lock, const TimePoint& abs_time, Pr pred) {
    return condition().wait_until(lock, abs_time, pred);
  }
  template <class L, class Duration, sync_detail::if_duration<Duration> = 0>
  cv_status wait_for(L& lock, const Duration& rel_time) {
    return condition().wait_for(lock, rel_time);
  }
  template <class L, class Duration, class Pr, sync_detail::if_duration<Duration> = 0>
  bool wait_for(L& lock, const Duration& rel_time, Pr pred) {
    return condition().wait_for(lock, rel_time, pred);
  }

  static bool remove(const char* name) noexcept {
    return sync_detail::named_object<interprocess_condition_any>::remove(name);
  }

 private:
  static constexpr const char* kType = "named_condition_any";
  interprocess_condition_any& condition() const noexcept { return object_.get(); }
  sync_detail::named_object<interprocess_condition_any> object_;
};

}  // namespace refipc

#endif  // REFIPC_SYNC_NAMED_CONDITION_ANY_HPP_
