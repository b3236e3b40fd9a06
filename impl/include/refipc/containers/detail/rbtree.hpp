// rbtree: the ordered node container behind set, multiset, map and
// multimap. It owns the nodes (allocated one by one through the allocator
// rebound to the node type) and offers both unique and equal insertion; the
// public containers choose.
#ifndef REFIPC_CONTAINERS_DETAIL_RBTREE_HPP_
#define REFIPC_CONTAINERS_DETAIL_RBTREE_HPP_

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "refipc/containers/detail/container_alloc.hpp"
#include "refipc/containers/detail/rbtree_algo.hpp"

namespace refipc {
namespace containers_detail {

template <class T, class VoidPointer>
struct rb_node : rb_node_base<VoidPointer> {
  alignas(T) unsigned char storage[sizeof(T)];
  T* value_ptr() noexcept { return std::launder(reinterpret_cast<T*>(storage)); }
};

template <class T, class VoidPointer, bool Const>
class rb_iterator {
  using base = rb_node_base<VoidPointer>;
  using node = rb_node<T, VoidPointer>;

 public:
  using iterator_category = std::bidirectional_iterator_tag;
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using pointer = std::conditional_t<Const, const T*, T*>;
  using reference = std::conditional_t<Const, const T&, T&>;

  rb_iterator() noexcept = default;
  explicit rb_iterator(base* n) noexcept : n_(n) {}
  template <bool C = Const, class = std::enable_if_t<C>>
  rb_iterator(const rb_iterator<T, VoidPointer, false>& other) noexcept  // NOLINT: implicit
      : n_(other.node_base()) {}

  reference operator*() const noexcept { return *static_cast<node*>(n_)->value_ptr(); }
  pointer operator->() const noexcept { return static_cast<node*>(n_)->value_ptr(); }
  rb_iterator& operator++() noexcept {
    n_ = tree_next(n_);
    return *this;
  }
  rb_iterator operator++(int) noexcept {
    rb_iterator r = *this;
    ++*this;
    return r;
  }
  rb_iterator& operator--() noexcept {
    n_ = tree_prev(n_);
    return *this;
  }
  rb_iterator operator--(int) noexcept {
    rb_iterator r = *this;
    --*this;
    return r;
  }
  friend bool operator==(const rb_iterator& a, const rb_iterator& b) noexcept {
    return a.n_ == b.n_;
  }
  friend bool operator!=(const rb_iterator& a, const rb_iterator& b) noexcept {
    return a.n_ != b.n_;
  }

  base* node_base() const noexcept { return n_; }

 private:
  base* n_ = nullptr;
};

// KeyOfValue: a callable type with `using type = Key` giving a value's key.
template <class Value, class KeyOfValue, class Compare, class Allocator>
class rbtree {
  using alloc_traits = std::allocator_traits<Allocator>;
  using void_ptr = void_pointer_t<Allocator>;
  using base = rb_node_base<void_ptr>;
  using node = rb_node<Value, void_ptr>;
  using node_alloc = rebind_alloc_t<Allocator, node>;

 public:
  using key_type = typename KeyOfValue::type;
  using value_type = Value;
  using key_compare = Compare;
  using allocator_type = Allocator;
  using size_type = typename alloc_traits::size_type;
  using difference_type = typename alloc_traits::difference_type;
  using iterator = rb_iterator<Value, void_ptr, false>;
  using const_iterator = rb_iterator<Value, void_ptr, true>;

  explicit rbtree(const Compare& comp, const Allocator& a) : alloc_(a), comp_(comp) { reset(); }
  rbtree(const rbtree& other, const Allocator& a) : alloc_(a), comp_(other.comp_) {
    reset();
    append_copy(other);
  }
  rbtree(rbtree&& other, const Allocator& a) : alloc_(a), comp_(other.comp_) {
    reset();
    if (equal_allocators(alloc_, other.alloc_)) {
      steal(other);
    } else {
      for (auto& v : other) append(std::move(const_cast<Value&>(v)));
    }
  }
  rbtree(rbtree&& other) noexcept : alloc_(std::move(other.alloc_)), comp_(other.comp_) {
    reset();
    steal(other);
  }
  ~rbtree() { clear(); }

