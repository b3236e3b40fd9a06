// deque<T, Allocator>: std::deque's interface over fixed-size blocks of
// elements listed in a map, block and map both held through the allocator's
// pointer type, so that a deque in a managed segment is valid at any mapping
// address.
#ifndef REFIPC_CONTAINERS_DEQUE_HPP_
#define REFIPC_CONTAINERS_DEQUE_HPP_

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "refipc/containers/containers_fwd.hpp"
#include "refipc/containers/detail/allocator_ops.hpp"
#include "refipc/containers/detail/sequence_comparisons.hpp"
#include "refipc/containers/detail/uses_allocator.hpp"

namespace refipc {
namespace containers_detail {

// A position in a deque: the deque and an index from its front. Valid until
// the deque's next insertion or erasure, as the standard allows.
template <class Deque, class Elem>
class deque_iterator {
 public:
  using iterator_category = std::random_access_iterator_tag;
  using value_type = std::remove_const_t<Elem>;
  using difference_type = std::ptrdiff_t;
  using pointer = Elem*;
  using reference = Elem&;

  deque_iterator() noexcept = default;
  deque_iterator(Deque* d, std::size_t i) noexcept : d_(d), i_(i) {}
  template <class D, class E,
            class = std::enable_if_t<std::is_const<Elem>::value && !std::is_const<E>::value>>
  deque_iterator(const deque_iterator<D, E>& other) noexcept  // NOLINT: implicit
      : d_(other.owner()), i_(other.index()) {}

  Deque* owner() const noexcept { return d_; }
  std::size_t index() const noexcept { return i_; }

  reference operator*() const noexcept { return (*d_)[i_]; }
  pointer operator->() const noexcept { return std::addressof((*d_)[i_]); }
  reference operator[](difference_type n) const noexcept { return (*d_)[i_ + n]; }
  deque_iterator& operator++() noexcept {
    ++i_;
    return *this;
  }
  deque_iterator operator++(int) noexcept { return deque_iterator(d_, i_++); }
  deque_iterator& operator--() noexcept {
    --i_;
    return *this;
  }
  deque_iterator operator--(int) noexcept { return deque_iterator(d_, i_--); }
  deque_iterator& operator+=(difference_type n) noexcept {
    i_ += n;
    return *this;
  }
  deque_iterator& operator-=(difference_type n) noexcept {
    i_ -= n;
    return *this;
  }
  friend deque_iterator operator+(deque_iterator it, difference_type n) noexcept { return it += n; }
  friend deque_iterator operator+(difference_type n, deque_iterator it) noexcept { return it += n; }
  friend deque_iterator operator-(deque_iterator it, difference_type n) noexcept { return it -= n; }

