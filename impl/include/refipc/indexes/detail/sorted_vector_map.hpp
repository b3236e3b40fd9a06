// A map kept as a sorted array in the segment: binary search, insertion and
// erasure shift the tail. Backs flat_map_index.
#ifndef REFIPC_INDEXES_DETAIL_SORTED_VECTOR_MAP_HPP_
#define REFIPC_INDEXES_DETAIL_SORTED_VECTOR_MAP_HPP_

#include <algorithm>
#include <cstddef>
#include <new>
#include <utility>

#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/indexes/detail/segment_allocation.hpp"

namespace refipc {
namespace index_detail {

template <class Key, class Mapped, class SegmentManager>
class sorted_vector_map {
  using void_pointer = typename SegmentManager::void_pointer;

 public:
  using key_type = Key;
  using mapped_type = Mapped;
  using value_type = std::pair<Key, Mapped>;
  using size_type = std::size_t;
  using iterator = value_type*;
  using const_iterator = const value_type*;

  explicit sorted_vector_map(SegmentManager* mgr) : mgr_(mgr) {}
  sorted_vector_map(const sorted_vector_map&) = delete;
  sorted_vector_map& operator=(const sorted_vector_map&) = delete;
  ~sorted_vector_map() { release(); }

  iterator begin() noexcept { return data(); }
  iterator end() noexcept { return data() + size_; }
  const_iterator begin() const noexcept { return data(); }
  const_iterator end() const noexcept { return data() + size_; }
  size_type size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  size_type capacity() const noexcept { return capacity_; }

  iterator find(const Key& key) {
    iterator it = lower_bound(key);
    return (it != end() && it->first == key) ? it : end();
  }
  const_iterator find(const Key& key) const {
    return const_cast<sorted_vector_map*>(this)->find(key);
  }

  // Strong guarantee: on bad_alloc the map is unchanged.
  std::pair<iterator, bool> insert(const value_type& v) {
    iterator pos = lower_bound(v.first);
    if (pos != end() && pos->first == v.first) return {pos, false};
    std::size_t index = static_cast<std::size_t>(pos - begin());
    if (size_ == capacity_) reallocate(std::max<std::size_t>(8, capacity_ * 2));
    value_type* d = data();
    if (index == size_) {
      ::new (d + size_) value_type(v);
    } else {
      ::new (d + size_) value_type(d[size_ - 1]);
      for (std::size_t i = size_ - 1; i > index; --i) d[i] = d[i - 1];
      d[index] = v;
    }
    ++size_;
    return {d + index, true};
  }

  iterator erase(iterator pos) {
    value_type* d = data();
    for (iterator it = pos; it + 1 != d + size_; ++it) *it = *(it + 1);
    d[--size_].~value_type();
    return pos;
  }

  void reserve(std::size_t n) {
    if (n > capacity_) reallocate(n);
  }

  void shrink_to_fit() {
    if (size_ == 0) {
      release();
    } else if (size_ < capacity_) {
      reallocate(size_);
    }
  }

 private:
  using mgr_pointer = segment_detail::rebind_pointer_t<void_pointer, SegmentManager>;
  using value_pointer = segment_detail::rebind_pointer_t<void_pointer, value_type>;

  value_type* data() const noexcept { return segment_detail::raw(data_); }

  iterator lower_bound(const Key& key) {
    return std::lower_bound(begin(), end(), key,
                            [](const value_type& v, const Key& k) { return v.first < k; });
  }

  void reallocate(std::size_t new_capacity) {
    SegmentManager* mgr = segment_detail::raw(mgr_);
    value_type* fresh = allocate_array<value_type>(mgr, new_capacity);
    value_type* old = data();
    // Copies of keys and values never throw (pointers and sizes).
    for (std::size_t i = 0; i < size_; ++i) {
      ::new (fresh + i) value_type(old[i]);
      old[i].~value_type();
    }
    if (old) mgr->deallocate(old);
    data_ = fresh;
    capacity_ = new_capacity;
  }

  void release() noexcept {
    value_type* d = data();
    for (std::size_t i = 0; i < size_; ++i) d[i].~value_type();
    if (d) segment_detail::raw(mgr_)->deallocate(d);
    data_ = nullptr;
    size_ = capacity_ = 0;
  }

  mgr_pointer mgr_;
  value_pointer data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_SORTED_VECTOR_MAP_HPP_
