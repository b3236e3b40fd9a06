// What every refipc container does with its allocator: raw addresses from
// the allocator's (possibly relative) pointers, the propagation rules of the
// allocator-aware container requirements, and the optional version 2 call
// that expands a buffer in place.
#ifndef REFIPC_CONTAINERS_DETAIL_ALLOCATOR_OPS_HPP_
#define REFIPC_CONTAINERS_DETAIL_ALLOCATOR_OPS_HPP_

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

#include "refipc/containers/allocation_type.hpp"
#include "refipc/containers/version_type.hpp"

namespace refipc {
namespace containers_detail {

// The address a pointer of any family holds (null for null).
template <class Ptr>
auto to_raw(const Ptr& p) noexcept {
  using elem = typename std::pointer_traits<Ptr>::element_type;
  return p ? std::addressof(*p) : static_cast<elem*>(nullptr);
}
template <class T>
T* to_raw(T* p) noexcept {
  return p;
}

// The allocator's pointer to the object at `raw` (null for null).
template <class Ptr, class T>
Ptr from_raw(T* raw) noexcept {
  return raw ? std::pointer_traits<Ptr>::pointer_to(*raw) : Ptr();
}

// Copy assignment: the allocator follows when it propagates on copy.
template <class Alloc>
void copy_assign_allocator(Alloc& to, const Alloc& from) {
  if constexpr (std::allocator_traits<Alloc>::propagate_on_container_copy_assignment::value) {
    to = from;
  }
}
template <class Alloc>
void move_assign_allocator(Alloc& to, Alloc& from) noexcept {
  if constexpr (std::allocator_traits<Alloc>::propagate_on_container_move_assignment::value) {
    to = std::move(from);
  }
}
template <class Alloc>
void swap_allocators(Alloc& a, Alloc& b) noexcept {
  if constexpr (std::allocator_traits<Alloc>::propagate_on_container_swap::value) {
    using std::swap;
    swap(a, b);
  }
}
// Whether a move assignment may take the other container's memory.
template <class Alloc>
bool can_steal_on_move(const Alloc& to, const Alloc& from) noexcept {
  return std::allocator_traits<Alloc>::propagate_on_container_move_assignment::value ||
         std::allocator_traits<Alloc>::is_always_equal::value || to == from;
}

// A version 2 allocator with today's allocation_command:
// pointer allocation_command(command, limit, prefer_in_recvd_out, reuse).
template <class Alloc, class = void>
struct has_allocation_command : std::false_type {};
template <class Alloc>
struct has_allocation_command<
    Alloc, std::void_t<decltype(std::declval<Alloc&>().allocation_command(
               allocation_type(), std::size_t(), std::declval<std::size_t&>(),
               std::declval<typename std::allocator_traits<Alloc>::pointer&>()))>>
    : std::bool_constant<allocator_version_v<Alloc> == 2> {};

}  // namespace containers_detail
}  // namespace refipc

#endif  // REFIPC_CONTAINERS_DETAIL_ALLOCATOR_OPS_HPP_
