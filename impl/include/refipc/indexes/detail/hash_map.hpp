// A hash map in the segment: an array of buckets, each a singly linked chain
// of nodes that cache their hash. The table doubles when the load factor
// would exceed 1. Backs unordered_map_index. Every operation checks what it
// reads against the segment_bounds it is given (see segment_bounds.hpp).
#ifndef REFIPC_INDEXES_DETAIL_HASH_MAP_HPP_
#define REFIPC_INDEXES_DETAIL_HASH_MAP_HPP_

#include <cstddef>
#include <new>
#include <utility>

#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/indexes/detail/chained_buckets.hpp"
#include "refipc/indexes/detail/forward_iterator.hpp"

namespace refipc {
namespace index_detail {

template <class Key, class Mapped, class Hash, class SegmentManager>
class hash_map {
  using void_pointer = typename SegmentManager::void_pointer;
  struct node;
  using node_pointer = segment_detail::rebind_pointer_t<void_pointer, node>;

 public:
  // Its operations take the segment_bounds they check reads against.
  using bounded_index_tag = void;
  using key_type = Key;
  using mapped_type = Mapped;
  using value_type = std::pair<Key, Mapped>;
  using size_type = std::size_t;

 private:
  struct node {
    value_type value;
    std::size_t hash;
    node_pointer next;
  };
  struct chain {
    using value_type = typename hash_map::value_type;
    static value_type* value(node* n) noexcept { return &n->value; }
    static node_pointer& next(node* n) noexcept { return n->next; }
    static node* check(const segment_bounds& b, node* n) {
      b.node(n);
      b.name(n->value.first.name(), n->value.first.name_length());
      return n;
    }
  };
  using bucket_array = chained_buckets<node, chain, void_pointer>;
  using cursor = typename bucket_array::cursor;

 public:
  using iterator = forward_iterator<cursor, false>;
  using const_iterator = forward_iterator<cursor, true>;

  explicit hash_map(SegmentManager* mgr) : mgr_(mgr) {
    static_assert(
        sizeof(hash_map) == sizeof(mgr_pointer) + sizeof(bucket_array) + sizeof(size_type) &&
            offsetof(node, hash) == sizeof(value_type) &&
            sizeof(node) == sizeof(value_type) + sizeof(std::size_t) + sizeof(node_pointer),
        "the layout docs/layout.md describes");
  }
  hash_map(const hash_map&) = delete;
  hash_map& operator=(const hash_map&) = delete;
  ~hash_map() {
    node_pointer* b = buckets_.data();
    for (std::size_t i = 0; i < buckets_.count(); ++i) {
      node* n = segment_detail::raw(b[i]);
      while (n) {
        node* next = segment_detail::raw(n->next);
        destroy_node(n);
        n = next;
      }
    }
    buckets_.release(segment_detail::raw(mgr_));
  }

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
  size_type bucket_count() const noexcept { return buckets_.count(); }

  iterator find(const Key& key, const segment_bounds& bounds) {
    if (buckets_.count() == 0) return end();
    std::size_t h = Hash()(key);
    std::size_t b = h % buckets_.count();
    const std::size_t entries = bounds.entries(size_);
    walk_budget budget(entries);
    for (node* n = follow(bounds, buckets_.data(bounds)[b]); n; n = follow(bounds, n->next)) {
      budget.step();
      if (n->hash == h && n->value.first == key) {
        return iterator(cursor(&buckets_, b, n, bounds, entries));
      }
    }
    return end();
  }

  // Strong guarantee: on bad_alloc the map is unchanged.
  std::pair<iterator, bool> insert(const value_type& v, const segment_bounds& bounds) {
    iterator found = find(v.first, bounds);
    if (found != end()) return {found, false};
    if (size_ + 1 > buckets_.count()) rehash(buckets_.doubled(), bounds);
    node* n = static_cast<node*>(bounds.manager(segment_detail::raw(mgr_))->allocate(sizeof(node)));
    ::new (&n->value) value_type(v);
    n->hash = Hash()(v.first);
    std::size_t b = n->hash % buckets_.count();
    node_pointer* bs = buckets_.data(bounds);
    ::new (&n->next) node_pointer(bs[b]);
    bs[b] = n;
    ++size_;
    return {iterator(cursor(&buckets_, b, n, bounds, bounds.entries(size_))), true};
  }

  iterator erase(iterator pos, const segment_bounds& b) {
    iterator after = pos;
    ++after;
    buckets_.unlink(pos.cursor(), b, b.entries(size_));
    b.manager(segment_detail::raw(mgr_));
    --size_;
    destroy_node(pos.cursor().at());  // last: freeing a damaged block throws
    return after;
  }

  // Beyond Boost: checks the table as read from shared memory (when a
  // segment is opened): the bucket array a live allocation, every node a
  // live allocation whose entry `checker` accepts, with the hash of its key,
  // in the bucket of that hash, and the entry count. O(buckets + entries).
  template <class Checker>
  bool check(const Checker& checker) const noexcept {
    const std::size_t count = buckets_.count();
    if (size_ > checker.max_objects()) return false;
    if (!checker.manager(segment_detail::raw(mgr_))) return false;
    if (count == 0) return size_ == 0 && !buckets_.data();
    if (count > checker.max_objects() ||
        !checker.allocation(buckets_.data(), count * sizeof(node_pointer))) {
      return false;
    }
    std::size_t seen = 0;
    for (std::size_t b = 0; b < count; ++b) {
      for (node* n = segment_detail::raw(buckets_.data()[b]); n; n = segment_detail::raw(n->next)) {
        if (++seen > size_ || !checker.allocation(n, sizeof(node)) ||
            !checker.entry(n->value.first, n->value.second) || n->hash != Hash()(n->value.first) ||
            n->hash % count != b) {
          return false;
        }
      }
    }
    return seen == size_;
  }

  // Makes room for n entries without rehashing.
  void reserve(std::size_t n, const segment_bounds& b) {
    if (n > buckets_.count()) rehash(n, b);
  }

  // Shrinks the bucket array to the smallest power-of-two multiple of the
  // minimum that holds the entries (none when empty).
  void shrink_to_fit(const segment_bounds& b) {
    const std::size_t target = bucket_array::fitting(b.entries(size_));
    if (target < buckets_.count()) rehash(target, b);
  }

 private:
  static node* follow(const segment_bounds& b, const node_pointer& l) {
    return bucket_array::follow(b, l);
  }

  void rehash(std::size_t count, const segment_bounds& b) {
    buckets_.rehash(
        b.manager(segment_detail::raw(mgr_)), count,
        [](const node& n, std::size_t c) { return n.hash % c; }, b, b.entries(size_));
  }

  void destroy_node(node* n) {
    n->next.~node_pointer();
    n->value.~value_type();
    segment_bounds::deallocate(segment_detail::raw(mgr_), n);
  }

  using mgr_pointer = segment_detail::rebind_pointer_t<void_pointer, SegmentManager>;
  mgr_pointer mgr_;
  bucket_array buckets_;
  std::size_t size_ = 0;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_HASH_MAP_HPP_
