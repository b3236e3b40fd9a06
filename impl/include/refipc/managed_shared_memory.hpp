// basic_managed_shared_memory: a managed segment in a named POSIX shared
// memory object, mapped whole.
#ifndef REFIPC_MANAGED_SHARED_MEMORY_HPP_
#define REFIPC_MANAGED_SHARED_MEMORY_HPP_

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

// Every constructor that creates or opens throws interprocess_exception on
// failure. Beyond Boost: opening something that is not a managed segment of
// exactly this type (or whose creator died while building it) throws
// corrupted_error instead of misbehaving; a new segment gets owner-only
// permissions (0600) unless `perm` is given; creation reserves the memory,
// so a full /dev/shm fails here (out_of_space_error), not later with SIGBUS.
template <class CharType, class AllocationAlgorithm, template <class IndexConfig> class IndexType>
class basic_managed_shared_memory
    : public segment_detail::managed_segment<CharType, AllocationAlgorithm, IndexType,
                                             segment_detail::shm_store> {
 public:
  // Manages nothing; useful as the target of a move.
  basic_managed_shared_memory() noexcept = default;

  // Creates the object `name` of `size` bytes (already_exists_error if it
  // exists), maps it at `addr` (anywhere when null) and builds the segment.
  basic_managed_shared_memory(create_only_t, const char* name, std::size_t size,
                              const void* addr = nullptr,
                              const permissions& perm = segment_detail::owner_only()) {
    this->create_segment(name, size, addr, perm);
  }
  // Opens `name`, or creates it as create_only when it does not exist (then
  // `size` and `perm` are used; otherwise they are ignored).
  basic_managed_shared_memory(open_or_create_t, const char* name, std::size_t size,
                              const void* addr = nullptr,
                              const permissions& perm = segment_detail::owner_only()) {
    this->open_or_create_segment(name, size, addr, perm);
  }
  // Opens the existing segment `name` read-write.
  basic_managed_shared_memory(open_only_t, const char* name, const void* addr = nullptr) {
    this->open_segment(name, read_write, addr);
  }
  // Opens `name` privately: changes stay in this process.
  basic_managed_shared_memory(open_copy_on_write_t, const char* name, const void* addr = nullptr) {
    this->open_segment(name, copy_on_write, addr);
  }
  // Opens `name` read-only: find() and iteration work (without the
  // segment's lock); what would write throws mode_error.
  basic_managed_shared_memory(open_read_only_t, const char* name, const void* addr = nullptr) {
    this->open_segment(name, read_only, addr);
  }

  basic_managed_shared_memory(basic_managed_shared_memory&& moved) noexcept { swap(moved); }
  basic_managed_shared_memory& operator=(basic_managed_shared_memory&& moved) noexcept {
    basic_managed_shared_memory tmp(std::move(moved));
    swap(tmp);
    return *this;
  }
  // Unmaps the segment; the shared memory object and its objects remain
  // (shared_memory_object::remove deletes it).
  ~basic_managed_shared_memory() = default;

  void swap(basic_managed_shared_memory& other) noexcept { this->swap_segment(other); }
  // Writes the mapping back (a no-op for memory, kept for symmetry with the
  // mapped file); false when nothing is mapped.
  bool flush() { return this->flush_segment(); }

  // Offline growth, on a segment no process has mapped: adds `extra_bytes`
  // (objects and handles survive). False when that fails.
  static bool grow(const char* shmname, std::size_t extra_bytes) {
    return basic_managed_shared_memory::grow_segment(shmname, extra_bytes);
  }
  // Offline shrinking to the smallest size that keeps every allocation.
  static bool shrink_to_fit(const char* shmname) {
    return basic_managed_shared_memory::shrink_segment(shmname);
  }
};

using managed_shared_memory =
    basic_managed_shared_memory<char, rbtree_best_fit<mutex_family>, iset_index>;
using wmanaged_shared_memory =
    basic_managed_shared_memory<wchar_t, rbtree_best_fit<mutex_family>, iset_index>;
// Raw pointers inside: every process must map the segment at the same address.
using fixed_managed_shared_memory =
    basic_managed_shared_memory<char, rbtree_best_fit<mutex_family, void*>, iset_index>;
using wfixed_managed_shared_memory =
    basic_managed_shared_memory<wchar_t, rbtree_best_fit<mutex_family, void*>, iset_index>;

}  // namespace refipc

#endif  // REFIPC_MANAGED_SHARED_MEMORY_HPP_
