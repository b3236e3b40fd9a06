// deleter<T, SegmentManager>: destroys an object of a managed segment
// through its segment manager (destroy_ptr), for the smart pointers.
#ifndef REFIPC_SMART_PTR_DELETER_HPP_
#define REFIPC_SMART_PTR_DELETER_HPP_

#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {

// Holds the segment manager through the segment's pointer family, so the
// deleter can live in the segment. Works for named, unique and anonymous
// objects alike (destroy_ptr finds which from the object).
template <class T, class SegmentManager>
class deleter {
  using manager_ptr =
      segment_detail::rebind_pointer_t<typename SegmentManager::void_pointer, SegmentManager>;

 public:
  using pointer = segment_detail::rebind_pointer_t<typename SegmentManager::void_pointer, T>;

  deleter(manager_ptr pmngr) noexcept : mgr_(pmngr) {}  // NOLINT: implicit

  void operator()(const pointer& p) {
    segment_detail::raw(mgr_)->destroy_ptr(segment_detail::raw(p));
  }

 private:
  manager_ptr mgr_;
};

}  // namespace refipc

#endif  // REFIPC_SMART_PTR_DELETER_HPP_
