// A hash map in the segment: an array of buckets, each a singly linked chain
// of nodes that cache their hash. The table doubles when the load factor
// would exceed 1. Backs unordered_map_index and iunordered_set_index.
#ifndef REFIPC_INDEXES_DETAIL_HASH_MAP_HPP_
#define REFIPC_INDEXES_DETAIL_HASH_MAP_HPP_

#include <cstddef>
#include <iterator>
#include <new>
#include <utility>

#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/indexes/detail/segment_allocation.hpp"

namespace refipc {
namespace index_detail {

template <class Key, class Mapped, class Hash, class SegmentManager>
class hash_map {
  using void_pointer = typename SegmentManager::void_pointer;
  struct node;
  using node_pointer = segment_detail::rebind_pointer_t<void_pointer, node>;
  using bucket_pointer = segment_detail::rebind_pointer_t<void_pointer, node_pointer>;
  static constexpr std::size_t kMinBuckets = 8;

 public:
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

  template <bool Const>
  class iter {
    using map_t = std::conditional_t<Const, const hash_map, hash_map>;

   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = typename hash_map::value_type;
    using difference_type = std::ptrdiff_t;
    using pointer = std::conditional_t<Const, const value_type*, value_type*>;
    using reference = std::conditional_t<Const, const value_type&, value_type&>;

    iter() = default;
    iter(map_t* map, std::size_t bucket, node* n) : map_(map), bucket_(bucket), n_(n) {}
    template <bool C = Const, class = std::enable_if_t<C>>
    iter(const iter<false>& other) : map_(other.map_), bucket_(other.bucket_), n_(other.n_) {}

    reference operator*() const { return n_->value; }
    pointer operator->() const { return &n_->value; }
    iter& operator++() {
      n_ = segment_detail::raw(n_->next);
      if (!n_) *this = map_->first_from(bucket_ + 1);
      return *this;
    }
    iter operator++(int) {
      iter old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const iter& a, const iter& b) { return a.n_ == b.n_; }
    friend bool operator!=(const iter& a, const iter& b) { return a.n_ != b.n_; }

   private:
    friend class hash_map;
    friend class iter<!Const>;
    map_t* map_ = nullptr;
    std::size_t bucket_ = 0;
    node* n_ = nullptr;
  };

 public:
  using iterator = iter<false>;
  using const_iterator = iter<true>;

  explicit hash_map(SegmentManager* mgr) : mgr_(mgr) {}
  hash_map(const hash_map&) = delete;
  hash_map& operator=(const hash_map&) = delete;
  ~hash_map() {
    node_pointer* b = buckets();
    for (std::size_t i = 0; i < bucket_count_; ++i) {
      node* n = segment_detail::raw(b[i]);
      while (n) {
        node* next = segment_detail::raw(n->next);
        destroy_node(n);
        n = next;
      }
    }
    release_buckets(b, bucket_count_);
  }

  iterator begin() noexcept { return first_from(0); }
  iterator end() noexcept { return iterator(this, bucket_count_, nullptr); }
  const_iterator begin() const noexcept { return first_from(0); }
  const_iterator end() const noexcept { return const_iterator(this, bucket_count_, nullptr); }
  size_type size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  size_type bucket_count() const noexcept { return bucket_count_; }

  iterator find(const Key& key) {
    if (bucket_count_ == 0) return end();
    std::size_t h = Hash()(key);
    std::size_t b = h % bucket_count_;
    for (node* n = segment_detail::raw(buckets()[b]); n; n = segment_detail::raw(n->next)) {
      if (n->hash == h && n->value.first == key) return iterator(this, b, n);
    }
    return end();
  }
  const_iterator find(const Key& key) const { return const_cast<hash_map*>(this)->find(key); }

  // Strong guarantee: on bad_alloc the map is unchanged.
  std::pair<iterator, bool> insert(const value_type& v) {
    iterator found = find(v.first);
    if (found != end()) return {found, false};
    if (size_ + 1 > bucket_count_) rehash(bucket_count_ ? bucket_count_ * 2 : kMinBuckets);
    node* n = static_cast<node*>(segment_detail::raw(mgr_)->allocate(sizeof(node)));
    ::new (&n->value) value_type(v);
    n->hash = Hash()(v.first);
    std::size_t b = n->hash % bucket_count_;
    node_pointer* bs = buckets();
    ::new (&n->next) node_pointer(bs[b]);
    bs[b] = n;
    ++size_;
    return {iterator(this, b, n), true};
  }

  iterator erase(iterator pos) {
    iterator after = pos;
    ++after;
    node_pointer* link = &buckets()[pos.bucket_];
    while (segment_detail::raw(*link) != pos.n_) link = &segment_detail::raw(*link)->next;
    *link = pos.n_->next;
    destroy_node(pos.n_);
    --size_;
    return after;
  }

  // Makes room for n entries without rehashing.
  void reserve(std::size_t n) {
    if (n > bucket_count_) rehash(n);
  }

  // Shrinks the bucket array to the smallest power-of-two multiple of the
  // minimum that holds the entries (none when empty).
  void shrink_to_fit() {
    std::size_t target = 0;
    if (size_ > 0) {
      target = kMinBuckets;
      while (target < size_) target *= 2;
    }
    if (target < bucket_count_) rehash(target);
  }

 private:
  node_pointer* buckets() const noexcept { return segment_detail::raw(buckets_); }

  iterator first_from(std::size_t b) noexcept {
    node_pointer* bs = buckets();
    for (; b < bucket_count_; ++b) {
      if (node* n = segment_detail::raw(bs[b])) return iterator(this, b, n);
    }
    return end();
  }
  const_iterator first_from(std::size_t b) const noexcept {
    return const_cast<hash_map*>(this)->first_from(b);
  }

  void rehash(std::size_t count) {
    node_pointer* fresh = nullptr;
    if (count > 0) {
      fresh = allocate_array<node_pointer>(segment_detail::raw(mgr_), count);
      for (std::size_t i = 0; i < count; ++i) ::new (fresh + i) node_pointer(nullptr);
    }
    node_pointer* old = buckets();
    for (std::size_t i = 0; i < bucket_count_; ++i) {
      node* n = segment_detail::raw(old[i]);
      while (n) {
        node* next = segment_detail::raw(n->next);
        std::size_t b = n->hash % count;
        n->next = fresh[b];
        fresh[b] = n;
        n = next;
      }
    }
    release_buckets(old, bucket_count_);
    buckets_ = fresh;
    bucket_count_ = count;
  }

  void release_buckets(node_pointer* b, std::size_t count) noexcept {
    if (!b) return;
    for (std::size_t i = 0; i < count; ++i) b[i].~node_pointer();
    segment_detail::raw(mgr_)->deallocate(b);
  }

  void destroy_node(node* n) noexcept {
    n->next.~node_pointer();
    n->value.~value_type();
    segment_detail::raw(mgr_)->deallocate(n);
  }

  using mgr_pointer = segment_detail::rebind_pointer_t<void_pointer, SegmentManager>;
  mgr_pointer mgr_;
  bucket_pointer buckets_ = nullptr;
  std::size_t bucket_count_ = 0;
  std::size_t size_ = 0;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_HASH_MAP_HPP_
