// segment_members<Derived, T, SegmentManager>: the members every refipc
// allocator serves straight from its segment manager (arrays, expansion in
// place, multiple allocation, object construction), whatever it does with
// single nodes. Derived provides get_segment_manager().
#ifndef REFIPC_ALLOCATORS_DETAIL_SEGMENT_MEMBERS_HPP_
#define REFIPC_ALLOCATORS_DETAIL_SEGMENT_MEMBERS_HPP_

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

#include "refipc/allocators/detail/chain_transfer.hpp"
#include "refipc/allocators/detail/multiallocation_chain.hpp"
#include "refipc/containers/allocation_type.hpp"
#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/exceptions.hpp"

namespace refipc::allocators_detail {

template <class Derived, class T, class SegmentManager>
class segment_members {
  using void_ptr = typename SegmentManager::void_pointer;

 public:
  using value_type = T;
  using pointer = segment_detail::rebind_pointer_t<void_ptr, T>;
  using const_pointer = segment_detail::rebind_pointer_t<void_ptr, const T>;
  using cvoid_pointer = segment_detail::rebind_pointer_t<void_ptr, const void>;
  using reference = T&;
  using const_reference = const T&;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using multiallocation_chain = allocators_detail::multiallocation_chain<T, void_ptr>;

  // How many objects the segment could hold at most.
  size_type max_size() const noexcept { return manager()->get_size() / sizeof(T); }

  // How many objects the buffer at `p` can hold (from allocate of more than
  // one object, allocation_command or allocate_many).
  size_type size(const pointer& p) const noexcept {
    return manager()->size(segment_detail::raw(p)) / sizeof(T);
  }

  // Boost.Container's form, in objects: prefer_in_recvd_out_size is the
  // preferred size in and the received size out; `reuse` stays set only
  // when the buffer was expanded or shrunk in place. A failure without
  // nothrow_allocation throws bad_alloc. As in Boost.Container's protocol,
  // expansion flags with a null `reuse` (an empty container growing) are
  // ignored; the segment manager itself rejects them.
  pointer allocation_command(allocation_type command, size_type limit_size,
                             size_type& prefer_in_recvd_out_size, pointer& reuse) {
    T* raw_reuse = segment_detail::raw(reuse);
    if (!raw_reuse) command &= ~(expand_fwd | expand_bwd);
    T* r;
    if (limit_size > max_size()) {
      if (!(command & nothrow_allocation)) throw bad_alloc();
      r = nullptr;
      raw_reuse = nullptr;
    } else {
      if (prefer_in_recvd_out_size > max_size()) prefer_in_recvd_out_size = max_size();
      r = manager()->allocation_command(command, limit_size, prefer_in_recvd_out_size, raw_reuse);
    }
    reuse = pointer(raw_reuse);
    return pointer(r);
  }
  // The manual's form: the buffer, and whether it is `reuse` expanded or
  // shrunk in place.
  std::pair<pointer, bool> allocation_command(allocation_type command, size_type limit_size,
                                              size_type preferred_size, size_type& received_size,
                                              const pointer& reuse = pointer()) {
    pointer reused = reuse;
    received_size = preferred_size;
    pointer r = allocation_command(command, limit_size, received_size, reused);
    return {r, r && reused};
  }

  // `num_elements` buffers of `elem_size` objects each; the manual's
  // by-value form and Boost.Container's appending form.
  multiallocation_chain allocate_many(size_type elem_size, std::size_t num_elements) {
    multiallocation_chain chain;
    allocate_many(elem_size, num_elements, chain);
    return chain;
  }
  void allocate_many(size_type elem_size, std::size_t num_elements, multiallocation_chain& chain) {
    if (elem_size > max_size()) throw bad_alloc();
    typename SegmentManager::multiallocation_chain raw_chain;
    manager()->allocate_many(elem_size * sizeof(T), num_elements, raw_chain);
    take_all(raw_chain, chain);
  }
  // `n_elements` buffers of elem_sizes[i] objects each.
  multiallocation_chain allocate_many(const size_type* elem_sizes, size_type n_elements) {
    multiallocation_chain chain;
    allocate_many(elem_sizes, n_elements, chain);
    return chain;
  }
  void allocate_many(const size_type* elem_sizes, size_type n_elements,
                     multiallocation_chain& chain) {
    typename SegmentManager::multiallocation_chain raw_chain;
    manager()->allocate_many(elem_sizes, n_elements, sizeof(T), raw_chain);
    take_all(raw_chain, chain);
  }
  // Gives back buffers from allocate_many (the chain is left empty).
  void deallocate_many(multiallocation_chain&& chain) noexcept { deallocate_many(chain); }
  void deallocate_many(multiallocation_chain& chain) noexcept {
    typename SegmentManager::multiallocation_chain raw_chain;
    give_all(chain, raw_chain);
    manager()->deallocate_many(raw_chain);
  }

  pointer address(reference value) const noexcept { return pointer(std::addressof(value)); }
  const_pointer address(const_reference value) const noexcept {
    return const_pointer(std::addressof(value));
  }

  // The manual's construct(p, v) and construct(p), generalised to any
  // arguments and any object type (as std::allocator_traits expects).
  template <class... Args>
  void construct(const pointer& ptr, Args&&... args) {
    ::new (static_cast<void*>(segment_detail::raw(ptr))) T(std::forward<Args>(args)...);
  }
  template <class U, class... Args>
  void construct(U* ptr, Args&&... args) {
    ::new (static_cast<void*>(ptr)) U(std::forward<Args>(args)...);
  }
  void destroy(const pointer& ptr) { segment_detail::raw(ptr)->~T(); }
  template <class U>
  void destroy(U* ptr) {
    ptr->~U();
  }

 private:
  SegmentManager* manager() const noexcept {
    return static_cast<const Derived*>(this)->get_segment_manager();
  }
};

}  // namespace refipc::allocators_detail

#endif  // REFIPC_ALLOCATORS_DETAIL_SEGMENT_MEMBERS_HPP_
