// The lock word shared by refipc's mutexes (interprocess_mutex,
// interprocess_recursive_mutex, the message queue's locks): a lock that
// reports the death of its owner, in one of two implementations chosen by
// the wait backend (wait_backend.hpp).
//
// Both offer the same interface and the same contract: acquire() reports
// owner_died to the next owner after a holder ended while holding the lock,
// the lock stays marked until mark_consistent(), and a thread id is the
// identity of an owner. They differ in what they detect:
// - futex (robust_futex_lock.hpp): the kernel's robust list, the death of the
//   owner thread, at once;
// - portable (robust_portable_lock.hpp): the owner's process id and start
//   token in the lock, the death of the owner process (or thread, for a
//   waiter in the owner's process), seen by a waiter about a millisecond
//   into its wait.
#ifndef REFIPC_SYNC_DETAIL_ROBUST_LOCK_HPP_
#define REFIPC_SYNC_DETAIL_ROBUST_LOCK_HPP_

#include "refipc/sync/detail/wait_backend.hpp"

#if REFIPC_WAIT_FUTEX
#include "refipc/sync/detail/robust_futex_lock.hpp"
#else
#include "refipc/sync/detail/robust_portable_lock.hpp"
#endif

#endif  // REFIPC_SYNC_DETAIL_ROBUST_LOCK_HPP_
