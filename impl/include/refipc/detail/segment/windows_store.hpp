// The backing store of managed_windows_shared_memory: native Windows shared
// memory, with the members of the stores in segment_stores.hpp. Windows only.
#ifndef REFIPC_DETAIL_SEGMENT_WINDOWS_STORE_HPP_
#define REFIPC_DETAIL_SEGMENT_WINDOWS_STORE_HPP_

#include <cstddef>
#include <string>

#include "refipc/interprocess_fwd.hpp"
#include "refipc/permissions.hpp"
#include "refipc/windows_shared_memory.hpp"

namespace refipc {
namespace segment_detail {

// Created at its final size (the system fills it with zeros) and never
// resized: Windows destroys the memory with its last handle, so there is no
// closed segment to grow or shrink, and nothing to remove.
struct windows_store {
  using key_type = const char*;
  using device_type = windows_shared_memory;
  static constexpr bool kResizable = false;
  static device_type create(key_type name, std::size_t size, const permissions& perm) {
    return device_type(create_only, name, read_write, size, perm);
  }
  static device_type open(key_type name, mode_t mode) { return device_type(open_only, name, mode); }
  // The size rounded up to a page, as Windows keeps it.
  static std::size_t size(const device_type& device);
  // Closing the device (its last handle) deletes it.
  static void remove(key_type, const device_type&) noexcept {}
  static std::string describe(key_type name);
};

}  // namespace segment_detail
}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_WINDOWS_STORE_HPP_
