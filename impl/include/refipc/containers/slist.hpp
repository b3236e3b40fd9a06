// slist: a singly linked list whose links are the allocator's pointers (see
// list.hpp). The interface is std::forward_list's, plus size() in constant
// time, push_back (the last node is tracked) and previous().
#ifndef REFIPC_CONTAINERS_SLIST_HPP_
#define REFIPC_CONTAINERS_SLIST_HPP_

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
struct slist_node_base {
  using link = rebind_ptr_t<VoidPointer, slist_node_base>;
  link next_;
  slist_node_base* next() const noexcept { return to_raw(next_); }
};

template <class T, class VoidPointer>
struct slist_node : slist_node_base<VoidPointer> {
  alignas(T) unsigned char storage[sizeof(T)];
  T* value_ptr() noexcept { return std::launder(reinterpret_cast<T*>(storage)); }
};

template <class T, class VoidPointer, bool Const>
class slist_iterator {
  using base = slist_node_base<VoidPointer>;
  using node = slist_node<T, VoidPointer>;

 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using pointer = std::conditional_t<Const, const T*, T*>;
  using reference = std::conditional_t<Const, const T&, T&>;

  slist_iterator() noexcept = default;
  explicit slist_iterator(base* n) noexcept : n_(n) {}
  template <bool C = Const, class = std::enable_if_t<C>>
  slist_iterator(const slist_iterator<T, VoidPointer, false>& o) noexcept  // NOLINT: implicit
      : n_(o.node_base()) {}

  reference operator*() const noexcept { return *static_cast<node*>(n_)->value_ptr(); }
  pointer operator->() const noexcept { return static_cast<node*>(n_)->value_ptr(); }
  slist_iterator& operator++() noexcept {
    n_ = n_->next();
    return *this;
  }
  slist_iterator operator++(int) noexcept {
    slist_iterator r = *this;
    n_ = n_->next();
    return r;
  }
  friend bool operator==(const slist_iterator& a, const slist_iterator& b) noexcept {
    return a.n_ == b.n_;
  }
  friend bool operator!=(const slist_iterator& a, const slist_iterator& b) noexcept {
    return a.n_ != b.n_;
  }
  base* node_base() const noexcept { return n_; }

 private:
  base* n_ = nullptr;
};

}  // namespace containers_detail

// end() is a null link; before_begin() is the header in the container.
template <class T, class Allocator>
class slist : public containers_detail::sequence_comparisons<slist<T, Allocator>> {
  using alloc_traits = std::allocator_traits<Allocator>;
  using void_ptr = containers_detail::void_pointer_t<Allocator>;
  using base = containers_detail::slist_node_base<void_ptr>;
  using node = containers_detail::slist_node<T, void_ptr>;
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
  using iterator = containers_detail::slist_iterator<T, void_ptr, false>;
  using const_iterator = containers_detail::slist_iterator<T, void_ptr, true>;

  slist() : slist(Allocator()) {}
  explicit slist(const Allocator& a) noexcept : alloc_(a) { reset(); }
  // The constructors of n elements take their nodes in one burst
  // (allocate_individual) when the allocator has version 2.
  explicit slist(size_type n, const Allocator& a = Allocator()) : slist(a) {
    guarded([&] {
      containers_detail::node_burst<node_alloc> burst(alloc_, n);
      for (; n > 0; --n) append_from(burst);
    });
  }
  slist(size_type n, const T& v, const Allocator& a = Allocator()) : slist(a) {
    guarded([&] {
      containers_detail::node_burst<node_alloc> burst(alloc_, n);
      for (; n > 0; --n) append_from(burst, v);
    });
  }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  slist(InputIt first, InputIt last, const Allocator& a = Allocator()) : slist(a) {
    guarded([&] {
      containers_detail::node_burst<node_alloc> burst(alloc_,
                                                      containers_detail::burst_count(first, last));
      for (; first != last; ++first) append_from(burst, *first);
    });
  }
  slist(std::initializer_list<T> il, const Allocator& a = Allocator())
      : slist(il.begin(), il.end(), a) {}
  slist(const slist& o)
      : slist(o.begin(), o.end(),
              alloc_traits::select_on_container_copy_construction(o.get_allocator())) {}
  slist(const slist& o, const Allocator& a) : slist(o.begin(), o.end(), a) {}
  slist(slist&& o) noexcept : alloc_(std::move(o.alloc_)) {
    reset();
    steal(o);
  }
  slist(slist&& o, const Allocator& a) : slist(a) {
    if (containers_detail::equal_allocators(alloc_, o.alloc_)) {
      steal(o);
    } else {
      guarded([&] {
        for (T& v : o) emplace_back(std::move(v));
      });
    }
  }
  ~slist() { clear(); }

