// The portable wait backend's pause between two looks at a shared word
// (docs/design.md, "Wait backends").
#ifndef REFIPC_SYNC_DETAIL_BACKOFF_HPP_
#define REFIPC_SYNC_DETAIL_BACKOFF_HPP_

#include <chrono>

#include "refipc/sync/detail/futex.hpp"

namespace refipc {
namespace sync_detail {

// Bounded exponential backoff: the first kYields pauses yield the CPU, then
// each sleeps twice as long as the one before, from kFirstSleep up to
// kMaxSleep. A pause never sleeps past the deadline, so a timed wait ends at
// most one pause (kMaxSleep plus the scheduler's latency) after it.
class backoff {
 public:
  static constexpr int kYields = 8;
  static constexpr std::chrono::microseconds kFirstSleep{16};
  static constexpr std::chrono::microseconds kMaxSleep{1000};

  // Pauses once; false, without pausing, when `until` (none when null) has
  // passed.
  bool pause(const deadline* until) noexcept;
  // Whether the pauses have reached kMaxSleep (the waiter has waited about
  // a millisecond or more).
  bool capped() const noexcept { return sleep_ >= kMaxSleep; }

 private:
  int yields_ = 0;
  std::chrono::microseconds sleep_{0};
};

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_BACKOFF_HPP_
