// An intrusive hash index whose nodes are the objects' blocks: each block
// carries one chain link right before its block_header, and the table holds
// only the bucket array (a power of two, doubled when the load factor would
// exceed 1). Hashes are recomputed from the names when the table is resized.
// Backs iunordered_set_index.
#ifndef REFIPC_INDEXES_DETAIL_INTRUSIVE_HASH_TABLE_HPP_
#define REFIPC_INDEXES_DETAIL_INTRUSIVE_HASH_TABLE_HPP_

#include <cstddef>
#include <iterator>
#include <new>
#include <string>

#include "refipc/detail/segment/block_header.hpp"
#include "refipc/detail/segment/index_config.hpp"
#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/indexes/detail/segment_allocation.hpp"

namespace refipc {
namespace index_detail {

template <class CharT, class SegmentManager>
class intrusive_hash_table {
  using void_pointer = typename SegmentManager::void_pointer;
  using header = segment_detail::block_header;
  using link = segment_detail::rebind_pointer_t<void_pointer, header>;
  using bucket_pointer = segment_detail::rebind_pointer_t<void_pointer, link>;
  static constexpr std::size_t kMinBuckets = 8;

 public:
  using block_index_tag = void;
  using key_type = index_key<CharT, void_pointer>;
  using size_type = std::size_t;

  template <bool Const>
  class iter {
    using table_t = std::conditional_t<Const, const intrusive_hash_table, intrusive_hash_table>;

   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = header;
    using difference_type = std::ptrdiff_t;
    using pointer = std::conditional_t<Const, const header*, header*>;
    using reference = std::conditional_t<Const, const header&, header&>;

    iter() = default;
    iter(table_t* table, std::size_t bucket, header* n) : table_(table), bucket_(bucket), n_(n) {}
    template <bool C = Const, class = std::enable_if_t<C>>
    iter(const iter<false>& other) : table_(other.table_), bucket_(other.bucket_), n_(other.n_) {}

    reference operator*() const { return *n_; }
    pointer operator->() const { return n_; }
    iter& operator++() {
      n_ = segment_detail::raw(next(n_));
      if (!n_) *this = table_->first_from(bucket_ + 1);
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
    friend class intrusive_hash_table;
    friend class iter<!Const>;
    table_t* table_ = nullptr;
    std::size_t bucket_ = 0;
    header* n_ = nullptr;
  };
  using iterator = iter<false>;
  using const_iterator = iter<true>;

  explicit intrusive_hash_table(SegmentManager* mgr) : mgr_(mgr) {}
  intrusive_hash_table(const intrusive_hash_table&) = delete;
  intrusive_hash_table& operator=(const intrusive_hash_table&) = delete;
  ~intrusive_hash_table() { release_buckets(buckets(), bucket_count_); }

  iterator begin() noexcept { return first_from(0); }
  iterator end() noexcept { return iterator(); }
  const_iterator begin() const noexcept { return first_from(0); }
  const_iterator end() const noexcept { return const_iterator(); }
  size_type size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  iterator find(const key_type& key) {
    if (bucket_count_ == 0) return end();
    const std::size_t b = bucket_of(key.hash());
    for (header* n = segment_detail::raw(buckets()[b]); n; n = segment_detail::raw(next(n))) {
      if (same_name(*n, key)) return iterator(this, b, n);
    }
    return end();
  }
  const_iterator find(const key_type& key) const {
    return const_cast<intrusive_hash_table*>(this)->find(key);
  }

  // The hash of a name that insert_check() did not find.
  struct insert_commit_data {
    std::size_t hash;
  };

  // The block named `key`, or null after recording in `data` what
  // insert_commit() needs.
  header* insert_check(const key_type& key, insert_commit_data& data) noexcept {
    data.hash = key.hash();
    if (bucket_count_ == 0) return nullptr;
    for (header* n = segment_detail::raw(buckets()[bucket_of(data.hash)]); n;
         n = segment_detail::raw(next(n))) {
      if (same_name(*n, key)) return n;
    }
    return nullptr;
  }

  std::size_t link_bytes() const noexcept { return sizeof(link); }

