// A process-shared barrier built on futexes.
#ifndef REFIPC_SYNC_INTERPROCESS_BARRIER_HPP_
#define REFIPC_SYNC_INTERPROCESS_BARRIER_HPP_

#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/futex.hpp"

namespace refipc {

// Place it in shared memory or a mapped file. Each round ("generation") ends
// when `count` threads, of any processes, have called wait(); then all of
// them return and the barrier is ready for the next round. In each round the
// thread whose call completed it (the last to arrive) gets true, the others
// false. The same `count` threads are expected to take part in every round.
//
// Beyond the manual: barrier(0) throws interprocess_exception (other_error),
// since no round could ever complete.
class barrier {
 public:
  explicit barrier(unsigned int count);
  barrier(const barrier&) = delete;
  barrier& operator=(const barrier&) = delete;
  // Nobody may be waiting on it.
  ~barrier() = default;

  bool wait();

 private:
  const unsigned int count_;
  // Threads arrived in the current round.
  sync_detail::futex_word arrived_{0};
  // Bumped when a round completes; waiters sleep while it is unchanged.
  sync_detail::futex_word generation_{0};
};

}  // namespace refipc

#endif  // REFIPC_SYNC_INTERPROCESS_BARRIER_HPP_
