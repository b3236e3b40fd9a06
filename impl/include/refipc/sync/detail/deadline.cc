#include <time.h>

#include "refipc/sync/detail/futex.hpp"

namespace refipc {
namespace sync_detail {

time64 clock_now(bool realtime) noexcept {
  timespec now;
  clock_gettime(realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, &now);
  return {std::int64_t{now.tv_sec}, std::int64_t{now.tv_nsec}};
}

deadline deadline_after(time64 span) noexcept {
  const time64 now = clock_now(false);
  deadline result;
  result.at.tv_sec = now.tv_sec + span.tv_sec;
  result.at.tv_nsec = now.tv_nsec + span.tv_nsec;
  if (result.at.tv_nsec >= 1000000000L) {
    result.at.tv_nsec -= 1000000000L;
    ++result.at.tv_sec;
  }
  return result;
}

std::chrono::nanoseconds time_left(const deadline& until) noexcept {
  const time64 now = clock_now(until.realtime);
  // Seconds first, so that a capped deadline (about 1000 years) cannot
  // overflow the nanosecond count.
  const std::int64_t seconds = until.at.tv_sec - now.tv_sec;
  if (seconds > 1000000) return std::chrono::seconds(1000000);
  return std::chrono::seconds(seconds) + std::chrono::nanoseconds(until.at.tv_nsec - now.tv_nsec);
}

}  // namespace sync_detail
}  // namespace refipc
