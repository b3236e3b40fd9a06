#include "refipc/sync/detail/futex.hpp"

#if REFIPC_WAIT_FUTEX

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace refipc {
namespace sync_detail {

bool futex_wait(futex_word& word, std::uint32_t expected, const deadline* until) noexcept {
  // Shared (not FUTEX_PRIVATE_FLAG): waiters may be in other processes.
  // FUTEX_WAIT_BITSET takes an absolute timeout on the clock selected by
  // FUTEX_CLOCK_REALTIME, CLOCK_MONOTONIC otherwise.
  int op = FUTEX_WAIT_BITSET;
  if (until != nullptr && until->realtime) op |= FUTEX_CLOCK_REALTIME;
  const long rc = syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), op, expected,
                          until != nullptr ? &until->at : nullptr, nullptr, FUTEX_BITSET_MATCH_ANY);
  return rc == 0 || errno != ETIMEDOUT;
}

void futex_wake(futex_word& word, int count) noexcept {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE, count, nullptr, nullptr,
          0);
}

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_WAIT_FUTEX
