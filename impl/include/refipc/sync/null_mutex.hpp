// A mutex that does nothing, for code that is known to run single-threaded.
#ifndef REFIPC_SYNC_NULL_MUTEX_HPP_
#define REFIPC_SYNC_NULL_MUTEX_HPP_

namespace refipc {

// Every operation succeeds at once; the time arguments are ignored, so any
// time type is accepted.
class null_mutex {
 public:
  null_mutex() noexcept = default;
  null_mutex(const null_mutex&) = delete;
  null_mutex& operator=(const null_mutex&) = delete;

  void lock() noexcept {}
  bool try_lock() noexcept { return true; }
  template <class TimePoint>
  bool timed_lock(const TimePoint&) noexcept {
    return true;
  }
  template <class TimePoint>
  bool try_lock_until(const TimePoint&) noexcept {
    return true;
  }
  template <class Duration>
  bool try_lock_for(const Duration&) noexcept {
    return true;
  }
  void unlock() noexcept {}

  void lock_sharable() noexcept {}
  bool try_lock_sharable() noexcept { return true; }
  template <class TimePoint>
  bool timed_lock_sharable(const TimePoint&) noexcept {
    return true;
  }
  void unlock_sharable() noexcept {}
  // The standard library's names (std::shared_lock) for the same.
  void lock_shared() noexcept {}
  bool try_lock_shared() noexcept { return true; }
  void unlock_shared() noexcept {}

  void lock_upgradable() noexcept {}
  bool try_lock_upgradable() noexcept { return true; }
  template <class TimePoint>
  bool timed_lock_upgradable(const TimePoint&) noexcept {
    return true;
  }
  void unlock_upgradable() noexcept {}

  void unlock_and_lock_upgradable() noexcept {}
  void unlock_and_lock_sharable() noexcept {}
  void unlock_upgradable_and_lock_sharable() noexcept {}
  void unlock_upgradable_and_lock() noexcept {}
  bool try_unlock_upgradable_and_lock() noexcept { return true; }
  template <class TimePoint>
  bool timed_unlock_upgradable_and_lock(const TimePoint&) noexcept {
    return true;
  }
  bool try_unlock_sharable_and_lock() noexcept { return true; }
  bool try_unlock_sharable_and_lock_upgradable() noexcept { return true; }
};

}  // namespace refipc

#endif  // REFIPC_SYNC_NULL_MUTEX_HPP_
