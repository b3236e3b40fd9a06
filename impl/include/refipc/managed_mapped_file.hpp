// basic_managed_mapped_file: a managed segment in a file, mapped whole.
#ifndef REFIPC_MANAGED_MAPPED_FILE_HPP_
#define REFIPC_MANAGED_MAPPED_FILE_HPP_

#include <cstddef>
#include <utility>

#include "refipc/creation_tags.hpp"
#include "refipc/detail/segment/managed_segment.hpp"
#include "refipc/detail/segment/segment_stores.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/interprocess_fwd.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/offset_ptr.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/mutex_family.hpp"

namespace refipc {

// As basic_managed_shared_memory, with a file path as the name: the file is
// created (exclusively) by create_only and open_or_create, with its blocks
// reserved so that a full disk fails at creation or grow(), never later.
template <class CharType, class AllocationAlgorithm, template <class IndexConfig> class IndexType>
class basic_managed_mapped_file
    : public segment_detail::managed_segment<CharType, AllocationAlgorithm, IndexType,
                                             segment_detail::file_store> {
 public:
  basic_managed_mapped_file() noexcept = default;

  basic_managed_mapped_file(create_only_t, const char* name, std::size_t size,
                            const void* addr = nullptr,
                            const permissions& perm = segment_detail::owner_only()) {
    this->create_segment(name, size, addr, perm);
  }
  basic_managed_mapped_file(open_or_create_t, const char* name, std::size_t size,
                            const void* addr = nullptr,
                            const permissions& perm = segment_detail::owner_only()) {
    this->open_or_create_segment(name, size, addr, perm);
  }
  basic_managed_mapped_file(open_only_t, const char* name, const void* addr = nullptr) {
    this->open_segment(name, read_write, addr);
  }
  // Changes stay in this process; the file is opened read-only.
  basic_managed_mapped_file(open_copy_on_write_t, const char* name, const void* addr = nullptr) {
    this->open_segment(name, copy_on_write, addr);
  }
  // find() and iteration work (without the segment's lock); what would
  // write throws mode_error.
  basic_managed_mapped_file(open_read_only_t, const char* name, const void* addr = nullptr) {
    this->open_segment(name, read_only, addr);
  }

  basic_managed_mapped_file(basic_managed_mapped_file&& moved) noexcept { swap(moved); }
  basic_managed_mapped_file& operator=(basic_managed_mapped_file&& moved) noexcept {
    basic_managed_mapped_file tmp(std::move(moved));
    swap(tmp);
    return *this;
  }
  // Unmaps the file; it stays, with its objects.
  ~basic_managed_mapped_file() = default;

  void swap(basic_managed_mapped_file& other) noexcept { this->swap_segment(other); }
  // Writes the whole mapping back to the file and waits for it; false when
  // nothing is mapped or the system fails.
  bool flush() { return this->flush_segment(); }

  // Offline growth and shrinking, as for basic_managed_shared_memory.
  static bool grow(const char* filename, std::size_t extra_bytes) {
    return basic_managed_mapped_file::grow_segment(filename, extra_bytes);
  }
  static bool shrink_to_fit(const char* filename) {
    return basic_managed_mapped_file::shrink_segment(filename);
  }
};

using managed_mapped_file =
    basic_managed_mapped_file<char, rbtree_best_fit<mutex_family>, iset_index>;
using wmanaged_mapped_file =
    basic_managed_mapped_file<wchar_t, rbtree_best_fit<mutex_family>, iset_index>;
using fixed_managed_mapped_file =
    basic_managed_mapped_file<char, rbtree_best_fit<mutex_family, void*>, iset_index>;
using wfixed_managed_mapped_file =
    basic_managed_mapped_file<wchar_t, rbtree_best_fit<mutex_family, void*>, iset_index>;

}  // namespace refipc

#endif  // REFIPC_MANAGED_MAPPED_FILE_HPP_