  rbtree& operator=(const rbtree& other) {
    if (this == &other) return *this;
    clear();
    if constexpr (pocca_v<node_alloc>) alloc_ = other.alloc_;
    comp_ = other.comp_;
    append_copy(other);
    return *this;
  }
  rbtree& operator=(rbtree&& other) noexcept(pocma_v<node_alloc> || always_equal_v<node_alloc>) {
    if (this == &other) return *this;
    clear();
    comp_ = other.comp_;
    if constexpr (pocma_v<node_alloc>) {
      alloc_ = std::move(other.alloc_);
      steal(other);
    } else if (equal_allocators(alloc_, other.alloc_)) {
      steal(other);
    } else {
      for (auto& v : other) append(std::move(const_cast<Value&>(v)));
      other.clear();
    }
    return *this;
  }

  void swap(rbtree& other) noexcept {
    swap_allocators(alloc_, other.alloc_);
    using std::swap;
    swap(comp_, other.comp_);
    rbtree tmp_links(comp_, allocator_type(alloc_));
    tmp_links.steal(other);
    other.steal(*this);
    steal(tmp_links);
  }

  allocator_type get_allocator() const noexcept { return allocator_type(alloc_); }
  key_compare key_comp() const { return comp_; }

  iterator begin() noexcept { return iterator(header_.left()); }
  const_iterator begin() const noexcept { return const_iterator(header_.left()); }
  iterator end() noexcept { return iterator(&header_); }
  const_iterator end() const noexcept { return const_iterator(const_cast<base*>(&header_)); }

  bool empty() const noexcept { return size_ == 0; }
  size_type size() const noexcept { return size_; }
  size_type max_size() const noexcept {
    return std::allocator_traits<node_alloc>::max_size(alloc_);
  }

  template <class... Args>
  std::pair<iterator, bool> emplace_unique(Args&&... args) {
    pending n(alloc_, make(std::forward<Args>(args)...));
    auto pos = unique_pos(KeyOfValue()(*n.get()->value_ptr()));
    if (pos.first == nullptr) return {iterator(pos.second), false};
    return {attach(n.release(), pos.first, pos.second != nullptr), true};
  }
  template <class... Args>
  iterator emplace_hint_unique(const_iterator hint, Args&&... args) {
    pending n(alloc_, make(std::forward<Args>(args)...));
    auto pos = unique_hint_pos(hint, KeyOfValue()(*n.get()->value_ptr()));
    if (pos.first == nullptr) return iterator(pos.second);
    return attach(n.release(), pos.first, pos.second != nullptr);
  }
  template <class... Args>
  iterator emplace_equal(Args&&... args) {
    pending n(alloc_, make(std::forward<Args>(args)...));
    auto pos = equal_pos(KeyOfValue()(*n.get()->value_ptr()));
    return attach(n.release(), pos.first, pos.second);
  }
  template <class... Args>
  iterator emplace_hint_equal(const_iterator hint, Args&&... args) {
    pending n(alloc_, make(std::forward<Args>(args)...));
    auto pos = equal_hint_pos(hint, KeyOfValue()(*n.get()->value_ptr()));
    return attach(n.release(), pos.first, pos.second);
  }
  // try_emplace: the key is looked up first; a node is only made when the
  // key is absent. Args build the value (the key among them).
  template <class K, class... Args>
  std::pair<iterator, bool> emplace_unique_key(const K& k, Args&&... args) {
    auto pos = unique_pos(k);
    if (pos.first == nullptr) return {iterator(pos.second), false};
    node* n = make(std::forward<Args>(args)...);
    return {attach(n, pos.first, pos.second != nullptr), true};
  }
  template <class K, class... Args>
  std::pair<iterator, bool> emplace_hint_unique_key(const_iterator hint, const K& k,
                                                    Args&&... args) {
    auto pos = unique_hint_pos(hint, k);
    if (pos.first == nullptr) return {iterator(pos.second), false};
    node* n = make(std::forward<Args>(args)...);
    return {attach(n, pos.first, pos.second != nullptr), true};
  }

  // Each element as if by emplace_hint(end(), *it), with the nodes from
  // one burst.
  template <class It>
  void insert_range(It first, It last, bool unique) {
    node_burst<node_alloc> burst(alloc_, burst_count(first, last));
    for (; first != last; ++first) {
      pending n(alloc_, new_node_from<node>(burst, allocator_type(alloc_), *first));
      const key_type& k = KeyOfValue()(*n.get()->value_ptr());
      if (unique) {
        auto pos = unique_hint_pos(const_iterator(&header_), k);
        if (pos.first != nullptr) attach(n.release(), pos.first, pos.second != nullptr);
      } else {
        auto pos = equal_hint_pos(const_iterator(&header_), k);
        attach(n.release(), pos.first, pos.second);
      }
    }
  }

