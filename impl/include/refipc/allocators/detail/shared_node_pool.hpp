// shared_node_pool: the pool every node_allocator / adaptive_pool of one node
// size and parameters uses in a segment, whatever the process; and
// private_node_pool: one allocator instance's own pool.
#ifndef REFIPC_ALLOCATORS_DETAIL_SHARED_NODE_POOL_HPP_
#define REFIPC_ALLOCATORS_DETAIL_SHARED_NODE_POOL_HPP_

#include <cstddef>
#include <cstdint>
#include <new>

#include "refipc/allocators/detail/node_pool.hpp"
#include "refipc/detail/segment/named_proxy.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/recovering_lock.hpp"
#include "refipc/sync/lock_options.hpp"
#include "refipc/sync/scoped_lock.hpp"

namespace refipc::allocators_detail {

// Lives in the segment as the unique instance of its own type, so the type
// (node size and parameters) is the pool's name: every allocator of that kind
// in every process attaching to the segment finds the same pool. Attaching
// and detaching count references under the segment's lock; the last detach
// gives every block back and destroys the pool. Node operations take the
// pool's own mutex (the segment's mutex family, process-shared); after the
// death of a holder the pool is checked and kept, or reported corrupted.
template <class SegmentManager, std::size_t NodeBytes, std::size_t NodesPerBlock,
          std::size_t MaxFreeBlocks, unsigned char OverheadPercent, bool Adaptive>
class shared_node_pool {
  using void_pointer = typename SegmentManager::void_pointer;
  using mutex_type = typename SegmentManager::mutex_family::mutex_type;

 public:
  static constexpr pool_params kParams{NodeBytes, NodesPerBlock, MaxFreeBlocks, OverheadPercent,
                                       Adaptive};

  shared_node_pool() noexcept : pool_(kParams) {
    // Persisted layout (docs/layout.md, "Node pools"): the mutex, the pool,
    // the reference count, packed.
    static_assert(offsetof(shared_node_pool, mutex_) == 0);
    static_assert(offsetof(shared_node_pool, pool_) ==
                  round_up(sizeof(mutex_type), alignof(node_pool<void_pointer>)));
    static_assert(offsetof(shared_node_pool, refs_) ==
                  offsetof(shared_node_pool, pool_) + sizeof(node_pool<void_pointer>));
    static_assert(sizeof(shared_node_pool) == offsetof(shared_node_pool, refs_) + 8);
  }

  // The segment's pool of this kind, created if absent, with one more
  // reference. bad_alloc when it cannot be created; corrupted_error when the
  // one found is not of this kind.
  static shared_node_pool* attach(SegmentManager* mgr) {
    shared_node_pool* p = nullptr;
    auto f = [&] {
      p = mgr->template find_or_construct<shared_node_pool>(unique_instance)();
      if (!p->pool_.matches(kParams) || p->refs_ == ~std::uint64_t{0}) {
        throw interprocess_exception(corrupted_error, "node pool: damaged pool header");
      }
      ++p->refs_;
    };
    mgr->atomic_func(f);
    return p;
  }
  // One more reference to an attached pool.
  void add_ref(SegmentManager* mgr) {
    auto f = [&] { ++refs_; };
    mgr->atomic_func(f);
  }
  // One reference less; the last one destroys the pool.
  void detach(SegmentManager* mgr) noexcept {
    try {
      auto f = [&] {
        if (refs_ == 0 || --refs_ != 0) return;
        pool_.release_all(mgr);
        mgr->template destroy<shared_node_pool>(unique_instance);
      };
      mgr->atomic_func(f);
    } catch (...) {
      // A damaged segment: the pool stays (a leak), nothing else is touched.
    }
  }

  void* allocate_node(SegmentManager* mgr) {
    const auto lock = lock_pool(mgr);
    return pool_.allocate_node(mgr);
  }
  void deallocate_node(SegmentManager* mgr, void* node) {
    const auto lock = lock_pool(mgr);
    pool_.deallocate_node(mgr, node);
  }
  // n nodes passed to push(void*), under one lock. Nodes already pushed stay
  // with the caller when a later one throws.
  template <class Push>
  void allocate_nodes(SegmentManager* mgr, std::size_t n, Push push) {
    const auto lock = lock_pool(mgr);
    for (; n != 0; --n) push(pool_.allocate_node(mgr));
  }
  // Gives back the nodes pop() returns until it returns null, under one lock.
  template <class Pop>
  void deallocate_nodes(SegmentManager* mgr, Pop pop) {
    const auto lock = lock_pool(mgr);
    while (void* node = pop()) pool_.deallocate_node(mgr, node);
  }
  void deallocate_free_blocks(SegmentManager* mgr) {
    const auto lock = lock_pool(mgr);
    pool_.deallocate_free_blocks(mgr);
  }
  std::size_t num_blocks(SegmentManager* mgr) {
    const auto lock = lock_pool(mgr);
    return pool_.num_blocks();
  }
  std::size_t num_free_blocks(SegmentManager* mgr) {
    const auto lock = lock_pool(mgr);
    return pool_.num_free_blocks();
  }
  std::size_t references() const noexcept { return refs_; }
  const node_pool<void_pointer>& pool() const noexcept { return pool_; }

 private:
  // The uncontended lock inline; the death of a holder out of line.
  scoped_lock<mutex_type> lock_pool(SegmentManager* mgr) {
    try {
      mutex_.lock();
    } catch (const owner_dead_exception&) {
      recover(mgr);
    }
    return scoped_lock<mutex_type>(mutex_, accept_ownership);
  }
  __attribute__((noinline)) void recover(SegmentManager* mgr) {
    auto repair = [&] { return pool_.check(mgr); };
    sync_detail::recover_or_release(mutex_, repair,
                                    "node pool: damaged (a process died while changing it)");
  }

  mutex_type mutex_;
  node_pool<void_pointer> pool_;
  std::uint64_t refs_ = 0;
};

// One allocator instance's pool: a node_pool allocated in the segment (so
// the blocks' owner address stays valid wherever the allocator is copied
// to), with no lock: only one thread may use it at a time.
template <class SegmentManager>
class private_node_pool {
  using pool_type = node_pool<typename SegmentManager::void_pointer>;

 public:
  static pool_type* create(SegmentManager* mgr, const pool_params& params) {
    return ::new (mgr->allocate(sizeof(pool_type))) pool_type(params);
  }
  // Gives every block back, nodes in use or not, and the pool itself.
  static void destroy(SegmentManager* mgr, pool_type* pool) noexcept {
    pool->release_all(mgr);
    pool->~pool_type();
    mgr->deallocate(pool);
  }
};

}  // namespace refipc::allocators_detail

#endif  // REFIPC_ALLOCATORS_DETAIL_SHARED_NODE_POOL_HPP_
