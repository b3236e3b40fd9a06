#include "refipc/sync/interprocess_condition.hpp"

#include <climits>

#include "refipc/sync/detail/spin.hpp"

namespace refipc {

void interprocess_condition::notify(int count) noexcept {
  generation_.fetch_add(1, std::memory_order_seq_cst);
  if (sleepers_.load(std::memory_order_seq_cst) != 0) sync_detail::futex_wake(generation_, count);
}

void interprocess_condition::notify_all() noexcept { notify(INT_MAX); }

bool interprocess_condition::sleep(std::uint32_t generation,
                                   const sync_detail::deadline* until) noexcept {
  if (sync_detail::spin_until(&generation_, [&] {
        return generation_.load(std::memory_order_relaxed) != generation;
      })) {
    return true;
  }
  // Counted only now, after the mutex was released: a notifier that saw no
  // sleeper had already changed generation_, so the futex does not sleep.
  sleepers_.fetch_add(1, std::memory_order_seq_cst);
  const bool in_time = sync_detail::futex_wait(generation_, generation, until);
  sleepers_.fetch_sub(1, std::memory_order_relaxed);
  return in_time;
}

}  // namespace refipc
