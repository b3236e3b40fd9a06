// basic_managed_xsi_shared_memory: a managed segment in an XSI (System V)
// shared memory segment, attached whole.
#ifndef REFIPC_MANAGED_XSI_SHARED_MEMORY_HPP_
#define REFIPC_MANAGED_XSI_SHARED_MEMORY_HPP_

#include <cstddef>
#include <utility>

#include "refipc/creation_tags.hpp"
#include "refipc/detail/segment/managed_segment.hpp"
#include "refipc/detail/segment/xsi_store.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/interprocess_fwd.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/offset_ptr.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/mutex_family.hpp"
#include "refipc/xsi_key.hpp"
#include "refipc/xsi_shared_memory.hpp"

namespace refipc {

// As basic_managed_shared_memory, keyed by an xsi_key. XSI memory can be
// neither mapped privately nor resized, so there is no copy-on-write mode
// and no grow or shrink_to_fit.
template <class CharType, class AllocationAlgorithm, template <class IndexConfig> class IndexType>
class basic_managed_xsi_shared_memory
    : public segment_detail::managed_segment<CharType, AllocationAlgorithm, IndexType,
                                             segment_detail::xsi_store> {
 public:
  basic_managed_xsi_shared_memory() noexcept = default;

  basic_managed_xsi_shared_memory(create_only_t, const xsi_key& key, std::size_t size,
                                  const void* addr = nullptr,
                                  const permissions& perm = segment_detail::owner_only()) {
    this->create_segment(key, size, addr, perm);
  }
  basic_managed_xsi_shared_memory(open_or_create_t, const xsi_key& key, std::size_t size,
                                  const void* addr = nullptr,
                                  const permissions& perm = segment_detail::owner_only()) {
    this->open_or_create_segment(key, size, addr, perm);
  }
  basic_managed_xsi_shared_memory(open_read_only_t, const xsi_key& key,
                                  const void* addr = nullptr) {
    this->open_segment(key, read_only, addr);
  }
  basic_managed_xsi_shared_memory(open_only_t, const xsi_key& key, const void* addr = nullptr) {
    this->open_segment(key, read_write, addr);
  }

  basic_managed_xsi_shared_memory(basic_managed_xsi_shared_memory&& moved) noexcept { swap(moved); }
  basic_managed_xsi_shared_memory& operator=(basic_managed_xsi_shared_memory&& moved) noexcept {
    basic_managed_xsi_shared_memory tmp(std::move(moved));
    swap(tmp);
    return *this;
  }
  // Detaches the segment; it stays in the kernel until remove().
  ~basic_managed_xsi_shared_memory() = default;

  void swap(basic_managed_xsi_shared_memory& other) noexcept { this->swap_segment(other); }
  // The identifier of the segment (-1 when nothing is managed).
  int get_shmid() const noexcept { return this->device().get_shmid(); }
  // Marks the segment `shmid` for deletion (see xsi_shared_memory::remove).
  static bool remove(int shmid) noexcept { return xsi_shared_memory::remove(shmid); }
};

using managed_xsi_shared_memory =
    basic_managed_xsi_shared_memory<char, rbtree_best_fit<mutex_family>, iset_index>;
using wmanaged_xsi_shared_memory =
    basic_managed_xsi_shared_memory<wchar_t, rbtree_best_fit<mutex_family>, iset_index>;
using fixed_managed_xsi_shared_memory =
    basic_managed_xsi_shared_memory<char, rbtree_best_fit<mutex_family, void*>, iset_index>;
using wfixed_managed_xsi_shared_memory =
    basic_managed_xsi_shared_memory<wchar_t, rbtree_best_fit<mutex_family, void*>, iset_index>;

}  // namespace refipc

#endif  // REFIPC_MANAGED_XSI_SHARED_MEMORY_HPP_
