// The backing store of managed_xsi_shared_memory: XSI shared memory, with the
// members of the stores in segment_stores.hpp. POSIX only.
#ifndef REFIPC_DETAIL_SEGMENT_XSI_STORE_HPP_
#define REFIPC_DETAIL_SEGMENT_XSI_STORE_HPP_

#include <cstddef>
#include <string>

#include "refipc/interprocess_fwd.hpp"
#include "refipc/permissions.hpp"
#include "refipc/xsi_key.hpp"
#include "refipc/xsi_shared_memory.hpp"

namespace refipc {
namespace segment_detail {

// XSI shared memory (xsi_shared_memory): created at its final size, and
// never resized (XSI segments cannot be).
struct xsi_store {
  using key_type = xsi_key;
  using device_type = xsi_shared_memory;
  static constexpr bool kResizable = false;
  static device_type create(const key_type& key, std::size_t size, const permissions& perm) {
    return device_type(create_only, key, size, perm);
  }
  static device_type open(const key_type& key, mode_t) { return device_type(open_only, key); }
  static std::size_t size(const device_type& device);
  static void remove(const key_type&, const device_type& device) noexcept {
    xsi_shared_memory::remove(device.get_shmid());
  }
  static std::string describe(const key_type& key);
};

}  // namespace segment_detail
}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_XSI_STORE_HPP_
