// The interface version an allocator offers. Version 1 is the standard
// allocate/deallocate pair; version 2 adds allocation_command, allocate_one,
// allocate_individual and size. An allocator advertises its version with a
// nested `version` type; containers read `version::value`.
#ifndef REFIPC_CONTAINERS_VERSION_TYPE_HPP_
#define REFIPC_CONTAINERS_VERSION_TYPE_HPP_

#include <type_traits>

namespace refipc {

template <class Allocator, unsigned Version>
struct version_type : std::integral_constant<unsigned, Version> {
  using type = version_type<Allocator, Version>;
};

namespace containers_detail {

template <class Allocator, class = void>
struct allocator_version : std::integral_constant<unsigned, 1> {};

template <class Allocator>
struct allocator_version<Allocator, std::void_t<typename Allocator::version>>
    : std::integral_constant<unsigned, Allocator::version::value> {};

}  // namespace containers_detail

// 1 for an allocator without a `version` type, else its version.
template <class Allocator>
inline constexpr unsigned allocator_version_v =
    containers_detail::allocator_version<Allocator>::value;

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_VERSION_TYPE_HPP_
