// stable_vector<T, Allocator>: a sequence with random access whose elements
// never move: each lives in its own node, and an index (a refipc::vector of
// node pointers) keeps them in order. Iterators and references stay valid
// until their element is erased. Node, index and back links are all the
// allocator's pointer type, so a stable_vector in a managed segment is valid
// at any mapping address.
#ifndef REFIPC_CONTAINERS_STABLE_VECTOR_HPP_
#define REFIPC_CONTAINERS_STABLE_VECTOR_HPP_

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "refipc/containers/containers_fwd.hpp"
#include "refipc/containers/detail/allocator_ops.hpp"
#include "refipc/containers/detail/sequence_comparisons.hpp"
#include "refipc/containers/detail/uses_allocator.hpp"
#include "refipc/containers/vector.hpp"

namespace refipc {
namespace containers_detail {

// Every node, and the end node, points back at its slot in the index.
template <class VoidPointer>
struct stable_node_base {
  using base_pointer = typename std::pointer_traits<VoidPointer>::template rebind<stable_node_base>;
  using slot_pointer = typename std::pointer_traits<VoidPointer>::template rebind<base_pointer>;
  slot_pointer up;
};

template <class T, class VoidPointer>
struct stable_node : stable_node_base<VoidPointer> {
  T value;
};

// A node address: the next node is the one in the following index slot.
template <class T, class VoidPointer, class Elem>
class stable_iterator {
  using base = stable_node_base<VoidPointer>;
  using node = stable_node<T, VoidPointer>;

 public:
  using iterator_category = std::random_access_iterator_tag;
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using pointer = Elem*;
  using reference = Elem&;

  stable_iterator() noexcept = default;
  explicit stable_iterator(base* n) noexcept : n_(n) {}
  template <class E,
            class = std::enable_if_t<std::is_const<Elem>::value && !std::is_const<E>::value>>
  stable_iterator(const stable_iterator<T, VoidPointer, E>& other) noexcept  // NOLINT: implicit
      : n_(other.node_base()) {}

  base* node_base() const noexcept { return n_; }

  reference operator*() const noexcept { return static_cast<node*>(n_)->value; }
  pointer operator->() const noexcept { return std::addressof(**this); }
  reference operator[](difference_type k) const noexcept { return *(*this + k); }
  stable_iterator& operator++() noexcept { return *this += 1; }
  stable_iterator operator++(int) noexcept {
    stable_iterator old = *this;
    *this += 1;
    return old;
  }
  stable_iterator& operator--() noexcept { return *this -= 1; }
  stable_iterator operator--(int) noexcept {
    stable_iterator old = *this;
    *this -= 1;
    return old;
  }
  stable_iterator& operator+=(difference_type k) noexcept {
    if (k != 0) n_ = to_raw(slot()[k]);
    return *this;
  }
  stable_iterator& operator-=(difference_type k) noexcept { return *this += -k; }
  friend stable_iterator operator+(stable_iterator it, difference_type k) noexcept {
    return it += k;
  }
  friend stable_iterator operator+(difference_type k, stable_iterator it) noexcept {
    return it += k;
  }
  friend stable_iterator operator-(stable_iterator it, difference_type k) noexcept {
    return it -= k;
  }

  // The node's index slot (null for the iterators of an empty container).
  auto slot() const noexcept { return n_ ? to_raw(n_->up) : nullptr; }

