// basic_managed_heap_memory: a managed segment in memory it allocates itself
// with operator new, which grow() can enlarge by moving the whole segment.
#ifndef REFIPC_MANAGED_HEAP_MEMORY_HPP_
#define REFIPC_MANAGED_HEAP_MEMORY_HPP_

#include <cstddef>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <utility>

#include "refipc/detail/segment/managed_memory_impl.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/sync/mutex_family.hpp"

namespace refipc {

template <class CharType, class AllocationAlgorithm, template <class IndexConfig> class IndexType>
class basic_managed_heap_memory
    : public segment_detail::basic_managed_memory_impl<CharType, AllocationAlgorithm, IndexType> {
  using base_type =
      segment_detail::basic_managed_memory_impl<CharType, AllocationAlgorithm, IndexType>;
  using unit = std::max_align_t;

 public:
  // Manages nothing; useful as the target of a move.
  basic_managed_heap_memory() noexcept = default;

  // Allocates `size` bytes and builds a segment manager in them. Throws
  // std::bad_alloc when the heap cannot provide them, interprocess_exception
  // when `size` is too small for a segment.
  explicit basic_managed_heap_memory(std::size_t size)
      : buffer_(new unit[units(size)]), size_(size) {
    this->create_impl(buffer_.get(), size);
  }

  basic_managed_heap_memory(basic_managed_heap_memory&& moved) noexcept { swap(moved); }
  basic_managed_heap_memory& operator=(basic_managed_heap_memory&& moved) noexcept {
    basic_managed_heap_memory tmp(std::move(moved));
    swap(tmp);
    return *this;
  }

  // Frees the memory; the objects in it are not destroyed.
  ~basic_managed_heap_memory() = default;

  // Moves the segment to a buffer `extra_bytes` larger and extends it there.
  // Every pointer into the old buffer is then invalid; offset pointers inside
  // the segment stay valid. Returns false, leaving the segment untouched,
  // when the heap cannot provide the new buffer.
  bool grow(std::size_t extra_bytes) {
    if (!buffer_ || extra_bytes > std::numeric_limits<std::size_t>::max() - size_ - sizeof(unit)) {
      return false;
    }
    std::size_t new_size = size_ + extra_bytes;
    std::unique_ptr<unit[]> fresh(new (std::nothrow) unit[units(new_size)]);
    if (!fresh) return false;
    std::memcpy(fresh.get(), buffer_.get(), size_);
    buffer_ = std::move(fresh);
    size_ = new_size;
    auto* mgr =
        static_cast<typename base_type::segment_manager*>(static_cast<void*>(buffer_.get()));
    this->set_manager(mgr);
    mgr->grow(extra_bytes);
    return true;
  }

  void swap(basic_managed_heap_memory& other) noexcept {
    this->swap_impl(other);
    std::swap(buffer_, other.buffer_);
    std::swap(size_, other.size_);
  }

 private:
  static std::size_t units(std::size_t bytes) { return bytes / sizeof(unit) + 1; }

  std::unique_ptr<unit[]> buffer_;
  std::size_t size_ = 0;
};

// The manual's typedefs: the default algorithm without process-shared
// locking (the memory belongs to one process) and the default index.
using managed_heap_memory =
    basic_managed_heap_memory<char, rbtree_best_fit<null_mutex_family>, iset_index>;
using wmanaged_heap_memory =
    basic_managed_heap_memory<wchar_t, rbtree_best_fit<null_mutex_family>, iset_index>;

}  // namespace refipc

#endif  // REFIPC_MANAGED_HEAP_MEMORY_HPP_
