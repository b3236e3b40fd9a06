// An intrusive hash index whose nodes are the objects' blocks: each block
// carries one chain link right before its block_header, and the table holds
// only the bucket array (a power of two, doubled when the load factor would
// exceed 1). Hashes are recomputed from the names when the table is resized.
// Backs iunordered_set_index. Every operation checks what it reads against
// the segment_bounds it is given (see segment_bounds.hpp).
#ifndef REFIPC_INDEXES_DETAIL_INTRUSIVE_HASH_TABLE_HPP_
#define REFIPC_INDEXES_DETAIL_INTRUSIVE_HASH_TABLE_HPP_

#include <cstddef>
#include <new>
#include <string>

#include "refipc/detail/segment/block_header.hpp"
#include "refipc/detail/segment/index_config.hpp"
#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/indexes/detail/chained_buckets.hpp"
#include "refipc/indexes/detail/forward_iterator.hpp"

namespace refipc {
namespace index_detail {

template <class CharT, class SegmentManager>
class intrusive_hash_table {
  using void_pointer = typename SegmentManager::void_pointer;
  using header = segment_detail::block_header;
  using link = segment_detail::rebind_pointer_t<void_pointer, header>;

  struct chain {
    using value_type = header;
    static header* value(header* h) noexcept { return h; }
    static link& next(const header* h) noexcept {
      return static_cast<link*>(h->links_end(alignof(link)))[-1];
    }
    static header* check(const segment_bounds& b, header* h) {
      b.block<CharT>(h);
      b.node(&next(h));
      return h;
    }
  };
  using bucket_array = chained_buckets<header, chain, void_pointer>;
  using cursor = typename bucket_array::cursor;

 public:
  // Its operations take the segment_bounds they check reads against.
  using bounded_index_tag = void;
  using block_index_tag = void;
  using key_type = index_key<CharT, void_pointer>;
  using size_type = std::size_t;
  using iterator = forward_iterator<cursor, false>;
  using const_iterator = forward_iterator<cursor, true>;

  explicit intrusive_hash_table(SegmentManager* mgr) : mgr_(mgr) {
    static_assert(sizeof(intrusive_hash_table) ==
                      sizeof(mgr_pointer) + sizeof(bucket_array) + sizeof(std::size_t),
                  "the layout docs/layout.md describes");
  }
  intrusive_hash_table(const intrusive_hash_table&) = delete;
  intrusive_hash_table& operator=(const intrusive_hash_table&) = delete;
  ~intrusive_hash_table() { buckets_.release(segment_detail::raw(mgr_)); }

  iterator begin(const segment_bounds& b) {
    return iterator(buckets_.first_from(0, b, b.entries(size_)));
  }
  iterator end() noexcept { return iterator(buckets_.end()); }
  const_iterator begin(const segment_bounds& b) const {
    return const_iterator(buckets_.first_from(0, b, b.entries(size_)));
  }
  const_iterator end() const noexcept { return const_iterator(buckets_.end()); }
  size_type size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  iterator find(const key_type& key, const segment_bounds& bounds) {
    if (buckets_.count() == 0) return end();
    const std::size_t b = bucket_of(key.hash());
    const std::size_t entries = bounds.entries(size_);
    walk_budget budget(entries);
    for (header* n = follow(bounds, buckets_.data(bounds)[b]); n; n = follow(bounds, next(n))) {
      budget.step();
      if (same_name(*n, key)) return iterator(cursor(&buckets_, b, n, bounds, entries));
    }
    return end();
  }

  // The hash of a name that insert_check() did not find.
  struct insert_commit_data {
    std::size_t hash;
  };

  // The block named `key`, or null after recording in `data` what
  // insert_commit() needs.
  header* insert_check(const key_type& key, insert_commit_data& data, const segment_bounds& b) {
    data.hash = key.hash();
    if (buckets_.count() == 0) return nullptr;
    walk_budget budget(b.entries(size_));
    for (header* n = follow(b, buckets_.data(b)[bucket_of(data.hash)]); n; n = follow(b, next(n))) {
      budget.step();
      if (same_name(*n, key)) return n;
    }
    return nullptr;
  }

  std::size_t link_bytes() const noexcept { return sizeof(link); }

