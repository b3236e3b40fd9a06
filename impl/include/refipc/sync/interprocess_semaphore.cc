#include "refipc/sync/interprocess_semaphore.hpp"

#include <climits>

#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/spin.hpp"

namespace refipc {

interprocess_semaphore::interprocess_semaphore(unsigned int initial_count) : count_(initial_count) {
  if (initial_count > max_count) {
    throw interprocess_exception(error_info(sem_error),
                                 "interprocess_semaphore: initial count above max_count");
  }
}

void interprocess_semaphore::post() {
  std::uint32_t count = count_.load(std::memory_order_relaxed);
  do {
    if (count >= max_count) {
      throw interprocess_exception(error_info(sem_error),
                                   "interprocess_semaphore::post: count would exceed max_count");
    }
  } while (!count_.compare_exchange_weak(count, count + 1, std::memory_order_seq_cst));
  // A waiter counts itself in sleepers_ before it sleeps on count_, and the
  // kernel re-reads count_ before putting it to sleep: with both sides
  // sequentially consistent, either this sees the sleeper or it sees the post.
  //
  // Every sleeper is woken, not one: a woken waiter takes the unit itself,
  // with its own decrement, so one that dies before it does has taken
  // nothing, and the others, awake too, find the unit. Waking only it would
  // leave them asleep beside a count of 1. The price is that sleepers that
  // lose the race go back to sleep (docs/design.md, "Semaphore").
  if (sleepers_.load(std::memory_order_seq_cst) != 0) sync_detail::futex_wake(count_, INT_MAX);
}

bool interprocess_semaphore::try_wait() {
  std::uint32_t count = count_.load(std::memory_order_relaxed);
  while (count != 0) {
    if (count_.compare_exchange_weak(count, count - 1, std::memory_order_acquire)) return true;
  }
  return false;
}

void interprocess_semaphore::wait() { wait_until(nullptr); }

bool interprocess_semaphore::wait_until(const sync_detail::deadline* until) {
  if (sync_detail::spin_until(
          &count_, [this] { return count_.load(std::memory_order_relaxed) != 0 && try_wait(); })) {
    return true;
  }
  for (;;) {
    if (try_wait()) return true;
    sleepers_.fetch_add(1, std::memory_order_seq_cst);
    const bool in_time = sync_detail::futex_wait(count_, 0, until);
    sleepers_.fetch_sub(1, std::memory_order_relaxed);
    if (!in_time) return try_wait();
  }
}

}  // namespace refipc
