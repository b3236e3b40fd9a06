// Raw address of a pointer that may be a smart (offset) pointer.
#ifndef REFIPC_DETAIL_SEGMENT_RAW_POINTER_HPP_
#define REFIPC_DETAIL_SEGMENT_RAW_POINTER_HPP_

namespace refipc {
namespace segment_detail {

template <class T>
T* raw(T* p) noexcept {
  return p;
}

template <class P>
auto raw(const P& p) noexcept -> decltype(p.get()) {
  return p.get();
}

// The pointer type of the VoidPointer family that points to T.
template <class VoidPointer, class T>
struct rebind_pointer {
  using type = typename VoidPointer::template rebind<T>;
};

template <class T>
struct rebind_pointer<void*, T> {
  using type = T*;
};

template <class VoidPointer, class T>
using rebind_pointer_t = typename rebind_pointer<VoidPointer, T>::type;

}  // namespace segment_detail
}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_RAW_POINTER_HPP_
