// A process-shared mutex with exclusive, sharable and upgradable ownership,
// found by name: an interprocess_upgradable_mutex in a named shared memory
// object.
#ifndef REFIPC_SYNC_NAMED_UPGRADABLE_MUTEX_HPP_
#define REFIPC_SYNC_NAMED_UPGRADABLE_MUTEX_HPP_

#include <chrono>

#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/detail/named_sharable_base.hpp"
#include "refipc/sync/detail/time_types.hpp"
#include "refipc/sync/interprocess_upgradable_mutex.hpp"

namespace refipc {

// Each process constructs its own named_upgradable_mutex from the name; all
// of them use the same mutex. Creation, opening, name rules and errors are
// those of named_mutex (see refipc/sync/named_mutex.hpp). Locking and the
// transitions behave as interprocess_upgradable_mutex: the death of an owner
// is not detected.
class named_upgradable_mutex
    : public sync_detail::named_sharable_base<interprocess_upgradable_mutex> {
  using base = sync_detail::named_sharable_base<interprocess_upgradable_mutex>;

 public:
  named_upgradable_mutex(create_only_t, const char* name, const permissions& perm = permissions())
      : base(create_only, name, kType, perm) {}
  named_upgradable_mutex(open_or_create_t, const char* name,
                         const permissions& perm = permissions())
      : base(open_or_create, name, kType, perm) {}
  named_upgradable_mutex(open_only_t, const char* name) : base(open_only, name, kType) {}
  // Unmaps this process's view; the mutex and its name stay.
  ~named_upgradable_mutex() = default;

  // Exclusive and sharable ownership: see named_sharable_base.

  // Upgradable ownership.
  void lock_upgradable() { mutex().lock_upgradable(); }
  bool try_lock_upgradable() noexcept { return mutex().try_lock_upgradable(); }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock_upgradable(const TimePoint& abs_time) {
    return mutex().timed_lock_upgradable(abs_time);
  }
  void unlock_upgradable() { mutex().unlock_upgradable(); }

  // Demotions.
  void unlock_and_lock_upgradable() { mutex().unlock_and_lock_upgradable(); }
  void unlock_and_lock_sharable() { mutex().unlock_and_lock_sharable(); }
  void unlock_upgradable_and_lock_sharable() { mutex().unlock_upgradable_and_lock_sharable(); }

  // Promotions.
  void unlock_upgradable_and_lock() { mutex().unlock_upgradable_and_lock(); }
  bool try_unlock_upgradable_and_lock() { return mutex().try_unlock_upgradable_and_lock(); }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_unlock_upgradable_and_lock(const TimePoint& abs_time) {
    return mutex().timed_unlock_upgradable_and_lock(abs_time);
  }
  bool try_unlock_sharable_and_lock() { return mutex().try_unlock_sharable_and_lock(); }
  bool try_unlock_sharable_and_lock_upgradable() {
    return mutex().try_unlock_sharable_and_lock_upgradable();
  }

 private:
  static constexpr const char* kType = "named_upgradable_mutex";
};

}  // namespace refipc

#endif  // REFIPC_SYNC_NAMED_UPGRADABLE_MUTEX_HPP_
