// Whether the kernel keeps robust futex lists (get_robust_list(2)), which
// refipc's mutexes need, with the futex backend, to detect owner death:
// without them locking throws (the portable backend does without).
// qemu-user does not implement these system calls (ENOSYS), so under
// --config=aarch64 a test that locks refipc's mutexes reports itself skipped,
// with this reason, instead of failing: its body starts with
// REFIPC_SKIP_WITHOUT_ROBUST_LISTS(); (or the binary links
// :robust_lists_required when every test in it locks).
#ifndef REFIPC_SYNC_TESTING_ROBUST_LISTS_HPP_
#define REFIPC_SYNC_TESTING_ROBUST_LISTS_HPP_

#include <gtest/gtest.h>

namespace refipc_test {

bool robust_lists_available();

inline constexpr const char* kNoRobustLists =
    "get_robust_list(2) is not implemented here (qemu-user returns ENOSYS): refipc's "
    "mutexes cannot detect owner death and refuse to lock";

}  // namespace refipc_test

#define REFIPC_SKIP_WITHOUT_ROBUST_LISTS() \
  if (!::refipc_test::robust_lists_available()) GTEST_SKIP() << ::refipc_test::kNoRobustLists

#endif  // REFIPC_SYNC_TESTING_ROBUST_LISTS_HPP_