 private:
  Deque* d_ = nullptr;
  std::size_t i_ = 0;
};

template <class D1, class E1, class D2, class E2>
std::ptrdiff_t operator-(const deque_iterator<D1, E1>& a,
                         const deque_iterator<D2, E2>& b) noexcept {
  return static_cast<std::ptrdiff_t>(a.index()) - static_cast<std::ptrdiff_t>(b.index());
}
template <class D1, class E1, class D2, class E2>
bool operator==(const deque_iterator<D1, E1>& a, const deque_iterator<D2, E2>& b) noexcept {
  return a.index() == b.index();
}
template <class D1, class E1, class D2, class E2>
bool operator!=(const deque_iterator<D1, E1>& a, const deque_iterator<D2, E2>& b) noexcept {
  return a.index() != b.index();
}
template <class D1, class E1, class D2, class E2>
bool operator<(const deque_iterator<D1, E1>& a, const deque_iterator<D2, E2>& b) noexcept {
  return a.index() < b.index();
}
template <class D1, class E1, class D2, class E2>
bool operator>(const deque_iterator<D1, E1>& a, const deque_iterator<D2, E2>& b) noexcept {
  return a.index() > b.index();
}
template <class D1, class E1, class D2, class E2>
bool operator<=(const deque_iterator<D1, E1>& a, const deque_iterator<D2, E2>& b) noexcept {
  return a.index() <= b.index();
}
template <class D1, class E1, class D2, class E2>
bool operator>=(const deque_iterator<D1, E1>& a, const deque_iterator<D2, E2>& b) noexcept {
  return a.index() >= b.index();
}

}  // namespace containers_detail

// Element g of the "global" sequence lives in block g / kBlock at g % kBlock;
// the elements are the global positions [start_, start_ + size_). A block is
// allocated while it holds an element and freed when it holds none. Growth at
// either end gives the strong guarantee; inserts in the middle go to the
// nearer end and rotate into place.
template <class T, class Allocator>
class deque : public containers_detail::sequence_comparisons<deque<T, Allocator>> {
  using alloc_traits = std::allocator_traits<Allocator>;
  using block_pointer = typename alloc_traits::pointer;
  using map_allocator = typename alloc_traits::template rebind_alloc<block_pointer>;
  using map_traits = std::allocator_traits<map_allocator>;
  using map_pointer = typename map_traits::pointer;
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
  using iterator = containers_detail::deque_iterator<deque, T>;
  using const_iterator = containers_detail::deque_iterator<const deque, const T>;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  deque() noexcept(std::is_nothrow_default_constructible<Allocator>::value) : deque(Allocator()) {}
  explicit deque(const Allocator& a) noexcept : alloc_(a) {}
  explicit deque(size_type n, const Allocator& a = Allocator()) : alloc_(a) {
    guard g(*this);
    resize(n);
    g.release();
  }
  deque(size_type n, const T& value, const Allocator& a = Allocator()) : alloc_(a) {
    guard g(*this);
    insert(end(), n, value);
    g.release();
  }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  deque(InputIt first, InputIt last, const Allocator& a = Allocator()) : alloc_(a) {
    guard g(*this);
    insert(end(), first, last);
    g.release();
  }
  deque(std::initializer_list<T> il, const Allocator& a = Allocator())
      : deque(il.begin(), il.end(), a) {}
  deque(const deque& other)
      : deque(other.begin(), other.end(),
              alloc_traits::select_on_container_copy_construction(other.alloc_)) {}
  deque(const deque& other, const Allocator& a) : deque(other.begin(), other.end(), a) {}
  deque(deque&& other) noexcept : alloc_(std::move(other.alloc_)) { steal(other); }
  deque(deque&& other, const Allocator& a) : alloc_(a) {
    if (alloc_ == other.alloc_) {
      steal(other);
    } else {
      guard g(*this);
      insert(end(), std::make_move_iterator(other.begin()), std::make_move_iterator(other.end()));
      g.release();
    }
  }
  ~deque() { release(); }

  deque& operator=(const deque& other) {
    if (this == &other) return *this;
    if (alloc_traits::propagate_on_container_copy_assignment::value && alloc_ != other.alloc_) {
      release();
    }
    containers_detail::copy_assign_allocator(alloc_, other.alloc_);
    assign(other.begin(), other.end());
    return *this;
  }
  deque& operator=(deque&& other) noexcept(
      alloc_traits::propagate_on_container_move_assignment::value ||
      alloc_traits::is_always_equal::value) {
    if (this == &other) return *this;
    if (containers_detail::can_steal_on_move(alloc_, other.alloc_)) {
      release();
      containers_detail::move_assign_allocator(alloc_, other.alloc_);
      steal(other);
    } else {
      assign(std::make_move_iterator(other.begin()), std::make_move_iterator(other.end()));
    }
    return *this;
  }
  deque& operator=(std::initializer_list<T> il) {
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
    const size_type common = std::min(n, size_);
    std::fill_n(begin(), common, value);
    if (n > size_) {
      insert(end(), n - size_, value);
    } else {
      erase(begin() + n, end());
    }
  }
  void assign(std::initializer_list<T> il) { assign(il.begin(), il.end()); }

  allocator_type get_allocator() const noexcept { return alloc_; }

  iterator begin() noexcept { return iterator(this, 0); }
  const_iterator begin() const noexcept { return const_iterator(this, 0); }
  iterator end() noexcept { return iterator(this, size_); }
  const_iterator end() const noexcept { return const_iterator(this, size_); }
  reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
  const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
  reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
  const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }
  const_iterator cbegin() const noexcept { return begin(); }
  const_iterator cend() const noexcept { return end(); }
  const_reverse_iterator crbegin() const noexcept { return rbegin(); }
  const_reverse_iterator crend() const noexcept { return rend(); }

  bool empty() const noexcept { return size_ == 0; }
  size_type size() const noexcept { return size_; }
  size_type max_size() const noexcept {
    return std::min<size_type>(alloc_traits::max_size(alloc_),
                               std::numeric_limits<difference_type>::max() / sizeof(T));
  }
  // Blocks are freed as they empty; this gives back an oversized map.
  void shrink_to_fit() {
    if (size_ == 0) release();
  }

