#include "refipc/sync/interprocess_barrier.hpp"

#include <climits>

#include "refipc/exceptions.hpp"

namespace refipc {

barrier::barrier(unsigned int count) : count_(count) {
  if (count == 0) throw interprocess_exception("barrier: the count of threads must not be 0");
}

bool barrier::wait() {
  // Read before arriving: the round cannot end without this thread.
  const std::uint32_t generation = generation_.load(std::memory_order_acquire);
  const std::uint32_t before = arrived_.fetch_add(1, std::memory_order_acq_rel);
  // A sound barrier never holds count_ arrivals (the last one resets the
  // word before anybody can arrive again): damaged bytes, or a count of 0,
  // would otherwise leave every later round waiting for good.
  if (before >= count_) {
    throw interprocess_exception(corrupted_error,
                                 "barrier: its shared state is damaged (as many arrivals as "
                                 "participants before this one)");
  }
  if (before + 1 == count_) {
    // Reset before the next round can start: the others leave (and may
    // arrive again) only after they see the new generation.
    arrived_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    sync_detail::futex_wake(generation_, INT_MAX);
    return true;
  }
  while (generation_.load(std::memory_order_acquire) == generation) {
    sync_detail::futex_wait(generation_, generation, nullptr);
  }
  return false;
}

}  // namespace refipc
