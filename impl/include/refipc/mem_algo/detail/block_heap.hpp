// block_heap: the engine behind rbtree_best_fit and simple_seq_fit.
//
// The algorithm object sits at offset 0 of the segment it manages and
// describes everything by offsets from itself or by VoidPointer, so a segment
// built with offset_ptr can be copied byte for byte to another address.
//
// Memory after the header is a sequence of blocks with boundary tags:
//
//   [prev_size][size|allocated][user bytes ...]
//
// prev_size (the size of the block before, 0 for the first block) is kept
// valid for every block, so both neighbours are reachable in constant time
// and free neighbours are merged at once: no two free blocks are adjacent.
// A zero-sized allocated block ends the segment.
//
// Free blocks sit in size-segregated bins (see "Memory algorithm" in
// docs/design.md). Blocks of fewer than 32 alignment units have one bin per
// size: a doubly linked list. Larger blocks have one bin per power of two of
// units, each a bitwise trie keyed by the size in units: a node's children
// split its subtree on the next key bit, so a path is at most as long as a
// key has bits, and blocks of equal size hang off their trie node in a
// doubly linked chain. A bitmap of the non-empty bins finds the first
// candidate bin in constant time; one descent of a trie then finds its
// smallest block that fits (best fit) or the first one met (first fit).
// Every operation is O(1) or bounded by the key width, whatever the
// fragmentation.
//
// Links and bin heads are 32-bit block indexes: 1 + the block's distance
// from the first block in alignment units, 0 for none. They keep the
// header small (a segment of a few hundred bytes is usable), are the same
// whatever the pointer type, and limit a segment to 2^32 units (64 GiB with
// the default alignment).
#ifndef REFIPC_MEM_ALGO_DETAIL_BLOCK_HEAP_HPP_
#define REFIPC_MEM_ALGO_DETAIL_BLOCK_HEAP_HPP_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "refipc/containers/allocation_type.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mem_algo/detail/layout_id.hpp"
#include "refipc/mem_algo/detail/multiallocation_chain.hpp"
#include "refipc/sync/detail/recovering_lock.hpp"
#include "refipc/sync/scoped_lock.hpp"

namespace refipc::mem_algo_detail {

enum class fit_policy { best_fit, first_fit };

// "refipcMA": the first word of every block_heap header.
inline constexpr std::uint64_t heap_magic = 0x72656669'70634d41ULL;
// 5: 32-bit block-index links, exact-size bins below 32 units and trie bins
// above (4: the 40-byte robust mutex, 3: the mutex family and the header
// size recorded after the configuration).
inline constexpr std::uint32_t heap_version = 5;
// "refipcM!": replaces heap_magic when the heap is marked corrupted.
inline constexpr std::uint64_t heap_corrupted_magic = 0x72656669'70634d21ULL;

template <class MutexFamily, class VoidPointer, std::size_t Alignment, fit_policy Policy,
          std::uint32_t AlgorithmId>
class block_heap {
  static_assert(Alignment >= alignof(std::size_t) && (Alignment & (Alignment - 1)) == 0,
                "MemAlignment must be a power of two, at least alignof(std::size_t)");

 public:
  using mutex_family = MutexFamily;
  using void_pointer = VoidPointer;
  using multiallocation_chain = basic_multiallocation_chain<VoidPointer>;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;

  // Bytes a block spends on its tags: size(p) is the block size minus this.
  static constexpr size_type PayloadPerAllocation = 2 * sizeof(size_type);
  // The alignment of every buffer returned (without allocate_aligned).
  static constexpr size_type memory_alignment = Alignment;

  block_heap(size_type size, size_type extra_hdr_bytes) : size_(size), extra_(extra_hdr_bytes) {
    if (size < get_min_size(extra_hdr_bytes)) {
      throw interprocess_exception(error_info(size_error),
                                   "memory algorithm: segment smaller than get_min_size()");
    }
    if (size > kMaxSize) {
      throw interprocess_exception(error_info(size_error),
                                   "memory algorithm: segment larger than 2^32 alignment units");
    }
    for (auto& b : bins_) b = 0;
    first_off_ = first_block_offset(this, extra_hdr_bytes);
    end_off_ = sentinel_offset(first_off_, size);
    block* first = at(first_off_);
    first->prev_size = 0;
    const size_type first_size = end_off_ - first_off_;
    write_sentinel();
    set_block(first, first_size, false);
    insert(first);
    free_bytes_ = first_size;
    version_ = heap_version;
    config_ = configuration();
    mutex_family_ = layout_id_v<MutexFamily>;
    header_bytes_ = sizeof(block_heap);
    magic_ = heap_magic;
  }
  // Clears the magic so that the segment no longer passes is_valid_header();
  // volatile, as stores to an object being destroyed are otherwise dropped.
  ~block_heap() { *static_cast<volatile std::uint64_t*>(&magic_) = 0; }
  block_heap(const block_heap&) = delete;
  block_heap& operator=(const block_heap&) = delete;

  // Minimum segment size for a heap with extra_hdr_bytes reserved after it:
  // the header, worst-case padding, one minimal block and the end marker.
  static size_type get_min_size(size_type extra_hdr_bytes) {
    return sizeof(block_heap) + extra_hdr_bytes + Alignment + kMinBlock + kTagBytes;
  }

  // Beyond Boost: true when addr holds a live header of this very algorithm
  // configuration (same algorithm, alignment, size_type, pointer kind and
  // mutex family) whose recorded layout fits in segment_size bytes. Reads
  // only the header. The fields are read as bytes: addr may hold no live
  // object (a destroyed heap, or any memory).
  static bool is_valid_header(const void* addr, size_type segment_size) noexcept {
    error_code_t code;
    return !header_fault(addr, segment_size, nullptr, code);
  }

  // Beyond Boost: as is_valid_header(), but throws interprocess_exception
  // naming the problem: size_error when the recorded segment is larger than
  // segment_size, corrupted_error for anything else (no heap, another byte
  // order, layout version, configuration, or inconsistent fields). The
  // second form also requires extra_hdr_bytes reserved after the header.
  static void check_header(const void* addr, size_type segment_size) {
    throw_fault(addr, segment_size, nullptr);
  }
  static void check_header(const void* addr, size_type segment_size, size_type extra_hdr_bytes) {
    throw_fault(addr, segment_size, &extra_hdr_bytes);
  }

  // Beyond Boost: the checks a segment gets when it is opened, after
  // check_header(): the end marker, the first and last blocks' tags, the
  // bitmap against the bins and every free list in full (links, sizes, bins,
  // boundary tags, no free neighbours), and the free byte count against the
  // free lists. O(free blocks). Throws interprocess_exception
  // (corrupted_error) at the first inconsistency. Without take_lock (for a
  // read-only mapping, where locking would write) a concurrent writer may
  // make it report damage that is not there.
  void check_structure(bool take_lock = true) {
    if (!take_lock) return check_structure_locked();
    const auto guard = lock_heap();
    check_structure_locked();
  }
  void check_structure_locked() {
    block* end = at(end_off_);
    if (end->size_flags != 1) corrupted("the end marker is damaged");
    checked_prev(end);
    block* first = at(first_off_);
    if (first->prev_size != 0 || !sound(first)) corrupted("the first block is damaged");
    size_type listed = 0, sum = 0;
    const char* fault = walk_free(max_blocks(), listed, [&](free_block* f, unsigned) {
      block* before = checked_prev(&f->tags);
      if ((before && !is_alloc(before)) || !is_alloc(checked_next(&f->tags))) {
        corrupted("two free blocks are adjacent");
      }
      sum += bsize(&f->tags);
    });
    if (fault) corrupted(fault);
    if (sum != free_bytes_) corrupted("the free byte count disagrees with the free lists");
  }

