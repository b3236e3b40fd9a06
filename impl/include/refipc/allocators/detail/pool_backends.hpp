// Where a pooled allocator's nodes come from: the segment's shared pool, the
// allocator's private pool, or a per-allocator cache over the shared pool.
// Each backend holds the segment manager and implements copying the way its
// allocator's reference documents.
#ifndef REFIPC_ALLOCATORS_DETAIL_POOL_BACKENDS_HPP_
#define REFIPC_ALLOCATORS_DETAIL_POOL_BACKENDS_HPP_

#include <cstddef>
#include <utility>

#include "refipc/allocators/detail/node_pool.hpp"
#include "refipc/allocators/detail/shared_node_pool.hpp"
#include "refipc/detail/segment/raw_pointer.hpp"

namespace refipc::allocators_detail {

// The shared pool: copies share it (one more reference each).
template <class SegmentManager, class Pool>
class shared_backend {
  using void_pointer = typename SegmentManager::void_pointer;
  using manager_ptr = segment_detail::rebind_pointer_t<void_pointer, SegmentManager>;
  using pool_ptr = segment_detail::rebind_pointer_t<void_pointer, Pool>;

 public:
  explicit shared_backend(SegmentManager* mgr) : mgr_(mgr), pool_(Pool::attach(mgr)) {}
  shared_backend(const shared_backend& other) : mgr_(other.mgr_), pool_(other.pool_) {
    pool()->add_ref(manager());
  }
  shared_backend& operator=(const shared_backend& other) {
    shared_backend copy(other);
    swap(copy);
    return *this;
  }
  ~shared_backend() { pool()->detach(manager()); }
  void swap(shared_backend& other) noexcept {
    std::swap(mgr_, other.mgr_);
    std::swap(pool_, other.pool_);
  }

  SegmentManager* manager() const noexcept { return segment_detail::raw(mgr_); }
  Pool* pool() const noexcept { return segment_detail::raw(pool_); }

  void* one() { return pool()->allocate_node(manager()); }
  void give(void* node) { pool()->deallocate_node(manager(), node); }
  template <class Push>
  void many(std::size_t n, Push push) {
    pool()->allocate_nodes(manager(), n, push);
  }
  template <class Pop>
  void give_many(Pop pop) {
    pool()->deallocate_nodes(manager(), pop);
  }
  void free_blocks() { pool()->deallocate_free_blocks(manager()); }

 private:
  manager_ptr mgr_;
  pool_ptr pool_;
};

// The allocator's own pool, allocated in the segment: a copy gets a new,
// empty pool; destruction gives every block back. No lock.
template <class SegmentManager, class Pool>
class private_backend {
  using void_pointer = typename SegmentManager::void_pointer;
  using manager_ptr = segment_detail::rebind_pointer_t<void_pointer, SegmentManager>;
  using pool_type = node_pool<void_pointer>;
  using pool_ptr = segment_detail::rebind_pointer_t<void_pointer, pool_type>;
  using maker = private_node_pool<SegmentManager>;

 public:
  explicit private_backend(SegmentManager* mgr)
      : mgr_(mgr), pool_(maker::create(mgr, Pool::kParams)) {}
  private_backend(const private_backend& other) : private_backend(other.manager()) {}
  private_backend& operator=(const private_backend& other) {
    private_backend copy(other);
    swap(copy);
    return *this;
  }
  ~private_backend() { maker::destroy(manager(), pool()); }
  void swap(private_backend& other) noexcept {
    std::swap(mgr_, other.mgr_);
    std::swap(pool_, other.pool_);
  }

  SegmentManager* manager() const noexcept { return segment_detail::raw(mgr_); }
  pool_type* pool() const noexcept { return segment_detail::raw(pool_); }

  void* one() { return pool()->allocate_node(manager()); }
  void give(void* node) { pool()->deallocate_node(manager(), node); }
  template <class Push>
  void many(std::size_t n, Push push) {
    for (; n != 0; --n) push(pool()->allocate_node(manager()));
  }
  template <class Pop>
  void give_many(Pop pop) {
    while (void* node = pop()) pool()->deallocate_node(manager(), node);
  }
  void free_blocks() { pool()->deallocate_free_blocks(manager()); }

 private:
  manager_ptr mgr_;
  pool_ptr pool_;
};

// How many nodes a cached allocator keeps unless told otherwise.
inline constexpr std::size_t default_max_cached_nodes = 64;

// The shared pool behind a cache of up to max_cached nodes kept by this
// allocator instance (no lock on the cache): an empty cache is refilled with
// half of max_cached nodes under one pool lock, and an overfull one gives
// half back. A copy shares the pool with an empty cache of the same limit.
template <class SegmentManager, class Pool>
class cached_backend {
  using void_pointer = typename SegmentManager::void_pointer;
  struct link {
    void_pointer next;
  };

 public:
  explicit cached_backend(SegmentManager* mgr) : shared_(mgr) {}
  cached_backend(const cached_backend& other)
      : shared_(other.shared_), max_cached_(other.max_cached_) {}
  cached_backend& operator=(const cached_backend& other) {
    cached_backend copy(other);
    swap(copy);
    return *this;
  }
  ~cached_backend() {
    try {
      trim(0);
    } catch (...) {
      // A damaged pool: the cached nodes are lost to it.
    }
  }
  void swap(cached_backend& other) noexcept {
    shared_.swap(other.shared_);
    std::swap(head_, other.head_);
    std::swap(cached_, other.cached_);
    std::swap(max_cached_, other.max_cached_);
  }

  SegmentManager* manager() const noexcept { return shared_.manager(); }
  Pool* pool() const noexcept { return shared_.pool(); }

  void* one() {
    if (cached_ == 0) {
      const std::size_t want = max_cached_ / 2 ? max_cached_ / 2 : 1;
      shared_.many(want, [this](void* node) { push(node); });
    }
    return pop();
  }
  void give(void* node) {
    push(node);
    if (cached_ > max_cached_) trim(max_cached_ / 2);
  }
  template <class Push>
  void many(std::size_t n, Push push_out) {
    for (; n != 0 && cached_ != 0; --n) push_out(pop());
    if (n != 0) shared_.many(n, push_out);
  }
  template <class Pop>
  void give_many(Pop pop_in) {
    while (void* node = pop_in()) give(node);
  }
  void free_blocks() {
    trim(0);
    shared_.free_blocks();
  }

  void set_max_cached_nodes(std::size_t n) {
    max_cached_ = n;
    trim(n);
  }
  std::size_t get_max_cached_nodes() const noexcept { return max_cached_; }
  std::size_t cached_nodes() const noexcept { return cached_; }

 private:
  void push(void* node) noexcept {
    link* l = ::new (node) link;
    l->next = head_;
    head_ = node;
    ++cached_;
  }
  void* pop() noexcept {
    void* node = segment_detail::raw(head_);
    head_ = static_cast<link*>(node)->next;
    --cached_;
    return node;
  }
  // Gives cached nodes back to the pool until `keep` are left.
  void trim(std::size_t keep) {
    if (cached_ <= keep) return;
    shared_.give_many([&]() -> void* { return cached_ > keep ? pop() : nullptr; });
  }

  shared_backend<SegmentManager, Pool> shared_;
  void_pointer head_ = nullptr;
  std::size_t cached_ = 0;
  std::size_t max_cached_ = default_max_cached_nodes;
};

}  // namespace refipc::allocators_detail

#endif  // REFIPC_ALLOCATORS_DETAIL_POOL_BACKENDS_HPP_
