// vector<T, Allocator>: std::vector's interface over storage that holds only
// the allocator's pointer type, so that a vector built in a managed segment
// is valid at any mapping address. With a version 2 allocator the buffer
// grows by expansion in place when the memory after it is free.
#ifndef REFIPC_CONTAINERS_VECTOR_HPP_
#define REFIPC_CONTAINERS_VECTOR_HPP_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "refipc/containers/allocation_type.hpp"
#include "refipc/containers/containers_fwd.hpp"
#include "refipc/containers/detail/allocator_ops.hpp"
#include "refipc/containers/detail/contiguous_iterator.hpp"
#include "refipc/containers/detail/sequence_comparisons.hpp"
#include "refipc/containers/detail/uses_allocator.hpp"

namespace refipc {

// Elements are constructed and destroyed through the allocator
// (allocator_traits, with uses-allocator construction for elements that take
// an allocator). Trivially copyable elements are relocated and copied from
// contiguous ranges with memcpy. Growth at the end (push_back, emplace_back,
// appending inserts, resize, reserve) gives the strong guarantee: on
// bad_alloc the vector is unchanged.
template <class T, class Allocator>
class vector : public containers_detail::sequence_comparisons<vector<T, Allocator>> {
  using alloc_traits = std::allocator_traits<Allocator>;
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
  using iterator = containers_detail::contiguous_iterator<T, vector>;
  using const_iterator = containers_detail::contiguous_iterator<const T, vector>;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  vector() noexcept(std::is_nothrow_default_constructible<Allocator>::value)
      : vector(Allocator()) {}
  explicit vector(const Allocator& a) noexcept : alloc_(a) {}
  explicit vector(size_type n, const Allocator& a = Allocator()) : alloc_(a) { resize(n); }
  vector(size_type n, const T& value, const Allocator& a = Allocator()) : alloc_(a) {
    assign(n, value);
  }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  vector(InputIt first, InputIt last, const Allocator& a = Allocator()) : alloc_(a) {
    assign(first, last);
  }
  vector(std::initializer_list<T> il, const Allocator& a = Allocator()) : alloc_(a) {
    assign(il.begin(), il.end());
  }
  vector(const vector& other)
      : alloc_(alloc_traits::select_on_container_copy_construction(other.alloc_)) {
    assign(other.begin(), other.end());
  }
  vector(const vector& other, const Allocator& a) : alloc_(a) {
    assign(other.begin(), other.end());
  }
  vector(vector&& other) noexcept : alloc_(std::move(other.alloc_)) { steal(other); }
  vector(vector&& other, const Allocator& a) : alloc_(a) {
    if (alloc_ == other.alloc_) {
      steal(other);
    } else {
      assign(std::make_move_iterator(other.begin()), std::make_move_iterator(other.end()));
    }
  }
  ~vector() { release(); }

