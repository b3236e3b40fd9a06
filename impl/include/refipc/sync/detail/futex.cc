#include "refipc/sync/detail/futex.hpp"

#if REFIPC_WAIT_FUTEX

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

namespace refipc {
namespace sync_detail {

namespace {

// FUTEX_WAIT_BITSET with the absolute timeout `at` (none when null).
long wait_bitset(futex_word& word, int op, std::uint32_t expected, const time64* at) noexcept {
  auto* const address = reinterpret_cast<std::uint32_t*>(&word);
#if defined(SYS_futex_time64)
  // A 32-bit target: the call that takes a 64-bit time, and the older one
  // (a 32-bit time, saturated) on kernels before 5.1.
  static_assert(sizeof(long) == 4, "SYS_futex_time64 exists on 32-bit targets only");
  const long rc =
      syscall(SYS_futex_time64, address, op, expected, at, nullptr, FUTEX_BITSET_MATCH_ANY);
  if (rc == 0 || errno != ENOSYS) return rc;
  struct {
    std::int32_t tv_sec;
    std::int32_t tv_nsec;
  } at32{
      at != nullptr && at->tv_sec < INT32_MAX ? static_cast<std::int32_t>(at->tv_sec) : INT32_MAX,
      at != nullptr && at->tv_sec < INT32_MAX ? static_cast<std::int32_t>(at->tv_nsec) : 0};
  return syscall(SYS_futex, address, op, expected, at != nullptr ? &at32 : nullptr, nullptr,
                 FUTEX_BITSET_MATCH_ANY);
#else
  // A 64-bit target: the kernel's timespec is time64.
  static_assert(sizeof(timespec) == sizeof(time64) && sizeof(long) == 8,
                "SYS_futex takes a 64-bit time only on 64-bit targets");
  return syscall(SYS_futex, address, op, expected, at, nullptr, FUTEX_BITSET_MATCH_ANY);
#endif
}

}  // namespace

bool futex_wait(futex_word& word, std::uint32_t expected, const deadline* until) noexcept {
  // Shared (not FUTEX_PRIVATE_FLAG): waiters may be in other processes.
  // FUTEX_WAIT_BITSET takes an absolute timeout on the clock selected by
  // FUTEX_CLOCK_REALTIME, CLOCK_MONOTONIC otherwise.
  int op = FUTEX_WAIT_BITSET;
  if (until != nullptr && until->realtime) op |= FUTEX_CLOCK_REALTIME;
  const long rc = wait_bitset(word, op, expected, until != nullptr ? &until->at : nullptr);
  return rc == 0 || errno != ETIMEDOUT;
}

void futex_wake(futex_word& word, int count) noexcept {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE, count, nullptr, nullptr,
          0);
}

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_WAIT_FUTEX
