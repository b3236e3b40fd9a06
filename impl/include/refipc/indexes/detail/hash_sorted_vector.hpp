// A name index kept as one array of (hash, block) entries sorted by hash:
// a search is a binary search over the array alone, which reads a name only
// for an entry of equal hash. Insertion and erasure shift the tail; the
// array doubles when full. Entries iterate in hash order. Backs
// flat_map_index. Every operation checks the array and each block it reads
// against the segment_bounds it is given (see segment_bounds.hpp).
#ifndef REFIPC_INDEXES_DETAIL_HASH_SORTED_VECTOR_HPP_
#define REFIPC_INDEXES_DETAIL_HASH_SORTED_VECTOR_HPP_

#include <cstddef>
#include <new>
#include <string>

#include "refipc/detail/segment/block_header.hpp"
#include "refipc/detail/segment/index_config.hpp"
#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/indexes/detail/forward_iterator.hpp"
#include "refipc/indexes/detail/segment_allocation.hpp"
#include "refipc/indexes/detail/segment_bounds.hpp"

namespace refipc {
namespace index_detail {

template <class CharT, class SegmentManager>
class hash_sorted_vector {
  using void_pointer = typename SegmentManager::void_pointer;
  using header = segment_detail::block_header;
  using link = segment_detail::rebind_pointer_t<void_pointer, header>;
  struct entry {
    std::size_t hash;
    link block;
  };
  using entry_pointer = segment_detail::rebind_pointer_t<void_pointer, entry>;
  static constexpr std::size_t kMinCapacity = 8;

 public:
  // A block index (see index_config.hpp) whose blocks need no links.
  // Its operations take the segment_bounds they check reads against.
  using bounded_index_tag = void;
  using block_index_tag = void;
  using key_type = index_key<CharT, void_pointer>;
  using size_type = std::size_t;

  // An entry before `end`, its block checked, for forward_iterator.
  struct cursor {
    using value_type = header;
    entry* e = nullptr;
    entry* end = nullptr;
    segment_bounds bounds;
    header* get() const noexcept { return segment_detail::raw(e->block); }
    void next() {
      ++e;
      if (e != end) block_of(bounds, *e);
    }
    entry* at() const noexcept { return e; }
  };
  using iterator = forward_iterator<cursor, false>;
  using const_iterator = forward_iterator<cursor, true>;

  explicit hash_sorted_vector(SegmentManager* mgr) : mgr_(mgr) {
    static_assert(sizeof(entry) == 2 * sizeof(std::size_t) &&
                      sizeof(hash_sorted_vector) ==
                          sizeof(mgr_pointer) + sizeof(entry_pointer) + 2 * sizeof(std::size_t),
                  "the layout docs/layout.md describes");
  }
  hash_sorted_vector(const hash_sorted_vector&) = delete;
  hash_sorted_vector& operator=(const hash_sorted_vector&) = delete;
  ~hash_sorted_vector() { release(); }

  iterator begin(const segment_bounds& b) { return iterator(at(0, b)); }
  iterator end() noexcept { return iterator(cursor{data() + size_, data() + size_, {}}); }
  const_iterator begin(const segment_bounds& b) const { return const_iterator(at(0, b)); }
  const_iterator end() const noexcept {
    return const_iterator(cursor{data() + size_, data() + size_, {}});
  }
  size_type size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  iterator find(const key_type& key, const segment_bounds& b) {
    std::size_t i;
    return search(key, key.hash(), i, b) ? iterator(at(i, b)) : end();
  }

  // Where a new name goes.
  struct insert_commit_data {
    std::size_t hash;
    std::size_t position;
  };

  // The block named `key`, or null after recording in `data` where it goes.
  header* insert_check(const key_type& key, insert_commit_data& slot, const segment_bounds& b) {
    slot.hash = key.hash();
    return search(key, slot.hash, slot.position, b);
  }

  std::size_t link_bytes() const noexcept { return 0; }

  // Strong guarantee: when growing the array throws bad_alloc, the index is
  // unchanged.
  void insert_commit(header& h, const insert_commit_data& slot, const segment_bounds& b) {
    if (size_ == capacity_) reallocate(capacity_ ? capacity_ * 2 : kMinCapacity, b);
    entry* d = data(b);
    if (slot.position == size_) {
      ::new (d + size_) entry{slot.hash, link(&h)};
    } else {
      ::new (d + size_) entry{d[size_ - 1].hash, d[size_ - 1].block};
      for (std::size_t i = size_ - 1; i > slot.position; --i) d[i] = d[i - 1];
      d[slot.position].hash = slot.hash;
      d[slot.position].block = &h;
    }
    ++size_;
  }

  // Unlinks the block named `key` and returns it (null when absent).
  header* unlink(const key_type& key, const segment_bounds& b) {
    std::size_t i;
    header* found = search(key, key.hash(), i, b);
    if (found) remove_at(i);
    return found;
  }

