// The exclusive and sharable operations shared by named_sharable_mutex and
// named_upgradable_mutex, forwarded to the mutex in the named object. Not
// part of the API.
#ifndef REFIPC_SYNC_DETAIL_NAMED_SHARABLE_BASE_HPP_
#define REFIPC_SYNC_DETAIL_NAMED_SHARABLE_BASE_HPP_

#include <chrono>

#include "refipc/creation_tags.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/detail/named_object.hpp"

namespace refipc {
namespace sync_detail {

// Mutex: interprocess_sharable_mutex or interprocess_upgradable_mutex.
template <class Mutex>
class named_sharable_base {
 public:
  named_sharable_base(const named_sharable_base&) = delete;
  named_sharable_base& operator=(const named_sharable_base&) = delete;

  void lock() { mutex().lock(); }
  bool try_lock() noexcept { return mutex().try_lock(); }
  template <class Clock, class Duration>
  bool timed_lock(const std::chrono::time_point<Clock, Duration>& abs_time) {
    return mutex().timed_lock(abs_time);
  }
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration>& abs_time) {
    return mutex().try_lock_until(abs_time);
  }
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period>& rel_time) {
    return mutex().try_lock_for(rel_time);
  }
  void unlock() { mutex().unlock(); }

  void lock_sharable() { mutex().lock_sharable(); }
  bool try_lock_sharable() noexcept { return mutex().try_lock_sharable(); }
  template <class Clock, class Duration>
  bool timed_lock_sharable(const std::chrono::time_point<Clock, Duration>& abs_time) {
    return mutex().timed_lock_sharable(abs_time);
  }
  void unlock_sharable() { mutex().unlock_sharable(); }

  void lock_shared() { mutex().lock_shared(); }
  bool try_lock_shared() noexcept { return mutex().try_lock_shared(); }
  template <class Clock, class Duration>
  bool try_lock_shared_until(const std::chrono::time_point<Clock, Duration>& abs_time) {
    return mutex().try_lock_shared_until(abs_time);
  }
  template <class Rep, class Period>
  bool try_lock_shared_for(const std::chrono::duration<Rep, Period>& rel_time) {
    return mutex().try_lock_shared_for(rel_time);
  }
  void unlock_shared() { mutex().unlock_shared(); }

  // Removes the name; false if it does not exist or on any error. Processes
  // that have it open keep using the mutex.
  static bool remove(const char* name) noexcept { return named_object<Mutex>::remove(name); }

 protected:
  // `type` names the primitive in the object's header (see named_object).
  named_sharable_base(create_only_t, const char* name, const char* type, const permissions& perm)
      : object_(create_only, name, type, perm) {}
  named_sharable_base(open_or_create_t, const char* name, const char* type, const permissions& perm)
      : object_(open_or_create, name, type, perm) {}
  named_sharable_base(open_only_t, const char* name, const char* type)
      : object_(open_only, name, type) {}
  // Unmaps this process's view; the mutex and its name stay.
  ~named_sharable_base() = default;

  Mutex& mutex() const noexcept { return object_.get(); }

 private:
  named_object<Mutex> object_;
};

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_NAMED_SHARABLE_BASE_HPP_