 private:
  base* n_ = nullptr;
};

template <class T, class V, class E1, class E2>
std::ptrdiff_t operator-(const stable_iterator<T, V, E1>& a,
                         const stable_iterator<T, V, E2>& b) noexcept {
  return a.slot() - b.slot();
}
template <class T, class V, class E1, class E2>
bool operator==(const stable_iterator<T, V, E1>& a, const stable_iterator<T, V, E2>& b) noexcept {
  return a.node_base() == b.node_base();
}
template <class T, class V, class E1, class E2>
bool operator!=(const stable_iterator<T, V, E1>& a, const stable_iterator<T, V, E2>& b) noexcept {
  return a.node_base() != b.node_base();
}
template <class T, class V, class E1, class E2>
bool operator<(const stable_iterator<T, V, E1>& a, const stable_iterator<T, V, E2>& b) noexcept {
  return a.slot() < b.slot();
}
template <class T, class V, class E1, class E2>
bool operator>(const stable_iterator<T, V, E1>& a, const stable_iterator<T, V, E2>& b) noexcept {
  return b < a;
}
template <class T, class V, class E1, class E2>
bool operator<=(const stable_iterator<T, V, E1>& a, const stable_iterator<T, V, E2>& b) noexcept {
  return !(b < a);
}
template <class T, class V, class E1, class E2>
bool operator>=(const stable_iterator<T, V, E1>& a, const stable_iterator<T, V, E2>& b) noexcept {
  return !(a < b);
}

}  // namespace containers_detail

// The index holds size() + 1 slots once anything was inserted: the nodes in
// order, then the end node. An insertion allocates its node first and then
// its slot, and gives the strong guarantee.
template <class T, class Allocator>
class stable_vector : public containers_detail::sequence_comparisons<stable_vector<T, Allocator>> {
  using alloc_traits = std::allocator_traits<Allocator>;
  using void_pointer = typename alloc_traits::void_pointer;
  using base = containers_detail::stable_node_base<void_pointer>;
  using node = containers_detail::stable_node<T, void_pointer>;
  using base_pointer = typename base::base_pointer;
  using slot_pointer = typename base::slot_pointer;
  using node_allocator = typename alloc_traits::template rebind_alloc<node>;
  using node_traits = std::allocator_traits<node_allocator>;
  using end_allocator = typename alloc_traits::template rebind_alloc<base>;
  using end_traits = std::allocator_traits<end_allocator>;
  using index_type =
      vector<base_pointer, typename alloc_traits::template rebind_alloc<base_pointer>>;
  static_assert(std::is_same<typename alloc_traits::value_type, T>::value,
                "the allocator's value_type must be the element type");

 public:
  using value_type = T;
  using allocator_type = Allocator;
  using pointer = typename alloc_traits::pointer;
  using const_pointer = typename alloc_traits::const_pointer;
  using reference = T&;
  using const_reference = const T&;
  using size_type = typename alloc_traits::size_type;
  using difference_type = typename alloc_traits::difference_type;
  using iterator = containers_detail::stable_iterator<T, void_pointer, T>;
  using const_iterator = containers_detail::stable_iterator<T, void_pointer, const T>;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  stable_vector() noexcept(std::is_nothrow_default_constructible<Allocator>::value)
      : stable_vector(Allocator()) {}
  explicit stable_vector(const Allocator& a) noexcept : alloc_(a), index_(a) {}
  explicit stable_vector(size_type n, const Allocator& a = Allocator()) : stable_vector(a) {
    guard g(*this);
    resize(n);
    g.release();
  }
  stable_vector(size_type n, const T& value, const Allocator& a = Allocator()) : stable_vector(a) {
    guard g(*this);
    insert(end(), n, value);
    g.release();
  }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  stable_vector(InputIt first, InputIt last, const Allocator& a = Allocator()) : stable_vector(a) {
    guard g(*this);
    insert(end(), first, last);
    g.release();
  }
  stable_vector(std::initializer_list<T> il, const Allocator& a = Allocator())
      : stable_vector(il.begin(), il.end(), a) {}
  stable_vector(const stable_vector& other)
      : stable_vector(other.begin(), other.end(),
                      alloc_traits::select_on_container_copy_construction(other.alloc_)) {}
  stable_vector(const stable_vector& other, const Allocator& a)
      : stable_vector(other.begin(), other.end(), a) {}
  // The index buffer moves as a whole, so the nodes' back links stay right.
  stable_vector(stable_vector&& other) noexcept
      : alloc_(std::move(other.alloc_)), index_(std::move(other.index_)) {}
  stable_vector(stable_vector&& other, const Allocator& a) : stable_vector(a) {
    if (alloc_ == other.alloc_) {
      index_.swap(other.index_);
    } else {
      guard g(*this);
      insert(end(), std::make_move_iterator(other.begin()), std::make_move_iterator(other.end()));
      g.release();
    }
  }
  ~stable_vector() { release(); }

