// The tower heights of the skip lists: geometric (p = 1/4) up to MaxHeight,
// from a xorshift generator kept in the list itself, so that a list's shape
// depends only on its sequence of operations.
#ifndef REFIPC_INDEXES_DETAIL_TOWER_HEIGHT_HPP_
#define REFIPC_INDEXES_DETAIL_TOWER_HEIGHT_HPP_

#include <cstdint>

namespace refipc {
namespace index_detail {

template <int MaxHeight>
class tower_height {
 public:
  int draw() noexcept {
    std::uint64_t x = state_;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    state_ = x;
    int height = 1;
    while (height < MaxHeight && (x & 3) == 0) {
      ++height;
      x >>= 2;
    }
    return height;
  }

 private:
  std::uint64_t state_ = 0x9e3779b97f4a7c15ull;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_TOWER_HEIGHT_HPP_
