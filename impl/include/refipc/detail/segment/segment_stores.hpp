// The backing stores of the managed segments that live outside the process:
// how managed_segment creates, opens, measures, resizes and removes each. One
// struct per store, all with the same members, so that one front end
// (managed_segment.hpp) serves them all. XSI shared memory's store is in
// xsi_store.hpp, Windows shared memory's in windows_store.hpp.
#ifndef REFIPC_DETAIL_SEGMENT_SEGMENT_STORES_HPP_
#define REFIPC_DETAIL_SEGMENT_SEGMENT_STORES_HPP_

#include <cstddef>
#include <string>

#include "refipc/file_mapping.hpp"
#include "refipc/interprocess_fwd.hpp"
#include "refipc/permissions.hpp"
#include "refipc/shared_memory_object.hpp"

namespace refipc {
namespace segment_detail {

// Members of a store:
//  - create(key, size, perm): a new store of `size` bytes, space reserved,
//    zero-filled; fails with already_exists_error when the key is taken, and
//    leaves nothing behind on any failure.
//  - open(key, mode): an existing store, opened read_write or read_only.
//  - size(device): its current size in bytes.
//  - resize(device, size): sets its size, reserving any new space
//    (out_of_space_error when the system cannot provide it).
//  - remove(key, device): deletes it; never throws.
//  - describe(key): the key as text, for messages.

// POSIX shared memory (shared_memory_object; on Windows its emulation by files).
struct shm_store {
  using key_type = const char*;
  using device_type = shared_memory_object;
  static constexpr bool kResizable = true;
  static device_type create(key_type name, std::size_t size, const permissions& perm);
  static device_type open(key_type name, mode_t mode) { return device_type(open_only, name, mode); }
  static std::size_t size(const device_type& device);
  static void resize(device_type& device, std::size_t size);
  static void remove(key_type name, const device_type&) noexcept {
    shared_memory_object::remove(name);
  }
  static std::string describe(key_type name);
};

// Files (file_mapping), created here since file_mapping never creates one.
struct file_store {
  using key_type = const char*;
  using device_type = file_mapping;
  static constexpr bool kResizable = true;
  static device_type create(key_type path, std::size_t size, const permissions& perm);
  static device_type open(key_type path, mode_t mode) { return device_type(path, mode); }
  static std::size_t size(const device_type& device);
  static void resize(device_type& device, std::size_t size);
  static void remove(key_type path, const device_type&) noexcept { file_mapping::remove(path); }
  static std::string describe(key_type path);
};

}  // namespace segment_detail
}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_SEGMENT_STORES_HPP_
