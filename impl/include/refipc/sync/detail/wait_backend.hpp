// The wait backend this build uses (docs/design.md, "Wait backends").
//
// futex: Linux only. Waiters sleep in the kernel (futex(2)) and the kernel's
// robust futex list reports the death of a lock's owner thread.
// portable: any platform. Waiters poll the shared word with bounded
// exponential backoff (wake-ups are no-ops) and a lock records its owner's
// process, whose death a waiter detects by asking the operating system.
//
// Linux uses the futex unless REFIPC_WAIT_PORTABLE is defined (Bazel:
// --config=portable_wait); every other platform uses the portable backend.
// The two lay out a lock differently, so segments, queues and named objects
// record the backend that created them (docs/layout.md).
#ifndef REFIPC_SYNC_DETAIL_WAIT_BACKEND_HPP_
#define REFIPC_SYNC_DETAIL_WAIT_BACKEND_HPP_

#if defined(__linux__) && !defined(REFIPC_WAIT_PORTABLE)
#define REFIPC_WAIT_FUTEX 1
#else
#define REFIPC_WAIT_FUTEX 0
#endif

namespace refipc {
namespace sync_detail {

inline constexpr bool kFutexBackend = REFIPC_WAIT_FUTEX != 0;
inline constexpr const char* kWaitBackendName = kFutexBackend ? "futex" : "portable";

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_WAIT_BACKEND_HPP_