  // Links h, whose name insert_check() did not find. Strong guarantee: when
  // growing the bucket array throws bad_alloc, the table is unchanged.
  void insert_commit(header& h, const insert_commit_data& data) {
    if (size_ + 1 > bucket_count_) rehash(bucket_count_ ? bucket_count_ * 2 : kMinBuckets);
    link* bucket = &buckets()[bucket_of(data.hash)];
    ::new (&next(&h)) link(*bucket);
    *bucket = &h;
    ++size_;
  }

  // Unlinks the block named `key` and returns it (null when absent).
  header* unlink(const key_type& key) noexcept {
    if (bucket_count_ == 0) return nullptr;
    for (link* l = &buckets()[bucket_of(key.hash())]; header* n = segment_detail::raw(*l);
         l = &next(n)) {
      if (same_name(*n, key)) {
        *l = next(n);
        --size_;
        return n;
      }
    }
    return nullptr;
  }

  iterator erase(iterator pos) noexcept {
    iterator after = pos;
    ++after;
    link* l = &buckets()[pos.bucket_];
    while (segment_detail::raw(*l) != pos.n_) l = &next(segment_detail::raw(*l));
    *l = next(pos.n_);
    --size_;
    return after;
  }

  // Makes room for n entries without resizing the bucket array.
  void reserve(std::size_t n) {
    if (n <= bucket_count_) return;
    std::size_t count = kMinBuckets;
    while (count < n) count *= 2;
    rehash(count);
  }

  // Shrinks the bucket array to the smallest that holds the entries (none
  // when empty).
  void shrink_to_fit() {
    std::size_t target = 0;
    if (size_ > 0) {
      target = kMinBuckets;
      while (target < size_) target *= 2;
    }
    if (target < bucket_count_) rehash(target);
  }

 private:
  static link& next(const header* h) noexcept {
    return static_cast<link*>(h->links_end(alignof(link)))[-1];
  }
  static bool same_name(const header& h, const key_type& key) noexcept {
    return h.name_length == key.m_len &&
           std::char_traits<CharT>::compare(h.template name<CharT>(), key.name(), key.m_len) == 0;
  }
  static std::size_t hash_of(const header& h) noexcept {
    return key_type(h.template name<CharT>(), h.name_length).hash();
  }
  std::size_t bucket_of(std::size_t hash) const noexcept {
    return (hash ^ (hash >> 32)) & (bucket_count_ - 1);
  }
  link* buckets() const noexcept { return segment_detail::raw(buckets_); }

  iterator first_from(std::size_t b) noexcept {
    link* bs = buckets();
    for (; b < bucket_count_; ++b) {
      if (header* n = segment_detail::raw(bs[b])) return iterator(this, b, n);
    }
    return end();
  }
  const_iterator first_from(std::size_t b) const noexcept {
    return const_cast<intrusive_hash_table*>(this)->first_from(b);
  }

  // count: 0 or a power of two.
  void rehash(std::size_t count) {
    link* fresh = nullptr;
    if (count > 0) {
      fresh = allocate_array<link>(segment_detail::raw(mgr_), count);
      for (std::size_t i = 0; i < count; ++i) ::new (fresh + i) link(nullptr);
    }
    link* old = buckets();
    const std::size_t old_count = bucket_count_;
    buckets_ = fresh;
    bucket_count_ = count;
    for (std::size_t i = 0; i < old_count; ++i) {
      header* n = segment_detail::raw(old[i]);
      while (n) {
        header* following = segment_detail::raw(next(n));
        link& bucket = fresh[bucket_of(hash_of(*n))];
        next(n) = bucket;
        bucket = n;
        n = following;
      }
    }
    release_buckets(old, old_count);
  }

  void release_buckets(link* b, std::size_t count) noexcept {
    if (!b) return;
    for (std::size_t i = 0; i < count; ++i) b[i].~link();
    segment_detail::raw(mgr_)->deallocate(b);
  }

  using mgr_pointer = segment_detail::rebind_pointer_t<void_pointer, SegmentManager>;
  mgr_pointer mgr_;
  bucket_pointer buckets_ = nullptr;
  std::size_t bucket_count_ = 0;
  std::size_t size_ = 0;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_INTRUSIVE_HASH_TABLE_HPP_
