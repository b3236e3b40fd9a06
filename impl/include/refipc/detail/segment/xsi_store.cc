#include "refipc/detail/segment/xsi_store.hpp"

#include <sys/shm.h>

#include <cerrno>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace segment_detail {

std::size_t xsi_store::size(const device_type& device) {
  struct shmid_ds ds;
  if (shmctl(device.get_shmid(), IPC_STAT, &ds) != 0) {
    const int err = errno;
    throw interprocess_exception(error_info(err),
                                 "cannot read the size of an XSI shared memory segment");
  }
  return static_cast<std::size_t>(ds.shm_segsz);
}

std::string xsi_store::describe(const key_type& key) {
  return "XSI shared memory with key " + std::to_string(key.get_key());
}

}  // namespace segment_detail
}  // namespace refipc
