// A process-shared mutex with exclusive and sharable ownership.
#ifndef REFIPC_SYNC_INTERPROCESS_SHARABLE_MUTEX_HPP_
#define REFIPC_SYNC_INTERPROCESS_SHARABLE_MUTEX_HPP_

#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/sharable_mutex_base.hpp"

namespace refipc {

// Place it in shared memory or a mapped file. Many threads may hold it
// sharable (readers) at a time, or one thread exclusively (a writer). A thread
// waiting for exclusive ownership stops new sharable owners from entering, so
// writers are not starved by readers. Non-recursive; construction cannot fail.
//
// Timed operations take std::chrono time points and durations with the clock
// rules of interprocess_mutex. unlock() and unlock_sharable() throw
// lock_exception when nobody holds the mutex in that mode. Unlike
// interprocess_mutex, the death of an owner is not detected.
class interprocess_sharable_mutex : public sync_detail::sharable_mutex_base {
 public:
  interprocess_sharable_mutex() noexcept = default;
  interprocess_sharable_mutex(const interprocess_sharable_mutex&) = delete;
  interprocess_sharable_mutex& operator=(const interprocess_sharable_mutex&) = delete;
  // Must not be held or waited on by anyone.
  ~interprocess_sharable_mutex() = default;
};

}  // namespace refipc

#endif  // REFIPC_SYNC_INTERPROCESS_SHARABLE_MUTEX_HPP_