  vector& operator=(const vector& other) {
    if (this == &other) return *this;
    if (alloc_traits::propagate_on_container_copy_assignment::value && alloc_ != other.alloc_) {
      release();  // the old allocator must free what it allocated
    }
    containers_detail::copy_assign_allocator(alloc_, other.alloc_);
    assign(other.begin(), other.end());
    return *this;
  }
  vector& operator=(vector&& other) noexcept(
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
  vector& operator=(std::initializer_list<T> il) {
    assign(il.begin(), il.end());
    return *this;
  }

  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  void assign(InputIt first, InputIt last) {
    using category = typename std::iterator_traits<InputIt>::iterator_category;
    if constexpr (std::is_base_of<std::forward_iterator_tag, category>::value) {
      const size_type n = check_length(static_cast<size_type>(std::distance(first, last)));
      if (n > cap_) {
        vector fresh(alloc_);
        fresh.append_range(first, n);
        release();
        steal(fresh);
        return;
      }
      T* p = data();
      const size_type common = std::min(n, size_);
      for (size_type i = 0; i < common; ++i, ++first) p[i] = *first;
      if (n > size_) {
        append_range(first, n - size_);
      } else {
        shrink_size(n);
      }
    } else {
      clear();
      for (; first != last; ++first) emplace_back(*first);
    }
  }
  void assign(size_type n, const T& value) {
    if (n > cap_) {
      vector fresh(alloc_);
      fresh.append_copies(n, value);
      release();
      steal(fresh);
      return;
    }
    std::fill_n(data(), std::min(n, size_), value);
    if (n > size_) {
      append_copies(n - size_, value);
    } else {
      shrink_size(n);
    }
  }
  void assign(std::initializer_list<T> il) { assign(il.begin(), il.end()); }

  allocator_type get_allocator() const noexcept { return alloc_; }

  iterator begin() noexcept { return iterator(data()); }
  const_iterator begin() const noexcept { return const_iterator(data()); }
  iterator end() noexcept { return iterator(data() + size_); }
  const_iterator end() const noexcept { return const_iterator(data() + size_); }
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
  size_type capacity() const noexcept { return cap_; }
  void reserve(size_type n) {
    if (n <= cap_) return;
    check_length(n);
    grow(n, n, 0, [](T*) {});
  }
  void shrink_to_fit() {
    if (size_ == cap_) return;
    if (size_ == 0) {
      release();
      return;
    }
    pointer fresh = alloc_traits::allocate(alloc_, size_);
    adopt(fresh, size_, 0, [](T*) {});
  }

  reference operator[](size_type i) noexcept { return data()[i]; }
  const_reference operator[](size_type i) const noexcept { return data()[i]; }
  reference at(size_type i) {
    if (i >= size_) throw std::out_of_range("refipc::vector::at");
    return data()[i];
  }
  const_reference at(size_type i) const {
    if (i >= size_) throw std::out_of_range("refipc::vector::at");
    return data()[i];
  }
  reference front() noexcept { return data()[0]; }
  const_reference front() const noexcept { return data()[0]; }
  reference back() noexcept { return data()[size_ - 1]; }
  const_reference back() const noexcept { return data()[size_ - 1]; }
  T* data() noexcept { return containers_detail::to_raw(start_); }
  const T* data() const noexcept { return containers_detail::to_raw(start_); }

  template <class... Args>
  reference emplace_back(Args&&... args) {
    if (size_ < cap_) {
      T* at = data() + size_;
      containers_detail::construct_with_allocator(alloc_, at, std::forward<Args>(args)...);
      ++size_;
      return *at;
    } else {
      // The new element is built before the old ones move, so `args` may
      // refer to an element.
      grow(size_ + 1, next_capacity(size_ + 1), 1, [&](T* at) {
        containers_detail::construct_with_allocator(alloc_, at, std::forward<Args>(args)...);
      });
    }
    return back();
  }
  void push_back(const T& value) { emplace_back(value); }
  void push_back(T&& value) { emplace_back(std::move(value)); }
  void pop_back() noexcept {
    --size_;
    alloc_traits::destroy(alloc_, data() + size_);
  }

  // Inserts in the middle append, then rotate into place.
  template <class... Args>
  iterator emplace(const_iterator pos, Args&&... args) {
    const size_type i = index_of(pos);
    emplace_back(std::forward<Args>(args)...);
    return rotate_tail(i, size_ - 1);
  }
  iterator insert(const_iterator pos, const T& value) { return emplace(pos, value); }
  iterator insert(const_iterator pos, T&& value) { return emplace(pos, std::move(value)); }
  iterator insert(const_iterator pos, size_type n, const T& value) {
    const size_type i = index_of(pos);
    const size_type old = size_;
    append_copies(n, value);
    return rotate_tail(i, old);
  }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  iterator insert(const_iterator pos, InputIt first, InputIt last) {
    using category = typename std::iterator_traits<InputIt>::iterator_category;
    const size_type i = index_of(pos);
    const size_type old = size_;
    if constexpr (std::is_base_of<std::forward_iterator_tag, category>::value) {
      append_range(first, static_cast<size_type>(std::distance(first, last)));
    } else {
      try {
        for (; first != last; ++first) emplace_back(*first);
      } catch (...) {
        shrink_size(old);
        throw;
      }
    }
    return rotate_tail(i, old);
  }
  iterator insert(const_iterator pos, std::initializer_list<T> il) {
    return insert(pos, il.begin(), il.end());
  }

  iterator erase(const_iterator pos) { return erase(pos, pos + 1); }
  iterator erase(const_iterator first, const_iterator last) {
    const size_type i = index_of(first);
    const size_type j = index_of(last);
    if (i != j) {
      std::move(data() + j, data() + size_, data() + i);
      shrink_size(size_ - (j - i));
    }
    return begin() + i;
  }
  void clear() noexcept { shrink_size(0); }

  void resize(size_type n) {
    if (n <= size_) {
      shrink_size(n);
      return;
    }
    const size_type k = n - size_;
    auto fill = [this, k](T* at) {
      size_type done = 0;
      try {
        for (; done < k; ++done) containers_detail::construct_with_allocator(alloc_, at + done);
      } catch (...) {
        destroy_range(at, at + done);
        throw;
      }
    };
    if (n <= cap_) {
      fill(data() + size_);
      size_ = n;
    } else {
      grow(check_length(n), next_capacity(n), k, fill);
    }
  }
  void resize(size_type n, const T& value) {
    if (n <= size_) {
      shrink_size(n);
    } else {
      append_copies(n - size_, value);
    }
  }

  void swap(vector& other) noexcept {
    containers_detail::swap_allocators(alloc_, other.alloc_);
    std::swap(start_, other.start_);
    std::swap(size_, other.size_);
    std::swap(cap_, other.cap_);
  }
  friend void swap(vector& a, vector& b) noexcept { a.swap(b); }

 private:
  size_type check_length(size_type n) const {
    if (n > max_size()) throw std::length_error("refipc::vector: too many elements");
    return n;
  }
  // Geometric growth (doubling) to hold at least `needed`.
  size_type next_capacity(size_type needed) const {
    const size_type max = max_size();
    check_length(needed);
    const size_type doubled = cap_ > max / 2 ? max : cap_ * 2;
    return std::max(needed, doubled);
  }
  size_type index_of(const_iterator pos) const noexcept {
    return static_cast<size_type>(pos.get() - data());
  }
  // Moves the elements from `from` to the end to index `i`.
  iterator rotate_tail(size_type i, size_type from) {
    std::rotate(data() + i, data() + from, data() + size_);
    return begin() + i;
  }

  void destroy_range(T* first, T* last) noexcept {
    for (; first != last; ++first) alloc_traits::destroy(alloc_, first);
  }
  void shrink_size(size_type n) noexcept {
    destroy_range(data() + n, data() + size_);
    size_ = n;
  }
  void release() noexcept {
    if (!start_) return;
    destroy_range(data(), data() + size_);
    alloc_traits::deallocate(alloc_, start_, cap_);
    start_ = pointer();
    size_ = cap_ = 0;
  }
  void steal(vector& other) noexcept {
    start_ = other.start_;
    size_ = other.size_;
    cap_ = other.cap_;
    other.start_ = pointer();
    other.size_ = other.cap_ = 0;
  }

  // Constructs `n` elements at `at` from the range at `first`; on a throw
  // nothing is left constructed.
  template <class It>
  void construct_range(T* at, It first, size_type n) {
    using source = typename std::iterator_traits<It>::value_type;
    if constexpr (std::is_trivially_copyable<T>::value && std::is_same<source, T>::value &&
                  (std::is_pointer<It>::value || std::is_same<It, iterator>::value ||
                   std::is_same<It, const_iterator>::value)) {
      if (n != 0) std::memcpy(static_cast<void*>(at), &*first, n * sizeof(T));
    } else {
      size_type done = 0;
      try {
        for (; done < n; ++done, ++first) {
          containers_detail::construct_with_allocator(alloc_, at + done, *first);
        }
      } catch (...) {
        destroy_range(at, at + done);
        throw;
      }
    }
  }
  template <class It>
  void append_range(It first, size_type n) {
    if (size_ + n <= cap_) {
      construct_range(data() + size_, first, n);
      size_ += n;
    } else {
      grow(check_length(size_ + n), next_capacity(size_ + n), n,
           [&](T* at) { construct_range(at, first, n); });
    }
  }
  void append_copies(size_type n, const T& value) {
    auto fill = [this, n, &value](T* at) {
      size_type done = 0;
      try {
        for (; done < n; ++done)
          containers_detail::construct_with_allocator(alloc_, at + done, value);
      } catch (...) {
        destroy_range(at, at + done);
        throw;
      }
    };
    if (size_ + n <= cap_) {
      fill(data() + size_);
      size_ += n;
    } else {
      grow(check_length(size_ + n), next_capacity(size_ + n), n, fill);
    }
  }

  // Room for at least `needed` elements (`preferred` if possible), then
  // fill(at) constructs `k` new elements after the current ones. A version 2
  // allocator first tries to expand the buffer in place.
  template <class Fill>
  void grow(size_type needed, size_type preferred, size_type k, Fill&& fill) {
    if constexpr (containers_detail::has_allocation_command<Allocator>::value) {
      if (start_) {
        size_type received = preferred;
        pointer reuse = start_;
        pointer r = alloc_.allocation_command(expand_fwd | allocate_new, needed, received, reuse);
        if (reuse) {
          cap_ = received;
          fill(data() + size_);
          size_ += k;
        } else {
          adopt(r, received, k, fill);
        }
        return;
      }
    }
    adopt(alloc_traits::allocate(alloc_, preferred), preferred, k, fill);
  }
  // Makes `fresh` (room for `cap`) the buffer: the `k` new elements first,
  // then the old ones moved over (copied if their move may throw and they
  // can be copied). On a throw `fresh` is freed and the vector unchanged.
  template <class Fill>
  void adopt(pointer fresh, size_type cap, size_type k, Fill&& fill) {
    T* to = containers_detail::to_raw(fresh);
    try {
      fill(to + size_);
    } catch (...) {
      alloc_traits::deallocate(alloc_, fresh, cap);
      throw;
    }
    T* from = data();
    if constexpr (std::is_trivially_copyable<T>::value) {
      if (size_ != 0) std::memcpy(static_cast<void*>(to), from, size_ * sizeof(T));
    } else {
      size_type done = 0;
      try {
        for (; done < size_; ++done) {
          alloc_traits::construct(alloc_, to + done, std::move_if_noexcept(from[done]));
        }
      } catch (...) {
        destroy_range(to, to + done);
        destroy_range(to + size_, to + size_ + k);
        alloc_traits::deallocate(alloc_, fresh, cap);
        throw;
      }
    }
    const size_type n = size_;
    release();
    start_ = fresh;
    size_ = n + k;
    cap_ = cap;
  }

  Allocator alloc_;
  pointer start_ = pointer();
  size_type size_ = 0;
  size_type cap_ = 0;
};

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_VECTOR_HPP_