  iterator erase(iterator pos, const segment_bounds& b) {
    const std::size_t i = static_cast<std::size_t>(pos.cursor().e - data(b));
    remove_at(i);
    return i < size_ ? iterator(at(i, b)) : end();
  }

  void reserve(std::size_t n, const segment_bounds& b) {
    if (n > capacity_) reallocate(n, b);
  }

  // Beyond Boost: checks the array as read from shared memory (when a
  // segment is opened): a live allocation of its capacity, entries sorted by
  // hash, each the hash of the name of a block `checker` accepts. O(entries).
  template <class Checker>
  bool check(const Checker& checker) const noexcept {
    if (size_ > capacity_ || capacity_ > checker.max_objects()) return false;
    if (!checker.manager(segment_detail::raw(mgr_))) return false;
    const entry* d = data();
    if (!d) return capacity_ == 0;
    if (capacity_ == 0 || !checker.allocation(d, capacity_ * sizeof(entry))) return false;
    for (std::size_t i = 0; i < size_; ++i) {
      const header* h = segment_detail::raw(d[i].block);
      if (!checker.block(h, 0, 1) || d[i].hash != hash_of(*h)) return false;
      if (i > 0 && d[i - 1].hash > d[i].hash) return false;
    }
    return true;
  }

  void shrink_to_fit(const segment_bounds& b) {
    data(b);
    b.manager(segment_detail::raw(mgr_));
    if (size_ == 0) {
      release();
    } else if (size_ < capacity_) {
      reallocate(size_, b);
    }
  }

 private:
  entry* data() const noexcept { return segment_detail::raw(data_); }
  // The array as read from the segment, checked to lie in it with its
  // entries.
  entry* data(const segment_bounds& b) const {
    entry* d = data();
    if (size_ > capacity_ ||
        (capacity_ > 0 && (!d || b.entries(capacity_) != capacity_ ||
                           !b.holds(d, capacity_ * sizeof(entry), alignof(entry))))) {
      segment_bounds::corrupted();
    }
    return d;
  }
  static header* block_of(const segment_bounds& b, const entry& e) {
    header* h = segment_detail::raw(e.block);
    if (!h) segment_bounds::corrupted();
    return b.block<CharT>(h);
  }
  // A cursor at entry i, its block checked (the end when i is size()).
  cursor at(std::size_t i, const segment_bounds& b) const {
    entry* d = data(b);
    if (i < size_) block_of(b, d[i]);
    return cursor{d + i, d + size_, b};
  }
  static std::size_t hash_of(const header& h) noexcept {
    return key_type(h.template name<CharT>(), h.name_length).hash();
  }

  // The block named `key` of hash `hash`, or null; `at` is its position or
  // the one a new entry of that hash takes.
  header* search(const key_type& key, std::size_t hash, std::size_t& at,
                 const segment_bounds& b) const {
    const entry* d = data(b);
    std::size_t lo = 0, n = size_;
    while (n > 0) {
      const std::size_t half = n / 2;
      if (d[lo + half].hash < hash) {
        lo += half + 1;
        n -= half + 1;
      } else {
        n = half;
      }
    }
    for (at = lo; at < size_ && d[at].hash == hash; ++at) {
      header* h = block_of(b, d[at]);
      if (h->name_length == key.m_len &&
          std::char_traits<CharT>::compare(h->template name<CharT>(), key.name(), key.m_len) == 0) {
        return h;
      }
    }
    return nullptr;
  }

  void remove_at(std::size_t at) noexcept {
    entry* d = data();
    for (std::size_t i = at; i + 1 < size_; ++i) d[i] = d[i + 1];
    d[--size_].~entry();
  }

  void reallocate(std::size_t new_capacity, const segment_bounds& b) {
    SegmentManager* mgr = b.manager(segment_detail::raw(mgr_));
    entry* old = data(b);
    entry* fresh = allocate_array<entry>(mgr, new_capacity);
    for (std::size_t i = 0; i < size_; ++i) {
      ::new (fresh + i) entry{old[i].hash, old[i].block};
      old[i].~entry();
    }
    data_ = fresh;
    capacity_ = new_capacity;
    if (old) segment_bounds::deallocate(mgr, old);  // last: freeing a damaged block throws
  }

  void release() {
    entry* d = data();
    for (std::size_t i = 0; i < size_; ++i) d[i].~entry();
    data_ = nullptr;
    size_ = capacity_ = 0;
    if (d) segment_bounds::deallocate(segment_detail::raw(mgr_), d);
  }

  using mgr_pointer = segment_detail::rebind_pointer_t<void_pointer, SegmentManager>;
  mgr_pointer mgr_;
  entry_pointer data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_HASH_SORTED_VECTOR_HPP_
