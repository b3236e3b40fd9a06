#include "refipc/sync/testing/robust_lists.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>

#include "refipc/sync/detail/wait_backend.hpp"

namespace refipc_test {

bool robust_lists_available() {
  // The portable backend detects owner death without them.
  if (!refipc::sync_detail::kFutexBackend) return true;
  robust_list_head* head = nullptr;
  std::size_t length = 0;
  return syscall(SYS_get_robust_list, 0, &head, &length) == 0;
}

}  // namespace refipc_test
