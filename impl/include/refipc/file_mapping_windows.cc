// file_mapping on Windows: a file HANDLE, which mapped_region makes a file
// mapping object of (mapped_region_windows.cc).
#include <windows.h>

#include <atomic>
#include <string>
#include <utility>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/file_mapping.hpp"
#include "refipc/sync/detail/named_file_windows.hpp"

namespace refipc {
namespace {

// Others may read, write, delete or rename the file while we hold it, as on
// POSIX; FILE_SHARE_DELETE is what lets remove() succeed meanwhile.
constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

[[noreturn]] void fail(const error_info& err, const std::string& context) {
  throw interprocess_exception(err, ("file_mapping: " + context).c_str());
}

bool is_directory(const std::wstring& path) {
  const DWORD attributes = GetFileAttributesW(path.c_str());
  return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
}

}  // namespace

file_mapping::file_mapping(const char* filename, mode_t mode) {
  if (filename == nullptr) fail(invalid_argument, "null filename");
  const std::string quoted = '"' + std::string(filename) + '"';
  DWORD access = 0;
  switch (mode) {
    case read_only:
      access = GENERIC_READ;
      break;
    case read_write:
      access = GENERIC_READ | GENERIC_WRITE;
      break;
    default:
      fail(mode_error, "mode for " + quoted + " must be read_only or read_write");
  }
  std::string name(filename);
  const std::wstring path = sync_detail::widen(filename);
  if (path.empty()) {
    fail(*filename == '\0' ? not_found_error : path_error, "cannot open " + quoted);
  }
  // A directory cannot be opened without FILE_FLAG_BACKUP_SEMANTICS: it
  // fails with ERROR_ACCESS_DENIED, which the check below tells apart.
  const HANDLE file = CreateFileW(path.c_str(), access, kShareAll, nullptr, OPEN_EXISTING,
                                  FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    const DWORD err = GetLastError();
    if (is_directory(path))
      fail(is_directory_error, "cannot map " + quoted + ": it is a directory");
    fail(static_cast<native_error_t>(err), "cannot open " + quoted);
  }
  handle_ = file;
  name_ = std::move(name);
  mode_ = mode;
}

file_mapping::~file_mapping() {
  if (handle_ != nullptr) CloseHandle(handle_);
}

void file_mapping::swap(file_mapping& other) noexcept {
  std::swap(handle_, other.handle_);
  name_.swap(other.name_);
  std::swap(mode_, other.mode_);
}

// A file deleted while open keeps its name until its last handle and view
// go (unless the file system has POSIX delete semantics), so a new file of
// that name could not be created meanwhile. The file is first renamed to a
// unique name beside it, then deleted there; if the deletion is refused it
// gets its name back.
bool file_mapping::remove(const char* filename) noexcept {
  if (filename == nullptr) return false;
  try {
    const std::wstring path = sync_detail::widen(filename);
    if (path.empty()) return false;
    static std::atomic<unsigned> counter{0};
    const std::wstring away = path + L".refipc-removed." + std::to_wstring(GetCurrentProcessId()) +
                              L"." + std::to_wstring(counter.fetch_add(1));
    if (!MoveFileExW(path.c_str(), away.c_str(), 0)) return false;
    if (DeleteFileW(away.c_str())) return true;
    MoveFileExW(away.c_str(), path.c_str(), 0);
    return false;
  } catch (...) {  // Allocating the path failed.
    return false;
  }
}

}  // namespace refipc
