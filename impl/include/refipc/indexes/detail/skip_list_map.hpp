// An ordered map as a skip list in the segment: each node carries a tower of
// forward links whose height is drawn geometrically (p = 1/4), giving
// expected logarithmic search, insertion and erasure with about 1.33 links
// per node. Backs map_index. Every operation checks each node it reads
// against the segment_bounds it is given and takes at most size() steps a
// level (see segment_bounds.hpp).
#ifndef REFIPC_INDEXES_DETAIL_SKIP_LIST_MAP_HPP_
#define REFIPC_INDEXES_DETAIL_SKIP_LIST_MAP_HPP_

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/indexes/detail/forward_iterator.hpp"
#include "refipc/indexes/detail/segment_bounds.hpp"
#include "refipc/indexes/detail/tower_height.hpp"

namespace refipc {
namespace index_detail {

template <class Key, class Mapped, class SegmentManager>
class skip_list_map {
  using void_pointer = typename SegmentManager::void_pointer;
  struct node;
  using node_pointer = segment_detail::rebind_pointer_t<void_pointer, node>;
  static constexpr int kMaxHeight = 12;

 public:
  // Its operations take the segment_bounds they check reads against.
  using bounded_index_tag = void;
  using key_type = Key;
  using mapped_type = Mapped;
  using value_type = std::pair<Key, Mapped>;
  using size_type = std::size_t;

 private:
  // Links need no destruction, so a node need not record its height.
  static_assert(std::is_trivially_destructible<node_pointer>::value,
                "skip_list_map needs trivially destructible pointers");
  struct node {
    value_type value;

    // The node's tower of links follows it in the same block.
    static constexpr std::size_t kLinksOffset = (sizeof(value_type) + alignof(node_pointer) - 1) /
                                                alignof(node_pointer) * alignof(node_pointer);
    node_pointer* links() noexcept {
      return reinterpret_cast<node_pointer*>(reinterpret_cast<char*>(this) + kLinksOffset);
    }
  };

  // A node, for forward_iterator; at most `left` more nodes follow.
  struct cursor {
    using value_type = typename skip_list_map::value_type;
    node* n = nullptr;
    segment_bounds bounds;
    std::size_t left = 0;
    value_type* get() const noexcept { return &n->value; }
    void next() {
      n = follow(bounds, n->links()[0], 0);
      if (!n) return;
      if (left == 0) segment_bounds::corrupted();
      --left;
    }
    node* at() const noexcept { return n; }
  };

 public:
  using iterator = forward_iterator<cursor, false>;
  using const_iterator = forward_iterator<cursor, true>;

  explicit skip_list_map(SegmentManager* mgr) : mgr_(mgr) {
    static_assert(sizeof(void*) != 8 ||
                      (sizeof(skip_list_map) ==
                           sizeof(mgr_pointer) + kMaxHeight * sizeof(node_pointer) + 8 + 2 * 8 &&
                       node::kLinksOffset == sizeof(value_type)),
                  "the layout docs/layout.md describes");
    for (auto& h : head_) h = nullptr;
  }
  skip_list_map(const skip_list_map&) = delete;
  skip_list_map& operator=(const skip_list_map&) = delete;
  ~skip_list_map() {
    node* n = segment_detail::raw(head_[0]);
    while (n) {
      node* next = segment_detail::raw(n->links()[0]);
      destroy_node(n);
      n = next;
    }
  }

  iterator begin(const segment_bounds& b) { return iterator(at(b, follow(b, head_[0], 0))); }
  iterator end() noexcept { return iterator(); }
  const_iterator begin(const segment_bounds& b) const {
    return const_cast<skip_list_map*>(this)->begin(b);
  }
  const_iterator end() const noexcept { return const_iterator(); }
  size_type size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  // A search compares each node at most once: the node that ended the walk
  // on one level, known not to precede the key, ends it on the levels below
  // without another comparison (comparisons read names elsewhere in the
  // segment, so they are what a search costs).
  iterator find(const Key& key, const segment_bounds& b) {
    node_pointer* links = head_;
    node* bound = nullptr;
    for (int level = height(b) - 1; level >= 0; --level) {
      walk_budget budget(b.entries(size_));
      node* n;
      while ((n = follow(b, links[level], level)) && n != bound && n->value.first < key) {
        budget.step();
        links = n->links();
      }
      bound = n;
    }
    return (bound && bound->value.first == key) ? iterator(at(b, bound)) : end();
  }