  stable_vector& operator=(const stable_vector& other) {
    if (this == &other) return *this;
    if (alloc_traits::propagate_on_container_copy_assignment::value && alloc_ != other.alloc_) {
      release();
      alloc_ = other.alloc_;
      index_ = index_type(alloc_);
    }
    assign(other.begin(), other.end());
    return *this;
  }
  stable_vector& operator=(stable_vector&& other) noexcept(
      alloc_traits::propagate_on_container_move_assignment::value ||
      alloc_traits::is_always_equal::value) {
    if (this == &other) return *this;
    if (containers_detail::can_steal_on_move(alloc_, other.alloc_)) {
      release();
      containers_detail::move_assign_allocator(alloc_, other.alloc_);
      index_ = std::move(other.index_);
    } else {
      assign(std::make_move_iterator(other.begin()), std::make_move_iterator(other.end()));
    }
    return *this;
  }
  stable_vector& operator=(std::initializer_list<T> il) {
    assign(il.begin(), il.end());
    return *this;
  }

  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  void assign(InputIt first, InputIt last) {
    iterator it = begin();
    for (; first != last && it != end(); ++first, ++it) *it = *first;
    if (it != end()) {
      erase(it, end());
    } else {
      insert(end(), first, last);
    }
  }
  void assign(size_type n, const T& value) {
    std::fill_n(begin(), std::min(n, size()), value);
    if (n > size()) {
      insert(end(), n - size(), value);
    } else {
      erase(begin() + n, end());
    }
  }
  void assign(std::initializer_list<T> il) { assign(il.begin(), il.end()); }

  allocator_type get_allocator() const noexcept { return alloc_; }

  iterator begin() noexcept { return iterator(first_node()); }
  const_iterator begin() const noexcept { return const_iterator(first_node()); }
  iterator end() noexcept { return iterator(end_node()); }
  const_iterator end() const noexcept { return const_iterator(end_node()); }
  reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
  const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
  reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
  const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }
  const_iterator cbegin() const noexcept { return begin(); }
  const_iterator cend() const noexcept { return end(); }
  const_reverse_iterator crbegin() const noexcept { return rbegin(); }
  const_reverse_iterator crend() const noexcept { return rend(); }

  bool empty() const noexcept { return size() == 0; }
  size_type size() const noexcept { return index_.empty() ? 0 : index_.size() - 1; }
  size_type max_size() const noexcept { return index_.max_size() - 1; }
  // Slots in the index (the nodes are allocated one by one).
  size_type capacity() const noexcept { return index_.capacity() == 0 ? 0 : index_.capacity() - 1; }
  void reserve(size_type n) {
    if (n + 1 > index_.capacity()) {
      const base_pointer* before = index_.data();
      index_.reserve(n + 1);
      if (index_.data() != before) relink(0);
    }
  }
  void shrink_to_fit() {
    const base_pointer* before = index_.data();
    index_.shrink_to_fit();
    if (index_.data() != before) relink(0);
  }

  reference operator[](size_type i) noexcept { return value_of(index_[i]); }
  const_reference operator[](size_type i) const noexcept { return value_of(index_[i]); }
  reference at(size_type i) {
    if (i >= size()) throw std::out_of_range("refipc::stable_vector::at");
    return (*this)[i];
  }
  const_reference at(size_type i) const {
    if (i >= size()) throw std::out_of_range("refipc::stable_vector::at");
    return (*this)[i];
  }
  reference front() noexcept { return (*this)[0]; }
  const_reference front() const noexcept { return (*this)[0]; }
  reference back() noexcept { return (*this)[size() - 1]; }
  const_reference back() const noexcept { return (*this)[size() - 1]; }

  template <class... Args>
  iterator emplace(const_iterator pos, Args&&... args) {
    const size_type i = index_of(pos);
    ensure_end_node();
    node_allocator na(alloc_);
    typename node_traits::pointer n = node_traits::allocate(na, 1);
    node* raw = containers_detail::to_raw(n);
    ::new (static_cast<void*>(std::addressof(raw->up))) slot_pointer();
    try {
      containers_detail::construct_with_allocator(alloc_, std::addressof(raw->value),
                                                  std::forward<Args>(args)...);
    } catch (...) {
      node_traits::deallocate(na, n, 1);
      throw;
    }
    try {
      insert_slot(i, raw);
    } catch (...) {
      alloc_traits::destroy(alloc_, std::addressof(raw->value));
      node_traits::deallocate(na, n, 1);
      throw;
    }
    return iterator(raw);
  }
  template <class... Args>
  reference emplace_back(Args&&... args) {
    return *emplace(cend(), std::forward<Args>(args)...);
  }
  void push_back(const T& v) { emplace_back(v); }
  void push_back(T&& v) { emplace_back(std::move(v)); }
  void pop_back() noexcept { erase(cend() - 1); }
  iterator insert(const_iterator pos, const T& v) { return emplace(pos, v); }
  iterator insert(const_iterator pos, T&& v) { return emplace(pos, std::move(v)); }
  iterator insert(const_iterator pos, size_type n, const T& v) {
    const size_type i = index_of(pos);
    reserve(size() + n);
    for (size_type k = 0; k < n; ++k) emplace(begin() + i + k, v);
    return begin() + i;
  }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  iterator insert(const_iterator pos, InputIt first, InputIt last) {
    const size_type i = index_of(pos);
    size_type k = i;
    for (; first != last; ++first, ++k) emplace(begin() + k, *first);
    return begin() + i;
  }
  iterator insert(const_iterator pos, std::initializer_list<T> il) {
    return insert(pos, il.begin(), il.end());
  }

