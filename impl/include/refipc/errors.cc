#include "refipc/errors.hpp"

#include <cerrno>

namespace refipc {

error_code_t lookup_error(native_error_t native) noexcept {
  switch (native) {
    case 0:
      return no_error;
    case EACCES:
    case EPERM:
      return security_error;
    case EROFS:
      return read_only_error;
    case EIO:
      return io_error;
    case ENAMETOOLONG:
      return path_error;
    case ENOENT:
      return not_found_error;
    case EAGAIN:
    case EBUSY:
    case ETXTBSY:
      return busy_error;
    case EEXIST:
      return already_exists_error;
    case ENOTEMPTY:
      return not_empty_error;
    case EISDIR:
      return is_directory_error;
    case ENOSPC:
      return out_of_space_error;
    case ENOMEM:
      return out_of_memory_error;
    case EMFILE:
    case ENFILE:
      return out_of_resource_error;
    case EINVAL:
      return invalid_argument;
    case EOWNERDEAD:
      return owner_dead_error;
    case ENOTRECOVERABLE:
      return not_recoverable;
    default:
      return system_error;
  }
}

}  // namespace refipc
