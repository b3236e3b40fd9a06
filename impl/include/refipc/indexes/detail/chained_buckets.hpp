// The bucket array of the hash tables in the segment: each bucket heads a
// singly linked chain of nodes. Chain names the element of a node
// (`value_type`, `static value_type* value(Node*)`) and its chain link
// (`static Link& next(Node*)`, Link the void_pointer family's Node
// pointer); the owner places nodes in buckets.
#ifndef REFIPC_INDEXES_DETAIL_CHAINED_BUCKETS_HPP_
#define REFIPC_INDEXES_DETAIL_CHAINED_BUCKETS_HPP_

#include <cstddef>
#include <new>

#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/indexes/detail/segment_allocation.hpp"

namespace refipc {
namespace index_detail {

template <class Node, class Chain, class VoidPointer>
class chained_buckets {
 public:
  using link = segment_detail::rebind_pointer_t<VoidPointer, Node>;

  // A node and its bucket, for forward_iterator.
  class cursor {
   public:
    using value_type = typename Chain::value_type;

    cursor() = default;
    cursor(const chained_buckets* buckets, std::size_t bucket, Node* n)
        : buckets_(buckets), bucket_(bucket), n_(n) {}

    value_type* get() const noexcept { return Chain::value(n_); }
    void next() noexcept {
      n_ = segment_detail::raw(Chain::next(n_));
      if (!n_) *this = buckets_->first_from(bucket_ + 1);
    }
    Node* at() const noexcept { return n_; }
    std::size_t bucket() const noexcept { return bucket_; }

   private:
    const chained_buckets* buckets_ = nullptr;
    std::size_t bucket_ = 0;
    Node* n_ = nullptr;
  };

  chained_buckets() = default;
  chained_buckets(const chained_buckets&) = delete;
  chained_buckets& operator=(const chained_buckets&) = delete;

  link* data() const noexcept { return segment_detail::raw(buckets_); }
  std::size_t count() const noexcept { return count_; }

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

  // The first node in bucket b or after it.
  cursor first_from(std::size_t b) const noexcept {
    link* bs = data();
    for (; b < count_; ++b) {
      if (Node* n = segment_detail::raw(bs[b])) return cursor(this, b, n);
    }
    return end();
  }
  cursor end() const noexcept { return cursor(this, count_, nullptr); }

  // Takes the node at c out of its chain.
  void unlink(const cursor& c) noexcept {
    link* l = &data()[c.bucket()];
    while (segment_detail::raw(*l) != c.at()) l = &Chain::next(segment_detail::raw(*l));
    *l = Chain::next(c.at());
  }

  // Moves every node to a fresh array of `count` buckets (none when 0), in
  // bucket bucket_of(node, count). Strong guarantee: when allocating the
  // array throws bad_alloc, nothing changes.
  template <class SegmentManager, class BucketOf>
  void rehash(SegmentManager* mgr, std::size_t count, BucketOf bucket_of) {
    link* fresh = nullptr;
    if (count > 0) {
      fresh = allocate_array<link>(mgr, count);
      for (std::size_t i = 0; i < count; ++i) ::new (fresh + i) link(nullptr);
    }
    link* old = data();
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
    release(mgr);
    buckets_ = fresh;
    count_ = count;
  }

  // Gives the array back; the nodes are the owner's.
  template <class SegmentManager>
  void release(SegmentManager* mgr) noexcept {
    link* b = data();
    if (!b) return;
    for (std::size_t i = 0; i < count_; ++i) b[i].~link();
    mgr->deallocate(b);
  }

 private:
  static constexpr std::size_t kMinCount = 8;
  using bucket_pointer = segment_detail::rebind_pointer_t<VoidPointer, link>;
  bucket_pointer buckets_ = nullptr;
  std::size_t count_ = 0;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_CHAINED_BUCKETS_HPP_
