// list: a doubly linked list whose links are the allocator's pointers, so a
// list built in a managed segment with refipc::allocator can be used from
// any process at any mapping address. The interface is std::list's.
#ifndef REFIPC_CONTAINERS_LIST_HPP_
#define REFIPC_CONTAINERS_LIST_HPP_

#include <algorithm>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>

#include "refipc/containers/containers_fwd.hpp"
#include "refipc/containers/detail/container_alloc.hpp"
#include "refipc/containers/detail/sequence_comparisons.hpp"

namespace refipc {
namespace containers_detail {

template <class VoidPointer>
struct list_node_base {
  using link = rebind_ptr_t<VoidPointer, list_node_base>;
  link next_;
  link prev_;
  list_node_base* next() const noexcept { return to_raw(next_); }
  list_node_base* prev() const noexcept { return to_raw(prev_); }
};

template <class T, class VoidPointer>
struct list_node : list_node_base<VoidPointer> {
  alignas(T) unsigned char storage[sizeof(T)];
  T* value_ptr() noexcept { return std::launder(reinterpret_cast<T*>(storage)); }
};

template <class T, class VoidPointer, bool Const>
class list_iterator {
  using base = list_node_base<VoidPointer>;
  using node = list_node<T, VoidPointer>;

 public:
  using iterator_category = std::bidirectional_iterator_tag;
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using pointer = std::conditional_t<Const, const T*, T*>;
  using reference = std::conditional_t<Const, const T&, T&>;

  list_iterator() noexcept = default;
  explicit list_iterator(base* n) noexcept : n_(n) {}
  template <bool C = Const, class = std::enable_if_t<C>>
  list_iterator(const list_iterator<T, VoidPointer, false>& o) noexcept  // NOLINT: implicit
      : n_(o.node_base()) {}

  reference operator*() const noexcept { return *static_cast<node*>(n_)->value_ptr(); }
  pointer operator->() const noexcept { return static_cast<node*>(n_)->value_ptr(); }
  list_iterator& operator++() noexcept {
    n_ = n_->next();
    return *this;
  }
  list_iterator operator++(int) noexcept {
    list_iterator r = *this;
    n_ = n_->next();
    return r;
  }
  list_iterator& operator--() noexcept {
    n_ = n_->prev();
    return *this;
  }
  list_iterator operator--(int) noexcept {
    list_iterator r = *this;
    n_ = n_->prev();
    return r;
  }
  friend bool operator==(const list_iterator& a, const list_iterator& b) noexcept {
    return a.n_ == b.n_;
  }
  friend bool operator!=(const list_iterator& a, const list_iterator& b) noexcept {
    return a.n_ != b.n_;
  }
  base* node_base() const noexcept { return n_; }

 private:
  base* n_ = nullptr;
};

}  // namespace containers_detail

template <class T, class Allocator>
class list : public containers_detail::sequence_comparisons<list<T, Allocator>> {
  using alloc_traits = std::allocator_traits<Allocator>;
  using void_ptr = containers_detail::void_pointer_t<Allocator>;
  using base = containers_detail::list_node_base<void_ptr>;
  using node = containers_detail::list_node<T, void_ptr>;
  using node_alloc = containers_detail::rebind_alloc_t<Allocator, node>;

 public:
  using value_type = T;
  using allocator_type = Allocator;
  using size_type = typename alloc_traits::size_type;
  using difference_type = typename alloc_traits::difference_type;
  using reference = T&;
  using const_reference = const T&;
  using pointer = typename alloc_traits::pointer;
  using const_pointer = typename alloc_traits::const_pointer;
  using iterator = containers_detail::list_iterator<T, void_ptr, false>;
  using const_iterator = containers_detail::list_iterator<T, void_ptr, true>;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  list() : list(Allocator()) {}
  explicit list(const Allocator& a) noexcept : alloc_(a) { reset(); }
  explicit list(size_type n, const Allocator& a = Allocator()) : list(a) {
    guarded([&] {
      containers_detail::node_burst<node_alloc> burst(alloc_, n);
      for (; n > 0; --n) emplace_from(burst, end());
    });
  }
  list(size_type n, const T& v, const Allocator& a = Allocator()) : list(a) {
    guarded([&] { insert(end(), n, v); });
  }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  list(InputIt first, InputIt last, const Allocator& a = Allocator()) : list(a) {
    guarded([&] { insert(end(), first, last); });
  }
  list(std::initializer_list<T> il, const Allocator& a = Allocator())
      : list(il.begin(), il.end(), a) {}
  list(const list& o) : list(o, alloc_traits::select_on_container_copy_construction(o.alloc())) {}
  list(const list& o, const Allocator& a) : list(o.begin(), o.end(), a) {}
  list(list&& o) noexcept : alloc_(std::move(o.alloc_)) {
    reset();
    steal(o);
  }
  list(list&& o, const Allocator& a) : list(a) {
    if (containers_detail::equal_allocators(alloc_, o.alloc_)) {
      steal(o);
    } else {
      guarded([&] {
        for (T& v : o) emplace_back(std::move(v));
      });
    }
  }
  ~list() { clear(); }

