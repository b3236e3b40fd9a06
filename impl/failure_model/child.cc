#include "impl/failure_model/child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <exception>

namespace refipc_failure_model {

child_outcome run_in_child(const std::function<int(std::string& report)>& body, unsigned seconds) {
  child_outcome outcome;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    outcome.exited = true;
    outcome.code = 1;
    outcome.report = "pipe2 failed";
    return outcome;
  }
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    alarm(seconds);
    std::string report;
    int code = 1;
    try {
      code = body(report);
    } catch (const std::exception& e) {
      report += std::string("uncaught exception: ") + e.what() + "\n";
    }
    for (std::size_t done = 0; done < report.size();) {
      const ssize_t n = write(fds[1], report.data() + done, report.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    _exit(code);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    outcome.exited = true;
    outcome.code = 1;
    outcome.report = "fork failed";
    return outcome;
  }
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n > 0) {
      outcome.report.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  outcome.exited = WIFEXITED(status);
  outcome.code = outcome.exited ? WEXITSTATUS(status) : 0;
  outcome.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return outcome;
}

void note(std::string& report, bool ok, const std::string& what) {
  if (!ok) report += what + "\n";
}

}  // namespace refipc_failure_model
