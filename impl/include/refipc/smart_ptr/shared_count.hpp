// The reference count block of shared_ptr and weak_ptr. It is allocated with
// the shared_ptr's allocator, so with a segment allocator it lives in the
// segment and every process that maps the segment shares it. Its counts are
// lock-free std::atomic words, which work between processes because they are
// address-free (docs/design.md, "Smart pointer reference counts", gives the
// memory-order argument; docs/layout.md the layout).
//
// The counts are read from shared memory, so they are hostile input: a count
// that is 0 when an owner still exists, or above kMaxCount, is damage. Only a
// release that takes a count from exactly 1 to 0 destroys anything, and a
// damaged count is left in (or pushed into) the range above kMaxCount, from
// which no release in any process brings it back to 0 (it would take more
// than 2^30 of them): the object and the block are leaked rather than
// destroyed twice, lock() refuses the count, and use_count() shows the
// impossible value. A count damaged to a smaller but possible value (2 for
// 3 owners) cannot be told from a true one.
#ifndef REFIPC_SMART_PTR_SHARED_COUNT_HPP_
#define REFIPC_SMART_PTR_SHARED_COUNT_HPP_

#include <atomic>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

#include "refipc/smart_ptr/pointer_to.hpp"

namespace refipc {
namespace smart_ptr_detail {

// Counts above this are impossible (2^30 owners would not fit in a segment
// smaller than the address space); adding kPoison moves a count 2^31 up, so
// more than 2^30 releases would be needed before it looked possible again.
inline constexpr std::uint32_t kMaxCount = 0x3fffffff;
inline constexpr std::uint32_t kPoison = 0x80000000;

struct ref_counts {
  std::atomic<std::uint32_t> use;   // shared_ptr owners
  std::atomic<std::uint32_t> weak;  // weak_ptrs, plus one held by all owners together
};

static_assert(std::atomic<std::uint32_t>::is_always_lock_free,
              "counts shared between processes must be lock-free");
static_assert(sizeof(ref_counts) == 8, "persisted layout, docs/layout.md");
static_assert(offsetof(ref_counts, use) == 0, "persisted layout, docs/layout.md");
static_assert(offsetof(ref_counts, weak) == 4, "persisted layout, docs/layout.md");

// Persisted: the counts first, then the owned pointer (of the deleter's
// family), the deleter and the allocator that allocated the block.
template <class VoidAllocator, class Deleter>
struct count_block {
  using owned_pointer = typename Deleter::pointer;

  count_block(const owned_pointer& p, const Deleter& d, const VoidAllocator& a)
      : owned(p), deleter(d), allocator(a) {
    counts.use.store(1, std::memory_order_relaxed);
    counts.weak.store(1, std::memory_order_relaxed);
  }

  ref_counts counts;
  owned_pointer owned;
  Deleter deleter;
  VoidAllocator allocator;
};

template <class VoidAllocator, class Deleter>
class block_ops {
 public:
  using block = count_block<VoidAllocator, Deleter>;
  using block_allocator =
      typename std::allocator_traits<VoidAllocator>::template rebind_alloc<block>;
  using block_pointer = typename std::allocator_traits<block_allocator>::pointer;
  using owned_pointer = typename block::owned_pointer;

  // A block owning `p` with counts 1/1. If the allocation throws, `p` is
  // deleted first, so a shared_ptr constructor never leaks its object.
  static block_pointer create(const owned_pointer& p, const VoidAllocator& a, const Deleter& d) {
    block_allocator alloc(a);
    block_pointer b;
    try {
      b = alloc.allocate(1);
    } catch (...) {
      Deleter destroy(d);
      destroy(p);
      throw;
    }
    ::new (static_cast<void*>(to_raw(b))) block(p, d, a);
    return b;
  }

  // A new owner copied from an existing one: the count is already at least 1
  // and cannot reach 0 before this owner's release, so no ordering is needed.
  static void add_use(block* b) noexcept {
    if (b->counts.use.fetch_add(1, std::memory_order_relaxed) == 0) {
      // Damage: an owner exists, yet the count was 0.
      b->counts.use.fetch_add(kPoison, std::memory_order_relaxed);
    }
  }

  // lock(): a new owner from a weak reference, only while owners remain.
  static bool try_add_use(block* b) noexcept {
    std::uint32_t n = b->counts.use.load(std::memory_order_relaxed);
    do {
      if (n == 0 || n > kMaxCount) return false;
    } while (!b->counts.use.compare_exchange_weak(n, n + 1, std::memory_order_acquire,
                                                  std::memory_order_relaxed));
    return true;
  }

  // Release makes this owner's writes visible to whoever destroys; acquire
  // makes every owner's writes visible to the destroyer.
  static void release_use(block* b) noexcept {
    if (b->counts.use.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      b->deleter(b->owned);
      release_weak(b);
    }
  }

  static void add_weak(block* b) noexcept {
    if (b->counts.weak.fetch_add(1, std::memory_order_relaxed) == 0) {
      b->counts.weak.fetch_add(kPoison, std::memory_order_relaxed);
    }
  }

  static void release_weak(block* b) noexcept {
    if (b->counts.weak.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      block_allocator alloc(b->allocator);
      b->~block();
      alloc.deallocate(block_pointer(b), 1);
    }
  }

  static long use_count(const block* b) noexcept {
    const std::uint32_t n = b->counts.use.load(std::memory_order_relaxed);
    if constexpr (sizeof(long) <= sizeof(std::uint32_t)) {
      // A 32-bit long: a damaged count above LONG_MAX stays positive (and
      // above kMaxCount) instead of wrapping negative.
      if (n > static_cast<std::uint32_t>(LONG_MAX)) return LONG_MAX;
    }
    return static_cast<long>(n);
  }
};

}  // namespace smart_ptr_detail
}  // namespace refipc

#endif  // REFIPC_SMART_PTR_SHARED_COUNT_HPP_
