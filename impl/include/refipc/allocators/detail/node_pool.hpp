// node_pool<VoidPointer>: segregated storage of equal-sized nodes carved out
// of blocks that come from a segment manager. The algorithm of every pooled
// allocator; callers provide the locking (see shared_node_pool.hpp).
//
// A block is one aligned allocation of block_bytes (a power of two, also its
// alignment), so a node's block is found by masking its address: giving a
// node back is O(1) and lets the pool check that the node is really its own.
// Each block keeps its own free list; the pool keeps every block in one
// list, blocks with free nodes first and full blocks after them.
//
// A pool in shared memory is hostile input: every block and node address read
// from it is checked (alignment, inside the segment, block owned by this pool,
// node inside its block) before use, and a failed check throws
// interprocess_exception(corrupted_error).
#ifndef REFIPC_ALLOCATORS_DETAIL_NODE_POOL_HPP_
#define REFIPC_ALLOCATORS_DETAIL_NODE_POOL_HPP_

#include <cstddef>
#include <cstdint>
#include <new>

#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/offset_ptr.hpp"

namespace refipc::allocators_detail {

// How a pool is shaped, from the allocator's template parameters.
struct pool_params {
  std::size_t node_bytes;       // the stride: a multiple of the node alignment
  std::size_t nodes_per_block;  // at least this many nodes per block
  std::size_t max_free_blocks;  // wholly free blocks kept (adaptive pools)
  unsigned overhead_percent;    // most block bytes not used by nodes (0: no limit)
  bool adaptive;                // gives wholly free blocks beyond max_free_blocks back
};

// Node addresses are aligned to this; larger alignments are not pooled.
inline constexpr std::size_t kNodeAlignment = 16;

constexpr std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

// The stride of nodes for objects of type T linked by VoidPointer.
template <class T, class VoidPointer>
constexpr std::size_t node_bytes_for() {
  static_assert(alignof(T) <= kNodeAlignment, "over-aligned types are not pooled");
  constexpr std::size_t bytes = sizeof(T) > sizeof(VoidPointer) ? sizeof(T) : sizeof(VoidPointer);
  constexpr std::size_t align =
      alignof(T) > alignof(VoidPointer) ? alignof(T) : alignof(VoidPointer);
  return round_up(bytes, align);
}

// The first bytes of every block (persisted).
template <class VoidPointer>
struct pool_block {
  using block_ptr = segment_detail::rebind_pointer_t<VoidPointer, pool_block>;
  VoidPointer owner;  // the node_pool this block belongs to
  block_ptr prev;     // in the pool's block list
  block_ptr next;
  VoidPointer free_head;  // free nodes of this block, linked through their first bytes
  std::uint32_t free_count;
  std::uint32_t node_count;
};

// The pool's own fields (persisted when the pool is in a segment).
template <class VoidPointer>
class node_pool {
  using block = pool_block<VoidPointer>;
  using block_ptr = typename block::block_ptr;
  struct link {
    VoidPointer next;
  };

 public:
  static constexpr std::uint32_t kMagic = 0x6e506f6c;  // "nPol"
  static constexpr std::size_t kHeaderBytes = round_up(sizeof(block), kNodeAlignment);
  // The largest block a pool asks for.
  static constexpr std::size_t kMaxBlockBytes = std::size_t{1} << 24;

  explicit node_pool(const pool_params& p) noexcept
      : node_bytes_(static_cast<std::uint32_t>(p.node_bytes)),
        adaptive_(p.adaptive ? 1 : 0),
        block_bytes_(block_bytes_for(p)),
        max_free_blocks_(p.max_free_blocks) {
    nodes_per_block_ = static_cast<std::uint32_t>((block_bytes_ - kHeaderBytes) / node_bytes_);
    stride_inverse_ = inverse_of_odd_part(node_bytes_);
    stride_limit_ = limit_of_odd_part(node_bytes_);
  }
  node_pool(const node_pool&) = delete;
  node_pool& operator=(const node_pool&) = delete;

