// private_adaptive_pool<T, SegmentManager, NodesPerBlock, MaxFreeBlocks, OverheadPercent>: as
// adaptive_pool, but each instance has its own pool (a copy starts a new one), given back whole
// when the instance goes. Equal only to itself.
//
// Not synchronised: one thread at a time may use an instance (and the containers holding it),
// whatever the process.
#ifndef REFIPC_ALLOCATORS_PRIVATE_ADAPTIVE_POOL_HPP_
#define REFIPC_ALLOCATORS_PRIVATE_ADAPTIVE_POOL_HPP_

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
class private_adaptive_pool;

namespace allocators_detail {
template <class T, class SM, std::size_t N, std::size_t F, unsigned char OP>
using private_adaptive_pool_base = pooled_allocator<
    private_adaptive_pool<T, SM, N, F, OP>, T, SM,
    private_backend<SM, allocators_detail::shared_node_pool<
                            SM, allocators_detail::node_bytes_for<T, typename SM::void_pointer>(),
                            N, F, OP, true>>>;
}  // namespace allocators_detail

template <class T, class SM, std::size_t N = 64, std::size_t F = 2, unsigned char OP = 5>
class private_adaptive_pool
    : public allocators_detail::private_adaptive_pool_base<T, SM, N, F, OP> {
  using base = allocators_detail::private_adaptive_pool_base<T, SM, N, F, OP>;

 public:
  using version = version_type<private_adaptive_pool, 2>;
  template <class T2>
  struct rebind {
    using other = private_adaptive_pool<T2, SM, N, F, OP>;
  };

  // Attaches to (or creates) the pool; bad_alloc when it cannot be created.
  private_adaptive_pool(SM* segment_mgr) : base(segment_mgr) {}  // NOLINT: implicit
  private_adaptive_pool(const private_adaptive_pool& other) = default;
  // The pool for T's node size, from a rebound allocator's segment.
  template <class T2>
  private_adaptive_pool(const private_adaptive_pool<T2, SM, N, F,
                                                    OP>& other)  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
  private_adaptive_pool& operator=(const private_adaptive_pool& other) = default;
};

// private_adaptive_pool<void, ...> names the family (for rebinding: Boost.Container's
// stable_vector goes through it) and allocates nothing.
template <class SM, std::size_t N, std::size_t F, unsigned char OP>
class private_adaptive_pool<void, SM, N, F, OP> : public allocators_detail::void_allocator<SM> {
  using base = allocators_detail::void_allocator<SM>;

 public:
  using version = version_type<private_adaptive_pool, 2>;
  template <class T2>
  struct rebind {
    using other = private_adaptive_pool<T2, SM, N, F, OP>;
  };

  private_adaptive_pool(SM* segment_mgr) noexcept : base(segment_mgr) {}  // NOLINT: implicit
  template <class T2>
  private_adaptive_pool(const private_adaptive_pool<T2, SM, N, F,
                                                    OP>& other) noexcept  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
};

}  // namespace refipc

#endif  // REFIPC_ALLOCATORS_PRIVATE_ADAPTIVE_POOL_HPP_
