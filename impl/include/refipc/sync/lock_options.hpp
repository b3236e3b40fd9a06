// Tags that select what a lock's constructor does with its mutex.
#ifndef REFIPC_SYNC_LOCK_OPTIONS_HPP_
#define REFIPC_SYNC_LOCK_OPTIONS_HPP_

namespace refipc {

// Do not lock the mutex.
struct defer_lock_type {};
// Lock the mutex only if that needs no waiting.
struct try_to_lock_type {};
// The caller has already locked the mutex; the lock takes that ownership.
struct accept_ownership_type {};

inline constexpr defer_lock_type defer_lock{};
inline constexpr try_to_lock_type try_to_lock{};
inline constexpr accept_ownership_type accept_ownership{};

}  // namespace refipc

#endif  // REFIPC_SYNC_LOCK_OPTIONS_HPP_
