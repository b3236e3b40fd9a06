// The wait backend's two calls (a futex's, whence the names) and absolute
// deadlines for refipc's synchronization primitives. futex_wait/futex_wake
// are implemented by futex.cc (the Linux futex) or portable_wait.cc (polling
// with backoff), chosen by wait_backend.hpp.
#ifndef REFIPC_SYNC_DETAIL_FUTEX_HPP_
#define REFIPC_SYNC_DETAIL_FUTEX_HPP_

#include <time.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <type_traits>

#include "refipc/sync/detail/wait_backend.hpp"

namespace refipc {
namespace sync_detail {

using futex_word = std::atomic<std::uint32_t>;
static_assert(sizeof(futex_word) == 4 && std::atomic<std::uint32_t>::is_always_lock_free,
              "a futex is a lock-free 32-bit word");

// A time in seconds and nanoseconds, 64-bit whatever the width of time_t
// (the kernel's __kernel_timespec): a 32-bit time_t would overflow the cap
// below and every deadline after 2038.
struct time64 {
  std::int64_t tv_sec;
  std::int64_t tv_nsec;
};

// An absolute point in time on CLOCK_REALTIME or CLOCK_MONOTONIC. The kernel
// compares a futex timeout against the named clock, so a monotonic deadline
// is unaffected when the wall clock is set.
struct deadline {
  bool realtime = false;
  time64 at{0, 0};
};

// Saturating conversion of a non-negative span to a time64; negative spans
// give zero and very long ones (beyond about 1000 years) are capped.
template <class Rep, class Period>
time64 to_timespec(std::chrono::duration<Rep, Period> span) {
  using namespace std::chrono;
  constexpr seconds kCap{std::int64_t{1000} * 366 * 24 * 3600};
  static_assert(kCap.count() > INT32_MAX, "the cap is beyond a 32-bit time_t");
  if (span <= span.zero()) return {0, 0};
  if (duration<double>(span) >= duration<double>(kCap)) return {kCap.count(), 0};
  const auto whole = duration_cast<seconds>(span);
  const auto rest = duration_cast<nanoseconds>(span - whole);
  return {static_cast<std::int64_t>(whole.count()), static_cast<std::int64_t>(rest.count())};
}

// The monotonic deadline `span` from now (saturating).
deadline deadline_after(time64 span) noexcept;

// The current time on CLOCK_REALTIME or CLOCK_MONOTONIC.
time64 clock_now(bool realtime) noexcept;

inline bool earlier(const time64& a, const time64& b) noexcept {
  return a.tv_sec != b.tv_sec ? a.tv_sec < b.tv_sec : a.tv_nsec < b.tv_nsec;
}

// The time left until `until`, on its clock (zero or less: passed).
std::chrono::nanoseconds time_left(const deadline& until) noexcept;

// Sleeps while *word == expected, until woken, interrupted, or the deadline
// (none when null). Returns false only when the deadline has passed; callers
// re-check their condition in every other case. The portable backend returns
// once it sees another value in the word, so a change that is undone before
// it looks (A-B-A) is not seen: the protocols above need a wake-up only for
// a state that lasts until the waiter acts on it.
bool futex_wait(futex_word& word, std::uint32_t expected, const deadline* until) noexcept;

// Wakes up to `count` threads sleeping on `word`, in any process (a no-op
// with the portable backend, whose waiters poll).
void futex_wake(futex_word& word, int count) noexcept;

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_FUTEX_HPP_