  // The block size for `p`: a power of two holding the header and at least
  // nodes_per_block nodes, doubled while the bytes no node can use exceed
  // overhead_percent of it.
  static std::size_t block_bytes_for(const pool_params& p) noexcept {
    std::size_t bytes = 256;
    const std::size_t wanted =
        kHeaderBytes + (p.nodes_per_block ? p.nodes_per_block : 1) * p.node_bytes;
    while (bytes < wanted && bytes < kMaxBlockBytes) bytes *= 2;
    while (p.overhead_percent != 0 && bytes < kMaxBlockBytes &&
           (bytes - (bytes - kHeaderBytes) / p.node_bytes * p.node_bytes) * 100 >
               p.overhead_percent * bytes) {
      bytes *= 2;
    }
    return bytes;
  }

  // The inverse modulo 2^64 of the odd part of `stride`: with it, a
  // multiple of the stride is recognised by one multiplication instead of a
  // division (see is_stride_multiple).
  static std::uint64_t inverse_of_odd_part(std::uint64_t stride) noexcept {
    std::uint64_t odd = stride;
    while ((odd & 1) == 0) odd >>= 1;
    std::uint64_t inv = odd;  // right in the low 3 bits; each step doubles them
    for (int i = 0; i < 5; ++i) inv *= 2 - odd * inv;
    return inv;
  }

  static std::uint64_t limit_of_odd_part(std::uint64_t stride) noexcept {
    return ~std::uint64_t{0} / (stride >> __builtin_ctzll(stride));
  }

  // True when the fields are what an allocator with `p` expects (checked on
  // attaching to a pool found in a segment).
  bool matches(const pool_params& p) const noexcept {
    return magic_ == kMagic && node_bytes_ == p.node_bytes && adaptive_ == (p.adaptive ? 1 : 0) &&
           block_bytes_ == block_bytes_for(p) &&
           nodes_per_block_ == (block_bytes_ - kHeaderBytes) / node_bytes_ &&
           max_free_blocks_ == p.max_free_blocks &&
           stride_inverse_ == inverse_of_odd_part(node_bytes_) &&
           stride_limit_ == limit_of_odd_part(node_bytes_);
  }

  std::size_t node_bytes() const noexcept { return node_bytes_; }
  std::size_t nodes_per_block() const noexcept { return nodes_per_block_; }
  std::size_t block_bytes() const noexcept { return block_bytes_; }
  std::size_t num_blocks() const noexcept { return num_blocks_; }
  std::size_t num_free_blocks() const noexcept { return free_blocks_; }

  // One node (bad_alloc when the segment has no room for a new block).
  // Inline when the first block keeps a free node after this one; the
  // rest (a new block, a block becoming full) goes through allocate_slow.
  template <class SegmentManager>
  void* allocate_node(SegmentManager* mgr) {
    block* b = segment_detail::raw(head_);
    if (__builtin_expect(b != nullptr, 1)) {
      check_block(mgr, b);
      const std::uint32_t free = b->free_count;
      if (__builtin_expect(free > 1, 1)) {
        void* node = first_free(b);
        b->free_head = static_cast<link*>(node)->next;
        b->free_count = free - 1;
        free_blocks_ -= free == b->node_count;
        return node;
      }
    }
    return allocate_slow(mgr, b);
  }

  // Gives back a node of this pool. Inline unless its block was full or is
  // released (adaptive pools).
  template <class SegmentManager>
  void deallocate_node(SegmentManager* mgr, void* node) {
    block* b = block_of(mgr, node);
    check_node(b, node);
    const std::uint32_t free = b->free_count;
    // 1 <= free < node_count in one unsigned comparison.
    if (__builtin_expect(free - 1 < b->node_count - 1, 1)) {
      link* l = ::new (node) link;
      l->next = b->free_head;
      b->free_head = node;
      b->free_count = free + 1;
      if (free + 1 == b->node_count && ++free_blocks_ > max_free_blocks_ && adaptive_) {
        release(mgr, b);
      }
      return;
    }
    deallocate_slow(mgr, b, node);
  }

