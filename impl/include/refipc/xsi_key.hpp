// Keys of XSI (System V) IPC resources.
#ifndef REFIPC_XSI_KEY_HPP_
#define REFIPC_XSI_KEY_HPP_

#include <sys/ipc.h>
#include <sys/types.h>

#include <cstdint>

#include "refipc/exceptions.hpp"
#include "refipc/interprocess_fwd.hpp"

namespace refipc {

// A key_t: IPC_PRIVATE by default, or derived with ftok from an existing path
// and an id. The same path and id give the same key in every process.
//
// A null path or an id of 0 (whose result POSIX leaves unspecified) throws
// invalid_argument; a path that cannot be resolved throws with its errno
// (not_found_error for a missing file, security_error when access is denied).
class xsi_key {
 public:
  xsi_key() noexcept = default;
  // A key obtained elsewhere (ftok, a configuration, IPC_PRIVATE).
  explicit xsi_key(key_t key) noexcept : key_(key) {}
  xsi_key(const char* path, std::uint8_t id);

  key_t get_key() const noexcept { return key_; }

 private:
  key_t key_ = IPC_PRIVATE;
};

}  // namespace refipc

#endif  // REFIPC_XSI_KEY_HPP_
