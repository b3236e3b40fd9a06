// allocator<T, SegmentManager>: a standard allocator whose memory comes from
// a segment manager, for containers placed in a managed segment.
#ifndef REFIPC_ALLOCATORS_ALLOCATOR_HPP_
#define REFIPC_ALLOCATORS_ALLOCATOR_HPP_

#include <cstddef>
#include <limits>
#include <new>
#include <type_traits>
#include <utility>

#include "refipc/containers/allocation_type.hpp"
#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {

// Its pointers are of the segment's pointer family (offset_ptr in the
// managed segments), and so is the segment manager pointer it holds, so an
// allocator (and a container holding one) can itself live in the segment.
// Allocators are equal when they use the same segment manager; memory from
// one may be given back through any equal one.
//
// Every allocation throws bad_alloc when the segment cannot satisfy it.
// The multiple-allocation members exist when the segment manager's memory
// algorithm offers a multiallocation chain.
template <class T, class SegmentManager>
class allocator {
  using void_ptr = typename SegmentManager::void_pointer;
  using cvoid_ptr = segment_detail::rebind_pointer_t<void_ptr, const void>;
  using manager_ptr = segment_detail::rebind_pointer_t<void_ptr, SegmentManager>;

 public:
  using segment_manager = SegmentManager;
  using void_pointer = void_ptr;
  using value_type = T;
  using pointer = segment_detail::rebind_pointer_t<void_ptr, T>;
  using const_pointer = segment_detail::rebind_pointer_t<void_ptr, const T>;
  using reference = T&;
  using const_reference = const T&;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  // Version 2 allocators offer allocation_command and the multiple forms.
  using version = std::integral_constant<unsigned, 2>;
  using multiallocation_chain = typename SegmentManager::multiallocation_chain;

  template <class T2>
  struct rebind {
    using other = allocator<T2, SegmentManager>;
  };

  allocator(segment_manager* segment_mgr) noexcept : mgr_(segment_mgr) {}  // NOLINT: implicit
  allocator(const allocator& other) noexcept = default;
  template <class T2>
  allocator(const allocator<T2, SegmentManager>& other) noexcept  // NOLINT: implicit
      : mgr_(other.get_segment_manager()) {}
  allocator& operator=(const allocator& other) noexcept = default;

  segment_manager* get_segment_manager() const noexcept { return segment_detail::raw(mgr_); }

  // Room for `count` objects; the hint is ignored.
  pointer allocate(size_type count, cvoid_ptr hint = cvoid_ptr()) {
    (void)hint;
    if (count > max_size()) throw bad_alloc();
    return pointer(static_cast<T*>(get_segment_manager()->allocate(count * sizeof(T))));
  }
  void deallocate(const pointer& ptr, size_type) noexcept {
    get_segment_manager()->deallocate(segment_detail::raw(ptr));
  }

  // How many objects the segment could hold at most.
  size_type max_size() const noexcept { return get_segment_manager()->get_size() / sizeof(T); }

  // How many objects the buffer at `p` can hold (from allocate,
  // allocation_command or allocate_many).
  size_type size(const pointer& p) const noexcept {
    return get_segment_manager()->size(segment_detail::raw(p)) / sizeof(T);
  }

  // The manual's form, in objects: returns the buffer and whether it is
  // `reuse`, expanded or shrunk in place. Without nothrow_allocation a
  // failure throws bad_alloc.
  std::pair<pointer, bool> allocation_command(allocation_type command, size_type limit_size,
                                              size_type preferred_size, size_type& received_size,
                                              const pointer& reuse = pointer()) {
    if (limit_size > max_size()) {
      if (command & nothrow_allocation) return {pointer(), false};
      throw bad_alloc();
    }
    if (preferred_size > max_size()) preferred_size = max_size();
    T* reuse_ptr = segment_detail::raw(reuse);
    // The segment manager's typed form counts in objects too.
    const std::pair<T*, bool> r = get_segment_manager()->allocation_command(
        command, limit_size, preferred_size, received_size, reuse_ptr);
    return {pointer(r.first), r.second};
  }

