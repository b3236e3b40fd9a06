// allocator<T, SegmentManager>: a standard allocator whose memory comes from
// a segment manager, for containers placed in a managed segment.
#ifndef REFIPC_ALLOCATORS_ALLOCATOR_HPP_
#define REFIPC_ALLOCATORS_ALLOCATOR_HPP_

#include <cstddef>
#include <type_traits>
#include <utility>

#include "refipc/allocators/detail/chain_transfer.hpp"
#include "refipc/allocators/detail/segment_members.hpp"
#include "refipc/containers/version_type.hpp"
#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {

// Its pointers are of the segment's pointer family (offset_ptr in the
// managed segments), and so is the segment manager pointer it holds, so an
// allocator (and a container holding one) can itself live in the segment.
// Allocators are equal when they use the same segment manager; memory from
// one may be given back through any equal one.
//
// Version 2 (see containers/version_type.hpp): besides the standard members
// it offers allocate_one/allocate_individual, allocation_command (expansion
// in place) and size, each in the manual's form and in the form
// Boost.Container's containers call (chain by reference, `reuse` in/out).
// Every allocation throws bad_alloc when the segment cannot satisfy it.
template <class T, class SegmentManager>
class allocator
    : public allocators_detail::segment_members<allocator<T, SegmentManager>, T, SegmentManager> {
  using base = allocators_detail::segment_members<allocator, T, SegmentManager>;
  using void_ptr = typename SegmentManager::void_pointer;
  using manager_ptr = segment_detail::rebind_pointer_t<void_ptr, SegmentManager>;

 public:
  using segment_manager = SegmentManager;
  using void_pointer = void_ptr;
  using typename base::const_pointer;
  using typename base::const_reference;
  using typename base::cvoid_pointer;
  using typename base::difference_type;
  using typename base::multiallocation_chain;
  using typename base::pointer;
  using typename base::reference;
  using typename base::size_type;
  using typename base::value_type;
  using version = version_type<allocator, 2>;

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
  pointer allocate(size_type count, cvoid_pointer hint = cvoid_pointer()) {
    (void)hint;
    if (count > this->max_size()) throw bad_alloc();
    return pointer(static_cast<T*>(get_segment_manager()->allocate(count * sizeof(T))));
  }
  void deallocate(const pointer& ptr, size_type) noexcept {
    get_segment_manager()->deallocate(segment_detail::raw(ptr));
  }

  // One object; give it back with deallocate_one() (or deallocate()).
  pointer allocate_one() { return allocate(1); }
  void deallocate_one(const pointer& p) noexcept { deallocate(p, 1); }
  // `num_elements` buffers of one object each, in one request to the
  // segment; give them back with deallocate_one() or deallocate_individual().
  multiallocation_chain allocate_individual(std::size_t num_elements) {
    return this->allocate_many(1, num_elements);
  }
  void allocate_individual(std::size_t num_elements, multiallocation_chain& chain) {
    this->allocate_many(1, num_elements, chain);
  }
  void deallocate_individual(multiallocation_chain&& chain) noexcept {
    this->deallocate_many(chain);
  }
  void deallocate_individual(multiallocation_chain& chain) noexcept {
    this->deallocate_many(chain);
  }

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
  using version = version_type<allocator, 2>;

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
