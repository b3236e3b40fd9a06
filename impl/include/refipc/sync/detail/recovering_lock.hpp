// Taking the internal lock of a structure in shared memory (a memory
// algorithm's header, a segment manager's indexes) when a process may have
// died holding it.
//
// refipc's mutexes report the death of a holder by throwing
// owner_dead_exception with the mutex held by the caller, and keep reporting
// it to every later locker until consistent() is called. A plain scoped lock
// never owns the mutex in that case, so nothing would release it and every
// later locker would hang. Here the caller gets the mutex only after the
// structure has been proven consistent (repair() returned true; the death is
// then forgotten), otherwise the mutex is released still marked and
// interprocess_exception(corrupted_error) is thrown, now and at every later
// acquisition from any process.
#ifndef REFIPC_SYNC_DETAIL_RECOVERING_LOCK_HPP_
#define REFIPC_SYNC_DETAIL_RECOVERING_LOCK_HPP_

#include <type_traits>
#include <utility>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace sync_detail {

template <class Mutex, class = void>
struct has_consistent : std::false_type {};
template <class Mutex>
struct has_consistent<Mutex, std::void_t<decltype(std::declval<Mutex&>().consistent())>>
    : std::true_type {};

// Called with `m` held after a holder's death: `repair` decides.
template <class Mutex, class Repair>
void recover_or_release(Mutex& m, Repair& repair, const char* what) {
  bool repaired = false;
  try {
    repaired = repair();
  } catch (...) {
  }
  if (repaired) {
    if constexpr (has_consistent<Mutex>::value) m.consistent();
    return;
  }
  m.unlock();
  throw interprocess_exception(corrupted_error, what);
}

// Locks `m` (waiting); on return the caller holds it. `repair()` runs with
// `m` held when a previous holder died holding it: true when the protected
// structure is consistent, false after marking it corrupted. `what` is the
// message of the corrupted_error thrown otherwise.
template <class Mutex, class Repair>
void lock_recovering(Mutex& m, Repair repair, const char* what) {
  try {
    m.lock();
  } catch (const owner_dead_exception&) {
    recover_or_release(m, repair, what);
  }
}

// As lock_recovering, without waiting: false when another holder has `m`.
template <class Mutex, class Repair>
bool try_lock_recovering(Mutex& m, Repair repair, const char* what) {
  try {
    return m.try_lock();
  } catch (const owner_dead_exception&) {
    recover_or_release(m, repair, what);
    return true;
  }
}

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_RECOVERING_LOCK_HPP_
