// Moving buffers between a segment manager's multiallocation chain (what its
// allocate_many/deallocate_many speak) and an allocator's typed chain.
#ifndef REFIPC_ALLOCATORS_DETAIL_CHAIN_TRANSFER_HPP_
#define REFIPC_ALLOCATORS_DETAIL_CHAIN_TRANSFER_HPP_

#include "refipc/allocators/detail/multiallocation_chain.hpp"

namespace refipc::allocators_detail {

// Appends every buffer of `from` (a segment manager's chain) to `to`.
template <class SegmentChain, class T, class VoidPointer>
void take_all(SegmentChain& from, multiallocation_chain<T, VoidPointer>& to) {
  using pointer = typename multiallocation_chain<T, VoidPointer>::pointer;
  while (!from.empty()) to.push_back(pointer(static_cast<T*>(from.pop_front())));
}

// Appends every buffer of the typed chain `from` to `to`.
template <class SegmentChain, class T, class VoidPointer>
void give_all(multiallocation_chain<T, VoidPointer>& from, SegmentChain& to) {
  while (!from.empty()) to.push_back(static_cast<void*>(segment_detail::raw(from.pop_front())));
}

}  // namespace refipc::allocators_detail

#endif  // REFIPC_ALLOCATORS_DETAIL_CHAIN_TRANSFER_HPP_