  iterator erase(const_iterator pos) noexcept {
    base* n = pos.node_base();
    iterator next(tree_next(n));
    unlink_and_rebalance(&header_, n);
    --size_;
    delete_node(alloc_, static_cast<node*>(n));
    return next;
  }
  iterator erase(const_iterator first, const_iterator last) noexcept {
    if (first == begin() && last == end()) {
      clear();
      return end();
    }
    while (first != last) first = erase(first);
    return iterator(last.node_base());
  }
  template <class K>
  size_type erase_key(const K& k) {
    auto range = equal_range(k);
    size_type n = 0;
    for (auto it = range.first; it != range.second; ++n) it = erase(it);
    return n;
  }
  // Gives every node back in one deallocate_individual call when the
  // allocator has version 2.
  void clear() noexcept {
    node_release<node_alloc> release(alloc_);
    destroy_subtree(header_.parent(), release);
    reset();
  }

  template <class K>
  iterator lower_bound(const K& k) const {
    base* x = header_.parent();
    base* y = const_cast<base*>(&header_);
    while (x != nullptr) {
      if (!comp_(key(x), k)) {
        y = x;
        x = x->left();
      } else {
        x = x->right();
      }
    }
    return iterator(y);
  }
  template <class K>
  iterator upper_bound(const K& k) const {
    base* x = header_.parent();
    base* y = const_cast<base*>(&header_);
    while (x != nullptr) {
      if (comp_(k, key(x))) {
        y = x;
        x = x->left();
      } else {
        x = x->right();
      }
    }
    return iterator(y);
  }
  template <class K>
  iterator find(const K& k) const {
    iterator it = lower_bound(k);
    if (it == iterator(const_cast<base*>(&header_)) || comp_(k, key(it.node_base()))) {
      return iterator(const_cast<base*>(&header_));
    }
    return it;
  }
  template <class K>
  std::pair<iterator, iterator> equal_range(const K& k) const {
    return {lower_bound(k), upper_bound(k)};
  }
  template <class K>
  size_type count(const K& k) const {
    auto r = equal_range(k);
    return static_cast<size_type>(std::distance(r.first, r.second));
  }

  // Moves every node of `source` whose key this tree accepts (all of them
  // when `unique` is false) without copying values. Allocators must be equal.
  void merge(rbtree& source, bool unique) {
    base* n = source.header_.left();
    while (n != &source.header_) {
      base* next = tree_next(n);
      const key_type& k = key(n);
      auto pos = unique ? unique_pos(k) : equal_pos_pair(k);
      if (pos.first != nullptr) {
        unlink_and_rebalance(&source.header_, n);
        --source.size_;
        attach(static_cast<node*>(n), pos.first, pos.second != nullptr);
      }
      n = next;
    }
  }

  // -1 if the structure is damaged, else the node count (== size()).
  std::ptrdiff_t check() const noexcept { return check_tree(&header_); }

 private:
  static const key_type& key(const base* n) {
    return KeyOfValue()(*static_cast<node*>(const_cast<base*>(n))->value_ptr());
  }

  template <class... Args>
  node* make(Args&&... args) {
    return new_node<node>(alloc_, allocator_type(alloc_), std::forward<Args>(args)...);
  }

  // A node made but not yet attached, deleted unless released: a comparator
  // that throws while the node's place is sought must not leak it.
  class pending {
   public:
    pending(node_alloc& a, node* n) noexcept : na_(a), n_(n) {}
    pending(const pending&) = delete;
    pending& operator=(const pending&) = delete;
    ~pending() {
      if (n_ != nullptr) delete_node(na_, n_);
    }
    node* get() const noexcept { return n_; }
    node* release() noexcept { return std::exchange(n_, nullptr); }

   private:
    node_alloc& na_;
    node* n_;
  };

  iterator attach(node* n, base* parent, bool left) noexcept {
    link_and_rebalance<base>(&header_, n, parent, left);
    ++size_;
    return iterator(n);
  }

  void reset() noexcept {
    header_.parent_ = nullptr;
    header_.left_ = &header_;
    header_.right_ = &header_;
    header_.header_ = true;
    header_.red_ = true;
    size_ = 0;
  }

