// pointer_to_t<Pointer, T>: the pointer to T of the same family as Pointer
// (U* gives T*, offset_ptr<U> gives offset_ptr<T>), as the smart pointers
// derive their stored pointer from a void pointer or a deleter's pointer.
#ifndef REFIPC_SMART_PTR_POINTER_TO_HPP_
#define REFIPC_SMART_PTR_POINTER_TO_HPP_

namespace refipc {
namespace smart_ptr_detail {

template <class Pointer, class T>
struct pointer_to {
  using type = typename Pointer::template rebind<T>;
};

template <class U, class T>
struct pointer_to<U*, T> {
  using type = T*;
};

template <class Pointer, class T>
using pointer_to_t = typename pointer_to<Pointer, T>::type;

// The address a pointer of any family holds.
template <class T>
T* to_raw(T* p) noexcept {
  return p;
}

template <class P>
auto to_raw(const P& p) noexcept -> decltype(p.get()) {
  return p.get();
}

}  // namespace smart_ptr_detail
}  // namespace refipc

#endif  // REFIPC_SMART_PTR_POINTER_TO_HPP_
