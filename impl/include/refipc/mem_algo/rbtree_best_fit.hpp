// rbtree_best_fit: the default memory algorithm of managed segments. Free
// blocks are kept by size and a request takes the smallest free block that
// fits (best fit); freed blocks merge with free neighbours at once.
#ifndef REFIPC_MEM_ALGO_RBTREE_BEST_FIT_HPP_
#define REFIPC_MEM_ALGO_RBTREE_BEST_FIT_HPP_

#include <cstddef>

#include "refipc/containers/allocation_type.hpp"
#include "refipc/mem_algo/detail/block_heap.hpp"
#include "refipc/offset_ptr.hpp"
#include "refipc/sync/mutex_family.hpp"

namespace refipc {

// MutexFamily: mutex_family (process-shared) or null_mutex_family.
// VoidPointer: offset_ptr<void> (the segment may be mapped or copied at any
// address) or void*. MemAlignment: alignment of every buffer, 0 for the most
// restrictive fundamental alignment.
//
// The interface is the one the manual requires of a memory algorithm; see
// mem_algo_detail::block_heap for each member. Beyond Boost: check_sanity()
// is a full structural check and is_valid_header() recognises a segment
// that holds this algorithm.
template <class MutexFamily, class VoidPointer = offset_ptr<void>, std::size_t MemAlignment = 0>
class rbtree_best_fit
    : public mem_algo_detail::block_heap<MutexFamily, VoidPointer,
                                         MemAlignment ? MemAlignment : alignof(std::max_align_t),
                                         mem_algo_detail::fit_policy::best_fit, 1> {
  using base = mem_algo_detail::block_heap<MutexFamily, VoidPointer,
                                           MemAlignment ? MemAlignment : alignof(std::max_align_t),
                                           mem_algo_detail::fit_policy::best_fit, 1>;

 public:
  // Its id in a segment's signature (see docs/layout.md).
  static constexpr char layout_name[] = "refipc.rbtree_best_fit";

  using base::base;
};

}  // namespace refipc

#endif  // REFIPC_MEM_ALGO_RBTREE_BEST_FIT_HPP_
