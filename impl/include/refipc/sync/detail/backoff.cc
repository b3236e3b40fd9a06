#include "refipc/sync/detail/backoff.hpp"

#include <algorithm>
#include <thread>

namespace refipc {
namespace sync_detail {

bool backoff::pause(const deadline* until) noexcept {
  std::chrono::nanoseconds left = kMaxSleep;
  if (until != nullptr) {
    left = time_left(*until);
    if (left <= left.zero()) return false;
  }
  if (yields_ < kYields) {
    ++yields_;
    std::this_thread::yield();
    return true;
  }
  sleep_ = sleep_ < kFirstSleep ? kFirstSleep : std::min(2 * sleep_, kMaxSleep);
  std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(sleep_, left));
  return true;
}

}  // namespace sync_detail
}  // namespace refipc