  reference operator[](size_type i) noexcept { return *slot(start_ + i); }
  const_reference operator[](size_type i) const noexcept { return *slot(start_ + i); }
  reference at(size_type i) {
    if (i >= size_) throw std::out_of_range("refipc::deque::at");
    return (*this)[i];
  }
  const_reference at(size_type i) const {
    if (i >= size_) throw std::out_of_range("refipc::deque::at");
    return (*this)[i];
  }
  reference front() noexcept { return (*this)[0]; }
  const_reference front() const noexcept { return (*this)[0]; }
  reference back() noexcept { return (*this)[size_ - 1]; }
  const_reference back() const noexcept { return (*this)[size_ - 1]; }

  template <class... Args>
  reference emplace_back(Args&&... args) {
    if (map_size_ == 0 || start_ + size_ == map_size_ * kBlock) grow_map();
    construct_at(start_ + size_, std::forward<Args>(args)...);
    ++size_;
    return back();
  }
  template <class... Args>
  reference emplace_front(Args&&... args) {
    if (map_size_ == 0 || start_ == 0) grow_map();
    construct_at(start_ - 1, std::forward<Args>(args)...);
    --start_;
    ++size_;
    return front();
  }
  void push_back(const T& v) { emplace_back(v); }
  void push_back(T&& v) { emplace_back(std::move(v)); }
  void push_front(const T& v) { emplace_front(v); }
  void push_front(T&& v) { emplace_front(std::move(v)); }
  void pop_back() noexcept {
    --size_;
    destroy_at(start_ + size_);
    after_shrink();
  }
  void pop_front() noexcept {
    destroy_at(start_);
    ++start_;
    --size_;
    after_shrink();
  }

  template <class... Args>
  iterator emplace(const_iterator pos, Args&&... args) {
    const size_type i = pos.index();
    if (i < size_ / 2) {
      emplace_front(std::forward<Args>(args)...);
      std::rotate(begin(), begin() + 1, begin() + i + 1);
    } else {
      emplace_back(std::forward<Args>(args)...);
      std::rotate(begin() + i, end() - 1, end());
    }
    return begin() + i;
  }
  iterator insert(const_iterator pos, const T& v) { return emplace(pos, v); }
  iterator insert(const_iterator pos, T&& v) { return emplace(pos, std::move(v)); }
  iterator insert(const_iterator pos, size_type n, const T& v) {
    const size_type i = pos.index();
    const size_type old = size_;
    try {
      for (size_type k = 0; k < n; ++k) emplace_back(v);
    } catch (...) {
      while (size_ > old) pop_back();
      throw;
    }
    std::rotate(begin() + i, begin() + old, end());
    return begin() + i;
  }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  iterator insert(const_iterator pos, InputIt first, InputIt last) {
    const size_type i = pos.index();
    const size_type old = size_;
    try {
      for (; first != last; ++first) emplace_back(*first);
    } catch (...) {
      while (size_ > old) pop_back();
      throw;
    }
    std::rotate(begin() + i, begin() + old, end());
    return begin() + i;
  }
  iterator insert(const_iterator pos, std::initializer_list<T> il) {
    return insert(pos, il.begin(), il.end());
  }

  iterator erase(const_iterator pos) { return erase(pos, pos + 1); }
  iterator erase(const_iterator first, const_iterator last) {
    const size_type i = first.index();
    const size_type n = last.index() - i;
    if (n == 0) return begin() + i;
    if (i < size_ - i - n) {  // fewer elements before: shift those
      std::move_backward(begin(), begin() + i, begin() + i + n);
      for (size_type k = 0; k < n; ++k) pop_front();
    } else {
      std::move(begin() + i + n, end(), begin() + i);
      for (size_type k = 0; k < n; ++k) pop_back();
    }
    return begin() + i;
  }
  void clear() noexcept {
    while (size_ != 0) pop_back();
  }
  void resize(size_type n) {
    const size_type old = size_;
    try {
      while (size_ < n) emplace_back();
    } catch (...) {
      while (size_ > old) pop_back();
      throw;
    }
    while (size_ > n) pop_back();
  }
  void resize(size_type n, const T& v) {
    if (n > size_) {
      insert(end(), n - size_, v);
    } else {
      erase(begin() + n, end());
    }
  }

  void swap(deque& other) noexcept {
    containers_detail::swap_allocators(alloc_, other.alloc_);
    std::swap(map_, other.map_);
    std::swap(map_size_, other.map_size_);
    std::swap(start_, other.start_);
    std::swap(size_, other.size_);
  }
  friend void swap(deque& a, deque& b) noexcept { a.swap(b); }

 private:
  static constexpr size_type kBlock = sizeof(T) < 128 ? 512 / sizeof(T) : 4;

  // Frees what a constructor built if it throws.
  struct guard {
    deque* d;
    explicit guard(deque& dq) : d(&dq) {}
    void release() { d = nullptr; }
    ~guard() {
      if (d) d->release();
    }
  };

