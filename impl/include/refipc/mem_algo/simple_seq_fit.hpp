// simple_seq_fit: a low-overhead memory algorithm. A request takes the first
// free block found that fits (first fit); freed blocks merge with free
// neighbours at once.
#ifndef REFIPC_MEM_ALGO_SIMPLE_SEQ_FIT_HPP_
#define REFIPC_MEM_ALGO_SIMPLE_SEQ_FIT_HPP_

#include <cstddef>

#include "refipc/containers/allocation_type.hpp"
#include "refipc/mem_algo/detail/block_heap.hpp"
#include "refipc/offset_ptr.hpp"
#include "refipc/sync/mutex_family.hpp"

namespace refipc {

// Same interface as rbtree_best_fit (see mem_algo_detail::block_heap);
// buffers are aligned to the most restrictive fundamental alignment. Its
// headers are distinct from rbtree_best_fit's: is_valid_header() of one
// rejects a segment built by the other.
template <class MutexFamily, class VoidPointer = offset_ptr<void>>
class simple_seq_fit
    : public mem_algo_detail::block_heap<MutexFamily, VoidPointer, alignof(std::max_align_t),
                                         mem_algo_detail::fit_policy::first_fit, 2> {
  using base = mem_algo_detail::block_heap<MutexFamily, VoidPointer, alignof(std::max_align_t),
                                           mem_algo_detail::fit_policy::first_fit, 2>;

 public:
  // Its id in a segment's signature (see docs/layout.md).
  static constexpr char layout_name[] = "refipc.simple_seq_fit";

  using base::base;
};

}  // namespace refipc

#endif  // REFIPC_MEM_ALGO_SIMPLE_SEQ_FIT_HPP_