  list& operator=(const list& o) {
    if (this == &o) return *this;
    if constexpr (containers_detail::pocca_v<node_alloc>) {
      if (!containers_detail::equal_allocators(alloc_, o.alloc_)) clear();
      alloc_ = o.alloc_;
    }
    assign(o.begin(), o.end());
    return *this;
  }
  list& operator=(list&& o) noexcept(containers_detail::pocma_v<node_alloc> ||
                                     containers_detail::always_equal_v<node_alloc>) {
    if (this == &o) return *this;
    clear();
    if constexpr (containers_detail::pocma_v<node_alloc>) {
      alloc_ = std::move(o.alloc_);
      steal(o);
    } else if (containers_detail::equal_allocators(alloc_, o.alloc_)) {
      steal(o);
    } else {
      for (T& v : o) emplace_back(std::move(v));
      o.clear();
    }
    return *this;
  }
  list& operator=(std::initializer_list<T> il) {
    assign(il.begin(), il.end());
    return *this;
  }

  // Reuses the existing elements by assignment, then adds or erases.
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  void assign(InputIt first, InputIt last) {
    iterator it = begin();
    for (; it != end() && first != last; ++it, ++first) *it = *first;
    if (first == last) {
      erase(it, end());
    } else {
      insert(end(), first, last);
    }
  }
  void assign(size_type n, const T& v) {
    iterator it = begin();
    for (; it != end() && n > 0; ++it, --n) *it = v;
    if (n == 0) {
      erase(it, end());
    } else {
      insert(end(), n, v);
    }
  }
  void assign(std::initializer_list<T> il) { assign(il.begin(), il.end()); }

  allocator_type get_allocator() const noexcept { return alloc(); }

  iterator begin() noexcept { return iterator(header_.next()); }
  const_iterator begin() const noexcept { return const_iterator(header_.next()); }
  const_iterator cbegin() const noexcept { return begin(); }
  iterator end() noexcept { return iterator(&header_); }
  const_iterator end() const noexcept { return const_iterator(const_cast<base*>(&header_)); }
  const_iterator cend() const noexcept { return end(); }
  reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
  const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
  const_reverse_iterator crbegin() const noexcept { return rbegin(); }
  reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
  const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }
  const_reverse_iterator crend() const noexcept { return rend(); }

  bool empty() const noexcept { return size_ == 0; }
  size_type size() const noexcept { return size_; }
  size_type max_size() const noexcept {
    return std::allocator_traits<node_alloc>::max_size(alloc_);
  }

  reference front() { return *begin(); }
  const_reference front() const { return *begin(); }
  reference back() { return *std::prev(end()); }
  const_reference back() const { return *std::prev(end()); }

  template <class... Args>
  iterator emplace(const_iterator pos, Args&&... args) {
    node* n = containers_detail::new_node<node>(alloc_, alloc(), std::forward<Args>(args)...);
    hook(n, pos.node_base());
    ++size_;
    return iterator(n);
  }
  template <class... Args>
  reference emplace_front(Args&&... args) {
    return *emplace(begin(), std::forward<Args>(args)...);
  }
  template <class... Args>
  reference emplace_back(Args&&... args) {
    return *emplace(end(), std::forward<Args>(args)...);
  }
  void push_front(const T& v) { emplace(begin(), v); }
  void push_front(T&& v) { emplace(begin(), std::move(v)); }
  void push_back(const T& v) { emplace(end(), v); }
  void push_back(T&& v) { emplace(end(), std::move(v)); }
  void pop_front() noexcept { erase(begin()); }
  void pop_back() noexcept { erase(std::prev(end())); }

