// flat_storage: the contiguous buffer under the flat containers. Only what a
// sorted vector needs: emplace at an index, erase a range, reserve, copy and
// move. The flat containers use nothing else, so it can be swapped for
// refipc::vector later. The buffer pointer is the allocator's pointer.
#ifndef REFIPC_CONTAINERS_DETAIL_FLAT_STORAGE_HPP_
#define REFIPC_CONTAINERS_DETAIL_FLAT_STORAGE_HPP_

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "refipc/containers/detail/container_alloc.hpp"
#include "refipc/containers/detail/uses_allocator.hpp"

namespace refipc {
namespace containers_detail {

// A T built by uses-allocator construction outside any container, so that a
// flat container can read its key before deciding where it goes.
template <class T>
class value_holder {
 public:
  template <class Alloc, class... Args>
  explicit value_holder(const Alloc& a, Args&&... args) {
    construct_with_allocator(a, ptr(), std::forward<Args>(args)...);
  }
  value_holder(const value_holder&) = delete;
  value_holder& operator=(const value_holder&) = delete;
  ~value_holder() { ptr()->~T(); }
  T* ptr() noexcept { return std::launder(reinterpret_cast<T*>(storage_)); }

 private:
  alignas(T) unsigned char storage_[sizeof(T)];
};

template <class T, class Allocator>
class flat_storage {
  using traits = std::allocator_traits<Allocator>;
  using pointer = typename traits::pointer;

 public:
  using size_type = typename traits::size_type;

  explicit flat_storage(const Allocator& a) noexcept : alloc_(a) {}
  flat_storage(const flat_storage& o, const Allocator& a) : alloc_(a) { copy_from(o); }
  flat_storage(flat_storage&& o) noexcept : alloc_(std::move(o.alloc_)) { take(o); }
  flat_storage(flat_storage&& o, const Allocator& a) : alloc_(a) {
    if (equal_allocators(alloc_, o.alloc_)) {
      take(o);
    } else {
      reserve(o.size_);
      for (size_type i = 0; i < o.size_; ++i) emplace_back_in_capacity(std::move(o.data()[i]));
    }
  }
  ~flat_storage() { release(); }

  flat_storage& operator=(const flat_storage& o) {
    if (this == &o) return *this;
    flat_storage copy(o, pocca_v<Allocator> ? o.alloc_ : alloc_);
    release();
    if constexpr (pocca_v<Allocator>) alloc_ = o.alloc_;
    take(copy);
    return *this;
  }
  flat_storage& operator=(flat_storage&& o) noexcept(pocma_v<Allocator> ||
                                                     always_equal_v<Allocator>) {
    if (this == &o) return *this;
    if constexpr (pocma_v<Allocator>) {
      release();
      alloc_ = std::move(o.alloc_);
      take(o);
    } else if (equal_allocators(alloc_, o.alloc_)) {
      release();
      take(o);
    } else {
      flat_storage moved(std::move(o), alloc_);
      release();
      take(moved);
      o.clear();
    }
    return *this;
  }

  void swap(flat_storage& o) noexcept {
    swap_allocators(alloc_, o.alloc_);
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(cap_, o.cap_);
  }

  Allocator get_allocator() const noexcept { return alloc_; }
  T* data() const noexcept { return to_raw(data_); }
  size_type size() const noexcept { return size_; }
  size_type capacity() const noexcept { return cap_; }
  size_type max_size() const noexcept { return traits::max_size(alloc_); }

  // Strong guarantee: on failure nothing changes.
  void reserve(size_type n) {
    if (n > cap_) reallocate(n);
  }
  void shrink_to_fit() {
    if (cap_ > size_) reallocate(size_);
  }

