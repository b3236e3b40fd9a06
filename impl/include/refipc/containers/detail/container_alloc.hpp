// Allocator plumbing of the node and flat containers (beside
// allocator_ops.hpp, which every container uses): rebinding, node allocation
// that gives the node back when constructing its value throws, and the
// propagation traits as constants.
#ifndef REFIPC_CONTAINERS_DETAIL_CONTAINER_ALLOC_HPP_
#define REFIPC_CONTAINERS_DETAIL_CONTAINER_ALLOC_HPP_

#include <cstddef>
#include <iterator>
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

// Version 2 allocators give single nodes through allocate_one /
// deallocate_one (a pooled allocator's pool, not the segment) ...
template <class Alloc, class = void>
struct has_allocate_one : std::false_type {};
template <class Alloc>
struct has_allocate_one<
    Alloc, std::void_t<decltype(std::declval<Alloc&>().allocate_one()),
                       decltype(std::declval<Alloc&>().deallocate_one(
                           std::declval<const typename std::allocator_traits<Alloc>::pointer&>()))>>
    : std::bool_constant<allocator_version_v<Alloc> == 2> {};

// ... and many in one call through allocate_individual(n, chain) /
// deallocate_individual(chain) (one pool lock for all of them).
template <class Alloc, class = void>
struct has_individual : std::false_type {};
template <class Alloc>
struct has_individual<
    Alloc, std::void_t<typename Alloc::multiallocation_chain,
                       decltype(std::declval<Alloc&>().allocate_individual(
                           std::size_t(), std::declval<typename Alloc::multiallocation_chain&>())),
                       decltype(std::declval<Alloc&>().deallocate_individual(
                           std::declval<typename Alloc::multiallocation_chain&>()))>>
    : std::bool_constant<allocator_version_v<Alloc> == 2> {};

template <class NodeAlloc>
typename std::allocator_traits<NodeAlloc>::pointer allocate_node_memory(NodeAlloc& na) {
  if constexpr (has_allocate_one<NodeAlloc>::value) {
    return na.allocate_one();
  } else {
    return std::allocator_traits<NodeAlloc>::allocate(na, 1);
  }
}

// Containers give nodes back from noexcept members; a pooled allocator
// throws only when its pool is damaged, and the node is then lost to it.
template <class NodeAlloc>
void deallocate_node_memory(NodeAlloc& na,
                            const typename std::allocator_traits<NodeAlloc>::pointer& p) noexcept {
  if constexpr (has_allocate_one<NodeAlloc>::value) {
    try {
      na.deallocate_one(p);
    } catch (...) {
    }
  } else {
    std::allocator_traits<NodeAlloc>::deallocate(na, p, 1);
  }
}

template <class NodeAlloc, bool = has_individual<NodeAlloc>::value>
struct node_chain {
  explicit operator bool() const noexcept { return false; }
};
template <class NodeAlloc>
struct node_chain<NodeAlloc, true> {
  typename NodeAlloc::multiallocation_chain chain;
  explicit operator bool() const noexcept { return !chain.empty(); }
};

template <class NodeAlloc>
void deallocate_chain(NodeAlloc& na, node_chain<NodeAlloc>& c) noexcept {
  if constexpr (has_individual<NodeAlloc>::value) {
    try {
      na.deallocate_individual(c.chain);
    } catch (...) {
      // A damaged pool: the nodes are lost to it.
    }
  }
}

// The nodes of `n` new elements. With a version 2 allocator they come in
// one allocate_individual call up front (bad_alloc there changes nothing);
// otherwise one at a time as taken. Nodes not taken go back when the burst
// ends, so a container building its new elements apart and splicing them
// in keeps its strong guarantee.
template <class NodeAlloc>
class node_burst {
  using pointer = typename std::allocator_traits<NodeAlloc>::pointer;

