// Allocator plumbing of the node and flat containers (beside
// allocator_ops.hpp, which every container uses): rebinding, node allocation
// that gives the node back when constructing its value throws, and the
// propagation traits as constants.
#ifndef REFIPC_CONTAINERS_DETAIL_CONTAINER_ALLOC_HPP_
#define REFIPC_CONTAINERS_DETAIL_CONTAINER_ALLOC_HPP_

#include <memory>
#include <type_traits>
#include <utility>

#include "refipc/containers/detail/allocator_ops.hpp"
#include "refipc/containers/detail/uses_allocator.hpp"

namespace refipc {
namespace containers_detail {

template <class Alloc, class T>
using rebind_alloc_t = typename std::allocator_traits<Alloc>::template rebind_alloc<T>;

template <class Alloc>
using void_pointer_t = typename std::allocator_traits<Alloc>::void_pointer;

template <class VoidPointer, class T>
using rebind_ptr_t = typename std::pointer_traits<VoidPointer>::template rebind<T>;

// Allocates one Node through `na` and builds its value with uses-allocator
// construction (the element gets `va`). If that throws, the node is given
// back and the exception propagates: nothing else has changed.
template <class Node, class NodeAlloc, class ValueAlloc, class... Args>
Node* new_node(NodeAlloc& na, const ValueAlloc& va, Args&&... args) {
  using traits = std::allocator_traits<NodeAlloc>;
  typename traits::pointer p = traits::allocate(na, 1);
  Node* n = to_raw(p);
  ::new (static_cast<void*>(n)) Node();
  try {
    construct_with_allocator(va, n->value_ptr(), std::forward<Args>(args)...);
  } catch (...) {
    n->~Node();
    traits::deallocate(na, p, 1);
    throw;
  }
  return n;
}

template <class Node, class NodeAlloc>
void delete_node(NodeAlloc& na, Node* n) noexcept {
  using traits = std::allocator_traits<NodeAlloc>;
  using value_type = std::remove_pointer_t<decltype(n->value_ptr())>;
  n->value_ptr()->~value_type();
  n->~Node();
  traits::deallocate(na, typename traits::pointer(n), 1);
}

template <class Alloc>
constexpr bool pocca_v =
    std::allocator_traits<Alloc>::propagate_on_container_copy_assignment::value;
template <class Alloc>
constexpr bool pocma_v =
    std::allocator_traits<Alloc>::propagate_on_container_move_assignment::value;
template <class Alloc>
constexpr bool pocs_v = std::allocator_traits<Alloc>::propagate_on_container_swap::value;
template <class Alloc>
constexpr bool always_equal_v = std::allocator_traits<Alloc>::is_always_equal::value;

template <class Alloc>
bool equal_allocators(const Alloc& a, const Alloc& b) noexcept {
  if constexpr (always_equal_v<Alloc>) {
    return true;
  } else {
    return a == b;
  }
}

}  // namespace containers_detail
}  // namespace refipc

#endif  // REFIPC_CONTAINERS_DETAIL_CONTAINER_ALLOC_HPP_