  // Inserts a T moved from `v` at index i. Strong guarantee when T's move
  // constructor and assignment do not throw (else basic).
  T* insert_moved(size_type i, T&& v) {
    if (size_ == cap_) {
      grow_and_insert(i, std::move(v));
    } else if (i == size_) {
      emplace_back_in_capacity(std::move(v));
    } else {
      T* d = data();
      ::new (static_cast<void*>(d + size_)) T(std::move(d[size_ - 1]));
      ++size_;
      std::move_backward(d + i, d + size_ - 2, d + size_ - 1);
      d[i] = std::move(v);
    }
    return data() + i;
  }

  void erase(size_type first, size_type last) noexcept {
    if (first == last) return;
    T* d = data();
    T* new_end = std::move(d + last, d + size_, d + first);
    std::destroy(new_end, d + size_);
    size_ -= last - first;
  }
  void clear() noexcept { erase(0, size_); }

 private:
  template <class... Args>
  void emplace_back_in_capacity(Args&&... args) {
    construct_with_allocator(alloc_, data() + size_, std::forward<Args>(args)...);
    ++size_;
  }

  void reallocate(size_type n) {
    pointer fresh = n == 0 ? pointer() : traits::allocate(alloc_, n);
    move_into(to_raw(fresh), 0, size_, 0, n, fresh);
    finish_reallocation(fresh, n);
  }

  void grow_and_insert(size_type i, T&& v) {
    const size_type n = size_ == 0 ? 4 : std::max<size_type>(size_ * 2, size_ + 1);
    pointer fresh = traits::allocate(alloc_, n);
    T* f = to_raw(fresh);
    try {
      ::new (static_cast<void*>(f + i)) T(std::move(v));
    } catch (...) {
      traits::deallocate(alloc_, fresh, n);
      throw;
    }
    try {
      move_into(f, 0, i, 0, n, pointer());
    } catch (...) {
      f[i].~T();
      traits::deallocate(alloc_, fresh, n);
      throw;
    }
    try {
      move_into(f, i, size_, i + 1, n, pointer());
    } catch (...) {
      std::destroy(f, f + i + 1);
      traits::deallocate(alloc_, fresh, n);
      throw;
    }
    finish_reallocation(fresh, n);
    ++size_;
  }

  // Moves (or copies, when moving may throw) elements [from, to) into f at
  // `at`. If one throws, what was built is destroyed and, when `owned` is
  // set, that buffer is given back; the source is untouched.
  void move_into(T* f, size_type from, size_type to, size_type at, size_type cap, pointer owned) {
    size_type done = 0;
    try {
      for (T* s = data() + from; s != data() + to; ++s, ++done) {
        ::new (static_cast<void*>(f + at + done)) T(std::move_if_noexcept(*s));
      }
    } catch (...) {
      std::destroy(f + at, f + at + done);
      if (owned) traits::deallocate(alloc_, owned, cap);
      throw;
    }
  }

  void finish_reallocation(pointer fresh, size_type n) noexcept {
    std::destroy(data(), data() + size_);
    if (data_) traits::deallocate(alloc_, data_, cap_);
    data_ = fresh;
    cap_ = n;
  }

  void copy_from(const flat_storage& o) {
    if (o.size_ == 0) return;
    data_ = traits::allocate(alloc_, o.size_);
    cap_ = o.size_;
    try {
      for (size_type i = 0; i < o.size_; ++i) emplace_back_in_capacity(o.data()[i]);
    } catch (...) {
      release();
      throw;
    }
  }

  void take(flat_storage& o) noexcept {
    data_ = o.data_;
    size_ = o.size_;
    cap_ = o.cap_;
    o.data_ = pointer();
    o.size_ = 0;
    o.cap_ = 0;
  }

  void release() noexcept {
    std::destroy(data(), data() + size_);
    if (data_) traits::deallocate(alloc_, data_, cap_);
    data_ = pointer();
    size_ = 0;
    cap_ = 0;
  }

  Allocator alloc_;
  pointer data_ = pointer();
  size_type size_ = 0;
  size_type cap_ = 0;
};

}  // namespace containers_detail
}  // namespace refipc

#endif  // REFIPC_CONTAINERS_DETAIL_FLAT_STORAGE_HPP_
