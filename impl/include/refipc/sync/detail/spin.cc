#include "refipc/sync/detail/spin.hpp"

#include <algorithm>
#include <thread>

namespace refipc {
namespace sync_detail {

namespace {
constexpr int kSpinRounds = 200;
constexpr std::uintptr_t kSlots = 64;
}  // namespace

int spin_rounds() noexcept {
  static const int rounds = std::thread::hardware_concurrency() > 1 ? kSpinRounds : 0;
  return rounds;
}

int spin_history::next_limit() noexcept {
  if (misses_ < kMissesBeforeSleep) {
    return std::min(spin_rounds(), 2 * static_cast<int>(average_) + kMargin);
  }
  if (countdown_ > 0) {
    --countdown_;
    return 0;
  }
  probing_ = true;
  return spin_rounds();
}

void spin_history::succeeded(int rounds) noexcept {
  // A condition that held at the first look says nothing about spinning.
  if (rounds == 0) return;
  average_ = static_cast<std::uint16_t>((3 * average_ + rounds) / 4);
  misses_ = 0;
  gap_ = kFirstGap;
  probing_ = false;
}

void spin_history::expired() noexcept {
  if (probing_) {
    probing_ = false;
    gap_ = static_cast<std::uint16_t>(std::min<int>(2 * gap_, kMaxGap));
  } else if (misses_ < kMissesBeforeSleep) {
    ++misses_;
  }
  if (misses_ >= kMissesBeforeSleep) countdown_ = gap_;
}

spin_history& spin_history_for(const void* key) noexcept {
  // Per thread: no sharing between threads, so plain members suffice.
  static thread_local spin_history table[kSlots];
  const auto address = reinterpret_cast<std::uintptr_t>(key);
  return table[(address >> 3) % kSlots];
}

}  // namespace sync_detail
}  // namespace refipc