  std::pair<iterator, bool> insert(const value_type& v, const segment_bounds& b) {
    node_pointer* update[kMaxHeight];
    node_pointer* links = head_;
    node* bound = nullptr;  // as in find()
    for (int level = kMaxHeight - 1; level >= 0; --level) {
      walk_budget budget(b.entries(size_));
      node* n;
      while ((n = follow(b, links[level], level)) && n != bound && n->value.first < v.first) {
        budget.step();
        links = n->links();
      }
      bound = n;
      update[level] = &links[level];
    }
    node* found = segment_detail::raw(*update[0]);
    if (found && found->value.first == v.first) return {iterator(at(b, found)), false};

    int height = heights_.draw();
    void* mem = b.manager(segment_detail::raw(mgr_))
                    ->allocate(node::kLinksOffset + height * sizeof(node_pointer));
    node* n = static_cast<node*>(mem);
    ::new (&n->value) value_type(v);
    for (int level = 0; level < height; ++level) {
      ::new (&n->links()[level]) node_pointer(*update[level]);
      *update[level] = n;
    }
    if (height > height_) height_ = height;
    ++size_;
    return {iterator(at(b, n)), true};
  }

  iterator erase(iterator pos, const segment_bounds& b) {
    node* target = pos.cursor().n;
    const cursor after = at(b, follow(b, target->links()[0], 0));
    node_pointer* links = head_;
    node* bound = nullptr;  // as in find()
    for (int level = height(b) - 1; level >= 0; --level) {
      walk_budget budget(b.entries(size_));
      node* n;
      while ((n = follow(b, links[level], level)) && n != target && n != bound &&
             n->value.first < target->value.first) {
        budget.step();
        links = n->links();
      }
      bound = n;
      if (n == target) links[level] = target->links()[level];
    }
    b.manager(segment_detail::raw(mgr_));
    --size_;
    while (height_ > 1 && !head_[height_ - 1]) --height_;
    destroy_node(target);  // last: freeing a damaged block throws
    return iterator(after);
  }

  // Beyond Boost: checks the map as read from shared memory (when a segment
  // is opened): the height, every level strictly ordered through nodes that
  // are live allocations with room for that level's link and whose entries
  // `checker` accepts, and the entry count. O(entries).
  template <class Checker>
  bool check(const Checker& checker) const noexcept {
    if (height_ < 1 || height_ > kMaxHeight || size_ > checker.max_objects()) return false;
    if (!checker.manager(segment_detail::raw(mgr_))) return false;
    for (int level = 0; level < kMaxHeight; ++level) {
      const node* prev = nullptr;
      std::size_t count = 0;
      for (node* n = segment_detail::raw(head_[level]); n;
           n = segment_detail::raw(n->links()[level])) {
        if (level >= height_ || ++count > size_) return false;
        if (!checker.allocation(n, node::kLinksOffset + (level + 1) * sizeof(node_pointer)) ||
            !checker.entry(n->value.first, n->value.second)) {
          return false;
        }
        if (prev && !(prev->value.first < n->value.first)) return false;
        prev = n;
      }
      if ((level == 0 && count != size_) || (level == height_ - 1 && level > 0 && count == 0)) {
        return false;
      }
    }
    return true;
  }

  // Nodes are allocated one by one: nothing to reserve or give back.
  void reserve(std::size_t, const segment_bounds&) noexcept {}
  void shrink_to_fit(const segment_bounds&) noexcept {}

 private:
  int height(const segment_bounds&) const {
    if (height_ < 1 || height_ > kMaxHeight) segment_bounds::corrupted();
    return height_;
  }
  // The node a link at `level` read from the segment points to, checked to
  // lie in it with its key's name and its links up to that level (or null).
  static node* follow(const segment_bounds& b, const node_pointer& l, int level) {
    node* n = segment_detail::raw(l);
    if (!n) return nullptr;
    b.node(n, node::kLinksOffset + (level + 1) * sizeof(node_pointer));
    b.name(n->value.first.name(), n->value.first.name_length());
    return n;
  }
  // A cursor at n (or the end) that follows at most size() nodes.
  cursor at(const segment_bounds& b, node* n) const {
    const std::size_t entries = b.entries(size_);
    if (n && entries == 0) segment_bounds::corrupted();
    return cursor{n, b, n ? entries - 1 : 0};
  }

  void destroy_node(node* n) {
    n->value.~value_type();
    segment_bounds::deallocate(segment_detail::raw(mgr_), n);
  }

  using mgr_pointer = segment_detail::rebind_pointer_t<void_pointer, SegmentManager>;
  mgr_pointer mgr_;
  node_pointer head_[kMaxHeight];
  int height_ = 1;
  std::size_t size_ = 0;
  tower_height<kMaxHeight> heights_;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_SKIP_LIST_MAP_HPP_