 public:
  node_burst(NodeAlloc& na, std::size_t n) : na_(na) {
    if constexpr (has_individual<NodeAlloc>::value) {
      if (n > 1) na.allocate_individual(n, chain_.chain);
    }
  }
  node_burst(const node_burst&) = delete;
  node_burst& operator=(const node_burst&) = delete;
  ~node_burst() {
    if (chain_) deallocate_chain(na_, chain_);
  }

  NodeAlloc& allocator() const noexcept { return na_; }
  pointer take() {
    if constexpr (has_individual<NodeAlloc>::value) {
      if (chain_) return pointer(chain_.chain.pop_front());
    }
    return allocate_node_memory(na_);
  }

 private:
  NodeAlloc& na_;
  node_chain<NodeAlloc> chain_;
};

// Values are destroyed as nodes are added; the destructor gives every node
// back, in one deallocate_individual call with a version 2 allocator.
template <class NodeAlloc>
class node_release {
  using pointer = typename std::allocator_traits<NodeAlloc>::pointer;

 public:
  explicit node_release(NodeAlloc& na) noexcept : na_(na) {}
  node_release(const node_release&) = delete;
  node_release& operator=(const node_release&) = delete;
  ~node_release() {
    if (chain_) deallocate_chain(na_, chain_);
  }

  template <class Node>
  void add(Node* n) noexcept {
    using value_type = std::remove_pointer_t<decltype(n->value_ptr())>;
    n->value_ptr()->~value_type();
    n->~Node();
    if constexpr (has_individual<NodeAlloc>::value) {
      chain_.chain.push_back(pointer(n));
    } else {
      deallocate_node_memory(na_, pointer(n));
    }
  }

 private:
  NodeAlloc& na_;
  node_chain<NodeAlloc> chain_;
};

// Builds a Node's value in the memory at `p` with uses-allocator
// construction (the element gets `va`). If that throws, the node is given
// back and the exception propagates: nothing else has changed.
template <class Node, class NodeAlloc, class ValueAlloc, class... Args>
Node* build_node(NodeAlloc& na, typename std::allocator_traits<NodeAlloc>::pointer p,
                 const ValueAlloc& va, Args&&... args) {
  Node* n = to_raw(p);
  ::new (static_cast<void*>(n)) Node();
  try {
    construct_with_allocator(va, n->value_ptr(), std::forward<Args>(args)...);
  } catch (...) {
    n->~Node();
    deallocate_node_memory(na, p);
    throw;
  }
  return n;
}

// One node (allocate_one with a version 2 allocator) holding a new value.
template <class Node, class NodeAlloc, class ValueAlloc, class... Args>
Node* new_node(NodeAlloc& na, const ValueAlloc& va, Args&&... args) {
  return build_node<Node>(na, allocate_node_memory(na), va, std::forward<Args>(args)...);
}
// The same from a burst.
template <class Node, class NodeAlloc, class ValueAlloc, class... Args>
Node* new_node_from(node_burst<NodeAlloc>& burst, const ValueAlloc& va, Args&&... args) {
  return build_node<Node>(burst.allocator(), burst.take(), va, std::forward<Args>(args)...);
}

template <class Node, class NodeAlloc>
void delete_node(NodeAlloc& na, Node* n) noexcept {
  using traits = std::allocator_traits<NodeAlloc>;
  using value_type = std::remove_pointer_t<decltype(n->value_ptr())>;
  n->value_ptr()->~value_type();
  n->~Node();
  deallocate_node_memory(na, typename traits::pointer(n));
}

// How many elements [first, last) holds when that can be known without
// consuming it (forward iterators); 0 otherwise (no burst).
template <class It>
std::size_t burst_count(It first, It last) {
  if constexpr (std::is_base_of_v<std::forward_iterator_tag,
                                  typename std::iterator_traits<It>::iterator_category>) {
    return static_cast<std::size_t>(std::distance(first, last));
  } else {
    return 0;
  }
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
