#include "refipc/sync/interprocess_mutex.hpp"

namespace refipc {
namespace {

using sync_detail::robust_lock;

// The outcome of a lock attempt that may not wait forever.
bool taken(robust_lock::result r) {
  switch (r) {
    case robust_lock::result::acquired:
      return true;
    case robust_lock::result::owner_died:
      throw owner_dead_exception();
    case robust_lock::result::busy:
    case robust_lock::result::held_by_caller:
      break;
  }
  return false;
}

}  // namespace

void interprocess_mutex::lock() {
  const auto r = lock_.acquire(sync_detail::registered_thread(), nullptr, false);
  if (r == robust_lock::result::held_by_caller) throw lock_exception();
  taken(r);
}

bool interprocess_mutex::try_lock() {
  return taken(lock_.acquire(sync_detail::registered_thread(), nullptr, true));
}

bool interprocess_mutex::lock_until(const sync_detail::deadline& until) {
  return taken(lock_.acquire(sync_detail::registered_thread(), &until, false));
}

void interprocess_mutex::unlock() {
  auto& self = sync_detail::registered_thread();
  if (!lock_.owned_by(self)) throw lock_exception();
  lock_.release(self);
}

void interprocess_mutex::consistent() {
  if (!lock_.owned_by(sync_detail::registered_thread())) throw lock_exception();
  lock_.mark_consistent();
}

}  // namespace refipc
