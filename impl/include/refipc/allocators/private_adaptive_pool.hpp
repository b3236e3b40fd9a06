// private_adaptive_pool<T, SegmentManager, NodesPerBlock, MaxFreeBlocks,
// OverheadPercent>: as adaptive_pool, but each instance has its own pool (a
// copy starts a new one), given back whole when the instance goes. Equal only
// to itself.
//
// Not synchronised: one thread at a time may use an instance (and the
// containers holding it), whatever the process.
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

template <class T, class SegmentManager, std::size_t NodesPerBlock, std::size_t MaxFreeBlocks,
          unsigned char OverheadPercent>
class private_adaptive_pool;

namespace allocators_detail {
template <class T, class SegmentManager, std::size_t NodesPerBlock, std::size_t MaxFreeBlocks,
          unsigned char OverheadPercent>
using private_adaptive_pool_base = pooled_allocator<
    private_adaptive_pool<T, SegmentManager, NodesPerBlock, MaxFreeBlocks, OverheadPercent>, T,
    SegmentManager,
    private_backend<SegmentManager, allocators_detail::shared_node_pool<
                                        SegmentManager,
                                        allocators_detail::node_bytes_for<
                                            T, typename SegmentManager::void_pointer>(),
                                        NodesPerBlock, MaxFreeBlocks, OverheadPercent, true>>>;
}  // namespace allocators_detail

template <class T, class SegmentManager, std::size_t NodesPerBlock = 64,
          std::size_t MaxFreeBlocks = 2, unsigned char OverheadPercent = 5>
class private_adaptive_pool
    : public allocators_detail::private_adaptive_pool_base<T, SegmentManager, NodesPerBlock,
                                                           MaxFreeBlocks, OverheadPercent> {
  using base = allocators_detail::private_adaptive_pool_base<T, SegmentManager, NodesPerBlock,
                                                             MaxFreeBlocks, OverheadPercent>;

 public:
  using version = version_type<private_adaptive_pool, 2>;
  template <class T2>
  struct rebind {
    using other =
        private_adaptive_pool<T2, SegmentManager, NodesPerBlock, MaxFreeBlocks, OverheadPercent>;
  };

  // Attaches to (or creates) the pool; bad_alloc when it cannot be created.
  private_adaptive_pool(SegmentManager* segment_mgr) : base(segment_mgr) {}  // NOLINT: implicit
  private_adaptive_pool(const private_adaptive_pool& other) = default;
  // The pool for T's node size, from a rebound allocator's segment.
  template <class T2>
  private_adaptive_pool(
      const private_adaptive_pool<T2, SegmentManager, NodesPerBlock, MaxFreeBlocks,
                                  OverheadPercent>& other)  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
  private_adaptive_pool& operator=(const private_adaptive_pool& other) = default;
};

// private_adaptive_pool<void, ...> names the family (for rebinding: Boost.Container's
// stable_vector goes through it) and allocates nothing.
template <class SegmentManager, std::size_t NodesPerBlock, std::size_t MaxFreeBlocks,
          unsigned char OverheadPercent>
class private_adaptive_pool<void, SegmentManager, NodesPerBlock, MaxFreeBlocks, OverheadPercent>
    : public allocators_detail::void_allocator<SegmentManager> {
  using base = allocators_detail::void_allocator<SegmentManager>;

 public:
  using version = version_type<private_adaptive_pool, 2>;
  template <class T2>
  struct rebind {
    using other =
        private_adaptive_pool<T2, SegmentManager, NodesPerBlock, MaxFreeBlocks, OverheadPercent>;
  };

  private_adaptive_pool(SegmentManager* segment_mgr) noexcept
      : base(segment_mgr) {}  // NOLINT: implicit
  template <class T2>
  private_adaptive_pool(
      const private_adaptive_pool<T2, SegmentManager, NodesPerBlock, MaxFreeBlocks,
                                  OverheadPercent>& other) noexcept  // NOLINT: implicit
      : base(other.get_segment_manager()) {}
};

}  // namespace refipc

#endif  // REFIPC_ALLOCATORS_PRIVATE_ADAPTIVE_POOL_HPP_