  // Gives every wholly free block back to the segment.
  template <class SegmentManager>
  void deallocate_free_blocks(SegmentManager* mgr) {
    block* b = checked(mgr, head_);
    while (b && b->free_count != 0) {
      block* next = checked(mgr, b->next);
      if (b->free_count == b->node_count) release(mgr, b);
      b = next;
    }
  }

  // Gives every block back, whatever is still in use (the pool's end).
  template <class SegmentManager>
  void release_all(SegmentManager* mgr) noexcept {
    block* b = segment_detail::raw(head_);
    while (b && in_segment(mgr, b) && segment_detail::raw(b->owner) == this) {
      block* next = segment_detail::raw(b->next);
      mgr->deallocate(b);
      b = next;
    }
    head_ = nullptr;
    tail_ = nullptr;
    num_blocks_ = 0;
    free_blocks_ = 0;
  }

  // A full walk (after the death of a holder of the pool's lock): true when
  // every block is owned, the counts agree and free blocks come first.
  template <class SegmentManager>
  bool check(SegmentManager* mgr) const noexcept {
    if (magic_ != kMagic) return false;
    std::size_t blocks = 0, wholly_free = 0;
    bool seen_full = false;
    const block* prev = nullptr;
    for (const block* b = segment_detail::raw(head_); b; b = segment_detail::raw(b->next)) {
      if (++blocks > num_blocks_ || !in_segment(mgr, b) || segment_detail::raw(b->owner) != this ||
          segment_detail::raw(b->prev) != prev || b->node_count != nodes_per_block_ ||
          b->free_count > b->node_count || (seen_full && b->free_count != 0)) {
        return false;
      }
      seen_full = b->free_count == 0;
      wholly_free += b->free_count == b->node_count;
      prev = b;
    }
    return blocks == num_blocks_ && wholly_free == free_blocks_ &&
           segment_detail::raw(tail_) == prev;
  }

 private:
  [[noreturn]] static void corrupted(const char* what) {
    throw interprocess_exception(corrupted_error, what);
  }
  // True when a whole block fits at `p`, block-aligned, in the segment.
  template <class SegmentManager>
  bool in_segment(SegmentManager* mgr, const void* p) const noexcept {
    const std::uintptr_t at =
        reinterpret_cast<std::uintptr_t>(p) - reinterpret_cast<std::uintptr_t>(mgr);
    const std::uintptr_t size = mgr->get_size();
    return at <= size && size - at >= block_bytes_ &&
           (reinterpret_cast<std::uintptr_t>(p) & (block_bytes_ - 1)) == 0;
  }
  // Throws unless `b` is a block of this pool with sane counts.
  template <class SegmentManager>
  void check_block(SegmentManager* mgr, const block* b) const {
    if (!in_segment(mgr, b) || segment_detail::raw(b->owner) != this ||
        b->node_count != nodes_per_block_ || b->free_count > b->node_count) {
      corrupted("node pool: a block link is not a block of this pool");
    }
  }
  // The first free node of `b` (which has some), checked.
  void* first_free(block* b) const {
    void* node = segment_detail::raw(b->free_head);
    if (!node) corrupted("node pool: a block with free nodes has an empty free list");
    check_node(b, node);
    return node;
  }
  // allocate_node when the first block is missing, about to be full, or
  // wholly free.
  template <class SegmentManager>
  __attribute__((noinline)) void* allocate_slow(SegmentManager* mgr, block* b) {
    if (!b || b->free_count == 0) b = add_block(mgr);
    return take(mgr, b);
  }
  // deallocate_node when the node's block was full or becomes wholly free.
  template <class SegmentManager>
  __attribute__((noinline)) void deallocate_slow(SegmentManager* mgr, block* b, void* node) {
    if (b->free_count >= b->node_count) corrupted("a block has more free nodes than nodes");
    link* l = ::new (node) link;
    l->next = b->free_head;
    b->free_head = node;
    if (b->free_count++ == 0) move_to_front(mgr, b);
    if (b->free_count == b->node_count) {
      ++free_blocks_;
      if (adaptive_ && free_blocks_ > max_free_blocks_) release(mgr, b);
    }
  }
  // The block at `p`, checked; null for a null `p`.
  template <class SegmentManager>
  block* checked(SegmentManager* mgr, const block_ptr& p) const {
    block* b = segment_detail::raw(p);
    if (b) check_block(mgr, b);
    return b;
  }
  template <class SegmentManager>
  block* block_of(SegmentManager* mgr, void* node) const {
    const std::uintptr_t a = reinterpret_cast<std::uintptr_t>(node);
    block* b = reinterpret_cast<block*>(a & ~std::uintptr_t(block_bytes_ - 1));
    if (!in_segment(mgr, b) || segment_detail::raw(b->owner) != this ||
        b->node_count != nodes_per_block_) {
      corrupted("node pool: a node given back is not in a block of this pool");
    }
    return b;
  }
  void check_node(block* b, void* node) const {
    // One unsigned comparison covers both ends of the block's nodes.
    const std::uintptr_t at = reinterpret_cast<std::uintptr_t>(node) -
                              (reinterpret_cast<std::uintptr_t>(b) + kHeaderBytes);
    if (at >= std::uintptr_t(node_bytes_) * b->node_count || !is_stride_multiple(at)) {
      corrupted("node pool: a node address is not a node of its block");
    }
  }