  iterator insert(const_iterator pos, const T& v) { return emplace(pos, v); }
  iterator insert(const_iterator pos, T&& v) { return emplace(pos, std::move(v)); }
  // The multi-element inserts build the new elements apart and splice them
  // in: if one throws, the list is unchanged. Their nodes come in one burst
  // (allocate_individual) when the allocator has version 2 and the count is
  // known.
  iterator insert(const_iterator pos, size_type n, const T& v) {
    list tmp(alloc());
    containers_detail::node_burst<node_alloc> burst(tmp.alloc_, n);
    for (; n > 0; --n) tmp.emplace_from(burst, tmp.end(), v);
    return splice_all(pos, tmp);
  }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  iterator insert(const_iterator pos, InputIt first, InputIt last) {
    list tmp(alloc());
    containers_detail::node_burst<node_alloc> burst(tmp.alloc_,
                                                    containers_detail::burst_count(first, last));
    for (; first != last; ++first) tmp.emplace_from(burst, tmp.end(), *first);
    return splice_all(pos, tmp);
  }
  iterator insert(const_iterator pos, std::initializer_list<T> il) {
    return insert(pos, il.begin(), il.end());
  }

  iterator erase(const_iterator pos) noexcept {
    base* n = pos.node_base();
    base* next = n->next();
    unhook(n, n);
    --size_;
    containers_detail::delete_node(alloc_, static_cast<node*>(n));
    return iterator(next);
  }
  iterator erase(const_iterator first, const_iterator last) noexcept {
    while (first != last) first = erase(first);
    return iterator(last.node_base());
  }
  // Gives every node back in one deallocate_individual call when the
  // allocator has version 2.
  void clear() noexcept {
    containers_detail::node_release<node_alloc> release(alloc_);
    base* n = header_.next();
    while (n != &header_) {
      base* next = n->next();
      release.add(static_cast<node*>(n));
      n = next;
    }
    reset();
  }

  void resize(size_type n) { resize_impl(n); }
  void resize(size_type n, const T& v) { resize_impl(n, v); }

  void swap(list& o) noexcept {
    containers_detail::swap_allocators(alloc_, o.alloc_);
    list tmp(alloc());
    tmp.steal(o);
    o.steal(*this);
    steal(tmp);
  }

  // The splices move nodes, never values; the lists' allocators must be equal.
  void splice(const_iterator pos, list& o) noexcept { splice_all(pos, o); }
  void splice(const_iterator pos, list&& o) noexcept { splice_all(pos, o); }
  void splice(const_iterator pos, list& o, const_iterator it) noexcept {
    splice(pos, o, it, std::next(it));
  }
  void splice(const_iterator pos, list&& o, const_iterator it) noexcept { splice(pos, o, it); }
  void splice(const_iterator pos, list& o, const_iterator first, const_iterator last) noexcept {
    if (first == last) return;
    base* f = first.node_base();
    base* l = last.node_base()->prev();
    if (&o != this) {
      const size_type n = static_cast<size_type>(std::distance(first, last));
      o.size_ -= n;
      size_ += n;
    } else if (pos == last) {
      return;
    }
    unhook(f, l);
    hook_range(f, l, pos.node_base());
  }
  void splice(const_iterator pos, list&& o, const_iterator first, const_iterator last) noexcept {
    splice(pos, o, first, last);
  }

