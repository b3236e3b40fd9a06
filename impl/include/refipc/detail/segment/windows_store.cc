#include "refipc/detail/segment/windows_store.hpp"

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace segment_detail {

std::size_t windows_store::size(const device_type& device) {
  const offset_t size = device.get_size();
  if (size <= 0) {
    throw interprocess_exception(size_error,
                                 (describe(device.get_name()) + ": cannot read its size").c_str());
  }
  return static_cast<std::size_t>(size);
}

std::string windows_store::describe(key_type name) {
  return std::string("Windows shared memory \"") + (name ? name : "") + "\"";
}

}  // namespace segment_detail
}  // namespace refipc
