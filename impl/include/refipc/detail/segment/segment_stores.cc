// What the stores of segment_stores.hpp do alike on every platform; the rest
// is in segment_stores_posix.cc and segment_stores_windows.cc.
#include "refipc/detail/segment/segment_stores.hpp"

#include <string>

#include "refipc/detail/segment/segment_preamble.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace segment_detail {

shared_memory_object shm_store::create(key_type name, std::size_t size, const permissions& perm) {
  shared_memory_object shm(create_only, name, read_write, perm);
  try {
    if (const int err = stamp_creator(shm.get_mapping_handle().handle)) {
      throw interprocess_exception(error_info(err),
                                   (describe(name) + ": cannot write its header").c_str());
    }
    shm.truncate(static_cast<offset_t>(size));  // reserves the space
  } catch (...) {
    shared_memory_object::remove(name);
    throw;
  }
  return shm;
}

void shm_store::resize(device_type& device, std::size_t size) {
  device.truncate(static_cast<offset_t>(size));
}

std::string shm_store::describe(key_type name) {
  return std::string("shared memory \"") + (name ? name : "") + "\"";
}

std::string file_store::describe(key_type path) {
  return std::string("file \"") + (path ? path : "") + "\"";
}

}  // namespace segment_detail
}  // namespace refipc