  // Takes other's nodes; this tree must be empty.
  void steal(rbtree& other) noexcept {
    if (other.size_ == 0) return;
    header_.parent_ = other.header_.parent();
    header_.left_ = other.header_.left();
    header_.right_ = other.header_.right();
    header_.parent()->parent_ = &header_;
    size_ = other.size_;
    other.reset();
  }

  static void destroy_subtree(base* x, node_release<node_alloc>& release) noexcept {
    while (x != nullptr) {
      destroy_subtree(x->right(), release);
      base* left = x->left();
      release.add(static_cast<node*>(x));
      x = left;
    }
  }

  // Appends v after the rightmost node: v must not order before it.
  template <class V>
  void append(V&& v) {
    append_node(make(std::forward<V>(v)));
  }
  void append_node(node* n) noexcept {
    attach(n, header_.parent() == nullptr ? &header_ : header_.right(), false);
  }
  // A copy of other's elements, their nodes in one burst.
  void append_copy(const rbtree& other) {
    try {
      node_burst<node_alloc> burst(alloc_, other.size());
      for (const auto& v : other)
        append_node(new_node_from<node>(burst, allocator_type(alloc_), v));
    } catch (...) {
      clear();
      throw;
    }
  }

  // (parent, left-side flag as non-null) where a unique key goes, or
  // (nullptr, existing node) when the key is present.
  template <class K>
  std::pair<base*, base*> unique_pos(const K& k) {
    base* x = header_.parent();
    base* y = &header_;
    bool less = true;
    while (x != nullptr) {
      y = x;
      less = comp_(k, key(x));
      x = less ? x->left() : x->right();
    }
    base* j = y;
    if (less) {
      if (j == header_.left()) return {y, y};
      j = tree_prev(j);
    }
    if (comp_(key(j), k)) return {y, less ? y : nullptr};
    return {nullptr, j};
  }
  template <class K>
  std::pair<base*, bool> equal_pos(const K& k) {
    base* x = header_.parent();
    base* y = &header_;
    bool less = true;
    while (x != nullptr) {
      y = x;
      less = comp_(k, key(x));
      x = less ? x->left() : x->right();
    }
    return {y, less};
  }
  template <class K>
  std::pair<base*, base*> equal_pos_pair(const K& k) {
    auto p = equal_pos(k);
    return {p.first, p.second ? p.first : nullptr};
  }

  // Where to hang a node that goes right before `before` (end() included).
  std::pair<base*, bool> before_pos(base* before) {
    if (before == &header_) {
      return header_.parent() == nullptr ? std::pair<base*, bool>(&header_, true)
                                         : std::pair<base*, bool>(header_.right(), false);
    }
    if (before->left() == nullptr) return {before, true};
    return {tree_prev(before), false};
  }

  template <class K>
  std::pair<base*, base*> unique_hint_pos(const_iterator hint, const K& k) {
    base* h = hint.node_base();
    if (h == &header_ || comp_(k, key(h))) {
      if (h == header_.left()) {
        auto p = before_pos(h);
        return {p.first, p.second ? p.first : nullptr};
      }
      base* prev = tree_prev(h);
      if (comp_(key(prev), k)) {
        auto p = before_pos(h);
        return {p.first, p.second ? p.first : nullptr};
      }
      return unique_pos(k);
    }
    if (comp_(key(h), k)) {
      base* next = tree_next(h);
      if (next == &header_ || comp_(k, key(next))) {
        auto p = before_pos(next);
        return {p.first, p.second ? p.first : nullptr};
      }
      return unique_pos(k);
    }
    return {nullptr, h};
  }

  // As close as possible before `hint`.
  template <class K>
  std::pair<base*, bool> equal_hint_pos(const_iterator hint, const K& k) {
    base* h = hint.node_base();
    if (h == &header_ || !comp_(key(h), k)) {
      if (h == header_.left() || !comp_(k, key(tree_prev(h)))) return before_pos(h);
      return equal_pos(k);
    }
    base* next = tree_next(h);
    if (next == &header_ || !comp_(key(next), k)) return before_pos(next);
    // Lower bound: before the first element not less than k.
    return before_pos(lower_bound(k).node_base());
  }

  node_alloc alloc_;
  Compare comp_;
  base header_;
  size_type size_ = 0;
};

template <class Tree>
bool trees_equal(const Tree& a, const Tree& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}
template <class Tree>
bool trees_less(const Tree& a, const Tree& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

}  // namespace containers_detail
}  // namespace refipc

#endif  // REFIPC_CONTAINERS_DETAIL_RBTREE_HPP_
