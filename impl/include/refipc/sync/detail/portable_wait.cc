#include "refipc/sync/detail/futex.hpp"

#if !REFIPC_WAIT_FUTEX

#include "refipc/sync/detail/backoff.hpp"

namespace refipc {
namespace sync_detail {

// Nobody sleeps where a waker could find it, so nobody needs waking: the
// waiter looks at the word after every pause, and a pause is bounded, so a
// change is seen at most one pause late (docs/design.md, "Wait backends").
bool futex_wait(futex_word& word, std::uint32_t expected, const deadline* until) noexcept {
  backoff pauses;
  // Acquire: the caller goes on to read what the changer published.
  while (word.load(std::memory_order_acquire) == expected) {
    if (!pauses.pause(until)) return false;
  }
  return true;
}

void futex_wake(futex_word&, int) noexcept {}

}  // namespace sync_detail
}  // namespace refipc

#endif  // !REFIPC_WAIT_FUTEX
