// lookup_error on Windows: native errors are GetLastError() values.
#include <windows.h>

#include "refipc/errors.hpp"

namespace refipc {

error_code_t lookup_error(native_error_t native) noexcept {
  switch (static_cast<DWORD>(native)) {
    case ERROR_SUCCESS:
      return no_error;
    case ERROR_ACCESS_DENIED:
    case ERROR_PRIVILEGE_NOT_HELD:
      return security_error;
    case ERROR_WRITE_PROTECT:
      return read_only_error;
    case ERROR_READ_FAULT:
    case ERROR_WRITE_FAULT:
      return io_error;
    case ERROR_INVALID_NAME:
    case ERROR_BAD_PATHNAME:
    case ERROR_FILENAME_EXCED_RANGE:
    case ERROR_PATH_NOT_FOUND:
      return path_error;
    case ERROR_FILE_NOT_FOUND:
      return not_found_error;
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
    case ERROR_BUSY:
    case ERROR_USER_MAPPED_FILE:  // resizing a file below a mapped view
      return busy_error;
    case ERROR_ALREADY_EXISTS:
    case ERROR_FILE_EXISTS:
      return already_exists_error;
    case ERROR_DIR_NOT_EMPTY:
      return not_empty_error;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
    case ERROR_COMMITMENT_LIMIT:
      return out_of_space_error;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
      return out_of_memory_error;
    case ERROR_TOO_MANY_OPEN_FILES:
    case ERROR_NO_SYSTEM_RESOURCES:
      return out_of_resource_error;
    case ERROR_INVALID_PARAMETER:
    case ERROR_INVALID_HANDLE:
      return invalid_argument;
    default:
      return system_error;
  }
}

}  // namespace refipc
