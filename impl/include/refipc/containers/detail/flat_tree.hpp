// flat_container: the interface of flat_set, flat_multiset, flat_map and
// flat_multimap over a sorted flat_storage. Lookups are binary searches;
// insertion and erasure shift the elements after the position. Iterators
// are random access and are invalidated by every insertion and erasure.
#ifndef REFIPC_CONTAINERS_DETAIL_FLAT_TREE_HPP_
#define REFIPC_CONTAINERS_DETAIL_FLAT_TREE_HPP_

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>

#include "refipc/containers/detail/flat_storage.hpp"
#include "refipc/containers/detail/ordered.hpp"

namespace refipc {
namespace containers_detail {

template <class Value, class KeyOfValue, class Compare, class Allocator, bool Multi, bool SetLike>
class flat_container {
 protected:
  using storage = flat_storage<Value, Allocator>;
  using alloc_traits = std::allocator_traits<Allocator>;

 public:
  using key_type = typename KeyOfValue::type;
  using value_type = Value;
  using key_compare = Compare;
  using allocator_type = Allocator;
  using size_type = typename alloc_traits::size_type;
  using difference_type = typename alloc_traits::difference_type;
  using reference = Value&;
  using const_reference = const Value&;
  using pointer = typename alloc_traits::pointer;
  using const_pointer = typename alloc_traits::const_pointer;
  using const_iterator = const Value*;
  using iterator = std::conditional_t<SetLike, const Value*, Value*>;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  flat_container() : flat_container(Compare()) {}
  explicit flat_container(const Compare& comp, const Allocator& a = Allocator())
      : s_(a), comp_(comp) {}
  explicit flat_container(const Allocator& a) : s_(a), comp_() {}
  template <class InputIt>
  flat_container(InputIt first, InputIt last, const Compare& comp = Compare(),
                 const Allocator& a = Allocator())
      : s_(a), comp_(comp) {
    insert(first, last);
  }
  template <class InputIt>
  flat_container(InputIt first, InputIt last, const Allocator& a) : s_(a), comp_() {
    insert(first, last);
  }
  flat_container(std::initializer_list<Value> il, const Compare& comp = Compare(),
                 const Allocator& a = Allocator())
      : flat_container(il.begin(), il.end(), comp, a) {}
  flat_container(std::initializer_list<Value> il, const Allocator& a)
      : flat_container(il.begin(), il.end(), Compare(), a) {}
  flat_container(const flat_container& o)
      : s_(o.s_, alloc_traits::select_on_container_copy_construction(o.get_allocator())),
        comp_(o.comp_) {}
  flat_container(const flat_container& o, const Allocator& a) : s_(o.s_, a), comp_(o.comp_) {}
  flat_container(flat_container&& o) noexcept : s_(std::move(o.s_)), comp_(o.comp_) {}
  flat_container(flat_container&& o, const Allocator& a) : s_(std::move(o.s_), a), comp_(o.comp_) {}

  flat_container& operator=(const flat_container& o) {
    s_ = o.s_;
    comp_ = o.comp_;
    return *this;
  }
  flat_container& operator=(flat_container&& o) noexcept(
      noexcept(std::declval<storage&>() = std::declval<storage&&>())) {
    s_ = std::move(o.s_);
    comp_ = o.comp_;
    return *this;
  }
  flat_container& operator=(std::initializer_list<Value> il) {
    clear();
    insert(il.begin(), il.end());
    return *this;
  }

  allocator_type get_allocator() const noexcept { return s_.get_allocator(); }
  key_compare key_comp() const { return comp_; }

  iterator begin() noexcept { return s_.data(); }
  const_iterator begin() const noexcept { return s_.data(); }
  const_iterator cbegin() const noexcept { return s_.data(); }
  iterator end() noexcept { return s_.data() + s_.size(); }
  const_iterator end() const noexcept { return s_.data() + s_.size(); }
  const_iterator cend() const noexcept { return end(); }
  reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
  const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
  const_reverse_iterator crbegin() const noexcept { return rbegin(); }
  reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
  const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }
  const_reverse_iterator crend() const noexcept { return rend(); }

