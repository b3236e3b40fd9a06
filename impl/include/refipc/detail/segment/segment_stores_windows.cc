// The stores of segment_stores.hpp on Windows: shared memory objects (files
// of the named-object directory) and files, through their file HANDLEs.
// Permissions are not applied on Windows (see shared_memory_object.hpp):
// new files get their directory's inherited ACL.
#include <windows.h>

#include <string>

#include "refipc/detail/segment/segment_preamble.hpp"
#include "refipc/detail/segment/segment_stores.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/named_file_windows.hpp"

namespace refipc {
namespace segment_detail {
namespace {

constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

[[noreturn]] void fail(native_error_t err, const std::string& message) {
  throw interprocess_exception(error_info(err), message.c_str());
}

[[noreturn]] void fail_last_error(const std::string& message) {
  fail(static_cast<native_error_t>(GetLastError()), message);
}

std::size_t size_of_handle(void* file, const char* name) {
  LARGE_INTEGER size;
  if (!GetFileSizeEx(file, &size)) {
    fail_last_error(std::string("cannot read the size of ") + name);
  }
  return static_cast<std::size_t>(size.QuadPart);
}

// Sets the size of the file: extending a file allocates it, so a full disk
// fails here (out_of_space_error), not in a write through a view. Windows
// refuses to cut a file below a mapped view (busy_error).
void resize_handle(void* file, std::size_t size, const char* name) {
  LARGE_INTEGER end;
  end.QuadPart = static_cast<LONGLONG>(size);
  if (!SetFilePointerEx(file, end, nullptr, FILE_BEGIN) || !SetEndOfFile(file)) {
    fail_last_error("cannot set the size of " + std::string(name) + " to " + std::to_string(size));
  }
}

}  // namespace

std::size_t shm_store::size(const device_type& device) {
  return size_of_handle(device.get_mapping_handle().handle, device.get_name());
}

file_mapping file_store::create(key_type path, std::size_t size, const permissions&) {
  if (!path) throw interprocess_exception(invalid_argument, "managed mapped file: null path");
  const std::wstring wide = sync_detail::widen(path);
  if (wide.empty()) fail(ERROR_INVALID_NAME, describe(path) + ": cannot create it");
  const HANDLE file = CreateFileW(wide.c_str(), GENERIC_READ | GENERIC_WRITE, kShareAll, nullptr,
                                  CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) fail_last_error(describe(path) + ": cannot create it");
  try {
    if (const int err = stamp_creator(file))
      fail(err, describe(path) + ": cannot write its header");
    resize_handle(file, size, path);
    file_mapping mapping(path, read_write);
    CloseHandle(file);
    return mapping;
  } catch (...) {
    CloseHandle(file);
    file_mapping::remove(path);
    throw;
  }
}

std::size_t file_store::size(const device_type& device) {
  return size_of_handle(device.get_mapping_handle().handle, device.get_name());
}

void file_store::resize(device_type& device, std::size_t size) {
  resize_handle(device.get_mapping_handle().handle, size, device.get_name());
}

}  // namespace segment_detail
}  // namespace refipc
