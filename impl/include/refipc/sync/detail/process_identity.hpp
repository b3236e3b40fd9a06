// Which process this is, and whether another one still runs: the portable
// wait backend's owner-death detection (docs/design.md, "Wait backends").
#ifndef REFIPC_SYNC_DETAIL_PROCESS_IDENTITY_HPP_
#define REFIPC_SYNC_DETAIL_PROCESS_IDENTITY_HPP_

#include <cstdint>

namespace refipc {
namespace sync_detail {

// A process id with a token of the process's start, so that a later process
// given the same id (pid reuse) is told apart: the low 32 bits of the start
// time in clock ticks since boot on Linux (/proc/<pid>/stat), of the creation
// time on Windows (GetProcessTimes); 0 where the platform gives neither.
struct process_stamp {
  std::uint32_t pid;
  std::uint32_t start;
};

// The calling process (kept, and taken again in the child after fork()).
process_stamp this_process() noexcept;

// Whether process `pid` has ended (a zombie has ended), or its id now names
// another process: one whose start token differs from `start`, when
// `start` is known (non-zero). A process that cannot be asked (another
// user's, on a platform that says so) is taken as running.
bool process_gone(std::uint32_t pid, std::uint32_t start) noexcept;

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_PROCESS_IDENTITY_HPP_