  iterator erase(const_iterator pos) { return erase(pos, std::next(pos)); }
  iterator erase(const_iterator first, const_iterator last) {
    const size_type i = index_of(first);
    const size_type j = index_of(last);
    if (i == j) return begin() + i;
    node_allocator na(alloc_);
    for (size_type k = i; k < j; ++k) {
      node* n = static_cast<node*>(containers_detail::to_raw(index_[k]));
      alloc_traits::destroy(alloc_, std::addressof(n->value));
      node_traits::deallocate(na, containers_detail::from_raw<typename node_traits::pointer>(n), 1);
    }
    index_.erase(index_.begin() + i, index_.begin() + j);
    relink(i);
    return begin() + i;
  }
  void clear() noexcept {
    if (!index_.empty()) erase(cbegin(), cend());
  }
  void resize(size_type n) {
    while (size() > n) pop_back();
    if (n > size()) reserve(n);
    while (size() < n) emplace_back();
  }
  void resize(size_type n, const T& v) {
    if (n > size()) {
      insert(end(), n - size(), v);
    } else {
      erase(begin() + n, end());
    }
  }

  void swap(stable_vector& other) noexcept {
    containers_detail::swap_allocators(alloc_, other.alloc_);
    index_.swap(other.index_);
  }
  friend void swap(stable_vector& a, stable_vector& b) noexcept { a.swap(b); }

 private:
  // Frees what a constructor built if it throws.
  struct guard {
    stable_vector* v;
    explicit guard(stable_vector& sv) : v(&sv) {}
    void release() { v = nullptr; }
    ~guard() {
      if (v) v->release();
    }
  };

  static T& value_of(const base_pointer& p) noexcept {
    return static_cast<node*>(containers_detail::to_raw(p))->value;
  }
  base* first_node() const noexcept {
    return index_.empty() ? nullptr : containers_detail::to_raw(index_.front());
  }
  base* end_node() const noexcept {
    return index_.empty() ? nullptr : containers_detail::to_raw(index_.back());
  }
  size_type index_of(const_iterator pos) const noexcept {
    return pos.node_base() ? static_cast<size_type>(pos.slot() - index_.data()) : 0;
  }
  // Points the nodes in slots [from, end) back at their slots.
  void relink(size_type from) noexcept {
    base_pointer* slots = index_.data();
    for (size_type k = from; k < index_.size(); ++k) {
      containers_detail::to_raw(slots[k])->up =
          containers_detail::from_raw<slot_pointer>(slots + k);
    }
  }
  void ensure_end_node() {
    if (!index_.empty()) return;
    end_allocator ea(alloc_);
    typename end_traits::pointer e = end_traits::allocate(ea, 1);
    base* raw = containers_detail::to_raw(e);
    ::new (static_cast<void*>(raw)) base();
    try {
      index_.push_back(containers_detail::from_raw<base_pointer>(raw));
    } catch (...) {
      raw->~base();
      end_traits::deallocate(ea, e, 1);
      throw;
    }
    relink(0);
  }
  void insert_slot(size_type i, node* n) {
    const base_pointer* before = index_.data();
    index_.emplace(index_.begin() + i,
                   containers_detail::from_raw<base_pointer>(static_cast<base*>(n)));
    relink(index_.data() == before ? i : 0);
  }
  void release() noexcept {
    if (index_.empty()) return;
    clear();
    end_allocator ea(alloc_);
    base* e = end_node();
    e->~base();
    end_traits::deallocate(ea, containers_detail::from_raw<typename end_traits::pointer>(e), 1);
    index_ = index_type(alloc_);
  }

  Allocator alloc_;
  index_type index_;
};

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_STABLE_VECTOR_HPP_
