// A process-shared mutex with exclusive and sharable ownership, found by
// name: an interprocess_sharable_mutex in a named shared memory object.
#ifndef REFIPC_SYNC_NAMED_SHARABLE_MUTEX_HPP_
#define REFIPC_SYNC_NAMED_SHARABLE_MUTEX_HPP_

#include <chrono>

#include "refipc/creation_tags.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/detail/named_object.hpp"
#include "refipc/sync/interprocess_sharable_mutex.hpp"

namespace refipc {

// Each process constructs its own named_sharable_mutex from the name; all of
// them use the same mutex. Creation, opening, name rules and errors are those
// of named_mutex (see refipc/sync/named_mutex.hpp). Locking behaves as
// interprocess_sharable_mutex: the death of an owner is not detected.
class named_sharable_mutex {
 public:
  named_sharable_mutex(create_only_t, const char* name, const permissions& perm = permissions())
      : object_(create_only, name, kType, perm) {}
  named_sharable_mutex(open_or_create_t, const char* name, const permissions& perm = permissions())
      : object_(open_or_create, name, kType, perm) {}
  named_sharable_mutex(open_only_t, const char* name) : object_(open_only, name, kType) {}
  named_sharable_mutex(const named_sharable_mutex&) = delete;
  named_sharable_mutex& operator=(const named_sharable_mutex&) = delete;
  // Unmaps this process's view; the mutex and its name stay.
  ~named_sharable_mutex() = default;

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
  static bool remove(const char* name) noexcept {
    return sync_detail::named_object<interprocess_sharable_mutex>::remove(name);
  }

 private:
  static constexpr const char* kType = "named_sharable_mutex";
  interprocess_sharable_mutex& mutex() const noexcept { return object_.get(); }
  sync_detail::named_object<interprocess_sharable_mutex> object_;
};

}  // namespace refipc

#endif  // REFIPC_SYNC_NAMED_SHARABLE_MUTEX_HPP_