  // Beyond Boost: whether p is the start of a live allocation of this heap
  // with at least `bytes` usable bytes. Never throws, reads only inside the
  // segment.
  bool owns(const void* p, size_type bytes) const noexcept {
    const auto addr = reinterpret_cast<std::uintptr_t>(p);
    const auto self = reinterpret_cast<std::uintptr_t>(this);
    if (addr < self + first_off_ + kTagBytes || addr >= self + end_off_) return false;
    const size_type off = static_cast<size_type>(addr - self) - kTagBytes;
    if ((off - first_off_) % Alignment != 0) return false;
    const block* b = reinterpret_cast<const block*>(base() + off);
    return sound(b) && is_alloc(b) && bsize(b) - kTagBytes >= bytes &&
           reinterpret_cast<const block*>(base() + off + bsize(b))->prev_size == bsize(b);
  }

  void* allocate(size_type nbytes) {
    const auto guard = lock_heap();
    return allocate_locked(nbytes);
  }

  // Returns nullptr when alignment is not a power of two or no memory fits.
  void* allocate_aligned(size_type nbytes, size_type alignment) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) return nullptr;
    const auto guard = lock_heap();
    if (alignment <= Alignment) return allocate_locked(nbytes);
    return allocate_aligned_locked(nbytes, alignment);
  }

  // Frees a buffer returned by this algorithm; nullptr is ignored. A pointer
  // that is not a live buffer of this segment throws interprocess_exception
  // (invalid_argument) when detected.
  void deallocate(void* addr) {
    if (!addr) return;
    const auto guard = lock_heap();
    free_block_locked(checked_block(addr));
  }

  // num_elements buffers of elem_bytes each, packed contiguously when one
  // free block can hold them all, appended to chain. On failure nothing is
  // allocated and chain is unchanged.
  void allocate_many(size_type elem_bytes, size_type num_elements, multiallocation_chain& chain) {
    const auto guard = lock_heap();
    allocate_many_locked(
        num_elements, [elem_bytes](size_type) { return elem_bytes; }, chain);
  }
  // n_elements buffers of elem_sizes[i] * sizeof_element bytes.
  void allocate_many(const size_type* elem_sizes, size_type n_elements, size_type sizeof_element,
                     multiallocation_chain& chain) {
    const auto guard = lock_heap();
    for (size_type i = 0; i < n_elements; ++i) {
      if (sizeof_element && elem_sizes[i] > size_ / sizeof_element) return;
    }
    allocate_many_locked(
        n_elements, [=](size_type i) { return elem_sizes[i] * sizeof_element; }, chain);
  }
  // Frees every buffer of chain and empties it.
  void deallocate_many(multiallocation_chain& chain) {
    const auto guard = lock_heap();
    while (!chain.empty()) free_block_locked(checked_block(chain.pop_front()));
  }

  size_type get_size() const noexcept { return size_; }
  // Bytes held by free blocks (their tags included).
  size_type get_free_memory() const noexcept { return free_bytes_; }

  void zero_free_memory() {
    const auto guard = lock_heap();
    size_type listed = 0;
    const char* fault = walk_free(max_blocks(), listed, [](free_block* f, unsigned bin) {
      const size_type links = bin < kSmallBins ? sizeof(free_block) : sizeof(tree_node);
      std::memset(reinterpret_cast<char*>(f) + links, 0, bsize(&f->tags) - links);
    });
    if (fault) corrupted(fault);
  }

  // The caller has made [this, this + get_size() + extra_size) usable.
  void grow(size_type extra_size) {
    const auto guard = lock_heap();
    if (extra_size > kMaxSize - size_) {
      throw interprocess_exception(error_info(size_error),
                                   "memory algorithm: grow beyond 2^32 alignment units");
    }
    const size_type new_end = sentinel_offset(first_off_, size_ + extra_size);
    size_ += extra_size;
    if (new_end == end_off_) return;
    block* gained = at(end_off_);
    const size_type gained_size = new_end - end_off_;
    end_off_ = new_end;
    write_sentinel();
    set_block(gained, gained_size, true);
    free_block_locked(gained);
  }

  // Gives the free space at the end of the segment back: get_size() drops to
  // the end of the last allocated block (one minimal block stays when
  // nothing is allocated).
  void shrink_to_fit() {
    const auto guard = lock_heap();
    block* last = checked_prev(at(end_off_));
    if (is_alloc(last)) return;
    remove(last);
    free_bytes_ -= bsize(last);
    if (offset_of(last) == first_off_) {
      end_off_ = first_off_ + kMinBlock;
      write_sentinel();
      set_block(last, kMinBlock, false);
      insert(last);
      free_bytes_ += kMinBlock;
    } else {
      // The end marker takes the place of the last block, whose prev_size
      // it keeps.
      end_off_ = offset_of(last);
      write_sentinel();
    }
    size_ = end_off_ + kTagBytes;
  }

  bool all_memory_deallocated() {
    const auto guard = lock_heap();
    block* first = at(first_off_);
    return !is_alloc(first) && bsize(first) == end_off_ - first_off_;
  }

  // Beyond Boost: a full structural check. Verifies the header, walks every
  // block (sizes, alignment, boundary tags, no adjacent free blocks, the end
  // marker), every bin (links, membership, bitmap) and that the free bytes
  // counted match get_free_memory(). Never modifies the segment.
  // false for a heap marked corrupted.
  bool check_sanity() {
    try {
      const auto guard = lock_heap();
      return check_sanity_locked();
    } catch (const interprocess_exception& e) {
      if (e.get_error_code() == corrupted_error) return false;
      throw;
    }
  }

  // Beyond Boost (see "Failure model: segment internals" in
  // docs/using-refipc.md): marks the heap corrupted, so that from now on
  // every operation that takes its lock, in any process, throws
  // interprocess_exception(corrupted_error) and is_valid_header() refuses the
  // segment. For the owner of a structure built on the heap that can no
  // longer prove it consistent.
  void mark_corrupted() {
    sync_detail::lock_recovering(
        mutex_, [this] { return repair_locked(); }, kCorruptedText);
    const scoped_lock<mutex_type> guard(mutex_, accept_ownership);
    __atomic_store_n(&magic_, heap_corrupted_magic, __ATOMIC_RELAXED);
  }
  bool is_corrupted() const noexcept {
    return __atomic_load_n(&magic_, __ATOMIC_RELAXED) == heap_corrupted_magic;
  }

  // Usable bytes of a buffer returned by this algorithm.
  size_type size(const void* ptr) const noexcept {
    return bsize(reinterpret_cast<const block*>(static_cast<const char*>(ptr) - kTagBytes)) -
           kTagBytes;
  }

  // Today's form (Boost 1.58 and later). limit_size and
  // prefer_in_recvd_out_size count objects of type T. On return
  // prefer_in_recvd_out_size holds the objects the buffer can hold (on
  // failure: a limit_size worth retrying with), and reuse is kept when the
  // buffer was expanded or shrunk in place and set to nullptr otherwise.
  // Failure or a violated precondition returns nullptr when command has
  // nothrow_allocation and throws bad_alloc otherwise.
  template <class T>
  T* allocation_command(allocation_type command, size_type limit_size,
                        size_type& prefer_in_recvd_out_size, T*& reuse) {
    void* raw_reuse = const_cast<void*>(static_cast<const volatile void*>(reuse));
    void* r =
        raw_allocation_command(command, limit_size, prefer_in_recvd_out_size, raw_reuse, sizeof(T));
    reuse = static_cast<T*>(raw_reuse);
    return static_cast<T*>(r);
  }

  // The manual's form: returns the buffer and whether it was expanded (or
  // shrunk) in place rather than newly allocated.
  template <class T>
  std::pair<T*, bool> allocation_command(allocation_type command, size_type limit_size,
                                         size_type preferred_size, size_type& received_size,
                                         T* reuse_ptr = nullptr) {
    return allocation_detail::manual_form(
        [&](size_type& size, T*& reuse) {
          return allocation_command(command, limit_size, size, reuse);
        },
        preferred_size, received_size, reuse_ptr);
  }

  void* raw_allocation_command(allocation_type command, size_type limit_objects,
                               size_type& prefer_in_recvd_out_objects, void*& reuse_ptr,
                               size_type sizeof_object = 1) {
    void* r;
    {
      const auto guard = lock_heap();
      r = command_locked(command, limit_objects, prefer_in_recvd_out_objects, reuse_ptr,
                         sizeof_object);
    }
    if (!r && !(command & nothrow_allocation)) throw bad_alloc();
    return r;
  }

  std::pair<void*, bool> raw_allocation_command(allocation_type command, size_type limit_objects,
                                                size_type preferred_objects,
                                                size_type& received_objects,
                                                void* reuse_ptr = nullptr,
                                                size_type sizeof_object = 1) {
    return allocation_detail::manual_form(
        [&](size_type& objects, void*& reuse) {
          return raw_allocation_command(command, limit_objects, objects, reuse, sizeof_object);
        },
        preferred_objects, received_objects, reuse_ptr);
  }

 private:
  using mutex_type = typename MutexFamily::mutex_type;

  static constexpr const char* kCorruptedText =
      "memory algorithm: the heap is corrupted (a process died while changing it)";

  // The header lock, held until the returned guard ends (see
  // sync/detail/recovering_lock.hpp). After the death of a holder the heap is
  // kept when check_sanity_locked() proves it consistent, and marked
  // corrupted otherwise.
  scoped_lock<mutex_type> lock_heap() {
    sync_detail::lock_recovering(
        mutex_, [this] { return repair_locked(); }, kCorruptedText);
    scoped_lock<mutex_type> guard(mutex_, accept_ownership);
    if (is_corrupted()) throw interprocess_exception(corrupted_error, kCorruptedText);
    return guard;
  }

  // A block that the dead holder was taking or giving back may be lost to
  // every process: a leak, which check_sanity_locked() accepts.
  bool repair_locked() noexcept {
    if (check_sanity_locked()) return true;
    __atomic_store_n(&magic_, heap_corrupted_magic, __ATOMIC_RELAXED);
    return false;
  }

  struct block {
    size_type prev_size;
    size_type size_flags;  // Size in bytes; bit 0: allocated.
  };
  // Sizes are multiples of Alignment, so its low bits are free: bit 0 is the
  // allocated flag and the others (bits 1-2 when Alignment is 8, only bit 1
  // when it is 4, as on 32-bit x86) are zero in a sound tag. A fixed mask of
  // bits 0-2 would drop bit 2 of a size that is a multiple of 4 only.
  static constexpr size_type kAllocatedBit = 1;
  static constexpr size_type kReservedBits = size_type(Alignment - 1) & ~kAllocatedBit;
  static_assert(Alignment >= 4 && (kReservedBits | kAllocatedBit) == Alignment - 1,
                "the flag bits are exactly the bits below Alignment");
  // A free block's links (all blocks are at least this big): its neighbours
  // in a small bin's list or in a trie node's chain of equal sizes; prev is
  // 0 for a list's first entry and for a trie node.
  struct free_block {
    block tags;
    std::uint32_t next;
    std::uint32_t prev;
  };
  // A free block in a trie bin (at least kSmallBins units, room to spare)
  // adds its trie links; they are meaningful only when it is a trie node.
  struct tree_node {
    free_block links;
    std::uint32_t child[2];
    std::uint32_t parent;  // 0 for the root
  };

  static constexpr size_type kTagBytes = sizeof(block);
  static constexpr size_type round_up(size_type n, size_type a) { return (n + a - 1) / a * a; }
  static constexpr size_type kMinBlock = round_up(sizeof(free_block), Alignment);
  static constexpr size_type kMinUnits = kMinBlock / Alignment;
  // Bin i < kSmallBins holds the free blocks of exactly i units (those below
  // kMinUnits stay empty); trie bin kSmallBins + t those of
  // [2^(kLogSmall + t), 2^(kLogSmall + t + 1)) units.
  static constexpr unsigned kLogSmall = 5;
  static constexpr unsigned kSmallBins = 1u << kLogSmall;
  static constexpr unsigned kBins = kSmallBins + 32 - kLogSmall;
  static constexpr unsigned kNoBin = kBins;
  // A trie path holds at most one node per key bit below the top one, plus
  // the root: 32 for the largest bin's 32-bit keys.
  static constexpr unsigned kMaxDepth = 32;
  static_assert(kSmallBins * Alignment >= sizeof(tree_node), "trie bins hold trie nodes");
  // Largest segment: bin heads (block offsets in alignment units) fit 32 bits.
  static constexpr size_type kMaxSize =
      sizeof(size_type) > 4 ? size_type(std::numeric_limits<std::uint32_t>::max() - 1) * Alignment
                            : std::numeric_limits<size_type>::max();

  // Volatile byte reads: the compiler may not assume the bytes of a
  // destroyed header are indeterminate (the destructor clears the magic).
  template <class F>
  static F read_field(const void* addr, std::size_t offset) noexcept {
    const volatile unsigned char* from = static_cast<const volatile unsigned char*>(addr) + offset;
    unsigned char bytes[sizeof(F)];
    for (std::size_t i = 0; i < sizeof(F); ++i) bytes[i] = from[i];
    F f;
    std::memcpy(&f, bytes, sizeof f);
    return f;
  }

  static constexpr std::uint32_t configuration() {
    unsigned log_align = 0;
    while ((size_type(1) << log_align) < Alignment) ++log_align;
    return AlgorithmId | (log_align << 8) | (std::uint32_t(sizeof(size_type)) << 16) |
           (std::uint32_t(std::is_pointer<VoidPointer>::value) << 24);
  }

  // What is wrong with the header at addr for a segment of segment_size
  // bytes (with *extra bytes reserved after the header, when given), or
  // null; `code` receives the error.
  static const char* header_fault(const void* addr, size_type segment_size, const size_type* extra,
                                  error_code_t& code) noexcept {
    static_assert(std::is_standard_layout<block_heap>::value, "offsetof needs a standard layout");
    static_assert(
        offsetof(block_heap, version_) == 8 && offsetof(block_heap, config_) == 12 &&
            offsetof(block_heap, mutex_family_) == 16 &&
            offsetof(block_heap, header_bytes_) == 20 && offsetof(block_heap, size_) == 24 &&
            offsetof(block_heap, free_bytes_) == 24 + 4 * sizeof(size_type) &&
            offsetof(block_heap, mutex_) == 24 + 5 * sizeof(size_type) &&
            offsetof(block_heap, bitmap_) ==
                round_up(24 + 5 * sizeof(size_type) + sizeof(mutex_type), 8) &&
            offsetof(block_heap, bins_) == offsetof(block_heap, bitmap_) + sizeof(bitmap_) &&
            sizeof(block_heap) ==
                round_up(offsetof(block_heap, bins_) + sizeof(bins_), alignof(block_heap)),
        "the layout docs/layout.md describes");
    static_assert(sizeof(block) == 2 * sizeof(size_type) &&
                      sizeof(free_block) == sizeof(block) + 8 &&
                      offsetof(free_block, next) == sizeof(block) &&
                      offsetof(free_block, prev) == sizeof(block) + 4 &&
                      offsetof(tree_node, child) == sizeof(block) + 8 &&
                      offsetof(tree_node, parent) == sizeof(block) + 16 &&
                      sizeof(tree_node) == round_up(sizeof(block) + 20, alignof(size_type)),
                  "the block tags docs/layout.md describes");
    code = corrupted_error;
    if (!addr || reinterpret_cast<std::uintptr_t>(addr) % alignof(block_heap) != 0) {
      code = invalid_argument;
      return "memory algorithm: buffer missing or misaligned";
    }
    if (segment_size < 24) {
      code = size_error;
      return "memory algorithm: buffer too small to hold a header";
    }
    const auto magic = read_field<std::uint64_t>(addr, offsetof(block_heap, magic_));
    const auto version = read_field<std::uint32_t>(addr, offsetof(block_heap, version_));
    const auto config = read_field<std::uint32_t>(addr, offsetof(block_heap, config_));
    if (magic == __builtin_bswap64(heap_magic)) {
      return "memory algorithm: segment written by a machine of the other byte order";
    }
    if (magic == heap_corrupted_magic) {
      return "memory algorithm: the heap was marked corrupted (a process died while changing it)";
    }
    if (magic != heap_magic) return "memory algorithm: no heap header at the start of the segment";
    if (version != heap_version) return "memory algorithm: heap of another layout version";
    const std::uint32_t want = configuration();
    if ((config ^ want) & 0xFF) return "memory algorithm: segment built by another algorithm";
    if ((config ^ want) & 0xFF0000) {
      return "memory algorithm: segment built by a process of another pointer width";
    }
    if ((config ^ want) & 0xFF00) return "memory algorithm: segment built with another alignment";
    if (config != want) return "memory algorithm: segment built with another pointer type";
    if (segment_size < sizeof(block_heap)) {
      code = size_error;
      return "memory algorithm: buffer shorter than the heap header";
    }
    if (read_field<std::uint32_t>(addr, offsetof(block_heap, mutex_family_)) !=
        layout_id_v<MutexFamily>) {
      return "memory algorithm: segment built with another mutex family";
    }
    if (read_field<std::uint32_t>(addr, offsetof(block_heap, header_bytes_)) !=
        sizeof(block_heap)) {
      return "memory algorithm: heap header of another size";
    }
    const auto size = read_field<size_type>(addr, offsetof(block_heap, size_));
    const auto extra_bytes = read_field<size_type>(addr, offsetof(block_heap, extra_));
    const auto first_off = read_field<size_type>(addr, offsetof(block_heap, first_off_));
    const auto end_off = read_field<size_type>(addr, offsetof(block_heap, end_off_));
    const auto free_bytes = read_field<size_type>(addr, offsetof(block_heap, free_bytes_));
    if (size > segment_size) {
      code = size_error;
      return "memory algorithm: buffer shorter than the segment it holds";
    }
    if (extra && extra_bytes != *extra) return "memory algorithm: damaged header (reserved bytes)";
    if (extra_bytes > size || size > kMaxSize) {
      return "memory algorithm: damaged header (sizes)";
    }
    if (first_off != first_block_offset(addr, extra_bytes) ||
        size < first_off + kMinBlock + kTagBytes || end_off != sentinel_offset(first_off, size)) {
      return "memory algorithm: damaged header (block offsets)";
    }
    if (free_bytes % Alignment != 0 || free_bytes > end_off - first_off) {
      return "memory algorithm: damaged header (free byte count)";
    }
    return nullptr;
  }

  static void throw_fault(const void* addr, size_type segment_size, const size_type* extra) {
    error_code_t code;
    if (const char* what = header_fault(addr, segment_size, extra, code)) {
      throw interprocess_exception(error_info(code), what);
    }
  }

  [[noreturn]] static void corrupted(const char* what) {
    throw interprocess_exception(error_info(corrupted_error),
                                 (std::string("memory algorithm: ") + what).c_str());
  }

  // Blocks the segment can hold at most: the bound of every walk.
  size_type max_blocks() const noexcept { return (end_off_ - first_off_) / kMinBlock + 1; }

  // Whether b, a block position, holds plausible tags: whole units, at
  // least a minimal block, within the segment, no unknown flag.
  bool sound(const block* b) const noexcept {
    const size_type off = offset_of(b), s = bsize(b);
    return (b->size_flags & kReservedBits) == 0 && s >= kMinBlock && s % Alignment == 0 &&
           s <= end_off_ - off;
  }
  // The block after the sound block b (the end marker or a sound block
  // whose prev_size matches b).
  block* checked_next(block* b) const {
    const size_type off = offset_of(b) + bsize(b);
    block* n = const_cast<block_heap*>(this)->at(off);
    if (n->prev_size != bsize(b)) corrupted("a boundary tag is damaged");
    if (off == end_off_) {
      if (n->size_flags != 1) corrupted("the end marker is damaged");
    } else if (!sound(n)) {
      corrupted("a block's tags are damaged");
    }
    return n;
  }
  // The block before b (b sound, or the end marker); null for the first.
  block* checked_prev(block* b) const {
    const size_type off = offset_of(b);
    const size_type p = b->prev_size;
    if (off == first_off_) {
      if (p != 0) corrupted("the first block's tags are damaged");
      return nullptr;
    }
    if (p < kMinBlock || p % Alignment != 0 || p > off - first_off_) {
      corrupted("a boundary tag is damaged");
    }
    block* pb = const_cast<block_heap*>(this)->at(off - p);
    if (bsize(pb) != p || (pb->size_flags & kReservedBits) != 0)
      corrupted("a boundary tag is damaged");
    return pb;
  }
  char* base() noexcept { return reinterpret_cast<char*>(this); }
  const char* base() const noexcept { return reinterpret_cast<const char*>(this); }
  block* at(size_type off) noexcept { return reinterpret_cast<block*>(base() + off); }
  size_type offset_of(const void* p) const noexcept {
    return static_cast<size_type>(static_cast<const char*>(p) - base());
  }
  static size_type bsize(const block* b) noexcept {
    return b->size_flags & ~size_type(Alignment - 1);
  }
  static bool is_alloc(const block* b) noexcept { return b->size_flags & kAllocatedBit; }
  static block* next_of(block* b) noexcept {
    return reinterpret_cast<block*>(reinterpret_cast<char*>(b) + bsize(b));
  }
  static void* user(block* b) noexcept { return reinterpret_cast<char*>(b) + kTagBytes; }
  static free_block* as_free(block* b) noexcept { return reinterpret_cast<free_block*>(b); }

  // Writes b's size and state and the prev_size of the block after it.
  static void set_block(block* b, size_type size, bool allocated) noexcept {
    b->size_flags = size | (allocated ? 1 : 0);
    reinterpret_cast<block*>(reinterpret_cast<char*>(b) + size)->prev_size = size;
  }
  void write_sentinel() noexcept { at(end_off_)->size_flags = 1; }

  // The first block starts so that its user bytes are Alignment-aligned.
  static size_type first_block_offset(const void* self, size_type extra) noexcept {
    const auto addr = reinterpret_cast<std::uintptr_t>(self);
    const size_type min_user = addr + sizeof(block_heap) + extra + kTagBytes;
    return round_up(min_user, Alignment) - kTagBytes - addr;
  }
  static size_type sentinel_offset(size_type first_off, size_type size) noexcept {
    return first_off + (size - kTagBytes - first_off) / Alignment * Alignment;
  }

  // Block size for a request of n user bytes; 0 when n cannot be satisfied.
  size_type block_bytes(size_type n) const noexcept {
    if (n > size_) return 0;
    const size_type b = round_up(n + kTagBytes, Alignment);
    return b < kMinBlock ? kMinBlock : b;
  }

  static unsigned bin_of(size_type bytes) noexcept {
    const size_type units = bytes / Alignment;
    if (units < kSmallBins) return static_cast<unsigned>(units);
    const unsigned idx = kSmallBins + log2(units) - kLogSmall;
    return idx < kBins ? idx : kBins - 1;
  }
  static constexpr unsigned log2(size_type n) noexcept {
    return 63u - static_cast<unsigned>(__builtin_clzll(n));
  }
  static std::uint32_t units_of(const free_block* f) noexcept {
    return static_cast<std::uint32_t>(bsize(&f->tags) / Alignment);
  }
  // The key bit trie bin i's root tests; a node at depth d tests the bit
  // d places lower, and a node past bit 0 has no children.
  static constexpr int top_shift(unsigned i) noexcept {
    return static_cast<int>(i - kSmallBins + kLogSmall) - 1;
  }

  // Block indexes (see the top of this file).
  size_type unit_count() const noexcept { return (end_off_ - first_off_) / Alignment; }
  std::uint32_t index_of(const void* p) const noexcept {
    return static_cast<std::uint32_t>((offset_of(p) - first_off_) / Alignment + 1);
  }
  free_block* at_index(std::uint32_t i) const noexcept {
    return reinterpret_cast<free_block*>(const_cast<char*>(base()) + first_off_ +
                                         size_type(i - 1) * Alignment);
  }
  static tree_node* as_node(free_block* f) noexcept { return reinterpret_cast<tree_node*>(f); }
  // What is wrong with link i (nonzero, read from the segment) as an entry
  // of bin `bin`: it must name a sound free block of that bin. Trie links
  // are read only once this holds, so they lie inside the block.
  const char* link_fault(std::uint32_t i, unsigned bin) const noexcept {
    if (i == 0 || size_type(i - 1) >= unit_count())
      return "a free-list link points outside the blocks";
    const free_block* f = at_index(i);
    if (!sound(&f->tags) || is_alloc(&f->tags) || bin_of(bsize(&f->tags)) != bin) {
      return "a free-list entry is not a free block of its bin";
    }
    return nullptr;
  }
  free_block* linked(std::uint32_t i, unsigned bin) const {
    if (const char* what = link_fault(i, bin)) corrupted(what);
    return at_index(i);
  }
  // Link i as a trie node of bin `bin` (not a chained block of equal size).
  tree_node* node_at(std::uint32_t i, unsigned bin) const {
    free_block* f = linked(i, bin);
    if (f->prev != 0) corrupted("a trie link names a chained block");
    return as_node(f);
  }
  // Child k of trie node n, checked to name n as its parent.
  tree_node* child_of(const tree_node* n, unsigned k, unsigned bin) const {
    tree_node* c = node_at(n->child[k], bin);
    if (c->parent != index_of(n)) corrupted("a trie's parent link is damaged");
    return c;
  }
  // The block after f in an equal-size chain, checked.
  free_block* chained_after(const free_block* f, unsigned bin) const {
    free_block* n = linked(f->next, bin);
    if (n->prev != index_of(f) || bsize(&n->tags) != bsize(&f->tags)) {
      corrupted("a free list's back link is damaged");
    }
    return n;
  }

  // The first entry of small bin i (or the root of trie bin i), checked.
  free_block* bin_head(unsigned i) const {
    if (!bins_[i]) {
      if ((bitmap_[i / 64] >> (i % 64)) & 1) corrupted("the bitmap disagrees with the bins");
      return nullptr;
    }
    free_block* f = linked(bins_[i], i);
    if (f->prev) corrupted("a bin head has a predecessor");
    if (i >= kSmallBins && as_node(f)->parent) corrupted("a trie root has a parent");
    return f;
  }
  void set_bin_head(unsigned i, std::uint32_t head) noexcept {
    bins_[i] = head;
    if (head) {
      bitmap_[i / 64] |= std::uint64_t(1) << (i % 64);
    } else {
      bitmap_[i / 64] &= ~(std::uint64_t(1) << (i % 64));
    }
  }
  unsigned next_nonempty(unsigned from) const noexcept {
    for (unsigned w = from / 64; w < (kBins + 63) / 64; ++w) {
      std::uint64_t bits = bitmap_[w];
      if (w == from / 64) bits &= ~std::uint64_t(0) << (from % 64);
      if (bits) return w * 64 + static_cast<unsigned>(__builtin_ctzll(bits));
    }
    return kNoBin;
  }

  void insert(block* b) {
    free_block* f = as_free(b);
    const unsigned i = bin_of(bsize(b));
    const std::uint32_t self = index_of(f);
    free_block* head = bin_head(i);
    f->prev = 0;
    if (i < kSmallBins || !head) {
      f->next = head ? bins_[i] : 0;
      if (i >= kSmallBins) {
        tree_node* t = as_node(f);
        t->child[0] = t->child[1] = t->parent = 0;
      }
      if (head) head->prev = self;
      set_bin_head(i, self);
      return;
    }
    // Down the trie along the key's bits to a node of the same size (join
    // its chain) or an empty child slot.
    const std::uint32_t key = units_of(f);
    tree_node* n = as_node(head);
    for (int shift = top_shift(i);; --shift) {
      if (units_of(&n->links) == key) {
        f->next = n->links.next;
        f->prev = index_of(n);
        if (f->next) chained_after(&n->links, i)->prev = self;
        n->links.next = self;
        return;
      }
      if (shift < 0) corrupted("a trie key is out of place");
      const unsigned k = (key >> shift) & 1;
      if (!n->child[k]) {
        tree_node* t = as_node(f);
        f->next = 0;
        t->child[0] = t->child[1] = 0;
        t->parent = index_of(n);
        n->child[k] = self;
        return;
      }
      n = child_of(n, k, i);
    }
  }

  // Takes the free block b out of its bin (apply), or only checks every
  // link that would follow or change (check_links).
  void check_links(block* b) const { const_cast<block_heap*>(this)->detach(b, false); }
  void remove(block* b) { detach(b, true); }
  void detach(block* b, bool apply) {
    free_block* f = as_free(b);
    const unsigned i = bin_of(bsize(b));
    const std::uint32_t self = index_of(f);
    free_block* next = f->next ? linked(f->next, i) : nullptr;
    if (next && next->prev != self) corrupted("a free list's back link is damaged");
    free_block* prev = f->prev ? linked(f->prev, i) : nullptr;
    if (prev && prev->next != self) corrupted("a free list's link is damaged");
    if (i < kSmallBins || prev) {
      // A list entry, or a block chained to a trie node.
      if (i >= kSmallBins && bsize(&prev->tags) != bsize(b)) corrupted("a chain mixes sizes");
      if (!prev && bins_[i] != self) corrupted("a free block is missing from its bin");
      if (!apply) return;
      if (prev) {
        prev->next = f->next;
      } else {
        set_bin_head(i, f->next);
      }
      if (next) next->prev = f->prev;
      return;
    }
    // A trie node: its heir is the next block of its chain, or else a leaf
    // of its subtree (which matches the node's path, so it fits its place).
    tree_node* t = as_node(f);
    tree_node* parent = t->parent ? node_at(t->parent, i) : nullptr;
    if (parent ? parent->child[0] != self && parent->child[1] != self : bins_[i] != self) {
      corrupted("a free block is missing from its bin");
    }
    for (unsigned k = 0; k < 2; ++k) {
      if (t->child[k]) child_of(t, k, i);
    }
    tree_node* heir = nullptr;
    tree_node* leaf_parent = nullptr;
    unsigned leaf_side = 0;
    if (next) {
      if (bsize(&next->tags) != bsize(b)) corrupted("a chain mixes sizes");
      heir = as_node(next);
    } else if (t->child[0] || t->child[1]) {
      leaf_parent = t;
      leaf_side = t->child[1] ? 1 : 0;
      heir = child_of(t, leaf_side, i);
      for (unsigned depth = 1; heir->child[0] || heir->child[1]; ++depth) {
        if (depth > kMaxDepth) corrupted("a trie is deeper than its keys");
        leaf_parent = heir;
        leaf_side = heir->child[1] ? 1 : 0;
        heir = child_of(heir, leaf_side, i);
      }
    }
    if (!apply) return;
    const std::uint32_t h = heir ? index_of(heir) : 0;
    if (leaf_parent) leaf_parent->child[leaf_side] = 0;
    if (heir) {
      heir->links.prev = 0;
      heir->parent = t->parent;
      for (unsigned k = 0; k < 2; ++k) {
        heir->child[k] = t->child[k];
        if (t->child[k]) as_node(at_index(t->child[k]))->parent = h;
      }
    }
    if (parent) {
      parent->child[parent->child[1] == self ? 1 : 0] = h;
    } else {
      set_bin_head(i, h);
    }
  }

  // The smallest block of trie bin i's subtree rooted at n.
  free_block* subtree_min(tree_node* n, unsigned i) const {
    tree_node* best = n;
    for (unsigned depth = 0; n->child[0] || n->child[1]; ++depth) {
      if (depth > kMaxDepth) corrupted("a trie is deeper than its keys");
      n = child_of(n, n->child[0] ? 0 : 1, i);
      if (units_of(&n->links) < units_of(&best->links)) best = n;
    }
    return &best->links;
  }
  // The smallest block of trie bin i with at least `key` units (best fit),
  // or the first one met (first fit); null when none.
  free_block* trie_fit(unsigned i, std::uint32_t key) const {
    tree_node* n = as_node(bin_head(i));
    if (!n) corrupted("the bitmap disagrees with the bins");
    tree_node* best = nullptr;
    // The root of the deepest subtree left behind whose keys all exceed
    // `key` (it took a 1 where the key has a 0): its keys are smaller than
    // those of every other such subtree.
    tree_node* bigger = nullptr;
    for (int shift = top_shift(i);; --shift) {
      const std::uint32_t u = units_of(&n->links);
      if (u >= key && (!best || u < units_of(&best->links))) {
        best = n;
        if (u == key || Policy == fit_policy::first_fit) return &best->links;
      }
      if (shift < 0) break;
      const unsigned k = (key >> shift) & 1;
      if (k == 0 && n->child[1]) bigger = n;
      if (!n->child[k]) break;
      n = child_of(n, k, i);
    }
    if (bigger) {
      free_block* m = subtree_min(child_of(bigger, 1, i), i);
      if (!best || units_of(m) < units_of(&best->links)) return m;
    }
    return best ? &best->links : nullptr;
  }

  block* find_fit(size_type need) const {
    const unsigned want = bin_of(need);
    unsigned i = next_nonempty(want);
    if (i == want && i >= kSmallBins) {
      if (free_block* f = trie_fit(i, static_cast<std::uint32_t>(need / Alignment))) {
        return &f->tags;
      }
      i = i + 1 < kBins ? next_nonempty(i + 1) : kNoBin;
    }
    if (i == kNoBin) return nullptr;
    free_block* f = bin_head(i);
    if (!f) corrupted("the bitmap disagrees with the bins");
    // Every block of a small bin has that bin's size; every block of a later
    // trie bin is large enough.
    if (i < kSmallBins || Policy == fit_policy::first_fit) return &f->tags;
    return &subtree_min(as_node(f), i)->tags;
  }
  size_type largest_free() const {
    for (unsigned i = kBins; i-- > 0;) {
      if (!bins_[i]) continue;
      free_block* f = bin_head(i);
      if (i < kSmallBins) return bsize(&f->tags);
      // The largest key: prefer the 1 side at every level.
      tree_node* n = as_node(f);
      std::uint32_t best = units_of(f);
      for (unsigned depth = 0; n->child[0] || n->child[1]; ++depth) {
        if (depth > kMaxDepth) corrupted("a trie is deeper than its keys");
        n = child_of(n, n->child[1] ? 1 : 0, i);
        if (units_of(&n->links) > best) best = units_of(&n->links);
      }
      return size_type(best) * Alignment;
    }
    return 0;
  }

  // Visits every block in the bins once, checking each link it follows: the
  // entry is a sound free block of its bin, back links and parent links
  // agree, a trie node's key matches its path, a chain holds one size.
  // Returns what is wrong, or null. `listed` counts the blocks (at most
  // `limit`, or a loop is reported).
  template <class Visit>
  const char* walk_free(size_type limit, size_type& listed, Visit&& visit) const {
    listed = 0;
    for (unsigned i = 0; i < kBins; ++i) {
      const bool bit = (bitmap_[i / 64] >> (i % 64)) & 1;
      if (bit != (bins_[i] != 0)) return "the bitmap disagrees with the bins";
      if (!bins_[i]) continue;
      // A chain (a small bin's list, or the blocks after a trie node).
      auto chain = [&](free_block* f) -> const char* {
        for (std::uint32_t at = f->next; at; at = f->next) {
          if (const char* what = link_fault(at, i)) return what;
          free_block* n = at_index(at);
          if (n->prev != index_of(f)) return "a free list's back link is damaged";
          if (i >= kSmallBins && bsize(&n->tags) != bsize(&f->tags)) return "a chain mixes sizes";
          if (++listed > limit) return "a free list loops";
          visit(n, i);
          f = n;
        }
        return nullptr;
      };
      if (const char* what = link_fault(bins_[i], i)) return what;
      free_block* head = at_index(bins_[i]);
      if (head->prev) return "a bin head has a predecessor";
      if (i < kSmallBins) {
        if (++listed > limit) return "a free list loops";
        visit(head, i);
        if (const char* what = chain(head)) return what;
        continue;
      }
      // Depth first; `path` is what the key's bits above `shift` must be.
      struct pending {
        std::uint32_t at, parent, path;
        int shift;
      };
      pending stack[kMaxDepth + 2];
      unsigned depth = 0;
      stack[depth++] = {bins_[i], 0, 1, top_shift(i)};
      while (depth) {
        const pending p = stack[--depth];
        if (const char* what = link_fault(p.at, i)) return what;
        tree_node* n = as_node(at_index(p.at));
        if (n->links.prev != 0 || n->parent != p.parent) return "a trie's parent link is damaged";
        if ((units_of(&n->links) >> (p.shift + 1)) != p.path) return "a trie key is out of place";
        if (++listed > limit) return "a free list loops";
        visit(&n->links, i);
        if (const char* what = chain(&n->links)) return what;
        for (unsigned k = 0; k < 2; ++k) {
          if (!n->child[k]) continue;
          if (p.shift < 0 || depth == kMaxDepth + 2) return "a trie is deeper than its keys";
          stack[depth++] = {n->child[k], p.at, (p.path << 1) | k, p.shift - 1};
        }
      }
    }
    return nullptr;
  }

  // Takes the free block b out of the bins as an allocated block of `need`
  // bytes, returning the tail to the bins when it can form a block.
  void take(block* b, size_type need) {
    remove(b);
    const size_type s = bsize(b);
    free_bytes_ -= s;
    set_block(b, s, true);
    trim(b, need);
  }
  // Shrinks the allocated block b to `keep` bytes when the rest can form a
  // free block (merged with a free block after it).
  void trim(block* b, size_type keep) {
    const size_type s = bsize(b);
    size_type rest = s - keep;
    if (rest == 0) return;
    block* next = checked_next(b);
    const bool merge = !is_alloc(next);
    if (!merge && rest < kMinBlock) return;
    if (merge) {
      remove(next);
      rest += bsize(next);
    }
    set_block(b, keep, true);
    block* tail = next_of(b);
    set_block(tail, rest, false);
    insert(tail);
    free_bytes_ += s - keep;
  }
  // The bytes trim(b, keep) would leave b with.
  size_type trimmed_size(block* b, size_type keep) {
    const size_type s = bsize(b);
    if (keep >= s) return s;
    return (!is_alloc(checked_next(b)) || s - keep >= kMinBlock) ? keep : s;
  }

  void* allocate_locked(size_type nbytes) {
    const size_type need = block_bytes(nbytes);
    if (!need) return nullptr;
    block* b = find_fit(need);
    if (!b) return nullptr;
    take(b, need);
    return user(b);
  }

  void* allocate_aligned_locked(size_type nbytes, size_type alignment) {
    const size_type need = block_bytes(nbytes);
    if (!need || alignment > size_) return nullptr;
    // Room to move the start to an aligned address leaving a free block
    // (at least kMinBlock) in front.
    block* b = find_fit(need + alignment + kMinBlock);
    if (!b) return nullptr;
    take(b, bsize(b));
    const auto u = reinterpret_cast<std::uintptr_t>(user(b));
    std::uintptr_t aligned = (u + alignment - 1) & ~std::uintptr_t(alignment - 1);
    while (aligned != u && aligned - u < kMinBlock) aligned += alignment;
    if (aligned != u) {
      const size_type front = aligned - u;
      const size_type total = bsize(b);
      block* nb = reinterpret_cast<block*>(reinterpret_cast<char*>(b) + front);
      set_block(b, front, true);
      set_block(nb, total - front, true);
      free_block_locked(b);
      b = nb;
    }
    trim(b, need);
    return user(b);
  }

  // Frees the allocated block b, merging it with free neighbours. The
  // neighbours' tags and links are checked before anything changes.
  void free_block_locked(block* b) {
    block* prev = checked_prev(b);
    block* next = checked_next(b);
    const bool merge_prev = prev && !is_alloc(prev);
    const bool merge_next = !is_alloc(next);
    if (merge_prev) check_links(prev);
    if (merge_next) check_links(next);
    size_type s = bsize(b);
    const size_type freed = s;
    bin_head(bin_of(s + (merge_prev ? bsize(prev) : 0) + (merge_next ? bsize(next) : 0)));
    if (merge_prev) {
      remove(prev);
      s += bsize(prev);
      b = prev;
    }
    if (merge_next) {
      remove(next);
      s += bsize(next);
    }
    set_block(b, s, false);
    insert(b);
    free_bytes_ += freed;
  }

  // The block of a user pointer, after checks that catch foreign, misaligned
  // and already freed pointers (invalid_argument); a live block whose
  // successor's boundary tag disagrees is damage (corrupted_error).
  block* checked_block(const void* p) {
    const auto addr = reinterpret_cast<std::uintptr_t>(p);
    const auto self = reinterpret_cast<std::uintptr_t>(this);
    if (addr >= self + first_off_ + kTagBytes && addr < self + end_off_) {
      const size_type off = static_cast<size_type>(addr - self) - kTagBytes;
      block* b = at(off);
      if ((off - first_off_) % Alignment == 0 && is_alloc(b) && sound(b)) {
        if (next_of(b)->prev_size != bsize(b)) corrupted("a boundary tag is damaged");
        return b;
      }
    }
    throw interprocess_exception(error_info(invalid_argument),
                                 "memory algorithm: pointer is not a live allocation");
  }

  template <class SizeOf>
  void allocate_many_locked(size_type n, SizeOf size_of, multiallocation_chain& chain) {
    if (n == 0) return;
    size_type total = 0;
    bool fits = true;
    for (size_type i = 0; i < n && fits; ++i) {
      const size_type bb = block_bytes(size_of(i));
      fits = bb != 0 && bb <= size_ && total <= size_ - bb;
      total += bb;
    }
    if (!fits) return;
    multiallocation_chain got;
    if (block* b = find_fit(total)) {
      take(b, bsize(b));
      const size_type whole = bsize(b);
      size_type used = 0;
      for (size_type i = 0; i < n; ++i) {
        block* piece = reinterpret_cast<block*>(reinterpret_cast<char*>(b) + used);
        const size_type bb = i + 1 == n ? whole - used : block_bytes(size_of(i));
        set_block(piece, bb, true);
        used += bb;
        if (i + 1 == n) trim(piece, block_bytes(size_of(i)));
        got.push_back(user(piece));
      }
    } else {
      // No single free block holds them all: allocate one by one.
      for (size_type i = 0; i < n; ++i) {
        void* p = allocate_locked(size_of(i));
        if (!p) {
          while (!got.empty()) free_block_locked(checked_block(got.pop_front()));
          return;
        }
        got.push_back(p);
      }
    }
    chain.splice_back(got);
  }

  // How far b may move back into a free block before it: a multiple of
  // `step` that leaves either nothing or a whole free block behind.
  size_type backward_room(block* b, size_type step) {
    block* prev = checked_prev(b);
    if (!prev || is_alloc(prev)) return 0;
    const size_type p = bsize(prev);
    size_type d = p - p % step;
    while (d > 0 && d != p && p - d < kMinBlock) d -= step;
    return d;
  }
  // The smallest admissible backward move of at least `want` bytes.
  size_type backward_move(block* b, size_type want, size_type step) {
    const size_type p = bsize(checked_prev(b));
    size_type d = round_up(want, step);
    while (d != p && p - d < kMinBlock) d += step;
    return d;
  }
  // Moves the start of the allocated block b back by d bytes (0 < d, an
  // admissible move); returns the block's new position.
  block* move_back(block* b, size_type d) {
    block* prev = checked_prev(b);
    const size_type p = bsize(prev);
    const size_type s = bsize(b);
    remove(prev);
    free_bytes_ -= p;
    block* nb = reinterpret_cast<block*>(reinterpret_cast<char*>(b) - d);
    if (d != p) {
      set_block(prev, p - d, false);
      insert(prev);
      free_bytes_ += p - d;
    }
    set_block(nb, s + d, true);
    return nb;
  }
  // Grows the allocated block b forward to `target` bytes (target no more
  // than its size plus the free block after it).
  void grow_forward(block* b, size_type target) {
    const size_type s = bsize(b);
    if (target <= s) return;
    block* next = checked_next(b);
    const size_type n = bsize(next);
    remove(next);
    free_bytes_ -= n;
    set_block(b, s + n, true);
    trim(b, target);
  }

  static void zero(void* from, void* to) noexcept {
    if (to > from) {
      std::memset(from, 0,
                  static_cast<size_type>(static_cast<char*>(to) - static_cast<char*>(from)));
    }
  }

  void* command_locked(allocation_type command, size_type limit_objects,
                       size_type& prefer_in_recvd_out, void*& reuse, size_type sizeof_object) {
    const size_type preferred_objects = prefer_in_recvd_out;
    const bool shrink = command & (shrink_in_place | try_shrink_in_place);
    const bool fwd = command & expand_fwd;
    const bool bwd = command & expand_bwd;
    const bool anew = command & allocate_new;
    const bool zeroed = command & zero_memory;
    auto fail = [&](size_type retry_objects) -> void* {
      prefer_in_recvd_out = retry_objects;
      if (!shrink) reuse = nullptr;
      return nullptr;
    };
    // Preconditions.
    if (sizeof_object == 0 || !(shrink || fwd || bwd || anew)) return fail(0);
    if (shrink && (fwd || bwd)) return fail(0);
    if ((shrink || fwd || bwd) && !reuse) return fail(0);
    if (shrink ? limit_objects < preferred_objects
               : ((fwd || bwd) && limit_objects > preferred_objects)) {
      return fail(0);
    }
    const size_type max_objects = size_ / sizeof_object;
    if (limit_objects > max_objects) return fail(0);
    const size_type limit_bytes = limit_objects * sizeof_object;
    // A new allocation never aims below the limit.
    const size_type pref_objects = (std::min)(
        max_objects, shrink ? preferred_objects : (std::max)(preferred_objects, limit_objects));
    const size_type pref_bytes = pref_objects * sizeof_object;
    block* b = (shrink || fwd || bwd) ? checked_block(reuse) : nullptr;
    auto received = [&](block* blk) { return (bsize(blk) - kTagBytes) / sizeof_object; };

    if (shrink) {
      const size_type keep = block_bytes(pref_bytes);
      const size_type usable = bsize(b) - kTagBytes;
      if (usable < pref_bytes) return fail(usable / sizeof_object);
      const size_type result = trimmed_size(b, keep) - kTagBytes;
      if (result / sizeof_object > limit_objects) return fail(result / sizeof_object);
      if (command & shrink_in_place) trim(b, keep);
      prefer_in_recvd_out = result / sizeof_object;
      return reuse;
    }

    size_type fwd_room = 0, bwd_room = 0, usable = 0;
    const size_type step = lcm(Alignment, sizeof_object);
    if (b) {
      usable = bsize(b) - kTagBytes;
      if (fwd && !is_alloc(checked_next(b))) fwd_room = bsize(next_of(b));
      if (bwd) bwd_room = backward_room(b, step);
    }
    // Expands b to at least want_bytes usable bytes (forward first when
    // allowed), or to everything available when want_bytes is 0.
    auto expand = [&](size_type want_bytes) -> void* {
      const size_type old_size = bsize(b);
      char* old_user = static_cast<char*>(user(b));
      char* old_end = old_user + (old_size - kTagBytes);
      const size_type target =
          want_bytes ? (std::max)(block_bytes(want_bytes), old_size) : old_size + fwd_room;
      if (fwd_room) grow_forward(b, (std::min)(target, old_size + fwd_room));
      if (zeroed) zero(old_end, static_cast<char*>(user(b)) + (bsize(b) - kTagBytes));
      const size_type have = bsize(b) - kTagBytes;
      const size_type goal = want_bytes ? want_bytes : usable + fwd_room + bwd_room;
      if (have < goal && bwd_room) {
        b = move_back(b, want_bytes ? backward_move(b, goal - have, step) : bwd_room);
        if (zeroed) zero(user(b), old_user);
      }
      prefer_in_recvd_out = received(b);
      return user(b);
    };
    auto allocate_new_bytes = [&](size_type bytes) -> void* {
      void* p = allocate_locked(bytes);
      if (!p) return nullptr;
      if (zeroed) std::memset(p, 0, size(p));
      prefer_in_recvd_out = size(p) / sizeof_object;
      reuse = nullptr;
      return p;
    };

    // 1. Forward expansion to the preferred size.
    if (fwd && usable + fwd_room >= pref_bytes) return expand(pref_bytes);
    // 2. The preferred size by moving the start back (and the end forward).
    if (bwd && usable + fwd_room + bwd_room >= pref_bytes) return expand(pref_bytes);
    // 3. A new buffer of the preferred size.
    if (anew) {
      if (void* p = allocate_new_bytes(pref_bytes)) return p;
    }
    // 4. As much as expansion gives, if that reaches the limit.
    if ((fwd || bwd) && usable + fwd_room + bwd_room >= limit_bytes) return expand(0);
    // 5. A new buffer between the limit and the preferred size.
    const size_type biggest = largest_free();
    if (anew && biggest > kTagBytes && biggest - kTagBytes >= limit_bytes) {
      if (void* p = allocate_new_bytes(biggest - kTagBytes)) return p;
    }
    size_type best = (fwd || bwd) ? usable + fwd_room + bwd_room : 0;
    if (anew && biggest > kTagBytes) best = (std::max)(best, biggest - kTagBytes);
    return fail(best / sizeof_object);
  }

  static size_type lcm(size_type a, size_type b) noexcept {
    size_type x = a, y = b;
    while (y) {
      const size_type t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }

  bool check_sanity_locked() noexcept {
    if (magic_ != heap_magic || version_ != heap_version || config_ != configuration()) {
      return false;
    }
    if (!is_valid_header(this, size_)) return false;
    if (reinterpret_cast<std::uintptr_t>(user(at(first_off_))) % Alignment != 0) return false;
    // Walk the blocks.
    size_type off = first_off_, prev_size = 0, free_sum = 0, free_count = 0, blocks = 0;
    bool prev_free = false;
    while (off != end_off_) {
      block* b = at(off);
      const size_type s = bsize(b);
      if (b->prev_size != prev_size || (b->size_flags & kReservedBits) != 0) return false;
      if (s < kMinBlock || s % Alignment != 0 || s > end_off_ - off) return false;
      const bool is_free = !is_alloc(b);
      if (is_free && prev_free) return false;
      if (is_free) {
        free_sum += s;
        ++free_count;
      }
      prev_free = is_free;
      prev_size = s;
      off += s;
      ++blocks;
    }
    block* end = at(end_off_);
    if (end->size_flags != 1 || end->prev_size != prev_size) return false;
    if (free_sum != free_bytes_) return false;
    // Walk the bins.
    size_type listed = 0;
    bool tags_agree = true;
    const char* fault = walk_free(free_count, listed, [&](free_block* f, unsigned) {
      tags_agree = tags_agree && next_of(&f->tags)->prev_size == bsize(&f->tags);
    });
    return !fault && tags_agree && listed == free_count;
  }

  // Header. Every field is plain data or VoidPointer, so the whole segment
  // stays valid when copied to another address (with offset_ptr).
  alignas(8) std::uint64_t magic_ = 0;  // 8-aligned on 32-bit x86 too
  std::uint32_t version_ = 0;
  std::uint32_t config_ = 0;
  std::uint32_t mutex_family_ = 0;  // layout_id of MutexFamily
  std::uint32_t header_bytes_ = 0;  // sizeof(block_heap)
  size_type size_;
  size_type extra_;
  size_type first_off_ = 0;  // Offset of the first block from this.
  size_type end_off_ = 0;    // Offset of the end marker.
  size_type free_bytes_ = 0;
  mutex_type mutex_;
  alignas(8) std::uint64_t bitmap_[(kBins + 63) / 64] = {};
  std::uint32_t bins_[kBins];  // see bin_head()
};

}  // namespace refipc::mem_algo_detail

#endif  // REFIPC_MEM_ALGO_DETAIL_BLOCK_HEAP_HPP_
