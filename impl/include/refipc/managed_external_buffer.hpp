// basic_managed_external_buffer: a managed segment over a buffer the user
// provides (and keeps owning).
#ifndef REFIPC_MANAGED_EXTERNAL_BUFFER_HPP_
#define REFIPC_MANAGED_EXTERNAL_BUFFER_HPP_

#include <cstddef>

#include "refipc/creation_tags.hpp"
#include "refipc/detail/segment/managed_memory_impl.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/sync/mutex_family.hpp"

namespace refipc {

template <class CharType, class AllocationAlgorithm, template <class IndexConfig> class IndexType>
class basic_managed_external_buffer
    : public segment_detail::basic_managed_memory_impl<CharType, AllocationAlgorithm, IndexType> {
  using base_type =
      segment_detail::basic_managed_memory_impl<CharType, AllocationAlgorithm, IndexType>;

 public:
  // Manages nothing; useful as the target of a move.
  basic_managed_external_buffer() noexcept = default;

  // Builds a new segment manager over the `size` bytes at `addr`, which must
  // be aligned for it. Throws interprocess_exception when the buffer is
  // missing, misaligned or too small.
  basic_managed_external_buffer(create_only_t, void* addr, std::size_t size) {
    this->create_impl(addr, size);
  }

  // Uses the segment manager that the `size` bytes at `addr` already hold
  // (built there, or byte-copied from another buffer). Beyond Boost: throws
  // interprocess_exception when they hold none, one of another type or
  // layout version, or one larger than `size`.
  basic_managed_external_buffer(open_only_t, void* addr, std::size_t size) {
    this->open_impl(addr, size);
  }

  basic_managed_external_buffer(basic_managed_external_buffer&& moved) noexcept { swap(moved); }
  basic_managed_external_buffer& operator=(basic_managed_external_buffer&& moved) noexcept {
    basic_managed_external_buffer tmp(std::move(moved));
    swap(tmp);
    return *this;
  }

  // Extends the segment by `extra_bytes`, which the caller guarantees to
  // exist right after the current end of the buffer.
  void grow(std::size_t extra_bytes) { this->get_segment_manager()->grow(extra_bytes); }

  void swap(basic_managed_external_buffer& other) noexcept { this->swap_impl(other); }
};

// The manual's typedefs: the default algorithm without process-shared
// locking (the memory belongs to one process) and the default index.
using managed_external_buffer =
    basic_managed_external_buffer<char, rbtree_best_fit<null_mutex_family>, iset_index>;
using wmanaged_external_buffer =
    basic_managed_external_buffer<wchar_t, rbtree_best_fit<null_mutex_family>, iset_index>;

}  // namespace refipc

#endif  // REFIPC_MANAGED_EXTERNAL_BUFFER_HPP_