  void remove(const T& v) {
    remove_if([&](const T& x) { return x == v; });
  }
  template <class Pred>
  void remove_if(Pred pred) {
    // Erased elements go to a side list first: `v` may be one of them.
    list gone(alloc());
    for (iterator it = begin(); it != end();) {
      iterator next = std::next(it);
      if (pred(*it)) gone.splice(gone.end(), *this, it);
      it = next;
    }
  }
  void unique() { unique(std::equal_to<T>()); }
  template <class BinaryPred>
  void unique(BinaryPred pred) {
    list gone(alloc());
    if (empty()) return;
    iterator prev = begin();
    for (iterator it = std::next(prev); it != end();) {
      iterator next = std::next(it);
      if (pred(*prev, *it)) {
        gone.splice(gone.end(), *this, it);
      } else {
        prev = it;
      }
      it = next;
    }
  }
  void merge(list& o) { merge(o, std::less<T>()); }
  void merge(list&& o) { merge(o, std::less<T>()); }
  template <class Compare>
  void merge(list&& o, Compare comp) {
    merge(o, comp);
  }
  // Stable: of equal elements, this list's come first.
  template <class Compare>
  void merge(list& o, Compare comp) {
    if (&o == this) return;
    iterator it = begin();
    while (!o.empty()) {
      while (it != end() && !comp(*o.begin(), *it)) ++it;
      if (it == end()) {
        splice_all(end(), o);
        return;
      }
      // The run of o's elements that go before *it.
      iterator last = std::next(o.begin());
      while (last != o.end() && comp(*last, *it)) ++last;
      splice(it, o, o.begin(), last);
    }
  }
  void sort() { sort(std::less<T>()); }
  // A stable merge sort that relinks nodes and never copies values.
  template <class Compare>
  void sort(Compare comp) {
    if (size_ < 2) return;
    list right(alloc());
    right.splice(right.end(), *this, std::next(begin(), static_cast<difference_type>(size_ / 2)),
                 end());
    sort(comp);
    right.sort(comp);
    merge(right, comp);
  }
  void reverse() noexcept {
    base* n = &header_;
    do {
      base* next = n->next();
      n->next_ = n->prev();
      n->prev_ = next;
      n = next;
    } while (n != &header_);
  }

  friend void swap(list& a, list& b) noexcept { a.swap(b); }

  // Checks the links both ways and the size: for tests and the fuzzer.
  bool check_invariants() const noexcept {
    size_type n = 0;
    const base* p = &header_;
    for (const base* x = header_.next(); x != &header_; p = x, x = x->next()) {
      if (x == nullptr || x->prev() != p || ++n > size_) return false;
    }
    return header_.prev() == p && n == size_;
  }

 private:
  Allocator alloc() const { return Allocator(alloc_); }

  template <class F>
  void guarded(F f) {
    try {
      f();
    } catch (...) {
      clear();
      throw;
    }
  }
  // Grows by building the new elements apart: if one throws, the list is
  // unchanged.
  template <class... Args>
  void resize_impl(size_type n, const Args&... args) {
    if (n <= size_) {
      erase(std::next(begin(), static_cast<difference_type>(n)), end());
      return;
    }
    list tmp(alloc());
    containers_detail::node_burst<node_alloc> burst(tmp.alloc_, n - size_);
    while (tmp.size_ < n - size_) tmp.emplace_from(burst, tmp.end(), args...);
    splice_all(end(), tmp);
  }

  template <class... Args>
  void emplace_from(containers_detail::node_burst<node_alloc>& burst, const_iterator pos,
                    Args&&... args) {
    node* n = containers_detail::new_node_from<node>(burst, alloc(), std::forward<Args>(args)...);
    hook(n, pos.node_base());
    ++size_;
  }

  void reset() noexcept {
    header_.next_ = &header_;
    header_.prev_ = &header_;
    size_ = 0;
  }
  // Takes o's nodes; this list must be empty.
  void steal(list& o) noexcept {
    if (o.size_ == 0) return;
    header_.next_ = o.header_.next();
    header_.prev_ = o.header_.prev();
    header_.next()->prev_ = &header_;
    header_.prev()->next_ = &header_;
    size_ = o.size_;
    o.reset();
  }
  iterator splice_all(const_iterator pos, list& o) noexcept {
    if (o.empty()) return iterator(pos.node_base());
    base* f = o.header_.next();
    base* l = o.header_.prev();
    size_ += o.size_;
    o.reset();
    hook_range(f, l, pos.node_base());
    return iterator(f);
  }
  static void hook(base* n, base* before) noexcept { hook_range(n, n, before); }
  static void hook_range(base* f, base* l, base* before) noexcept {
    base* after = before->prev();
    after->next_ = f;
    f->prev_ = after;
    l->next_ = before;
    before->prev_ = l;
  }
  static void unhook(base* f, base* l) noexcept {
    base* before = f->prev();
    base* after = l->next();
    before->next_ = after;
    after->prev_ = before;
  }

  node_alloc alloc_;
  base header_;
  size_type size_ = 0;
};

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_LIST_HPP_