  // `num_elements` buffers of `elem_size` objects each.
  multiallocation_chain allocate_many(size_type elem_size, std::size_t num_elements) {
    if (elem_size > max_size()) throw bad_alloc();
    multiallocation_chain chain;
    get_segment_manager()->allocate_many(elem_size * sizeof(T), num_elements, chain);
    return chain;
  }
  // `n_elements` buffers of elem_sizes[i] objects each.
  multiallocation_chain allocate_many(const size_type* elem_sizes, size_type n_elements) {
    multiallocation_chain chain;
    get_segment_manager()->allocate_many(elem_sizes, n_elements, sizeof(T), chain);
    return chain;
  }
  void deallocate_many(multiallocation_chain chain) noexcept {
    get_segment_manager()->deallocate_many(chain);
  }

  // One object; give it back with deallocate_one().
  pointer allocate_one() { return allocate(1); }
  void deallocate_one(const pointer& p) noexcept { deallocate(p, 1); }
  // `num_elements` buffers of one object each; give them back with
  // deallocate_one() or deallocate_individual().
  multiallocation_chain allocate_individual(std::size_t num_elements) {
    return allocate_many(1, num_elements);
  }
  void deallocate_individual(multiallocation_chain chain) noexcept {
    deallocate_many(std::move(chain));
  }

  pointer address(reference value) const noexcept { return pointer(std::addressof(value)); }
  const_pointer address(const_reference value) const noexcept {
    return const_pointer(std::addressof(value));
  }

  void construct(const pointer& ptr, const_reference v) {
    ::new (static_cast<void*>(segment_detail::raw(ptr))) T(v);
  }
  void construct(const pointer& ptr) { ::new (static_cast<void*>(segment_detail::raw(ptr))) T(); }
  void destroy(const pointer& ptr) { segment_detail::raw(ptr)->~T(); }

  friend void swap(allocator& a, allocator& b) noexcept {
    segment_manager* tmp = a.get_segment_manager();
    a.mgr_ = b.get_segment_manager();
    b.mgr_ = tmp;
  }

 private:
  manager_ptr mgr_;
};

// allocator<void, ...> names the family (for rebinding, or as the allocator
// of a shared pointer) and allocates nothing.
template <class SegmentManager>
class allocator<void, SegmentManager> {
  using void_ptr = typename SegmentManager::void_pointer;
  using manager_ptr = segment_detail::rebind_pointer_t<void_ptr, SegmentManager>;

 public:
  using segment_manager = SegmentManager;
  using void_pointer = void_ptr;
  using value_type = void;
  using pointer = void_ptr;
  using const_pointer = segment_detail::rebind_pointer_t<void_ptr, const void>;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using version = std::integral_constant<unsigned, 2>;

  template <class T2>
  struct rebind {
    using other = allocator<T2, SegmentManager>;
  };

  allocator(segment_manager* segment_mgr) noexcept : mgr_(segment_mgr) {}  // NOLINT: implicit
  template <class T2>
  allocator(const allocator<T2, SegmentManager>& other) noexcept  // NOLINT: implicit
      : mgr_(other.get_segment_manager()) {}

  segment_manager* get_segment_manager() const noexcept { return segment_detail::raw(mgr_); }

 private:
  manager_ptr mgr_;
};

template <class T, class T2, class SegmentManager>
bool operator==(const allocator<T, SegmentManager>& a,
                const allocator<T2, SegmentManager>& b) noexcept {
  return a.get_segment_manager() == b.get_segment_manager();
}
template <class T, class T2, class SegmentManager>
bool operator!=(const allocator<T, SegmentManager>& a,
                const allocator<T2, SegmentManager>& b) noexcept {
  return !(a == b);
}

}  // namespace refipc

#endif  // REFIPC_ALLOCATORS_ALLOCATOR_HPP_
