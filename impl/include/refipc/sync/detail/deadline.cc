#include <time.h>

#include "refipc/sync/detail/futex.hpp"

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

std::chrono::nanoseconds time_left(const deadline& until) noexcept {
  timespec now;
  clock_gettime(until.realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, &now);
  // Seconds first, so that a capped deadline (about 1000 years) cannot
  // overflow the nanosecond count.
  const auto seconds = static_cast<std::int64_t>(until.at.tv_sec) - now.tv_sec;
  if (seconds > 1000000) return std::chrono::seconds(1000000);
  return std::chrono::seconds(seconds) + std::chrono::nanoseconds(until.at.tv_nsec - now.tv_nsec);
}

}  // namespace sync_detail
}  // namespace refipc
