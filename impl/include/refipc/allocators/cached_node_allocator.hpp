// cached_node_allocator<T, SegmentManager, NodesPerBlock>: node_allocator's
// shared pool behind a cache of up to get_max_cached_nodes() nodes (64 by
// default) kept by each instance, so most node allocations take no lock.
// Copies share the pool, each with its own (empty) cache.
//
// The pool is process-shared and thread-safe; an instance's cache is not
// synchronised: one thread at a time may use an instance. Cached nodes return
// to the pool when the instance goes (lost if its process dies).
#ifndef REFIPC_ALLOCATORS_CACHED_NODE_ALLOCATOR_HPP_
#define REFIPC_ALLOCATORS_CACHED_NODE_ALLOCATOR_HPP_

#include <cstddef>

#include "refipc/allocators/detail/node_pool.hpp"
#include "refipc/allocators/detail/pool_backends.hpp"
#include "refipc/allocators/detail/pooled_allocator.hpp"
#include "refipc/allocators/detail/shared_node_pool.hpp"
#include "refipc/allocators/detail/void_allocator.hpp"
#include "refipc/containers/version_type.hpp"

namespace refipc {

template <class T, class SegmentManager, std::size_t NodesPerBlock>
class cached_node_allocator;

namespace allocators_detail {
template <class T, class SegmentManager, std::size_t NodesPerBlock>
using cached_node_allocator_base = pooled_allocator<
    cached_node_allocator<T, SegmentManager, NodesPerBlock>, T, SegmentManager,
    cached_backend<SegmentManager, allocators_detail::shared_node_pool<
                                       SegmentManager,
                                       allocators_detail::node_bytes_for<
                                           T, typename SegmentManager::void_pointer>(),
                                       NodesPerBlock, 0, 0, false>>>;
}  // namespace allocators_detail

template <class T, class SegmentManager, std::size_t NodesPerBlock = 64>
class cached_node_allocator
    : public allocators_detail::cached_node_allocator_base<T, SegmentManager, NodesPerBlock> {
  using base = allocators_detail::cached_node_allocator_base<T, SegmentManager, NodesPerBlock>;

 public:
  using version = version_type<cached_node_allocator, 2>;
  template <class T2>
  struct rebind {
    using other = cached_node_allocator<T2, SegmentManager, NodesPerBlock>;
  };

  using typename base::size_type;

  // Attaches to (or creates) the pool, with a cache of at most
  // max_cached_nodes; bad_alloc when the pool cannot be created.
  cached_node_allocator(SegmentManager* segment_mgr,  // NOLINT: implicit
                        size_type max_cached_nodes = allocators_detail::default_max_cached_nodes)
      : base(segment_mgr) {
    this->backend_.set_max_cached_nodes(max_cached_nodes);
  }
  cached_node_allocator(const cached_node_allocator& other) = default;
  // The pool for T's node size, from a rebound allocator's segment.
  template <class T2>
  cached_node_allocator(
      const cached_node_allocator<T2, SegmentManager, NodesPerBlock>& other)  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
  cached_node_allocator& operator=(const cached_node_allocator& other) = default;

  // The most nodes this instance keeps for itself; lowering it gives the
  // excess back to the pool.
  void set_max_cached_nodes(std::size_t n) { this->backend_.set_max_cached_nodes(n); }
  std::size_t get_max_cached_nodes() const noexcept {
    return this->backend_.get_max_cached_nodes();
  }
};

// cached_node_allocator<void, ...> names the family (for rebinding: Boost.Container's
// stable_vector goes through it) and allocates nothing.
template <class SegmentManager, std::size_t NodesPerBlock>
class cached_node_allocator<void, SegmentManager, NodesPerBlock>
    : public allocators_detail::void_allocator<SegmentManager> {
  using base = allocators_detail::void_allocator<SegmentManager>;

 public:
  using version = version_type<cached_node_allocator, 2>;
  template <class T2>
  struct rebind {
    using other = cached_node_allocator<T2, SegmentManager, NodesPerBlock>;
  };

  cached_node_allocator(SegmentManager* segment_mgr) noexcept
      : base(segment_mgr) {}  // NOLINT: implicit
  template <class T2>
  cached_node_allocator(const cached_node_allocator<T2, SegmentManager, NodesPerBlock>&
                            other) noexcept  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
};

}  // namespace refipc

#endif  // REFIPC_ALLOCATORS_CACHED_NODE_ALLOCATOR_HPP_
