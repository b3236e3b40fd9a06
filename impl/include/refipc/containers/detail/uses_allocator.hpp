// construct_with_allocator(alloc, p, args...): builds a T at p by
// uses-allocator construction, so that a container's elements that are
// themselves allocator-aware (a string in a map, a vector in a list) get
// their allocator from the container, as a scoped allocator would give it:
// - T uses an allocator convertible from `alloc` (std::uses_allocator) and
//   accepts (allocator_arg, alloc, args...): that form;
// - otherwise, if it uses one, (args..., alloc);
// - std::pair: each member by the rules above (piecewise), whichever form
//   the pair is built from;
// - anything else: T(args...).
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
template <class A, class B>
struct is_std_pair<std::pair<A, B>> : std::true_type {};

template <class T, class Alloc, class Tuple>
struct takes_leading_allocator;
template <class T, class Alloc, class... Args>
struct takes_leading_allocator<T, Alloc, std::tuple<Args...>>
    : std::is_constructible<T, std::allocator_arg_t, const Alloc&, Args...> {};

// The argument tuple that builds a T from `args` with `alloc` added where T
// wants it.
template <class T, class Alloc, class Tuple>
auto uses_allocator_args(const Alloc& alloc, Tuple&& args) {
  using plain = std::remove_cv_t<std::remove_reference_t<Tuple>>;
  if constexpr (!std::uses_allocator<std::remove_cv_t<T>, Alloc>::value) {
    return plain(std::forward<Tuple>(args));
  } else if constexpr (takes_leading_allocator<T, Alloc, plain>::value) {
    return std::tuple_cat(std::tuple<std::allocator_arg_t, const Alloc&>(std::allocator_arg, alloc),
                          std::forward<Tuple>(args));
  } else {
    return std::tuple_cat(std::forward<Tuple>(args), std::tuple<const Alloc&>(alloc));
  }
}

template <class Pair, class Alloc, class Tuple1, class Tuple2>
void construct_pair(const Alloc& alloc, Pair* p, Tuple1&& first, Tuple2&& second) {
  auto a = uses_allocator_args<typename Pair::first_type>(alloc, std::forward<Tuple1>(first));
  auto b = uses_allocator_args<typename Pair::second_type>(alloc, std::forward<Tuple2>(second));
  ::new (static_cast<void*>(p)) Pair(std::piecewise_construct, std::move(a), std::move(b));
}

template <class Pair, class Alloc>
void pair_from(const Alloc& alloc, Pair* p) {
  construct_pair(alloc, p, std::tuple<>(), std::tuple<>());
}
template <class Pair, class Alloc, class... A, class... B>
void pair_from(const Alloc& alloc, Pair* p, std::piecewise_construct_t, std::tuple<A...> first,
               std::tuple<B...> second) {
  construct_pair(alloc, p, std::move(first), std::move(second));
}
template <class Pair, class Alloc, class U, class V>
void pair_from(const Alloc& alloc, Pair* p, U&& u, V&& v) {
  construct_pair(alloc, p, std::forward_as_tuple(std::forward<U>(u)),
                 std::forward_as_tuple(std::forward<V>(v)));
}
template <class Pair, class Alloc, class U, class V>
void pair_from(const Alloc& alloc, Pair* p, const std::pair<U, V>& other) {
  construct_pair(alloc, p, std::forward_as_tuple(other.first), std::forward_as_tuple(other.second));
}
template <class Pair, class Alloc, class U, class V>
void pair_from(const Alloc& alloc, Pair* p, std::pair<U, V>& other) {
  pair_from(alloc, p, static_cast<const std::pair<U, V>&>(other));
}
template <class Pair, class Alloc, class U, class V>
void pair_from(const Alloc& alloc, Pair* p, std::pair<U, V>&& other) {
  construct_pair(alloc, p, std::forward_as_tuple(std::forward<U>(other.first)),
                 std::forward_as_tuple(std::forward<V>(other.second)));
}

template <class Alloc, class T, class... Args>
void construct_with_allocator(const Alloc& alloc, T* p, Args&&... args) {
  if constexpr (is_std_pair<std::remove_cv_t<T>>::value) {
    pair_from(alloc, p, std::forward<Args>(args)...);
  } else {
    std::apply(
        [p](auto&&... xs) { ::new (static_cast<void*>(p)) T(std::forward<decltype(xs)>(xs)...); },
        uses_allocator_args<T>(alloc, std::forward_as_tuple(std::forward<Args>(args)...)));
  }
}

}  // namespace containers_detail
}  // namespace refipc

#endif  // REFIPC_CONTAINERS_DETAIL_USES_ALLOCATOR_HPP_