  slist& operator=(const slist& o) {
    if (this == &o) return *this;
    if constexpr (containers_detail::pocca_v<node_alloc>) {
      if (!containers_detail::equal_allocators(alloc_, o.alloc_)) clear();
      alloc_ = o.alloc_;
    }
    assign(o.begin(), o.end());
    return *this;
  }
  slist& operator=(slist&& o) noexcept(containers_detail::pocma_v<node_alloc> ||
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
  slist& operator=(std::initializer_list<T> il) {
    assign(il.begin(), il.end());
    return *this;
  }

  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  void assign(InputIt first, InputIt last) {
    iterator prev = before_begin();
    iterator it = begin();
    for (; it != end() && first != last; ++it, ++first, ++prev) *it = *first;
    if (first == last) {
      erase_after(prev, end());
    } else {
      insert_after(prev, first, last);
    }
  }
  void assign(size_type n, const T& v) {
    clear();
    insert_after(before_begin(), n, v);
  }
  void assign(std::initializer_list<T> il) { assign(il.begin(), il.end()); }

  allocator_type get_allocator() const noexcept { return Allocator(alloc_); }

  iterator before_begin() noexcept { return iterator(&header_); }
  const_iterator before_begin() const noexcept {
    return const_iterator(const_cast<base*>(&header_));
  }
  const_iterator cbefore_begin() const noexcept { return before_begin(); }
  iterator begin() noexcept { return iterator(header_.next()); }
  const_iterator begin() const noexcept { return const_iterator(header_.next()); }
  const_iterator cbegin() const noexcept { return begin(); }
  iterator end() noexcept { return iterator(); }
  const_iterator end() const noexcept { return const_iterator(); }
  const_iterator cend() const noexcept { return end(); }

  bool empty() const noexcept { return size_ == 0; }
  size_type size() const noexcept { return size_; }
  size_type max_size() const noexcept {
    return std::allocator_traits<node_alloc>::max_size(alloc_);
  }

  reference front() { return *begin(); }
  const_reference front() const { return *begin(); }
  reference back() { return *iterator(last()); }
  const_reference back() const { return *const_iterator(last()); }

  // The element before `pos` (before_begin() for begin()); linear time.
  iterator previous(const_iterator pos) noexcept {
    base* p = &header_;
    while (p->next() != pos.node_base()) p = p->next();
    return iterator(p);
  }
  const_iterator previous(const_iterator pos) const noexcept {
    return const_cast<slist*>(this)->previous(pos);
  }

  template <class... Args>
  iterator emplace_after(const_iterator pos, Args&&... args) {
    node* n =
        containers_detail::new_node<node>(alloc_, Allocator(alloc_), std::forward<Args>(args)...);
    base* p = pos.node_base();
    n->next_ = p->next();
    p->next_ = n;
    if (p == last()) last_link_ = n;
    ++size_;
    return iterator(n);
  }
  template <class... Args>
  reference emplace_front(Args&&... args) {
    return *emplace_after(before_begin(), std::forward<Args>(args)...);
  }
  template <class... Args>
  reference emplace_back(Args&&... args) {
    return *emplace_after(const_iterator(last()), std::forward<Args>(args)...);
  }
  void push_front(const T& v) { emplace_front(v); }
  void push_front(T&& v) { emplace_front(std::move(v)); }
  void push_back(const T& v) { emplace_back(v); }
  void push_back(T&& v) { emplace_back(std::move(v)); }
  void pop_front() noexcept { erase_after(before_begin()); }

  iterator insert_after(const_iterator pos, const T& v) { return emplace_after(pos, v); }
  iterator insert_after(const_iterator pos, T&& v) { return emplace_after(pos, std::move(v)); }
  // The multi-element inserts build apart and splice: all or nothing. Their
  // nodes come in one burst when the allocator has version 2.
  iterator insert_after(const_iterator pos, size_type n, const T& v) {
    slist tmp(get_allocator());
    containers_detail::node_burst<node_alloc> burst(tmp.alloc_, n);
    for (; n > 0; --n) tmp.append_from(burst, v);
    return splice_all(pos, tmp);
  }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  iterator insert_after(const_iterator pos, InputIt first, InputIt last) {
    slist tmp(get_allocator());
    containers_detail::node_burst<node_alloc> burst(tmp.alloc_,
                                                    containers_detail::burst_count(first, last));
    for (; first != last; ++first) tmp.append_from(burst, *first);
    return splice_all(pos, tmp);
  }
  iterator insert_after(const_iterator pos, std::initializer_list<T> il) {
    return insert_after(pos, il.begin(), il.end());
  }

  iterator erase_after(const_iterator pos) noexcept {
    base* p = pos.node_base();
    base* n = p->next();
    p->next_ = n->next();
    if (n == last()) last_link_ = p;
    --size_;
    containers_detail::delete_node(alloc_, static_cast<node*>(n));
    return iterator(p->next());
  }
  iterator erase_after(const_iterator pos, const_iterator stop) noexcept {
    while (pos.node_base()->next() != stop.node_base()) erase_after(pos);
    return iterator(stop.node_base());
  }
  // Gives every node back in one deallocate_individual call when the
  // allocator has version 2.
  void clear() noexcept {
    containers_detail::node_release<node_alloc> release(alloc_);
    base* n = header_.next();
    while (n != nullptr) {
      base* next = n->next();
      release.add(static_cast<node*>(n));
      n = next;
    }
    reset();
  }

  void resize(size_type n) { resize_impl(n); }
  void resize(size_type n, const T& v) { resize_impl(n, v); }

  void swap(slist& o) noexcept {
    containers_detail::swap_allocators(alloc_, o.alloc_);
    slist tmp(get_allocator());
    tmp.steal(o);
    o.steal(*this);
    steal(tmp);
  }

  // Splices move nodes; the lists' allocators must be equal.
  void splice_after(const_iterator pos, slist& o) noexcept { splice_all(pos, o); }
  void splice_after(const_iterator pos, slist&& o) noexcept { splice_all(pos, o); }
  // Moves the element after `it`.
  void splice_after(const_iterator pos, slist& o, const_iterator it) noexcept {
    splice_after(pos, o, it, std::next(it, 2));
  }
  void splice_after(const_iterator pos, slist&& o, const_iterator it) noexcept {
    splice_after(pos, o, it);
  }
  // Moves the open range (first, last).
  void splice_after(const_iterator pos, slist& o, const_iterator first,
                    const_iterator stop) noexcept {
    base* f = first.node_base();
    base* p = pos.node_base();
    if (f->next() == stop.node_base() || p == f) return;
    base* l = f;
    size_type n = 0;
    while (l->next() != stop.node_base()) {
      l = l->next();
      ++n;
    }
    if (p == l) return;
    if (l == o.last()) o.last_link_ = f;
    base* first_moved = f->next();
    f->next_ = l->next();
    l->next_ = p->next();
    p->next_ = first_moved;
    if (p == last()) last_link_ = l;
    o.size_ -= n;
    size_ += n;
  }
  void splice_after(const_iterator pos, slist&& o, const_iterator first,
                    const_iterator last) noexcept {
    splice_after(pos, o, first, last);
  }

  void remove(const T& v) {
    remove_if([&](const T& x) { return x == v; });
  }
  template <class Pred>
  void remove_if(Pred pred) {
    // Erased elements go to a side list first: `v` may be one of them.
    slist gone(get_allocator());
    base* p = &header_;
    while (p->next() != nullptr) {
      if (pred(*static_cast<node*>(p->next())->value_ptr())) {
        gone.splice_after(gone.before_begin(), *this, const_iterator(p));
      } else {
        p = p->next();
      }
    }
  }
  void unique() { unique(std::equal_to<T>()); }
  template <class BinaryPred>
  void unique(BinaryPred pred) {
    slist gone(get_allocator());
    if (empty()) return;
    base* p = header_.next();
    while (p->next() != nullptr) {
      if (pred(*static_cast<node*>(p)->value_ptr(), *static_cast<node*>(p->next())->value_ptr())) {
        gone.splice_after(gone.before_begin(), *this, const_iterator(p));
      } else {
        p = p->next();
      }
    }
  }
  void merge(slist& o) { merge(o, std::less<T>()); }
  void merge(slist&& o) { merge(o, std::less<T>()); }
  template <class Compare>
  void merge(slist&& o, Compare comp) {
    merge(o, comp);
  }
  // Stable: of equal elements, this list's come first.
  template <class Compare>
  void merge(slist& o, Compare comp) {
    if (&o == this) return;
    base* p = &header_;
    while (!o.empty()) {
      while (p->next() != nullptr &&
             !comp(o.front(), *static_cast<node*>(p->next())->value_ptr())) {
        p = p->next();
      }
      if (p->next() == nullptr) {
        splice_all(const_iterator(p), o);
        return;
      }
      splice_after(const_iterator(p), o, o.before_begin());
      p = p->next();
    }
  }
  void sort() { sort(std::less<T>()); }
  // A stable merge sort that relinks nodes and never copies values.
  template <class Compare>
  void sort(Compare comp) {
    if (size_ < 2) return;
    slist right(get_allocator());
    iterator mid = std::next(begin(), static_cast<difference_type>(size_ / 2 - 1));
    right.splice_after(right.before_begin(), *this, mid, end());
    sort(comp);
    right.sort(comp);
    merge(right, comp);
  }
  void reverse() noexcept {
    base* prev = nullptr;
    base* n = header_.next();
    last_link_ = n == nullptr ? &header_ : n;
    while (n != nullptr) {
      base* next = n->next();
      n->next_ = prev;
      prev = n;
      n = next;
    }
    header_.next_ = prev;
  }

  friend void swap(slist& a, slist& b) noexcept { a.swap(b); }

  // Checks the count and the tracked last node: for tests and the fuzzer.
  bool check_invariants() const noexcept {
    size_type n = 0;
    const base* p = &header_;
    for (; p->next() != nullptr; p = p->next()) {
      if (++n > size_) return false;
    }
    return n == size_ && p == last();
  }

 private:
  template <class F>
  void guarded(F f) {
    try {
      f();
    } catch (...) {
      clear();
      throw;
    }
  }
  template <class... Args>
  void resize_impl(size_type n, const Args&... args) {
    if (n <= size_) {
      iterator prev = n == 0 ? before_begin() : std::next(begin(), n - 1);
      erase_after(prev, end());
      return;
    }
    slist tmp(get_allocator());
    containers_detail::node_burst<node_alloc> burst(tmp.alloc_, n - size_);
    while (tmp.size_ < n - size_) tmp.append_from(burst, args...);
    splice_all(const_iterator(last()), tmp);
  }
  template <class... Args>
  void append_from(containers_detail::node_burst<node_alloc>& burst, Args&&... args) {
    node* n = containers_detail::new_node_from<node>(burst, Allocator(alloc_),
                                                     std::forward<Args>(args)...);
    base* l = last();
    n->next_ = nullptr;
    l->next_ = n;
    last_link_ = n;
    ++size_;
  }
  base* last() const noexcept { return containers_detail::to_raw(last_link_); }
  void reset() noexcept {
    header_.next_ = nullptr;
    last_link_ = &header_;
    size_ = 0;
  }
  void steal(slist& o) noexcept {
    if (o.size_ == 0) return;
    header_.next_ = o.header_.next();
    last_link_ = o.last();
    size_ = o.size_;
    o.reset();
  }
  iterator splice_all(const_iterator pos, slist& o) noexcept {
    if (o.empty()) return iterator(pos.node_base());
    base* p = pos.node_base();
    base* f = o.header_.next();
    base* l = o.last();
    l->next_ = p->next();
    p->next_ = f;
    if (p == last()) last_link_ = l;
    size_ += o.size_;
    o.reset();
    return iterator(l);
  }

  node_alloc alloc_;
  base header_;
  // The last node, or the header when empty; a link like the others, so it
  // holds in every process.
  typename base::link last_link_;
  size_type size_ = 0;
};

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_SLIST_HPP_
