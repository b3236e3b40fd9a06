// Advisory exclusive and sharable locking of an existing file.
#ifndef REFIPC_SYNC_FILE_LOCK_HPP_
#define REFIPC_SYNC_FILE_LOCK_HPP_

#include <chrono>

#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/futex.hpp"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {

// Locks a whole existing file, which it opens read-write, with Linux
// open-file-description locks (fcntl F_OFD_SETLK / F_OFD_SETLKW). The lock
// belongs to this object's open file description, so:
//
// - two file_lock objects of one file exclude each other like locks of two
//   processes, even in one process;
// - threads sharing ONE file_lock object share its lock: the manual leaves
//   thread synchronization through a file lock unspecified, and here it does
//   not synchronize them;
// - closing other descriptors of the file (an fstream, another file_lock)
//   does not release this lock, unlike classic POSIX record locks;
// - the kernel releases the lock when the object is destroyed or its process
//   ends, however it ends.
//
// Locks are advisory: only processes that lock see them. On NFS they depend
// on the server's lock support. Locking while the same object holds the
// other kind of lock converts it (the kernel replaces the lock).
//
// Errors: a missing file throws not_found_error, other failures to open the
// file (permissions, a directory) their system error; operations on an empty
// (default-constructed or moved-from) file_lock throw interprocess_exception.
// Unlocking a lock not held has no effect.
//
// On Windows the lock is a LockFileEx lock of the whole file (every byte a
// file can have), held by this object's file HANDLE, with the same rules:
// two objects exclude each other even in one process, and Windows releases
// the lock when the handle is closed or the process ends. Unlike on Linux the
// lock also refuses ReadFile/WriteFile through other handles (Windows locks
// are mandatory; mapped views are not affected). This object remembers what
// it holds: locking again what it holds returns at once, and a conversion
// unlocks then locks, so another process may take the lock in between (a
// failed try_ or timed conversion then keeps the old lock if it can retake
// it without waiting, else holds nothing).
//
// The timed forms retry the non-blocking lock with a bounded back-off (sleeps
// growing from 1 ms to 10 ms), so they return at most about 10 ms after the
// lock becomes free or the deadline passes. Deadlines follow the clock rules
// of interprocess_mutex.
class file_lock {
 public:
  file_lock() noexcept = default;
  explicit file_lock(const char* name);
  file_lock(file_lock&& other) noexcept { swap(other); }
  file_lock& operator=(file_lock&& other) noexcept;
  file_lock(const file_lock&) = delete;
  file_lock& operator=(const file_lock&) = delete;
  ~file_lock();

  void swap(file_lock& other) noexcept;

  void lock();
  bool try_lock();
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock(const TimePoint& abs_time) {
    return lock_until(sync_detail::make_deadline(abs_time), true);
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool try_lock_until(const TimePoint& abs_time) {
    return timed_lock(abs_time);
  }
  template <class Duration, sync_detail::if_duration<Duration> = 0>
  bool try_lock_for(const Duration& rel_time) {
    return lock_until(sync_detail::deadline_after(rel_time), true);
  }
  void unlock();

  void lock_sharable();
  bool try_lock_sharable();
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_lock_sharable(const TimePoint& abs_time) {
    return lock_until(sync_detail::make_deadline(abs_time), false);
  }
  void unlock_sharable();

  // The standard library's names for the sharable forms.
  void lock_shared() { lock_sharable(); }
  bool try_lock_shared() { return try_lock_sharable(); }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool try_lock_shared_until(const TimePoint& abs_time) {
    return timed_lock_sharable(abs_time);
  }
  template <class Duration, sync_detail::if_duration<Duration> = 0>
  bool try_lock_shared_for(const Duration& rel_time) {
    return lock_until(sync_detail::deadline_after(rel_time), false);
  }
  void unlock_shared() { unlock_sharable(); }

 private:
  bool lock_until(const sync_detail::deadline& until, bool exclusive);

#ifdef _WIN32
  enum class held { none, sharable, exclusive };
  void* handle_ = nullptr;  // a file HANDLE
  held held_ = held::none;
#else
  int fd_ = -1;
#endif
};

}  // namespace refipc

#endif  // REFIPC_SYNC_FILE_LOCK_HPP_
