#include "refipc/sync/detail/named_file_windows.hpp"

#include <windows.h>

#include <atomic>
#include <string>

namespace refipc {
namespace sync_detail {
namespace {

std::wstring widen(const std::string& utf8) {
  const int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(),
                                    static_cast<int>(utf8.size()), nullptr, 0);
  if (n <= 0) return std::wstring();
  std::wstring wide(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()),
                      &wide[0], n);
  return wide;
}

// The name without its optional leading '/'.
const char* bare(const char* name) { return name[0] == '/' ? name + 1 : name; }

// The directory of named objects, created on first use; empty on failure.
std::wstring directory() {
  wchar_t temp[MAX_PATH + 1];
  const DWORD n = GetTempPathW(MAX_PATH + 1, temp);
  if (n == 0 || n > MAX_PATH) return std::wstring();
  std::wstring dir = std::wstring(temp, n) + L"refipc-named";
  if (!CreateDirectoryW(dir.c_str(), nullptr) && GetLastError() != ERROR_ALREADY_EXISTS) {
    return std::wstring();
  }
  return dir + L"\\";
}

// Deletes the removed objects of `dir` that nobody maps any more.
void sweep_removed(const std::wstring& dir) {
  WIN32_FIND_DATAW found;
  const HANDLE search = FindFirstFileW((dir + L"*.removed").c_str(), &found);
  if (search == INVALID_HANDLE_VALUE) return;
  do {
    DeleteFileW((dir + found.cFileName).c_str());
  } while (FindNextFileW(search, &found));
  FindClose(search);
}

}  // namespace

named_file_status check_named_file(const char* name) {
  if (name == nullptr) return named_file_status::malformed;
  const std::string component = bare(name);
  if (component.empty() || component == "." || component == ".." || widen(component).empty()) {
    return named_file_status::malformed;
  }
  for (const char c : component) {
    if ((c >= 0 && c < 32) || std::string("/\\:*?\"<>|").find(c) != std::string::npos) {
      return named_file_status::malformed;
    }
  }
  return component.size() > kMaxNamedFile ? named_file_status::too_long : named_file_status::valid;
}

std::wstring named_file_path(const char* name) {
  const std::wstring dir = directory();
  return dir.empty() ? dir : dir + widen(bare(name));
}

std::wstring unique_beside(const std::wstring& path, const wchar_t* suffix) {
  static std::atomic<unsigned> counter{0};
  return path + L"." + std::to_wstring(GetCurrentProcessId()) + L"." +
         std::to_wstring(counter.fetch_add(1)) + suffix;
}

bool remove_named_file(const char* name) noexcept {
  try {
    if (check_named_file(name) != named_file_status::valid) return false;
    const std::wstring path = named_file_path(name);
    if (path.empty()) return false;
    const bool removed = MoveFileExW(path.c_str(), unique_beside(path, L".removed").c_str(), 0);
    sweep_removed(directory());
    return removed;
  } catch (...) {  // Allocating a path failed.
    return false;
  }
}

}  // namespace sync_detail
}  // namespace refipc
