// private_node_allocator<T, SegmentManager, NodesPerBlock>: as node_allocator,
// but each instance has its own pool (a copy starts a new one) and the pool's
// blocks, in use or not, go back to the segment when the instance goes.
// Equal only to itself.
//
// Not synchronised: one thread at a time may use an instance (and the
// containers holding it), whatever the process.
#ifndef REFIPC_ALLOCATORS_PRIVATE_NODE_ALLOCATOR_HPP_
#define REFIPC_ALLOCATORS_PRIVATE_NODE_ALLOCATOR_HPP_

#include <cstddef>

#include "refipc/allocators/detail/node_pool.hpp"
#include "refipc/allocators/detail/pool_backends.hpp"
#include "refipc/allocators/detail/pooled_allocator.hpp"
#include "refipc/allocators/detail/shared_node_pool.hpp"
#include "refipc/allocators/detail/void_allocator.hpp"
#include "refipc/containers/version_type.hpp"

namespace refipc {

template <class T, class SegmentManager, std::size_t NodesPerBlock>
class private_node_allocator;

namespace allocators_detail {
template <class T, class SegmentManager, std::size_t NodesPerBlock>
using private_node_allocator_base = pooled_allocator<
    private_node_allocator<T, SegmentManager, NodesPerBlock>, T, SegmentManager,
    private_backend<SegmentManager, allocators_detail::shared_node_pool<
                                        SegmentManager,
                                        allocators_detail::node_bytes_for<
                                            T, typename SegmentManager::void_pointer>(),
                                        NodesPerBlock, 0, 0, false>>>;
}  // namespace allocators_detail

template <class T, class SegmentManager, std::size_t NodesPerBlock = 64>
class private_node_allocator
    : public allocators_detail::private_node_allocator_base<T, SegmentManager, NodesPerBlock> {
  using base = allocators_detail::private_node_allocator_base<T, SegmentManager, NodesPerBlock>;

 public:
  using version = version_type<private_node_allocator, 2>;
  template <class T2>
  struct rebind {
    using other = private_node_allocator<T2, SegmentManager, NodesPerBlock>;
  };

  // Attaches to (or creates) the pool; bad_alloc when it cannot be created.
  private_node_allocator(SegmentManager* segment_mgr) : base(segment_mgr) {}  // NOLINT: implicit
  private_node_allocator(const private_node_allocator& other) = default;
  // The pool for T's node size, from a rebound allocator's segment.
  template <class T2>
  private_node_allocator(
      const private_node_allocator<T2, SegmentManager, NodesPerBlock>& other)  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
  private_node_allocator& operator=(const private_node_allocator& other) = default;
};

// private_node_allocator<void, ...> names the family (for rebinding: Boost.Container's
// stable_vector goes through it) and allocates nothing.
template <class SegmentManager, std::size_t NodesPerBlock>
class private_node_allocator<void, SegmentManager, NodesPerBlock>
    : public allocators_detail::void_allocator<SegmentManager> {
  using base = allocators_detail::void_allocator<SegmentManager>;

 public:
  using version = version_type<private_node_allocator, 2>;
  template <class T2>
  struct rebind {
    using other = private_node_allocator<T2, SegmentManager, NodesPerBlock>;
  };

  private_node_allocator(SegmentManager* segment_mgr) noexcept
      : base(segment_mgr) {}  // NOLINT: implicit
  template <class T2>
  private_node_allocator(const private_node_allocator<T2, SegmentManager, NodesPerBlock>&
                             other) noexcept  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
};

}  // namespace refipc

#endif  // REFIPC_ALLOCATORS_PRIVATE_NODE_ALLOCATOR_HPP_
