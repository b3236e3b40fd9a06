// basic_managed_windows_shared_memory: a managed segment in native Windows
// shared memory (windows_shared_memory), mapped whole. Windows only; on other
// platforms including this header is an error whose message names the reason.
#ifndef REFIPC_MANAGED_WINDOWS_SHARED_MEMORY_HPP_
#define REFIPC_MANAGED_WINDOWS_SHARED_MEMORY_HPP_

#ifndef _WIN32
#error \
    "refipc/managed_windows_shared_memory.hpp: managed_windows_shared_memory is only available on Windows (_WIN32 is not defined); use managed_shared_memory on this platform"
#else

#include <cstddef>
#include <utility>

#include "refipc/creation_tags.hpp"
#include "refipc/detail/segment/managed_segment.hpp"
#include "refipc/detail/segment/windows_store.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/interprocess_fwd.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/offset_ptr.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/mutex_family.hpp"
#include "refipc/windows_shared_memory.hpp"

namespace refipc {

// As basic_managed_shared_memory (the same front end, the same checks on
// what it opens), over Windows shared memory. The segment has no
// persistence: Windows destroys it, with every object in it, when the last
// process that has it open closes it (the last handle or mapping goes), so
// there is no remove(), and no grow() or shrink_to_fit() (they need a segment
// nobody has open). A new segment gets the creating process's default
// security unless `perm` grants access to others (windows_shared_memory).
template <class CharType, class AllocationAlgorithm, template <class IndexConfig> class IndexType>
class basic_managed_windows_shared_memory
    : public segment_detail::managed_segment<CharType, AllocationAlgorithm, IndexType,
                                             segment_detail::windows_store> {
 public:
  // Manages nothing; useful as the target of a move.
  basic_managed_windows_shared_memory() noexcept = default;

  // Creates the shared memory `name` of `size` bytes (already_exists_error if
  // it exists), maps it at `addr` (anywhere when null) and builds the segment.
  basic_managed_windows_shared_memory(create_only_t, const char* name, std::size_t size,
                                      const void* addr = nullptr,
                                      const permissions& perm = segment_detail::owner_only()) {
    this->create_segment(name, size, addr, perm);
  }
  // Opens `name`, or creates it as create_only when it does not exist.
  basic_managed_windows_shared_memory(open_or_create_t, const char* name, std::size_t size,
                                      const void* addr = nullptr,
                                      const permissions& perm = segment_detail::owner_only()) {
    this->open_or_create_segment(name, size, addr, perm);
  }
  // Opens the existing segment `name` read-write.
  basic_managed_windows_shared_memory(open_only_t, const char* name, const void* addr = nullptr) {
    this->open_segment(name, read_write, addr);
  }
  // Opens `name` privately: changes stay in this mapping.
  basic_managed_windows_shared_memory(open_copy_on_write_t, const char* name,
                                      const void* addr = nullptr) {
    this->open_segment(name, copy_on_write, addr);
  }
  // Opens `name` read-only: find() and iteration work; what would write
  // throws mode_error.
  basic_managed_windows_shared_memory(open_read_only_t, const char* name,
                                      const void* addr = nullptr) {
    this->open_segment(name, read_only, addr);
  }

  basic_managed_windows_shared_memory(basic_managed_windows_shared_memory&& moved) noexcept {
    swap(moved);
  }
  basic_managed_windows_shared_memory& operator=(
      basic_managed_windows_shared_memory&& moved) noexcept {
    basic_managed_windows_shared_memory tmp(std::move(moved));
    swap(tmp);
    return *this;
  }
  // Unmaps the segment and closes its handle; the last process to do so
  // destroys it.
  ~basic_managed_windows_shared_memory() = default;

  void swap(basic_managed_windows_shared_memory& other) noexcept { this->swap_segment(other); }
  // Writes the mapping back (kept for symmetry with the mapped file); false
  // when nothing is mapped.
  bool flush() { return this->flush_segment(); }
};

using managed_windows_shared_memory =
    basic_managed_windows_shared_memory<char, rbtree_best_fit<mutex_family>, iset_index>;
using wmanaged_windows_shared_memory =
    basic_managed_windows_shared_memory<wchar_t, rbtree_best_fit<mutex_family>, iset_index>;

}  // namespace refipc

#endif  // _WIN32

#endif  // REFIPC_MANAGED_WINDOWS_SHARED_MEMORY_HPP_
