// A fake upgradable mutex that records the calls a lock makes on it, for the
// tests of scoped_lock, sharable_lock, upgradable_lock and lock transfers.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace ipc_test {

// Every call is appended to `calls` by name. The try, timed and conditional
// conversion functions return `grant`; with `conversions_throw`, the
// conversions (unlock_xxx_and_lock_xxx) throw std::runtime_error instead. It
// tracks nothing else.
struct RecordingMutex {
  std::vector<std::string> calls;
  bool grant = true;
  bool conversions_throw = false;

  bool record(const char* name) {
    calls.emplace_back(name);
    return grant;
  }
  bool convert(const char* name) {
    record(name);
    if (conversions_throw) throw std::runtime_error(name);
    return grant;
  }

  void lock() { record("lock"); }
  bool try_lock() { return record("try_lock"); }
  template <class TimePoint>
  bool timed_lock(const TimePoint&) {
    return record("timed_lock");
  }
  void unlock() { record("unlock"); }

  void lock_sharable() { record("lock_sharable"); }
  bool try_lock_sharable() { return record("try_lock_sharable"); }
  template <class TimePoint>
  bool timed_lock_sharable(const TimePoint&) {
    return record("timed_lock_sharable");
  }
  template <class TimePoint>
  bool try_lock_shared_until(const TimePoint&) {
    return record("try_lock_shared_until");
  }
  template <class Duration>
  bool try_lock_shared_for(const Duration&) {
    return record("try_lock_shared_for");
  }
  void unlock_sharable() { record("unlock_sharable"); }

  void lock_upgradable() { record("lock_upgradable"); }
  bool try_lock_upgradable() { return record("try_lock_upgradable"); }
  template <class TimePoint>
  bool timed_lock_upgradable(const TimePoint&) {
    return record("timed_lock_upgradable");
  }
  void unlock_upgradable() { record("unlock_upgradable"); }

  void unlock_and_lock_upgradable() { convert("unlock_and_lock_upgradable"); }
  void unlock_and_lock_sharable() { convert("unlock_and_lock_sharable"); }
  void unlock_upgradable_and_lock_sharable() { convert("unlock_upgradable_and_lock_sharable"); }
  void unlock_upgradable_and_lock() { convert("unlock_upgradable_and_lock"); }
  bool try_unlock_upgradable_and_lock() { return convert("try_unlock_upgradable_and_lock"); }
  template <class TimePoint>
  bool timed_unlock_upgradable_and_lock(const TimePoint&) {
    return convert("timed_unlock_upgradable_and_lock");
  }
  bool try_unlock_sharable_and_lock() { return convert("try_unlock_sharable_and_lock"); }
  bool try_unlock_sharable_and_lock_upgradable() {
    return convert("try_unlock_sharable_and_lock_upgradable");
  }
};

}  // namespace ipc_test