  block_pointer* map_raw() const noexcept { return containers_detail::to_raw(map_); }
  T* slot(size_type g) const noexcept {
    return containers_detail::to_raw(map_raw()[g / kBlock]) + g % kBlock;
  }
  bool block_in_use(size_type b) const noexcept {
    return size_ != 0 && b >= start_ / kBlock && b <= (start_ + size_ - 1) / kBlock;
  }

  // Constructs at global position g, allocating its block if needed; on a
  // throw a block allocated for it is freed again.
  template <class... Args>
  void construct_at(size_type g, Args&&... args) {
    block_pointer& block = map_raw()[g / kBlock];
    const bool fresh = !block;
    if (fresh) block = alloc_traits::allocate(alloc_, kBlock);
    try {
      containers_detail::construct_with_allocator(alloc_, slot(g), std::forward<Args>(args)...);
    } catch (...) {
      if (fresh) {
        alloc_traits::deallocate(alloc_, block, kBlock);
        block = block_pointer();
      }
      throw;
    }
  }
  void destroy_at(size_type g) noexcept { alloc_traits::destroy(alloc_, slot(g)); }
  // Frees the blocks at either end that no longer hold an element.
  void after_shrink() noexcept {
    block_pointer* m = map_raw();
    if (size_ == 0) {
      for (size_type b = 0; b < map_size_; ++b) free_block(m[b]);
      start_ = map_size_ / 2 * kBlock;
      return;
    }
    const size_type first = start_ / kBlock;
    const size_type last = (start_ + size_ - 1) / kBlock;
    if (first > 0) free_block(m[first - 1]);
    if (last + 1 < map_size_) free_block(m[last + 1]);
  }
  void free_block(block_pointer& b) noexcept {
    if (b) {
      alloc_traits::deallocate(alloc_, b, kBlock);
      b = block_pointer();
    }
  }

  // Room for one more block at each end: recentres the blocks in the map,
  // or moves them to a map twice as large. On bad_alloc nothing changed.
  void grow_map() {
    const size_type used = size_ == 0 ? 0 : (start_ + size_ - 1) / kBlock - start_ / kBlock + 1;
    const size_type first = size_ == 0 ? 0 : start_ / kBlock;
    const size_type offset = start_ % kBlock;
    if (map_size_ != 0 && (used + 2) * 2 <= map_size_) {
      const size_type to = (map_size_ - used) / 2;
      block_pointer* m = map_raw();
      if (to < first) {
        std::move(m + first, m + first + used, m + to);
      } else {
        std::move_backward(m + first, m + first + used, m + to + used);
      }
      // Only the used blocks are ever allocated; clear the copies left behind.
      for (size_type b = 0; b < map_size_; ++b) {
        if (b < to || b >= to + used) m[b] = block_pointer();
      }
      start_ = size_ == 0 ? map_size_ / 2 * kBlock : to * kBlock + offset;
      return;
    }
    const size_type new_size = std::max<size_type>(8, map_size_ * 2);
    map_allocator ma(alloc_);
    map_pointer fresh = map_traits::allocate(ma, new_size);
    block_pointer* f = containers_detail::to_raw(fresh);
    for (size_type b = 0; b < new_size; ++b) map_traits::construct(ma, f + b);
    const size_type to = (new_size - used) / 2;
    for (size_type b = 0; b < used; ++b) f[to + b] = map_raw()[first + b];
    if (map_) {
      for (size_type b = 0; b < map_size_; ++b) map_traits::destroy(ma, map_raw() + b);
      map_traits::deallocate(ma, map_, map_size_);
    }
    map_ = fresh;
    map_size_ = new_size;
    start_ = size_ == 0 ? new_size / 2 * kBlock : to * kBlock + offset;
  }

  void release() noexcept {
    clear();
    if (!map_) return;
    map_allocator ma(alloc_);
    for (size_type b = 0; b < map_size_; ++b) {
      free_block(map_raw()[b]);
      map_traits::destroy(ma, map_raw() + b);
    }
    map_traits::deallocate(ma, map_, map_size_);
    map_ = map_pointer();
    map_size_ = start_ = 0;
  }
  void steal(deque& other) noexcept {
    map_ = other.map_;
    map_size_ = other.map_size_;
    start_ = other.start_;
    size_ = other.size_;
    other.map_ = map_pointer();
    other.map_size_ = other.start_ = other.size_ = 0;
  }

  Allocator alloc_;
  map_pointer map_ = map_pointer();
  size_type map_size_ = 0;
  size_type start_ = 0;
  size_type size_ = 0;
};

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_DEQUE_HPP_
