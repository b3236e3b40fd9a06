// pooled_allocator<Derived, T, SegmentManager, Backend>: what the six pooled
// allocators have in common. Version 2: allocate()/deallocate() serve arrays
// (and vector-like growth through allocation_command) straight from the
// segment; nodes come from the pool through allocate_one/deallocate_one and
// allocate_individual/deallocate_individual, which containers of nodes use.
#ifndef REFIPC_ALLOCATORS_DETAIL_POOLED_ALLOCATOR_HPP_
#define REFIPC_ALLOCATORS_DETAIL_POOLED_ALLOCATOR_HPP_

#include <cstddef>

#include "refipc/allocators/detail/segment_members.hpp"
#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/exceptions.hpp"

namespace refipc::allocators_detail {

template <class Derived, class T, class SegmentManager, class Backend>
class pooled_allocator : public segment_members<Derived, T, SegmentManager> {
  using base = segment_members<Derived, T, SegmentManager>;

 public:
  using segment_manager = SegmentManager;
  using void_pointer = typename SegmentManager::void_pointer;
  using typename base::const_pointer;
  using typename base::const_reference;
  using typename base::cvoid_pointer;
  using typename base::difference_type;
  using typename base::multiallocation_chain;
  using typename base::pointer;
  using typename base::reference;
  using typename base::size_type;
  using typename base::value_type;

  segment_manager* get_segment_manager() const noexcept { return backend_.manager(); }
  // The pool this allocator takes nodes from.
  auto* get_node_pool() const noexcept { return backend_.pool(); }

  // Room for `count` objects, from the segment; the hint is ignored.
  pointer allocate(size_type count, cvoid_pointer hint = cvoid_pointer()) {
    (void)hint;
    if (count > this->max_size()) throw bad_alloc();
    return pointer(static_cast<T*>(get_segment_manager()->allocate(count * sizeof(T))));
  }
  void deallocate(const pointer& ptr, size_type) noexcept {
    get_segment_manager()->deallocate(segment_detail::raw(ptr));
  }

  // One node from the pool; give it back with deallocate_one(). Throws
  // bad_alloc when the segment has no room for a new block, and
  // interprocess_exception(corrupted_error) when the pool is damaged.
  pointer allocate_one() { return pointer(static_cast<T*>(backend_.one())); }
  // Gives back a node from allocate_one/allocate_individual of an equal
  // allocator. Throws corrupted_error (and changes nothing) when the node is
  // not one of the pool's or the pool is damaged.
  void deallocate_one(const pointer& p) { backend_.give(segment_detail::raw(p)); }

  // `num_elements` nodes; the manual's by-value form and Boost.Container's
  // appending form (the chain is unchanged when it throws).
  multiallocation_chain allocate_individual(std::size_t num_elements) {
    multiallocation_chain chain;
    allocate_individual(num_elements, chain);
    return chain;
  }
  void allocate_individual(std::size_t num_elements, multiallocation_chain& chain) {
    multiallocation_chain got;
    try {
      backend_.many(num_elements,
                    [&](void* node) { got.push_back(pointer(static_cast<T*>(node))); });
    } catch (...) {
      deallocate_individual(got);
      throw;
    }
    chain.splice_after(chain.last(), got, got.before_begin(), got.last(), got.size());
  }
  // Gives back every node of the chain (left empty).
  void deallocate_individual(multiallocation_chain&& chain) { deallocate_individual(chain); }
  void deallocate_individual(multiallocation_chain& chain) {
    backend_.give_many([&]() -> void* {
      return chain.empty() ? nullptr : segment_detail::raw(chain.pop_front());
    });
  }

  // Gives the pool's wholly free blocks back to the segment.
  void deallocate_free_blocks() { backend_.free_blocks(); }

  friend void swap(Derived& a, Derived& b) noexcept { a.backend_.swap(b.backend_); }
  friend bool operator==(const Derived& a, const Derived& b) noexcept {
    return a.get_node_pool() == b.get_node_pool();
  }
  friend bool operator!=(const Derived& a, const Derived& b) noexcept { return !(a == b); }

 protected:
  explicit pooled_allocator(segment_manager* mgr) : backend_(mgr) {}

  Backend backend_;
};

}  // namespace refipc::allocators_detail

#endif  // REFIPC_ALLOCATORS_DETAIL_POOLED_ALLOCATOR_HPP_
