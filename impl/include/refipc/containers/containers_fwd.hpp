// Declarations of refipc's containers with their default template arguments
// (the definitions repeat none of them).
#ifndef REFIPC_CONTAINERS_CONTAINERS_FWD_HPP_
#define REFIPC_CONTAINERS_CONTAINERS_FWD_HPP_

#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace refipc {

// The sequence containers: vector.hpp, deque.hpp, stable_vector.hpp,
// string.hpp and pair.hpp.
template <class T, class Allocator = std::allocator<T>>
class vector;
template <class T, class Allocator = std::allocator<T>>
class deque;
template <class T, class Allocator = std::allocator<T>>
class stable_vector;
template <class CharT, class Traits = std::char_traits<CharT>,
          class Allocator = std::allocator<CharT>>
class basic_string;
using string = basic_string<char>;
using wstring = basic_string<wchar_t>;
template <class T1, class T2>
using pair = std::pair<T1, T2>;

// The node containers: list.hpp, slist.hpp, set.hpp and map.hpp.
template <class T, class Allocator = std::allocator<T>>
class list;
template <class T, class Allocator = std::allocator<T>>
class slist;
template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>>
class set;
template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>>
class multiset;
template <class Key, class T, class Compare = std::less<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>>
class map;
template <class Key, class T, class Compare = std::less<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>>
class multimap;

// The flat containers (sorted vectors): flat_set.hpp and flat_map.hpp.
template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>>
class flat_set;
template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>>
class flat_multiset;
template <class Key, class T, class Compare = std::less<Key>,
          class Allocator = std::allocator<std::pair<Key, T>>>
class flat_map;
template <class Key, class T, class Compare = std::less<Key>,
          class Allocator = std::allocator<std::pair<Key, T>>>
class flat_multimap;

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_CONTAINERS_FWD_HPP_
