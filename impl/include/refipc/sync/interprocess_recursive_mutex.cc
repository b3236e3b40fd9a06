#include "refipc/sync/interprocess_recursive_mutex.hpp"

#include <limits>

namespace refipc {

using sync_detail::robust_lock;

void interprocess_recursive_mutex::lock() { lock_until(nullptr, false); }

bool interprocess_recursive_mutex::try_lock() { return lock_until(nullptr, true); }

bool interprocess_recursive_mutex::lock_until(const sync_detail::deadline* until, bool try_only) {
  auto& self = sync_detail::registered_thread();
  switch (lock_.acquire(self, until, try_only)) {
    case robust_lock::result::acquired:
      count_ = 1;
      return true;
    case robust_lock::result::held_by_caller:
      if (count_ == std::numeric_limits<std::uint32_t>::max()) throw lock_exception();
      ++count_;
      return true;
    case robust_lock::result::owner_died:
      count_ = 1;
      throw owner_dead_exception();
    case robust_lock::result::busy:
      break;
  }
  return false;
}

void interprocess_recursive_mutex::unlock() {
  auto& self = sync_detail::registered_thread();
  if (!lock_.owned_by(self)) throw lock_exception();
  if (--count_ == 0) lock_.release(self);
}

void interprocess_recursive_mutex::consistent() {
  if (!lock_.owned_by(sync_detail::registered_thread())) throw lock_exception();
  lock_.mark_consistent();
}

}  // namespace refipc
