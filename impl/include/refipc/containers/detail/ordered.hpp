// ordered_container: the interface set, multiset, map and multimap share,
// over an rbtree. Multi selects equal-key insertion; SetLike makes iterator a
// constant iterator (set elements are keys and must not change).
#ifndef REFIPC_CONTAINERS_DETAIL_ORDERED_HPP_
#define REFIPC_CONTAINERS_DETAIL_ORDERED_HPP_

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>

#include "refipc/containers/detail/rbtree.hpp"

namespace refipc {
namespace containers_detail {

template <class Compare, class K, class = void>
struct is_transparent : std::false_type {};
template <class Compare, class K>
struct is_transparent<Compare, K, std::void_t<typename Compare::is_transparent>> : std::true_type {
};
template <class Compare, class K>
using if_transparent_t = std::enable_if_t<is_transparent<Compare, K>::value, int>;

template <class Value, class KeyOfValue, class Compare, class Allocator, bool Multi, bool SetLike>
class ordered_container {
 protected:
  using tree = rbtree<Value, KeyOfValue, Compare, Allocator>;
  using alloc_traits = std::allocator_traits<Allocator>;

 public:
  using key_type = typename KeyOfValue::type;
  using value_type = Value;
  using key_compare = Compare;
  using allocator_type = Allocator;
  using size_type = typename tree::size_type;
  using difference_type = typename tree::difference_type;
  using reference = Value&;
  using const_reference = const Value&;
  using pointer = typename alloc_traits::pointer;
  using const_pointer = typename alloc_traits::const_pointer;
  using const_iterator = typename tree::const_iterator;
  using iterator = std::conditional_t<SetLike, const_iterator, typename tree::iterator>;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  ordered_container() : ordered_container(Compare()) {}
  explicit ordered_container(const Compare& comp, const Allocator& a = Allocator()) : t_(comp, a) {}
  explicit ordered_container(const Allocator& a) : t_(Compare(), a) {}
  template <class InputIt>
  ordered_container(InputIt first, InputIt last, const Compare& comp = Compare(),
                    const Allocator& a = Allocator())
      : t_(comp, a) {
    insert(first, last);
  }
  template <class InputIt>
  ordered_container(InputIt first, InputIt last, const Allocator& a) : t_(Compare(), a) {
    insert(first, last);
  }
  ordered_container(std::initializer_list<Value> il, const Compare& comp = Compare(),
                    const Allocator& a = Allocator())
      : ordered_container(il.begin(), il.end(), comp, a) {}
  ordered_container(std::initializer_list<Value> il, const Allocator& a)
      : ordered_container(il.begin(), il.end(), Compare(), a) {}
  ordered_container(const ordered_container& other)
      : t_(other.t_, alloc_traits::select_on_container_copy_construction(other.get_allocator())) {}
  ordered_container(const ordered_container& other, const Allocator& a) : t_(other.t_, a) {}
  ordered_container(ordered_container&& other) noexcept : t_(std::move(other.t_)) {}
  ordered_container(ordered_container&& other, const Allocator& a) : t_(std::move(other.t_), a) {}

  ordered_container& operator=(const ordered_container& other) {
    t_ = other.t_;
    return *this;
  }
  ordered_container& operator=(ordered_container&& other) noexcept(
      noexcept(std::declval<tree&>() = std::declval<tree&&>())) {
    t_ = std::move(other.t_);
    return *this;
  }
  ordered_container& operator=(std::initializer_list<Value> il) {
    clear();
    insert(il.begin(), il.end());
    return *this;
  }

  allocator_type get_allocator() const noexcept { return t_.get_allocator(); }
  key_compare key_comp() const { return t_.key_comp(); }

  iterator begin() noexcept { return t_.begin(); }
  const_iterator begin() const noexcept { return t_.begin(); }
  const_iterator cbegin() const noexcept { return t_.begin(); }
  iterator end() noexcept { return t_.end(); }
  const_iterator end() const noexcept { return t_.end(); }
  const_iterator cend() const noexcept { return t_.end(); }
  reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
  const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
  const_reverse_iterator crbegin() const noexcept { return const_reverse_iterator(end()); }
  reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
  const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }
  const_reverse_iterator crend() const noexcept { return const_reverse_iterator(begin()); }

  bool empty() const noexcept { return t_.empty(); }
  size_type size() const noexcept { return t_.size(); }
  size_type max_size() const noexcept { return t_.max_size(); }

  // Unique containers return (position, inserted); multi ones the position.
  template <class... Args>
  auto emplace(Args&&... args) {
    if constexpr (Multi) {
      return iterator(t_.emplace_equal(std::forward<Args>(args)...));
    } else {
      auto r = t_.emplace_unique(std::forward<Args>(args)...);
      return std::pair<iterator, bool>(r.first, r.second);
    }
  }
  template <class... Args>
  iterator emplace_hint(const_iterator hint, Args&&... args) {
    if constexpr (Multi) {
      return t_.emplace_hint_equal(hint, std::forward<Args>(args)...);
    } else {
      return t_.emplace_hint_unique(hint, std::forward<Args>(args)...);
    }
  }
  auto insert(const value_type& v) { return emplace(v); }
  auto insert(value_type&& v) { return emplace(std::move(v)); }
  iterator insert(const_iterator hint, const value_type& v) { return emplace_hint(hint, v); }
  iterator insert(const_iterator hint, value_type&& v) { return emplace_hint(hint, std::move(v)); }
  // The nodes come in one burst when the allocator has version 2 (those of
  // keys already present go back at the end).
  template <class InputIt>
  void insert(InputIt first, InputIt last) {
    t_.insert_range(first, last, !Multi);
  }
  void insert(std::initializer_list<Value> il) { insert(il.begin(), il.end()); }

