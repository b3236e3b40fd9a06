// Uses-allocator construction for the containers: an element that takes an
// allocator (a container of containers, the manual's map of strings to
// vectors) gets the container's allocator, converted to its own type, either
// after std::allocator_arg or as the trailing argument. A std::pair passes it
// on to both members. When the element cannot take it with the given
// arguments (they name an allocator already), it is built from them alone.
#ifndef REFIPC_CONTAINERS_DETAIL_USES_ALLOCATOR_HPP_
#define REFIPC_CONTAINERS_DETAIL_USES_ALLOCATOR_HPP_

#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

namespace refipc {
namespace containers_detail {

template <class T>
struct is_std_pair : std::false_type {};
template <class T1, class T2>
struct is_std_pair<std::pair<T1, T2>> : std::true_type {};

template <class T>
struct type_tag {
  using type = T;
};

template <class T, class Alloc, class... Args>
auto uses_allocator_args(const Alloc& a, Args&&... args);

// A pair is built piecewise, each member by uses-allocator construction.
template <class P, class Alloc, class Tuple1, class Tuple2>
auto pair_args(const Alloc& a, std::piecewise_construct_t, Tuple1&& t1, Tuple2&& t2) {
  auto member_args = [&a](auto member, auto&& t) {
    return std::apply(
        [&a](auto&&... xs) {
          return uses_allocator_args<typename decltype(member)::type>(
              a, std::forward<decltype(xs)>(xs)...);
        },
        std::forward<decltype(t)>(t));
  };
  return std::make_tuple(
      std::piecewise_construct,
      member_args(type_tag<typename P::first_type>(), std::forward<Tuple1>(t1)),
      member_args(type_tag<typename P::second_type>(), std::forward<Tuple2>(t2)));
}
template <class P, class Alloc>
auto pair_args(const Alloc& a) {
  return pair_args<P>(a, std::piecewise_construct, std::tuple<>(), std::tuple<>());
}
template <class P, class Alloc, class U, class V>
auto pair_args(const Alloc& a, U&& u, V&& v) {
  return pair_args<P>(a, std::piecewise_construct, std::forward_as_tuple(std::forward<U>(u)),
                      std::forward_as_tuple(std::forward<V>(v)));
}
template <class P, class Alloc, class U, class V>
auto pair_args(const Alloc& a, const std::pair<U, V>& p) {
  return pair_args<P>(a, std::piecewise_construct, std::forward_as_tuple(p.first),
                      std::forward_as_tuple(p.second));
}
template <class P, class Alloc, class U, class V>
auto pair_args(const Alloc& a, std::pair<U, V>&& p) {
  return pair_args<P>(a, std::piecewise_construct, std::forward_as_tuple(std::move(p).first),
                      std::forward_as_tuple(std::move(p).second));
}

// The arguments that construct a T from `args` with allocator `a`, as a
// tuple of references (valid until the end of the caller's full expression).
template <class T, class Alloc, class... Args>
auto uses_allocator_args(const Alloc& a, Args&&... args) {
  if constexpr (is_std_pair<T>::value) {
    return pair_args<T>(a, std::forward<Args>(args)...);
  } else if constexpr (!std::uses_allocator<T, Alloc>::value) {
    return std::forward_as_tuple(std::forward<Args>(args)...);
  } else if constexpr (std::is_constructible<T, std::allocator_arg_t, const Alloc&,
                                             Args...>::value) {
    return std::tuple<std::allocator_arg_t, const Alloc&, Args&&...>(std::allocator_arg, a,
                                                                     std::forward<Args>(args)...);
  } else if constexpr (std::is_constructible<T, Args..., const Alloc&>::value) {
    return std::tuple<Args&&..., const Alloc&>(std::forward<Args>(args)..., a);
  } else {
    // Neither form: the arguments already say which allocator to use.
    return std::forward_as_tuple(std::forward<Args>(args)...);
  }
}

// Constructs a T at `p` from `args` through the allocator's construct, with
// uses-allocator construction.
template <class Alloc, class T, class... Args>
void construct_with_allocator(Alloc& a, T* p, Args&&... args) {
  std::apply(
      [&a, p](auto&&... xs) {
        std::allocator_traits<Alloc>::construct(a, p, std::forward<decltype(xs)>(xs)...);
      },
      uses_allocator_args<T>(a, std::forward<Args>(args)...));
}

}  // namespace containers_detail
}  // namespace refipc

#endif  // REFIPC_CONTAINERS_DETAIL_USES_ALLOCATOR_HPP_
