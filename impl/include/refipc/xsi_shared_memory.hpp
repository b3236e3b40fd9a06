// XSI (System V) shared memory segments.
#ifndef REFIPC_XSI_SHARED_MEMORY_HPP_
#define REFIPC_XSI_SHARED_MEMORY_HPP_

#include <cstddef>

#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/interprocess_fwd.hpp"
#include "refipc/permissions.hpp"
#include "refipc/xsi_key.hpp"

namespace refipc {

// Refers to an XSI shared memory segment by its identifier. Segments live in
// the kernel until remove(): destroying this object only forgets the id.
// Map one with mapped_region (whole, read_only or read_write).
//
// Creation needs a size above 0 (else invalid_argument) and applies explicit
// permissions exactly; the default (0600) is narrowed by the umask, which XSI
// IPC itself ignores (see permissions.hpp). The segment is zero-filled. Opening with the private
// key (xsi_key()) throws invalid_argument: it names no existing segment. open_or_create of an
// existing segment smaller than `size` throws size_error. Other errors carry
// their errno: already_exists_error, not_found_error, security_error.
class xsi_shared_memory {
 public:
  // An empty object: get_shmid() is -1.
  xsi_shared_memory() noexcept = default;
  // Adopts an identifier obtained elsewhere (possibly from another process);
  // throws with the system's error if it names no accessible segment.
  xsi_shared_memory(open_only_t, int shmid);
  xsi_shared_memory(create_only_t, const xsi_key& key, std::size_t size,
                    const permissions& perm = permissions());
  xsi_shared_memory(open_or_create_t, const xsi_key& key, std::size_t size,
                    const permissions& perm = permissions());
  xsi_shared_memory(open_only_t, const xsi_key& key);

  // Moved-from objects are left empty.
  xsi_shared_memory(xsi_shared_memory&& other) noexcept { swap(other); }
  xsi_shared_memory& operator=(xsi_shared_memory&& other) noexcept;
  xsi_shared_memory(const xsi_shared_memory&) = delete;
  xsi_shared_memory& operator=(const xsi_shared_memory&) = delete;
  ~xsi_shared_memory() = default;

  void swap(xsi_shared_memory& other) noexcept;

  int get_shmid() const noexcept { return shmid_; }
  mapping_handle_t get_mapping_handle() const noexcept { return {shmid_, false, true}; }

  // Marks the segment for deletion: it disappears once the last mapping of it
  // is gone, and can no longer be opened by key. False on any error.
  static bool remove(int shmid) noexcept;

 private:
  int shmid_ = -1;
};

}  // namespace refipc

#endif  // REFIPC_XSI_SHARED_MEMORY_HPP_