  // x = odd * 2^k * q exactly when its low k bits are zero and
  // (x >> k) * inverse(odd), modulo 2^64, is at most (2^64 - 1) / odd
  // (stride_limit_).
  bool is_stride_multiple(std::uint64_t x) const noexcept {
    const unsigned k = static_cast<unsigned>(__builtin_ctz(node_bytes_));
    return (x & ((std::uint64_t{1} << k) - 1)) == 0 && (x >> k) * stride_inverse_ <= stride_limit_;
  }

  template <class SegmentManager>
  block* add_block(SegmentManager* mgr) {
    void* mem = mgr->allocate_aligned(block_bytes_, block_bytes_);  // bad_alloc
    block* b = ::new (mem) block;
    b->owner = static_cast<void*>(this);
    b->node_count = nodes_per_block_;
    b->free_count = nodes_per_block_;
    char* first = static_cast<char*>(mem) + kHeaderBytes;
    VoidPointer next = nullptr;
    for (std::size_t i = nodes_per_block_; i-- > 0;) {
      link* l = ::new (first + i * node_bytes_) link;
      l->next = next;
      next = static_cast<void*>(l);
    }
    b->free_head = next;
    b->prev = nullptr;
    b->next = head_;
    if (block* h = segment_detail::raw(head_)) {
      h->prev = b;
    } else {
      tail_ = b;
    }
    head_ = b;
    ++num_blocks_;
    ++free_blocks_;
    return b;
  }

  template <class SegmentManager>
  void* take(SegmentManager* mgr, block* b) {
    void* node = first_free(b);
    b->free_head = static_cast<link*>(node)->next;
    if (b->free_count-- == b->node_count) --free_blocks_;
    if (b->free_count == 0) move_to_back(mgr, b);
    return node;
  }

  template <class SegmentManager>
  void unlink(SegmentManager* mgr, block* b) {
    block* prev = checked(mgr, b->prev);
    block* next = checked(mgr, b->next);
    if (prev) {
      prev->next = next;
    } else {
      head_ = next;
    }
    if (next) {
      next->prev = prev;
    } else {
      tail_ = prev;
    }
  }
  template <class SegmentManager>
  void move_to_front(SegmentManager* mgr, block* b) {
    if (segment_detail::raw(head_) == b) return;
    unlink(mgr, b);
    b->prev = nullptr;
    b->next = head_;
    if (block* h = segment_detail::raw(head_)) {
      h->prev = b;
    } else {
      tail_ = b;
    }
    head_ = b;
  }
  template <class SegmentManager>
  void move_to_back(SegmentManager* mgr, block* b) {
    if (segment_detail::raw(tail_) == b) return;
    unlink(mgr, b);
    b->next = nullptr;
    b->prev = tail_;
    if (block* t = segment_detail::raw(tail_)) {
      t->next = b;
    } else {
      head_ = b;
    }
    tail_ = b;
  }
  template <class SegmentManager>
  void release(SegmentManager* mgr, block* b) {
    unlink(mgr, b);
    --num_blocks_;
    --free_blocks_;
    b->owner = nullptr;
    mgr->deallocate(b);
  }

