#include "refipc/sync/detail/spin.hpp"

#include <unistd.h>

namespace refipc {
namespace sync_detail {

namespace {
constexpr int kSpinRounds = 200;
}  // namespace

int spin_rounds() noexcept {
  static const int rounds = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? kSpinRounds : 0;
  return rounds;
}

}  // namespace sync_detail
}  // namespace refipc
