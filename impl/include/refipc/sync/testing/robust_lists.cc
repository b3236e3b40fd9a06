#include "refipc/sync/testing/robust_lists.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>

namespace refipc_test {

bool robust_lists_available() {
  robust_list_head* head = nullptr;
  std::size_t length = 0;
  return syscall(SYS_get_robust_list, 0, &head, &length) == 0;
}

}  // namespace refipc_test