  iterator erase(const_iterator pos) noexcept { return t_.erase(pos); }
  // Disambiguates erase(iterator) from erase(key) for maps.
  template <bool S = SetLike, class = std::enable_if_t<!S>>
  iterator erase(iterator pos) noexcept {
    return t_.erase(pos);
  }
  iterator erase(const_iterator first, const_iterator last) noexcept {
    return t_.erase(first, last);
  }
  size_type erase(const key_type& k) { return t_.erase_key(k); }
  void clear() noexcept { t_.clear(); }
  void swap(ordered_container& other) noexcept { t_.swap(other.t_); }

  // Moves what this container accepts out of `source` (same allocator).
  template <bool M>
  void merge(ordered_container<Value, KeyOfValue, Compare, Allocator, M, SetLike>& source) {
    if (static_cast<void*>(&source) == static_cast<void*>(this)) return;
    t_.merge(source.t_, !Multi);
  }
  template <bool M>
  void merge(ordered_container<Value, KeyOfValue, Compare, Allocator, M, SetLike>&& source) {
    merge(source);
  }

  iterator find(const key_type& k) { return t_.find(k); }
  const_iterator find(const key_type& k) const { return t_.find(k); }
  size_type count(const key_type& k) const { return t_.count(k); }
  bool contains(const key_type& k) const { return find(k) != end(); }
  iterator lower_bound(const key_type& k) { return t_.lower_bound(k); }
  const_iterator lower_bound(const key_type& k) const { return t_.lower_bound(k); }
  iterator upper_bound(const key_type& k) { return t_.upper_bound(k); }
  const_iterator upper_bound(const key_type& k) const { return t_.upper_bound(k); }
  std::pair<iterator, iterator> equal_range(const key_type& k) {
    auto r = t_.equal_range(k);
    return {r.first, r.second};
  }
  std::pair<const_iterator, const_iterator> equal_range(const key_type& k) const {
    auto r = t_.equal_range(k);
    return {r.first, r.second};
  }
  // Heterogeneous lookup when the comparator is transparent.
  template <class K, if_transparent_t<Compare, K> = 0>
  iterator find(const K& k) {
    return t_.find(k);
  }
  template <class K, if_transparent_t<Compare, K> = 0>
  const_iterator find(const K& k) const {
    return t_.find(k);
  }
  template <class K, if_transparent_t<Compare, K> = 0>
  size_type count(const K& k) const {
    return t_.count(k);
  }
  template <class K, if_transparent_t<Compare, K> = 0>
  iterator lower_bound(const K& k) {
    return t_.lower_bound(k);
  }
  template <class K, if_transparent_t<Compare, K> = 0>
  iterator upper_bound(const K& k) {
    return t_.upper_bound(k);
  }
  template <class K, if_transparent_t<Compare, K> = 0>
  const_iterator lower_bound(const K& k) const {
    return t_.lower_bound(k);
  }
  template <class K, if_transparent_t<Compare, K> = 0>
  const_iterator upper_bound(const K& k) const {
    return t_.upper_bound(k);
  }

  // Checks the tree's structure: for tests and the fuzzer.
  bool check_invariants() const noexcept {
    return t_.check() == static_cast<std::ptrdiff_t>(t_.size());
  }

  friend bool operator==(const ordered_container& a, const ordered_container& b) {
    return trees_equal(a.t_, b.t_);
  }
  friend bool operator!=(const ordered_container& a, const ordered_container& b) {
    return !(a == b);
  }
  friend bool operator<(const ordered_container& a, const ordered_container& b) {
    return trees_less(a.t_, b.t_);
  }
  friend bool operator>(const ordered_container& a, const ordered_container& b) { return b < a; }
  friend bool operator<=(const ordered_container& a, const ordered_container& b) {
    return !(b < a);
  }
  friend bool operator>=(const ordered_container& a, const ordered_container& b) {
    return !(a < b);
  }
  friend void swap(ordered_container& a, ordered_container& b) noexcept { a.swap(b); }

 protected:
  template <class, class, class, class, bool, bool>
  friend class ordered_container;

  tree t_;
};

template <class Key>
struct identity_key {
  using type = Key;
  const Key& operator()(const Key& v) const noexcept { return v; }
};

template <class Pair>
struct first_key {
  using type = std::remove_const_t<typename Pair::first_type>;
  const type& operator()(const Pair& v) const noexcept { return v.first; }
};

}  // namespace containers_detail
}  // namespace refipc

#endif  // REFIPC_CONTAINERS_DETAIL_ORDERED_HPP_
