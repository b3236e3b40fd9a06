// void_allocator<SegmentManager>: what the <void> specialisations of the
// pooled allocators share: the family's types and the segment manager, no
// pool.
#ifndef REFIPC_ALLOCATORS_DETAIL_VOID_ALLOCATOR_HPP_
#define REFIPC_ALLOCATORS_DETAIL_VOID_ALLOCATOR_HPP_

#include <cstddef>

#include "refipc/detail/segment/raw_pointer.hpp"

namespace refipc::allocators_detail {

template <class SegmentManager>
class void_allocator {
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

  segment_manager* get_segment_manager() const noexcept { return segment_detail::raw(mgr_); }

 protected:
  explicit void_allocator(segment_manager* mgr) noexcept : mgr_(mgr) {}

 private:
  manager_ptr mgr_;
};

}  // namespace refipc::allocators_detail

#endif  // REFIPC_ALLOCATORS_DETAIL_VOID_ALLOCATOR_HPP_
