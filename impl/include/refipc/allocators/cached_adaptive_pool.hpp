// cached_adaptive_pool<T, SegmentManager, NodesPerBlock, MaxFreeBlocks, OverheadPercent>:
// adaptive_pool's shared pool behind a cache of up to get_max_cached_nodes() nodes (64 by default)
// kept by each instance. Copies share the pool, each with its own (empty) cache.
//
// The pool is process-shared and thread-safe; an instance's cache is not synchronised: one thread
// at a time may use an instance. Cached nodes return to the pool when the instance goes (lost if
// its process dies).
#ifndef REFIPC_ALLOCATORS_CACHED_ADAPTIVE_POOL_HPP_
#define REFIPC_ALLOCATORS_CACHED_ADAPTIVE_POOL_HPP_

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
class cached_adaptive_pool;

namespace allocators_detail {
template <class T, class SM, std::size_t N, std::size_t F, unsigned char OP>
using cached_adaptive_pool_base = pooled_allocator<
    cached_adaptive_pool<T, SM, N, F, OP>, T, SM,
    cached_backend<SM, allocators_detail::shared_node_pool<
                           SM, allocators_detail::node_bytes_for<T, typename SM::void_pointer>(), N,
                           F, OP, true>>>;
}  // namespace allocators_detail

template <class T, class SM, std::size_t N = 64, std::size_t F = 2, unsigned char OP = 5>
class cached_adaptive_pool : public allocators_detail::cached_adaptive_pool_base<T, SM, N, F, OP> {
  using base = allocators_detail::cached_adaptive_pool_base<T, SM, N, F, OP>;

 public:
  using version = version_type<cached_adaptive_pool, 2>;
  template <class T2>
  struct rebind {
    using other = cached_adaptive_pool<T2, SM, N, F, OP>;
  };

  using typename base::size_type;

  // Attaches to (or creates) the pool, with a cache of at most
  // max_cached_nodes; bad_alloc when the pool cannot be created.
  cached_adaptive_pool(SM* segment_mgr,  // NOLINT: implicit
                       size_type max_cached_nodes = allocators_detail::default_max_cached_nodes)
      : base(segment_mgr) {
    this->backend_.set_max_cached_nodes(max_cached_nodes);
  }
  cached_adaptive_pool(const cached_adaptive_pool& other) = default;
  // The pool for T's node size, from a rebound allocator's segment.
  template <class T2>
  cached_adaptive_pool(const cached_adaptive_pool<T2, SM, N, F,
                                                  OP>& other)  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
  cached_adaptive_pool& operator=(const cached_adaptive_pool& other) = default;

  // The most nodes this instance keeps for itself; lowering it gives the
  // excess back to the pool.
  void set_max_cached_nodes(std::size_t n) { this->backend_.set_max_cached_nodes(n); }
  std::size_t get_max_cached_nodes() const noexcept {
    return this->backend_.get_max_cached_nodes();
  }
};

// cached_adaptive_pool<void, ...> names the family (for rebinding: Boost.Container's
// stable_vector goes through it) and allocates nothing.
template <class SM, std::size_t N, std::size_t F, unsigned char OP>
class cached_adaptive_pool<void, SM, N, F, OP> : public allocators_detail::void_allocator<SM> {
  using base = allocators_detail::void_allocator<SM>;

 public:
  using version = version_type<cached_adaptive_pool, 2>;
  template <class T2>
  struct rebind {
    using other = cached_adaptive_pool<T2, SM, N, F, OP>;
  };

  cached_adaptive_pool(SM* segment_mgr) noexcept : base(segment_mgr) {}  // NOLINT: implicit
  template <class T2>
  cached_adaptive_pool(
      const cached_adaptive_pool<T2, SM, N, F, OP>& other) noexcept  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
};

}  // namespace refipc

#endif  // REFIPC_ALLOCATORS_CACHED_ADAPTIVE_POOL_HPP_
