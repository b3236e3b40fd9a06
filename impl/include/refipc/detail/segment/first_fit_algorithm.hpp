// A deliberately small memory algorithm written only to the manual's "new
// allocation algorithm" interface (mutex_family, void_pointer, the
// (size, extra_hdr_bytes) constructor, get_min_size, allocate, deallocate,
// get_size, grow), plus get_free_memory and all_memory_deallocated for
// checks. First fit over blocks laid end to end; a block records only its size
// and whether it is free, so the segment stays valid when byte-copied. Used by
// the tests of the segment manager and its indexes.
#ifndef REFIPC_DETAIL_SEGMENT_FIRST_FIT_ALGORITHM_HPP_
#define REFIPC_DETAIL_SEGMENT_FIRST_FIT_ALGORITHM_HPP_

#include <cstddef>

#include "refipc/offset_ptr.hpp"
#include "refipc/sync/mutex_family.hpp"

namespace refipc {
namespace testing {

class first_fit_algorithm {
 public:
  using mutex_family = null_mutex_family;
  using void_pointer = offset_ptr<void>;

  first_fit_algorithm(std::size_t size, std::size_t extra_hdr_bytes)
      : size_(size), first_(round_up(sizeof(first_fit_algorithm) + extra_hdr_bytes)), end_(first_) {
    extend_to(size);
  }

  static std::size_t get_min_size(std::size_t extra_hdr_bytes) {
    return round_up(sizeof(first_fit_algorithm) + extra_hdr_bytes) + 4 * kUnit;
  }

  void* allocate(std::size_t nbytes) {
    if (nbytes > size_) return nullptr;
    std::size_t need = round_up(nbytes) + kUnit;
    for (std::size_t at = first_; at < end_; at += block(at)->size) {
      block_t* b = block(at);
      if (!b->free) continue;
      // Merge the free blocks that follow.
      while (at + b->size < end_ && block(at + b->size)->free) b->size += block(at + b->size)->size;
      if (b->size < need) continue;
      if (b->size - need >= 2 * kUnit) {
        block_t* rest = block(at + need);
        rest->size = b->size - need;
        rest->free = 1;
        b->size = need;
      }
      b->free = 0;
      return reinterpret_cast<char*>(b) + kUnit;
    }
    return nullptr;
  }

  void deallocate(void* addr) {
    if (addr) reinterpret_cast<block_t*>(static_cast<char*>(addr) - kUnit)->free = 1;
  }

  std::size_t get_size() const { return size_; }

  void grow(std::size_t extra_size) {
    size_ += extra_size;
    extend_to(size_);
  }

  // What one allocation could get if the free blocks were merged, so the
  // figure does not depend on fragmentation.
  std::size_t get_free_memory() const {
    std::size_t used = 0;
    for (std::size_t at = first_; at < end_; at += block(at)->size) {
      if (!block(at)->free) used += block(at)->size;
    }
    return end_ - first_ - used - kUnit;
  }

  bool all_memory_deallocated() const {
    for (std::size_t at = first_; at < end_; at += block(at)->size) {
      if (!block(at)->free) return false;
    }
    return true;
  }

 private:
  static constexpr std::size_t kUnit = 16;
  struct block_t {
    std::size_t size;  // bytes, header included
    std::size_t free;
  };

  static std::size_t round_up(std::size_t n) { return (n + kUnit - 1) / kUnit * kUnit; }

  block_t* block(std::size_t offset) const {
    return reinterpret_cast<block_t*>(const_cast<char*>(reinterpret_cast<const char*>(this)) +
                                      offset);
  }

  // Covers [end_, size) (rounded down to whole units) with a free block.
  void extend_to(std::size_t size) {
    std::size_t new_end = size / kUnit * kUnit;
    if (new_end < end_ + kUnit) return;
    block_t* b = block(end_);
    b->size = new_end - end_;
    b->free = 1;
    end_ = new_end;
  }

  std::size_t size_;
  std::size_t first_;
  std::size_t end_;
};

}  // namespace testing
}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_FIRST_FIT_ALGORITHM_HPP_
