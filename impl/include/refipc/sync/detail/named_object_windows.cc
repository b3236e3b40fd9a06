// named_mapping on Windows: a file of refipc's named-object directory
// (named_file_windows.hpp), mapped with CreateFileMapping.
//
// Windows' own named memory (windows_shared_memory) vanishes with its last
// handle, while a named primitive must live until remove(): a file does. As
// on POSIX, a creator never makes a half-built object visible: it builds
// the object in a file of a unique temporary name in the same directory and
// publishes it with MoveFileExW without MOVEFILE_REPLACE_EXISTING, which
// fails if the name exists. A creator that dies before publishing leaves
// its temporary file (named "<name>.<pid>.<n>.new"), never a half-built
// object; remove() (remove_named_file()) deletes it later.
#include <windows.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "refipc/errors.hpp"
#include "refipc/sync/detail/named_file_windows.hpp"
#include "refipc/sync/detail/named_object.hpp"
#include "refipc/sync/detail/named_object_common.hpp"

namespace refipc {
namespace sync_detail {
namespace {

// Closes a handle when it goes out of scope.
class handle {
 public:
  explicit handle(HANDLE h) : h_(h) {}
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;
  ~handle() {
    if (h_ != nullptr && h_ != INVALID_HANDLE_VALUE) CloseHandle(h_);
  }
  HANDLE get() const { return h_; }
  bool valid() const { return h_ != nullptr && h_ != INVALID_HANDLE_VALUE; }

 private:
  HANDLE h_;
};

error_info last_error() { return error_info(static_cast<native_error_t>(GetLastError())); }

// The object's path, or throws as the POSIX store does for a bad name.
std::wstring object_path(const char* type, const char* name) {
  std::wstring path = named_file_path(name);
  if (path.empty()) named_fail(type, last_error(), "no directory for " + quoted_name(name));
  return path;
}

// Maps the whole of `file` (`length` bytes); nullptr on failure.
void* map_file(HANDLE file, std::size_t length) {
  const handle mapping(CreateFileMappingW(file, nullptr, PAGE_READWRITE, 0, 0, nullptr));
  if (!mapping.valid()) return nullptr;
  // The view keeps the mapping (and the file) alive after both handles go.
  return MapViewOfFile(mapping.get(), FILE_MAP_ALL_ACCESS, 0, 0, length);
}

constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

}  // namespace

void named_mapping::check_name(const char* type, const char* name) {
  switch (check_named_file(name)) {
    case named_file_status::valid:
      return;
    case named_file_status::malformed:
      named_fail(type, invalid_argument, "invalid name " + quoted_name(name));
    case named_file_status::too_long:
      named_fail(type, path_error, "name too long " + quoted_name(name));
  }
}

named_mapping::~named_mapping() {
  if (base_ != nullptr) UnmapViewOfFile(base_);
}

bool named_mapping::try_open(const char* name, const char* type, std::size_t object_size) {
  const handle file(CreateFileW(object_path(type, name).c_str(), GENERIC_READ | GENERIC_WRITE,
                                kShareAll, nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!file.valid()) {
    if (GetLastError() == ERROR_FILE_NOT_FOUND) return false;
    named_fail(type, last_error(), "cannot open " + quoted_name(name));
  }
  const std::size_t length = kNamedObjectOffset + object_size;
  LARGE_INTEGER size;
  if (!GetFileSizeEx(file.get(), &size)) {
    named_fail(type, last_error(), "cannot open " + quoted_name(name));
  }
  if (static_cast<std::uint64_t>(size.QuadPart) != length) {
    named_fail(type, corrupted_error, quoted_name(name) + " is not a " + type);
  }
  void* base = map_file(file.get(), length);
  if (base == nullptr) named_fail(type, last_error(), "cannot map " + quoted_name(name));
  if (!has_named_header(base, type, object_size)) {
    UnmapViewOfFile(base);
    named_fail(type, corrupted_error, quoted_name(name) + " is not a " + type);
  }
  base_ = base;
  length_ = length;
  return true;
}

bool named_mapping::try_create(const char* name, const char* type, std::size_t object_size,
                               const permissions&, const std::function<void(void*)>& construct) {
  const std::size_t length = kNamedObjectOffset + object_size;
  const std::wstring path = object_path(type, name);
  const std::wstring building = unique_beside(path, L".new");
  void* base = nullptr;
  {
    const handle file(CreateFileW(building.c_str(), GENERIC_READ | GENERIC_WRITE, kShareAll,
                                  nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!file.valid()) named_fail(type, last_error(), "cannot create " + quoted_name(name));
    // Extending the file allocates it: a full disk fails here, not in a
    // write through the view.
    LARGE_INTEGER end;
    end.QuadPart = static_cast<LONGLONG>(length);
    if (!SetFilePointerEx(file.get(), end, nullptr, FILE_BEGIN) || !SetEndOfFile(file.get()) ||
        (base = map_file(file.get(), length)) == nullptr) {
      const error_info err = last_error();
      DeleteFileW(building.c_str());
      named_fail(type, err, "cannot create " + quoted_name(name));
    }
  }
  write_named_header(base, type, object_size);
  try {
    construct(static_cast<char*>(base) + kNamedObjectOffset);
  } catch (...) {
    UnmapViewOfFile(base);
    DeleteFileW(building.c_str());
    throw;
  }
  if (before_publish_hook != nullptr) before_publish_hook();

  if (!MoveFileExW(building.c_str(), path.c_str(), 0)) {
    const DWORD err = GetLastError();
    UnmapViewOfFile(base);
    DeleteFileW(building.c_str());
    if (err == ERROR_ALREADY_EXISTS || err == ERROR_FILE_EXISTS) return false;
    named_fail(type, error_info(static_cast<native_error_t>(err)),
               "cannot publish " + quoted_name(name));
  }
  base_ = base;
  length_ = length;
  return true;
}

bool named_mapping::remove(const char* name) noexcept { return remove_named_file(name); }

}  // namespace sync_detail
}  // namespace refipc
