// Running a test body in a forked child: for what changes process-wide state
// (umask, mount namespace, user id) or may die of a signal.
#ifndef REFIPC_FAILURE_MODEL_CHILD_HPP_
#define REFIPC_FAILURE_MODEL_CHILD_HPP_

#include <functional>
#include <string>

namespace refipc_failure_model {

// The exit code by which a body says it could not run here; its report is
// the reason.
constexpr int kSkipped = 77;

struct child_outcome {
  bool exited = false;  // else killed by signal `signal`
  int code = 0;
  int signal = 0;
  std::string report;
};

// Runs `body` in a forked child, which ends with the code body returns (1
// if it throws). The body appends what it found to `report`. SIGALRM ends
// the child after `seconds`, so the call is bounded.
child_outcome run_in_child(const std::function<int(std::string& report)>& body, unsigned seconds);

// One line for a failed check, for reports.
void note(std::string& report, bool ok, const std::string& what);

}  // namespace refipc_failure_model

#endif  // REFIPC_FAILURE_MODEL_CHILD_HPP_