  bool empty() const noexcept { return s_.size() == 0; }
  size_type size() const noexcept { return s_.size(); }
  size_type max_size() const noexcept { return s_.max_size(); }
  size_type capacity() const noexcept { return s_.capacity(); }
  void reserve(size_type n) { s_.reserve(n); }
  void shrink_to_fit() { s_.shrink_to_fit(); }
  // The n-th element and the index of an iterator (Boost's extension).
  iterator nth(size_type n) noexcept { return begin() + n; }
  const_iterator nth(size_type n) const noexcept { return begin() + n; }
  size_type index_of(const_iterator it) const noexcept {
    return static_cast<size_type>(it - begin());
  }

  template <class... Args>
  auto emplace(Args&&... args) {
    value_holder<Value> v(get_allocator(), std::forward<Args>(args)...);
    const key_type& k = KeyOfValue()(*v.ptr());
    if constexpr (Multi) {
      return iterator(put(upper_bound_index(k), std::move(*v.ptr())));
    } else {
      const size_type i = lower_bound_index(k);
      if (i != size() && !comp_(k, key_at(i))) return std::pair<iterator, bool>(begin() + i, false);
      return std::pair<iterator, bool>(put(i, std::move(*v.ptr())), true);
    }
  }
  template <class... Args>
  iterator emplace_hint(const_iterator hint, Args&&... args) {
    value_holder<Value> v(get_allocator(), std::forward<Args>(args)...);
    const key_type& k = KeyOfValue()(*v.ptr());
    if constexpr (Multi) {
      return put(equal_hint_index(hint, k), std::move(*v.ptr()));
    } else {
      auto pos = unique_hint_index(hint, k);
      if (!pos.second) return begin() + pos.first;
      return put(pos.first, std::move(*v.ptr()));
    }
  }
  auto insert(const value_type& v) { return emplace(v); }
  auto insert(value_type&& v) { return emplace(std::move(v)); }
  iterator insert(const_iterator hint, const value_type& v) { return emplace_hint(hint, v); }
  iterator insert(const_iterator hint, value_type&& v) { return emplace_hint(hint, std::move(v)); }
  template <class InputIt>
  void insert(InputIt first, InputIt last) {
    for (; first != last; ++first) emplace_hint(cend(), *first);
  }
  void insert(std::initializer_list<Value> il) { insert(il.begin(), il.end()); }

  iterator erase(const_iterator pos) noexcept {
    const size_type i = index_of(pos);
    s_.erase(i, i + 1);
    return begin() + i;
  }
  template <bool S = SetLike, class = std::enable_if_t<!S>>
  iterator erase(iterator pos) noexcept {
    return erase(const_iterator(pos));
  }
  iterator erase(const_iterator first, const_iterator last) noexcept {
    const size_type i = index_of(first);
    s_.erase(i, index_of(last));
    return begin() + i;
  }
  size_type erase(const key_type& k) {
    const size_type lo = lower_bound_index(k);
    const size_type hi = upper_bound_index(k);
    s_.erase(lo, hi);
    return hi - lo;
  }
  void clear() noexcept { s_.clear(); }
  void swap(flat_container& o) noexcept {
    s_.swap(o.s_);
    std::swap(comp_, o.comp_);
  }

  template <bool M>
  void merge(flat_container<Value, KeyOfValue, Compare, Allocator, M, SetLike>& source) {
    if (static_cast<void*>(&source) == static_cast<void*>(this)) return;
    for (std::size_t i = 0; i < source.size();) {
      Value* v = source.s_.data() + i;
      if (!Multi && contains(KeyOfValue()(*v))) {
        ++i;
        continue;
      }
      emplace(std::move(*v));
      source.s_.erase(i, i + 1);
    }
  }

