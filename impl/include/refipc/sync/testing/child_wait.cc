#include "refipc/sync/testing/child_wait.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace refipc {
namespace testing {

int wait_child_for(pid_t pid, std::chrono::milliseconds bound) {
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  const auto deadline = std::chrono::steady_clock::now() + bound;
  int status = 0;
  for (;;) {
    if (waitpid(pid, &status, WNOHANG) == pid) break;
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      status = -1;
      break;
    }
    // Without pidfd_open, look again every 10 ms.
    pollfd fd{pidfd, POLLIN, 0};
    poll(&fd, pidfd >= 0 ? 1 : 0, pidfd >= 0 ? static_cast<int>(left.count()) : 10);
  }
  if (pidfd >= 0) close(pidfd);
  return status;
}

}  // namespace testing
}  // namespace refipc
