// The exclusive operations, creation and removal shared by refipc's named
// mutexes, forwarded to the mutex in the named object. Not part of the API.
#ifndef REFIPC_SYNC_DETAIL_NAMED_MUTEX_BASE_HPP_
#define REFIPC_SYNC_DETAIL_NAMED_MUTEX_BASE_HPP_

#include <chrono>
#include <utility>

#include "refipc/creation_tags.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/detail/named_object.hpp"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {
namespace sync_detail {

// Mutex: the anonymous mutex the named one holds.
template <class Mutex>
class named_mutex_base {
 public:
  named_mutex_base(const named_mutex_base&) = delete;
  named_mutex_base& operator=(const named_mutex_base&) = delete;

  void lock() { mutex().lock(); }
  // noexcept exactly when the mutex's try_lock() is (owner death may throw).
  bool try_lock() noexcept(noexcept(std::declval<Mutex&>().try_lock())) {
    return mutex().try_lock();
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock(const TimePoint& abs_time) {
    return mutex().timed_lock(abs_time);
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool try_lock_until(const TimePoint& abs_time) {
    return mutex().try_lock_until(abs_time);
  }
  template <class Duration, sync_detail::if_duration<Duration> = 0>
  bool try_lock_for(const Duration& rel_time) {
    return mutex().try_lock_for(rel_time);
  }
  void unlock() { mutex().unlock(); }

  // Removes the name; false if it does not exist or on any error. Processes
  // that have it open keep using the mutex.
  static bool remove(const char* name) noexcept { return named_object<Mutex>::remove(name); }

 protected:
  // `type` names the primitive in the object's header (see named_object).
  named_mutex_base(create_only_t, const char* name, const char* type, const permissions& perm)
      : object_(create_only, name, type, perm) {}
  named_mutex_base(open_or_create_t, const char* name, const char* type, const permissions& perm)
      : object_(open_or_create, name, type, perm) {}
  named_mutex_base(open_only_t, const char* name, const char* type)
      : object_(open_only, name, type) {}
  // Unmaps this process's view; the mutex and its name stay.
  ~named_mutex_base() = default;

  Mutex& mutex() const noexcept { return object_.get(); }

 private:
  named_object<Mutex> object_;
};

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_NAMED_MUTEX_BASE_HPP_
