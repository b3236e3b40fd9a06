#include "refipc/sync/detail/futex.hpp"

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

namespace refipc {
namespace sync_detail {

deadline deadline_after(timespec span) noexcept {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  deadline result;
  result.at.tv_sec = now.tv_sec + span.tv_sec;
  result.at.tv_nsec = now.tv_nsec + span.tv_nsec;
  if (result.at.tv_nsec >= 1000000000L) {
    result.at.tv_nsec -= 1000000000L;
    ++result.at.tv_sec;
  }
  return result;
}

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
