// A bounded wait for a child process, for the kill-injection tests.
#ifndef REFIPC_SYNC_TESTING_CHILD_WAIT_HPP_
#define REFIPC_SYNC_TESTING_CHILD_WAIT_HPP_

#include <sys/types.h>

#include <chrono>

namespace refipc {
namespace testing {

// Waits for the child `pid` at most `bound`, then SIGKILLs and reaps it.
// Returns its wait status, or -1 when it had to be killed.
int wait_child_for(pid_t pid, std::chrono::milliseconds bound);

}  // namespace testing
}  // namespace refipc

#endif  // REFIPC_SYNC_TESTING_CHILD_WAIT_HPP_
