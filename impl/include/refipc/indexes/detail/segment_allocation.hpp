// Typed allocation from a segment manager, shared by the segment containers.
#ifndef REFIPC_INDEXES_DETAIL_SEGMENT_ALLOCATION_HPP_
#define REFIPC_INDEXES_DETAIL_SEGMENT_ALLOCATION_HPP_

#include <cstddef>
#include <limits>

#include "refipc/exceptions.hpp"

namespace refipc {
namespace index_detail {

// Raw storage for n objects of type T; throws bad_alloc when the segment is
// full or the byte count overflows.
template <class T, class SegmentManager>
T* allocate_array(SegmentManager* mgr, std::size_t n) {
  if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw bad_alloc();
  return static_cast<T*>(mgr->allocate(n * sizeof(T)));
}

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_SEGMENT_ALLOCATION_HPP_