  // Links h, whose name insert_check() did not find. Strong guarantee: when
  // growing the bucket array throws bad_alloc, the table is unchanged.
  void insert_commit(header& h, const insert_commit_data& data, const segment_bounds& b) {
    if (size_ + 1 > buckets_.count()) rehash(buckets_.doubled(), b);
    link* bucket = &buckets_.data(b)[bucket_of(data.hash)];
    ::new (&next(&h)) link(*bucket);
    *bucket = &h;
    ++size_;
  }

  // Unlinks the block named `key` and returns it (null when absent).
  header* unlink(const key_type& key, const segment_bounds& b) {
    if (buckets_.count() == 0) return nullptr;
    walk_budget budget(b.entries(size_));
    for (link* l = &buckets_.data(b)[bucket_of(key.hash())]; header* n = follow(b, *l);
         l = &next(n)) {
      budget.step();
      if (same_name(*n, key)) {
        *l = next(n);
        --size_;
        return n;
      }
    }
    return nullptr;
  }

  iterator erase(iterator pos, const segment_bounds& b) {
    iterator after = pos;
    ++after;
    buckets_.unlink(pos.cursor(), b, b.entries(size_));
    --size_;
    return after;
  }

  // Beyond Boost: checks the table as read from shared memory (when a
  // segment is opened): the bucket array a live allocation of a power of two
  // buckets, every chained block one `checker` accepts, in the bucket of its
  // name, and the entry count. O(buckets + entries).
  template <class Checker>
  bool check(const Checker& checker) const noexcept {
    const std::size_t count = buckets_.count();
    if (size_ > checker.max_objects()) return false;
    if (!checker.manager(segment_detail::raw(mgr_))) return false;
    if (count == 0) return size_ == 0 && !buckets_.data();
    if ((count & (count - 1)) != 0 || count > checker.max_objects() ||
        !checker.allocation(buckets_.data(), count * sizeof(link))) {
      return false;
    }
    std::size_t seen = 0;
    for (std::size_t b = 0; b < count; ++b) {
      for (const header* n = segment_detail::raw(buckets_.data()[b]); n;
           n = segment_detail::raw(next(n))) {
        if (++seen > size_ || !checker.block(n, sizeof(link), alignof(link)) ||
            bucket_of(hash_of(*n)) != b) {
          return false;
        }
      }
    }
    return seen == size_;
  }

  // Makes room for n entries without resizing the bucket array.
  void reserve(std::size_t n, const segment_bounds& b) {
    if (n > buckets_.count()) rehash(bucket_array::fitting(n), b);
  }

  // Shrinks the bucket array to the smallest that holds the entries (none
  // when empty).
  void shrink_to_fit(const segment_bounds& b) {
    const std::size_t target = bucket_array::fitting(b.entries(size_));
    if (target < buckets_.count()) rehash(target, b);
  }

 private:
  static link& next(const header* h) noexcept { return chain::next(h); }
  static header* follow(const segment_bounds& b, const link& l) {
    return bucket_array::follow(b, l);
  }
  static bool same_name(const header& h, const key_type& key) noexcept {
    return h.name_length == key.m_len &&
           std::char_traits<CharT>::compare(h.template name<CharT>(), key.name(), key.m_len) == 0;
  }
  static std::size_t hash_of(const header& h) noexcept {
    return key_type(h.template name<CharT>(), h.name_length).hash();
  }
  // count: a power of two.
  static std::size_t bucket_of(std::size_t hash, std::size_t count) noexcept {
    // The high half folded into the low one (32 bits of a 64-bit size_t).
    return (hash ^ (hash >> (4 * sizeof(std::size_t)))) & (count - 1);
  }
  std::size_t bucket_of(std::size_t hash) const noexcept {
    return bucket_of(hash, buckets_.count());
  }

  // count: 0 or a power of two.
  void rehash(std::size_t count, const segment_bounds& b) {
    buckets_.rehash(
        b.manager(segment_detail::raw(mgr_)), count,
        [](const header& h, std::size_t c) { return bucket_of(hash_of(h), c); }, b,
        b.entries(size_));
  }

  using mgr_pointer = segment_detail::rebind_pointer_t<void_pointer, SegmentManager>;
  mgr_pointer mgr_;
  bucket_array buckets_;
  std::size_t size_ = 0;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_INTRUSIVE_HASH_TABLE_HPP_
