// adaptive_pool<T, SegmentManager, NodesPerBlock, MaxFreeBlocks, OverheadPercent>: nodes from a
// pool shared by every adaptive_pool with the same node size and parameters in the segment, in any
// process (found by its unique name, reference-counted, destroyed by the last allocator). Unlike
// node_allocator's, a block whose nodes are all free goes back to the segment once more than
// MaxFreeBlocks such blocks exist; blocks are sized so that the bytes not usable for nodes stay
// within OverheadPercent of each block.
//
// Process-shared and thread-safe: the pool has its own mutex of the segment's mutex family.
#ifndef REFIPC_ALLOCATORS_ADAPTIVE_POOL_HPP_
#define REFIPC_ALLOCATORS_ADAPTIVE_POOL_HPP_

#include <cstddef>

#include "refipc/allocators/detail/node_pool.hpp"
#include "refipc/allocators/detail/pool_backends.hpp"
#include "refipc/allocators/detail/pooled_allocator.hpp"
#include "refipc/allocators/detail/shared_node_pool.hpp"
#include "refipc/allocators/detail/void_allocator.hpp"
#include "refipc/containers/version_type.hpp"

namespace refipc {

// N: NodesPerBlock, F: MaxFreeBlocks, OP: OverheadPercent (short, so that
// each template head fits one line).
template <class T, class SM, std::size_t N, std::size_t F, unsigned char OP>
class adaptive_pool;

namespace allocators_detail {
template <class T, class SM, std::size_t N, std::size_t F, unsigned char OP>
using adaptive_pool_base = pooled_allocator<
    adaptive_pool<T, SM, N, F, OP>, T, SM,
    shared_backend<SM, allocators_detail::shared_node_pool<
                           SM, allocators_detail::node_bytes_for<T, typename SM::void_pointer>(), N,
                           F, OP, true>>>;
}  // namespace allocators_detail

template <class T, class SM, std::size_t N = 64, std::size_t F = 2, unsigned char OP = 5>
class adaptive_pool : public allocators_detail::adaptive_pool_base<T, SM, N, F, OP> {
  using base = allocators_detail::adaptive_pool_base<T, SM, N, F, OP>;

 public:
  using version = version_type<adaptive_pool, 2>;
  template <class T2>
  struct rebind {
    using other = adaptive_pool<T2, SM, N, F, OP>;
  };

  // Attaches to (or creates) the pool; bad_alloc when it cannot be created.
  adaptive_pool(SM* segment_mgr) : base(segment_mgr) {}  // NOLINT: implicit
  adaptive_pool(const adaptive_pool& other) = default;
  // The pool for T's node size, from a rebound allocator's segment.
  template <class T2>
  adaptive_pool(const adaptive_pool<T2, SM, N, F,
                                    OP>& other)  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
  adaptive_pool& operator=(const adaptive_pool& other) = default;
};

// adaptive_pool<void, ...> names the family (for rebinding: Boost.Container's
// stable_vector goes through it) and allocates nothing.
template <class SM, std::size_t N, std::size_t F, unsigned char OP>
class adaptive_pool<void, SM, N, F, OP> : public allocators_detail::void_allocator<SM> {
  using base = allocators_detail::void_allocator<SM>;

 public:
  using version = version_type<adaptive_pool, 2>;
  template <class T2>
  struct rebind {
    using other = adaptive_pool<T2, SM, N, F, OP>;
  };

  adaptive_pool(SM* segment_mgr) noexcept : base(segment_mgr) {}  // NOLINT: implicit
  template <class T2>
  adaptive_pool(const adaptive_pool<T2, SM, N, F,
                                    OP>& other) noexcept  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
};

}  // namespace refipc

#endif  // REFIPC_ALLOCATORS_ADAPTIVE_POOL_HPP_