  std::uint32_t magic_ = kMagic;
  std::uint32_t node_bytes_;
  std::uint32_t nodes_per_block_;
  std::uint32_t adaptive_;
  std::uint64_t block_bytes_;
  std::uint64_t max_free_blocks_;
  std::uint64_t num_blocks_ = 0;
  std::uint64_t free_blocks_ = 0;
  block_ptr head_ = nullptr;
  block_ptr tail_ = nullptr;
  std::uint64_t stride_inverse_;
  std::uint64_t stride_limit_;

  template <class>
  friend struct node_pool_layout;
};

template <class VoidPointer>
struct node_pool_layout {
  using pool = node_pool<VoidPointer>;
  static constexpr std::size_t magic = offsetof(pool, magic_);
  static constexpr std::size_t node_bytes = offsetof(pool, node_bytes_);
  static constexpr std::size_t nodes_per_block = offsetof(pool, nodes_per_block_);
  static constexpr std::size_t adaptive = offsetof(pool, adaptive_);
  static constexpr std::size_t block_bytes = offsetof(pool, block_bytes_);
  static constexpr std::size_t max_free_blocks = offsetof(pool, max_free_blocks_);
  static constexpr std::size_t num_blocks = offsetof(pool, num_blocks_);
  static constexpr std::size_t free_blocks = offsetof(pool, free_blocks_);
  static constexpr std::size_t head = offsetof(pool, head_);
  static constexpr std::size_t tail = offsetof(pool, tail_);
  static constexpr std::size_t stride_inverse = offsetof(pool, stride_inverse_);
  static constexpr std::size_t stride_limit = offsetof(pool, stride_limit_);
};

// The persisted layouts with offset_ptr links (docs/layout.md, "Node pools"),
// for links of P bytes: 8 in a 64-bit process, 4 in a 32-bit one.
inline constexpr std::size_t P = sizeof(offset_ptr<void>);
using offset_block = pool_block<offset_ptr<void>>;
static_assert(sizeof(offset_block) == 4 * P + 8 && offsetof(offset_block, owner) == 0 &&
              offsetof(offset_block, prev) == P && offsetof(offset_block, next) == 2 * P &&
              offsetof(offset_block, free_head) == 3 * P &&
              offsetof(offset_block, free_count) == 4 * P &&
              offsetof(offset_block, node_count) == 4 * P + 4);
using offset_layout = node_pool_layout<offset_ptr<void>>;
static_assert(sizeof(node_pool<offset_ptr<void>>) == 64 + 2 * P && offset_layout::magic == 0 &&
              offset_layout::node_bytes == 4 && offset_layout::nodes_per_block == 8 &&
              offset_layout::adaptive == 12 && offset_layout::block_bytes == 16 &&
              offset_layout::max_free_blocks == 24 && offset_layout::num_blocks == 32 &&
              offset_layout::free_blocks == 40 && offset_layout::head == 48 &&
              offset_layout::tail == 48 + P && offset_layout::stride_inverse == 48 + 2 * P &&
              offset_layout::stride_limit == 56 + 2 * P);
static_assert(node_pool<offset_ptr<void>>::kHeaderBytes == (P == 8 ? 48 : 32));

}  // namespace refipc::allocators_detail

#endif  // REFIPC_ALLOCATORS_DETAIL_NODE_POOL_HPP_
