// basic_multiallocation_chain: the buffers returned by allocate_many, linked
// through their own first bytes so that the chain needs no memory of its own.
#ifndef REFIPC_MEM_ALGO_DETAIL_MULTIALLOCATION_CHAIN_HPP_
#define REFIPC_MEM_ALGO_DETAIL_MULTIALLOCATION_CHAIN_HPP_

#include <cstddef>
#include <iterator>
#include <memory>
#include <new>
#include <utility>

namespace refipc::mem_algo_detail {

// A singly linked list of buffers, each at least sizeof(VoidPointer) bytes.
// Links are VoidPointer, so a chain of offset_ptr links may itself live in
// shared memory. Movable, not copyable; dropping a chain frees nothing.
template <class VoidPointer>
class basic_multiallocation_chain {
  struct node;
  using node_ptr = typename std::pointer_traits<VoidPointer>::template rebind<node>;
  struct node {
    node_ptr next;
  };

 public:
  using void_pointer = VoidPointer;
  using size_type = std::size_t;

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = void*;
    using difference_type = std::ptrdiff_t;
    using pointer = void* const*;
    using reference = void*;

    iterator() = default;
    void* operator*() const { return node_; }
    iterator& operator++() {
      node_ = to_raw(node_->next);
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(iterator a, iterator b) { return a.node_ == b.node_; }
    friend bool operator!=(iterator a, iterator b) { return a.node_ != b.node_; }

   private:
    friend class basic_multiallocation_chain;
    explicit iterator(node* n) : node_(n) {}
    node* node_ = nullptr;
  };

  basic_multiallocation_chain() = default;
  basic_multiallocation_chain(basic_multiallocation_chain&& other) noexcept { swap(other); }
  basic_multiallocation_chain& operator=(basic_multiallocation_chain&& other) noexcept {
    basic_multiallocation_chain tmp(std::move(other));
    swap(tmp);
    return *this;
  }
  basic_multiallocation_chain(const basic_multiallocation_chain&) = delete;
  basic_multiallocation_chain& operator=(const basic_multiallocation_chain&) = delete;

  bool empty() const noexcept { return size_ == 0; }
  size_type size() const noexcept { return size_; }
  void* front() const noexcept { return to_raw(head_); }
  void* back() const noexcept { return to_raw(tail_); }
  iterator begin() const noexcept { return iterator(to_raw(head_)); }
  iterator end() const noexcept { return iterator(); }

  void push_front(void* buffer) {
    node* n = ::new (buffer) node;
    n->next = head_;
    head_ = n;
    if (!tail_) tail_ = n;
    ++size_;
  }
  void push_back(void* buffer) {
    node* n = ::new (buffer) node;
    n->next = nullptr;
    if (tail_) {
      to_raw(tail_)->next = n;
    } else {
      head_ = n;
    }
    tail_ = n;
    ++size_;
  }
  // Unlinks and returns the first buffer. Precondition: !empty().
  void* pop_front() noexcept {
    node* n = to_raw(head_);
    head_ = n->next;
    if (!head_) tail_ = nullptr;
    --size_;
    return n;
  }
  // Forgets every buffer (frees nothing).
  void clear() noexcept {
    head_ = nullptr;
    tail_ = nullptr;
    size_ = 0;
  }
  // Moves every buffer of other to the end of this chain.
  void splice_back(basic_multiallocation_chain& other) noexcept {
    if (other.empty()) return;
    if (tail_) {
      to_raw(tail_)->next = other.head_;
    } else {
      head_ = other.head_;
    }
    tail_ = other.tail_;
    size_ += other.size_;
    other.clear();
  }
  void swap(basic_multiallocation_chain& other) noexcept {
    node* h = to_raw(head_);
    node* t = to_raw(tail_);
    head_ = to_raw(other.head_);
    tail_ = to_raw(other.tail_);
    other.head_ = h;
    other.tail_ = t;
    std::swap(size_, other.size_);
  }

 private:
  static node* to_raw(node* p) noexcept { return p; }
  template <class P>
  static node* to_raw(const P& p) noexcept {
    return p ? std::addressof(*p) : nullptr;
  }

  node_ptr head_ = nullptr;
  node_ptr tail_ = nullptr;
  size_type size_ = 0;
};

}  // namespace refipc::mem_algo_detail

#endif  // REFIPC_MEM_ALGO_DETAIL_MULTIALLOCATION_CHAIN_HPP_
