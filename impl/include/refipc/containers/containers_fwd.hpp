// Forward declarations of refipc's containers, with their default template
// arguments (the definitions do not repeat them).
#ifndef REFIPC_CONTAINERS_CONTAINERS_FWD_HPP_
#define REFIPC_CONTAINERS_CONTAINERS_FWD_HPP_

#include <functional>
#include <memory>
#include <utility>

namespace refipc {

// ---- Node and flat containers (list, slist, set, map, flat_*) ----
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
// ---- end of node and flat containers ----

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_CONTAINERS_FWD_HPP_
