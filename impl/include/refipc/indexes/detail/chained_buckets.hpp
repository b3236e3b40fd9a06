// The bucket array of the hash tables in the segment: each bucket heads a
// singly linked chain of nodes. Chain names the element of a node
// (`value_type`, `static value_type* value(Node*)`) and its chain link
// (`static Link& next(Node*)`, Link the void_pointer family's Node
// pointer) and checks a node read from the segment
// (`static Node* check(const segment_bounds&, Node*)`: next() and value()
// are then safe); the owner places nodes in buckets. Every node and the
// array are checked against the segment_bounds given, and a walk takes at
// most the entries the owner records.
#ifndef REFIPC_INDEXES_DETAIL_CHAINED_BUCKETS_HPP_
#define REFIPC_INDEXES_DETAIL_CHAINED_BUCKETS_HPP_

#include <cstddef>
#include <new>

#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/indexes/detail/segment_allocation.hpp"
#include "refipc/indexes/detail/segment_bounds.hpp"

namespace refipc {
namespace index_detail {

template <class Node, class Chain, class VoidPointer>
class chained_buckets {
 public:
  using link = segment_detail::rebind_pointer_t<VoidPointer, Node>;

  // A node and its bucket, for forward_iterator; at most `left` more
  // nodes follow.
  class cursor {
   public:
    using value_type = typename Chain::value_type;

    cursor() = default;
    cursor(const chained_buckets* buckets, std::size_t bucket, Node* n, const segment_bounds& b,
           std::size_t left)
        : buckets_(buckets), bucket_(bucket), n_(n), bounds_(b), left_(left) {}

    value_type* get() const noexcept { return Chain::value(n_); }
    void next() {
      Node* n = follow(bounds_, Chain::next(n_));
      if (n) {
        if (left_ == 0) segment_bounds::corrupted();
        *this = cursor(buckets_, bucket_, n, bounds_, left_ - 1);
      } else {
        *this = buckets_->first_from(bucket_ + 1, bounds_, left_);
      }
    }
    Node* at() const noexcept { return n_; }
    std::size_t bucket() const noexcept { return bucket_; }

   private:
    const chained_buckets* buckets_ = nullptr;
    std::size_t bucket_ = 0;
    Node* n_ = nullptr;
    segment_bounds bounds_;
    std::size_t left_ = 0;
  };

  chained_buckets() = default;
  chained_buckets(const chained_buckets&) = delete;
  chained_buckets& operator=(const chained_buckets&) = delete;

  link* data() const noexcept { return segment_detail::raw(buckets_); }
  std::size_t count() const noexcept { return count_; }
  // The array as read from the segment, checked to lie in it.
  link* data(const segment_bounds& b) const {
    link* d = data();
    if (count_ > 0 &&
        (!d || b.entries(count_) != count_ || !b.holds(d, count_ * sizeof(link), alignof(link)))) {
      segment_bounds::corrupted();
    }
    return d;
  }
  // The node a link read from the segment points to, checked (or null).
  static Node* follow(const segment_bounds& b, const link& l) {
    Node* n = segment_detail::raw(l);
    return n ? Chain::check(b, n) : nullptr;
  }

  // The count after doubling (the minimum when none).
  std::size_t doubled() const noexcept { return count_ ? count_ * 2 : kMinCount; }
  // The smallest power-of-two multiple of the minimum that holds n nodes at
  // one node a bucket (none for none).
  static std::size_t fitting(std::size_t n) noexcept {
    if (n == 0) return 0;
    std::size_t count = kMinCount;
    while (count < n) count *= 2;
    return count;
  }

  // The first node in bucket i or after it, of at most `entries` nodes.
  cursor first_from(std::size_t i, const segment_bounds& b, std::size_t entries) const {
    link* bs = data(b);
    for (; i < count_; ++i) {
      if (Node* n = follow(b, bs[i])) {
        if (entries == 0) segment_bounds::corrupted();
        return cursor(this, i, n, b, entries - 1);
      }
    }
    return end();
  }
  cursor end() const noexcept { return cursor(this, count_, nullptr, segment_bounds(), 0); }

  // Takes the node at c out of its chain of at most `entries` nodes.
  void unlink(const cursor& c, const segment_bounds& b, std::size_t entries) {
    walk_budget budget(entries);
    link* l = &data(b)[c.bucket()];
    for (Node* n; (n = follow(b, *l)) != c.at(); l = &Chain::next(n)) {
      if (!n) segment_bounds::corrupted();
      budget.step();
    }
    *l = Chain::next(c.at());
  }

  // Moves every node to a fresh array of `count` buckets (none when 0), in
  // bucket bucket_of(node, count). Strong guarantee: when allocating the
  // array throws bad_alloc, nothing changes.
  // The nodes, at most `entries`, are checked before anything moves.
  template <class SegmentManager, class BucketOf>
  void rehash(SegmentManager* mgr, std::size_t count, BucketOf bucket_of, const segment_bounds& b,
              std::size_t entries) {
    link* old = data(b);
    walk_budget budget(entries);
    for (std::size_t i = 0; i < count_; ++i) {
      for (Node* n = follow(b, old[i]); n; n = follow(b, Chain::next(n))) budget.step();
    }
    link* fresh = nullptr;
    if (count > 0) {
      fresh = allocate_array<link>(mgr, count);
      for (std::size_t i = 0; i < count; ++i) ::new (fresh + i) link(nullptr);
    }
    for (std::size_t i = 0; i < count_; ++i) {
      Node* n = segment_detail::raw(old[i]);
      while (n) {
        Node* following = segment_detail::raw(Chain::next(n));
        link& bucket = fresh[bucket_of(*n, count)];
        Chain::next(n) = bucket;
        bucket = n;
        n = following;
      }
    }
    const std::size_t old_count = count_;
    buckets_ = fresh;
    count_ = count;
    free_array(mgr, old, old_count);  // last: freeing a damaged block throws
  }

  // Gives the array back; the nodes are the owner's.
  template <class SegmentManager>
  void release(SegmentManager* mgr) {
    link* b = data();
    const std::size_t count = count_;
    buckets_ = nullptr;
    count_ = 0;
    free_array(mgr, b, count);
  }

 private:
  template <class SegmentManager>
  static void free_array(SegmentManager* mgr, link* b, std::size_t count) {
    if (!b) return;
    for (std::size_t i = 0; i < count; ++i) b[i].~link();
    segment_bounds::deallocate(mgr, b);
  }

  static constexpr std::size_t kMinCount = 8;
  using bucket_pointer = segment_detail::rebind_pointer_t<VoidPointer, link>;
  bucket_pointer buckets_ = nullptr;
  std::size_t count_ = 0;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_CHAINED_BUCKETS_HPP_
