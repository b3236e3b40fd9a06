// A process-shared condition variable for any kind of lock.
#ifndef REFIPC_SYNC_INTERPROCESS_CONDITION_ANY_HPP_
#define REFIPC_SYNC_INTERPROCESS_CONDITION_ANY_HPP_

#include "refipc/exceptions.hpp"
#include "refipc/sync/interprocess_condition.hpp"

namespace refipc {

// interprocess_condition with no tie to interprocess_mutex: the wait
// functions take any lock L with lock() and unlock(), for example a
// sharable_lock or upgradable_lock of an interprocess_upgradable_mutex, or a
// scoped_lock of any mutex. refipc's interprocess_condition already works
// this way (it only calls lock.unlock() and lock.lock()), so this type offers
// the same members; it exists for code written against the manual's name.
// Place it in shared memory or a mapped file next to the mutex.
class interprocess_condition_any : private interprocess_condition {
 public:
  interprocess_condition_any() noexcept = default;

  using interprocess_condition::notify_all;
  using interprocess_condition::notify_one;
  using interprocess_condition::timed_wait;
  using interprocess_condition::wait;
  using interprocess_condition::wait_for;
  using interprocess_condition::wait_until;
};

}  // namespace refipc

#endif  // REFIPC_SYNC_INTERPROCESS_CONDITION_ANY_HPP_