  iterator find(const key_type& k) { return begin() + find_index(k); }
  const_iterator find(const key_type& k) const { return begin() + find_index(k); }
  size_type count(const key_type& k) const { return upper_bound_index(k) - lower_bound_index(k); }
  bool contains(const key_type& k) const { return find_index(k) != size(); }
  iterator lower_bound(const key_type& k) { return begin() + lower_bound_index(k); }
  const_iterator lower_bound(const key_type& k) const { return begin() + lower_bound_index(k); }
  iterator upper_bound(const key_type& k) { return begin() + upper_bound_index(k); }
  const_iterator upper_bound(const key_type& k) const { return begin() + upper_bound_index(k); }
  std::pair<iterator, iterator> equal_range(const key_type& k) {
    return {lower_bound(k), upper_bound(k)};
  }
  std::pair<const_iterator, const_iterator> equal_range(const key_type& k) const {
    return {lower_bound(k), upper_bound(k)};
  }

  // Sorted (and, for unique containers, free of equal keys): for tests and
  // the fuzzer.
  bool check_invariants() const {
    for (size_type i = 1; i < size(); ++i) {
      if (comp_(key_at(i), key_at(i - 1))) return false;
      if (!Multi && !comp_(key_at(i - 1), key_at(i))) return false;
    }
    return s_.capacity() >= s_.size();
  }

  friend bool operator==(const flat_container& a, const flat_container& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
  }
  friend bool operator!=(const flat_container& a, const flat_container& b) { return !(a == b); }
  friend bool operator<(const flat_container& a, const flat_container& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }
  friend bool operator>(const flat_container& a, const flat_container& b) { return b < a; }
  friend bool operator<=(const flat_container& a, const flat_container& b) { return !(b < a); }
  friend bool operator>=(const flat_container& a, const flat_container& b) { return !(a < b); }
  friend void swap(flat_container& a, flat_container& b) noexcept { a.swap(b); }

 protected:
  template <class, class, class, class, bool, bool>
  friend class flat_container;

  const key_type& key_at(size_type i) const { return KeyOfValue()(s_.data()[i]); }

  template <class K>
  size_type lower_bound_index(const K& k) const {
    size_type lo = 0, n = size();
    while (n > 0) {
      const size_type half = n / 2;
      if (comp_(key_at(lo + half), k)) {
        lo += half + 1;
        n -= half + 1;
      } else {
        n = half;
      }
    }
    return lo;
  }
  template <class K>
  size_type upper_bound_index(const K& k) const {
    size_type lo = 0, n = size();
    while (n > 0) {
      const size_type half = n / 2;
      if (!comp_(k, key_at(lo + half))) {
        lo += half + 1;
        n -= half + 1;
      } else {
        n = half;
      }
    }
    return lo;
  }
  template <class K>
  size_type find_index(const K& k) const {
    const size_type i = lower_bound_index(k);
    return i != size() && !comp_(k, key_at(i)) ? i : size();
  }

  // (index, true) where a unique key goes, or (existing index, false).
  template <class K>
  std::pair<size_type, bool> unique_hint_index(const_iterator hint, const K& k) const {
    const size_type h = index_of(hint);
    if ((h == 0 || comp_(key_at(h - 1), k)) && (h == size() || comp_(k, key_at(h)))) {
      return {h, true};
    }
    const size_type i = lower_bound_index(k);
    return {i, i == size() || comp_(k, key_at(i))};
  }
  // As close as possible before `hint`, as the node containers do.
  template <class K>
  size_type equal_hint_index(const_iterator hint, const K& k) const {
    const size_type h = index_of(hint);
    if (h == size() || !comp_(key_at(h), k)) {
      if (h == 0 || !comp_(k, key_at(h - 1))) return h;
      return upper_bound_index(k);
    }
    if (h + 1 == size() || !comp_(key_at(h + 1), k)) return h + 1;
    return lower_bound_index(k);
  }

  iterator put(size_type i, Value&& v) { return s_.insert_moved(i, std::move(v)); }

  storage s_;
  Compare comp_;
};

}  // namespace containers_detail
}  // namespace refipc

#endif  // REFIPC_CONTAINERS_DETAIL_FLAT_TREE_HPP_
