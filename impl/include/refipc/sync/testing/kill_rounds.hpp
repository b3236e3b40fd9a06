// The number of kill rounds of a kill-injection test: its short form by
// default, REFIPC_KILL_ROUNDS for the long form.
#ifndef REFIPC_SYNC_TESTING_KILL_ROUNDS_HPP_
#define REFIPC_SYNC_TESTING_KILL_ROUNDS_HPP_

namespace refipc {
namespace testing {

// REFIPC_KILL_ROUNDS when set, else `short_form`.
int kill_rounds(int short_form);

}  // namespace testing
}  // namespace refipc

#endif  // REFIPC_SYNC_TESTING_KILL_ROUNDS_HPP_
