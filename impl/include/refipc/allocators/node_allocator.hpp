// node_allocator<T, SegmentManager, NodesPerBlock>: nodes from a segregated
// storage pool shared by every node_allocator with the same node size and
// NodesPerBlock in the segment, in any process (the pool is found by its
// unique name and reference-counted; the last allocator destroys it). Blocks
// of at least NodesPerBlock nodes are taken from the segment as needed and
// kept until deallocate_free_blocks() or the pool's end.
//
// Process-shared and thread-safe: the pool has its own mutex of the segment's
// mutex family.
#ifndef REFIPC_ALLOCATORS_NODE_ALLOCATOR_HPP_
#define REFIPC_ALLOCATORS_NODE_ALLOCATOR_HPP_

#include <cstddef>

#include "refipc/allocators/detail/node_pool.hpp"
#include "refipc/allocators/detail/pool_backends.hpp"
#include "refipc/allocators/detail/pooled_allocator.hpp"
#include "refipc/allocators/detail/shared_node_pool.hpp"
#include "refipc/allocators/detail/void_allocator.hpp"
#include "refipc/containers/version_type.hpp"

namespace refipc {

template <class T, class SegmentManager, std::size_t NodesPerBlock>
class node_allocator;

namespace allocators_detail {
template <class T, class SegmentManager, std::size_t NodesPerBlock>
using node_allocator_base = pooled_allocator<
    node_allocator<T, SegmentManager, NodesPerBlock>, T, SegmentManager,
    shared_backend<SegmentManager, allocators_detail::shared_node_pool<
                                       SegmentManager,
                                       allocators_detail::node_bytes_for<
                                           T, typename SegmentManager::void_pointer>(),
                                       NodesPerBlock, 0, 0, false>>>;
}  // namespace allocators_detail

template <class T, class SegmentManager, std::size_t NodesPerBlock = 64>
class node_allocator
    : public allocators_detail::node_allocator_base<T, SegmentManager, NodesPerBlock> {
  using base = allocators_detail::node_allocator_base<T, SegmentManager, NodesPerBlock>;

 public:
  using version = version_type<node_allocator, 2>;
  template <class T2>
  struct rebind {
    using other = node_allocator<T2, SegmentManager, NodesPerBlock>;
  };

  // Attaches to (or creates) the pool; bad_alloc when it cannot be created.
  node_allocator(SegmentManager* segment_mgr) : base(segment_mgr) {}  // NOLINT: implicit
  node_allocator(const node_allocator& other) = default;
  // The pool for T's node size, from a rebound allocator's segment.
  template <class T2>
  node_allocator(
      const node_allocator<T2, SegmentManager, NodesPerBlock>& other)  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
  node_allocator& operator=(const node_allocator& other) = default;
};

// node_allocator<void, ...> names the family (for rebinding: Boost.Container's
// stable_vector goes through it) and allocates nothing.
template <class SegmentManager, std::size_t NodesPerBlock>
class node_allocator<void, SegmentManager, NodesPerBlock>
    : public allocators_detail::void_allocator<SegmentManager> {
  using base = allocators_detail::void_allocator<SegmentManager>;

 public:
  using version = version_type<node_allocator, 2>;
  template <class T2>
  struct rebind {
    using other = node_allocator<T2, SegmentManager, NodesPerBlock>;
  };

  node_allocator(SegmentManager* segment_mgr) noexcept : base(segment_mgr) {}  // NOLINT: implicit
  template <class T2>
  node_allocator(
      const node_allocator<T2, SegmentManager, NodesPerBlock>& other) noexcept  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
};

}  // namespace refipc

#endif  // REFIPC_ALLOCATORS_NODE_ALLOCATOR_HPP_
