#include "refipc/sync/testing/robust_lists.hpp"

#include "refipc/sync/detail/wait_backend.hpp"

#if REFIPC_WAIT_FUTEX
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#endif

namespace refipc_test {

bool robust_lists_available() {
#if REFIPC_WAIT_FUTEX
  robust_list_head* head = nullptr;
  std::size_t length = 0;
  return syscall(SYS_get_robust_list, 0, &head, &length) == 0;
#else
  // The portable backend (every platform but Linux by default) detects owner
  // death without them.
  return true;
#endif
}

}  // namespace refipc_test
