// multiallocation_chain<T, VoidPointer>: buffers of T handed out or taken
// back in a batch by the allocators' allocate_individual/allocate_many, in
// the form Boost.Container's version 2 containers drive (before_begin, last,
// splice_after, incorporate_after, extract_data).
#ifndef REFIPC_ALLOCATORS_DETAIL_MULTIALLOCATION_CHAIN_HPP_
#define REFIPC_ALLOCATORS_DETAIL_MULTIALLOCATION_CHAIN_HPP_

#include <cstddef>
#include <iterator>
#include <new>
#include <utility>

#include "refipc/detail/segment/raw_pointer.hpp"

namespace refipc::allocators_detail {

// A singly linked list threaded through the first bytes of each buffer (a
// VoidPointer link, so buffers in a segment stay valid links at any mapping
// address). The chain object holds the before-the-first link, a raw pointer
// to the last link and the count. Every buffer must hold at least a
// VoidPointer. Movable, not copyable; dropping a chain frees nothing.
template <class T, class VoidPointer>
class multiallocation_chain {
  struct link {
    VoidPointer next;
  };

 public:
  using void_pointer = VoidPointer;
  using pointer = segment_detail::rebind_pointer_t<VoidPointer, T>;
  using size_type = std::size_t;
  using pointer_pair = std::pair<pointer, pointer>;

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = T*;
    using reference = T&;

    iterator() = default;
    T& operator*() const { return *reinterpret_cast<T*>(link_); }
    T* operator->() const { return reinterpret_cast<T*>(link_); }
    iterator& operator++() {
      link_ = next_of(link_);
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(iterator a, iterator b) { return a.link_ == b.link_; }
    friend bool operator!=(iterator a, iterator b) { return a.link_ != b.link_; }

   private:
    friend class multiallocation_chain;
    explicit iterator(link* l) : link_(l) {}
    link* link_ = nullptr;
  };

  multiallocation_chain() noexcept = default;
  multiallocation_chain(multiallocation_chain&& other) noexcept { swap(other); }
  multiallocation_chain& operator=(multiallocation_chain&& other) noexcept {
    multiallocation_chain tmp(std::move(other));
    swap(tmp);
    return *this;
  }
  multiallocation_chain(const multiallocation_chain&) = delete;
  multiallocation_chain& operator=(const multiallocation_chain&) = delete;

  bool empty() const noexcept { return size_ == 0; }
  size_type size() const noexcept { return size_; }

  iterator before_begin() noexcept { return iterator(&head_); }
  iterator begin() noexcept { return iterator(next_of(&head_)); }
  iterator end() noexcept { return iterator(); }
  // The last buffer, or before_begin() when empty.
  iterator last() noexcept { return iterator(last_link()); }
  static iterator iterator_to(const pointer& p) noexcept {
    return iterator(reinterpret_cast<link*>(segment_detail::raw(p)));
  }

  void push_front(const pointer& p) { insert_after(before_begin(), p); }
  void push_back(const pointer& p) { insert_after(last(), p); }
  iterator insert_after(iterator pos, const pointer& p) {
    link* l = ::new (static_cast<void*>(segment_detail::raw(p))) link;
    l->next = pos.link_->next;
    pos.link_->next = static_cast<void*>(l);
    if (pos.link_ == last_link()) last_ = l;
    ++size_;
    return iterator(l);
  }
  // Unlinks and returns the first buffer. Precondition: !empty().
  pointer pop_front() noexcept {
    link* first = next_of(&head_);
    head_.next = first->next;
    if (--size_ == 0) last_ = nullptr;
    return pointer(reinterpret_cast<T*>(first));
  }

  // Links the n buffers first..last_in_range, already linked to one another
  // through their first bytes (as extract_data() leaves them), after pos.
  void incorporate_after(iterator pos, const pointer& first, const pointer& last_in_range,
                         size_type n) noexcept {
    if (n == 0) return;
    link* f = reinterpret_cast<link*>(segment_detail::raw(first));
    link* l = reinterpret_cast<link*>(segment_detail::raw(last_in_range));
    l->next = pos.link_->next;
    pos.link_->next = static_cast<void*>(f);
    if (pos.link_ == last_link()) last_ = l;
    size_ += n;
  }
  // Moves the n buffers after before_first up to and including
  // last_in_range from other to after pos.
  void splice_after(iterator pos, multiallocation_chain& other, iterator before_first,
                    iterator last_in_range, size_type n) noexcept {
    if (n == 0) return;
    link* f = next_of(before_first.link_);
    link* l = last_in_range.link_;
    if (l == other.last_link())
      other.last_ = before_first.link_ == &other.head_ ? nullptr : before_first.link_;
    before_first.link_->next = l->next;
    other.size_ -= n;
    incorporate_after(pos, pointer(reinterpret_cast<T*>(f)), pointer(reinterpret_cast<T*>(l)), n);
  }
  // The first and last buffers, still linked to one another; the chain is
  // left empty.
  pointer_pair extract_data() noexcept {
    pointer_pair r(pointer(reinterpret_cast<T*>(next_of(&head_))),
                   pointer(reinterpret_cast<T*>(last_)));
    clear();
    return r;
  }
  // Forgets every buffer (frees nothing).
  void clear() noexcept {
    head_.next = nullptr;
    last_ = nullptr;
    size_ = 0;
  }
  void swap(multiallocation_chain& other) noexcept {
    link* mine = next_of(&head_);
    head_.next = static_cast<void*>(next_of(&other.head_));
    other.head_.next = static_cast<void*>(mine);
    std::swap(last_, other.last_);
    std::swap(size_, other.size_);
  }
  friend void swap(multiallocation_chain& a, multiallocation_chain& b) noexcept { a.swap(b); }

 private:
  static link* next_of(link* l) noexcept {
    return static_cast<link*>(segment_detail::raw(l->next));
  }
  link* last_link() noexcept { return last_ ? last_ : &head_; }

  link head_{VoidPointer()};
  link* last_ = nullptr;  // null when empty, so a moved chain needs no fix-up
  size_type size_ = 0;
};

}  // namespace refipc::allocators_detail

#endif  // REFIPC_ALLOCATORS_DETAIL_MULTIALLOCATION_CHAIN_HPP_
