#include "refipc/sync/detail/named_file_windows.hpp"

#include <windows.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "refipc/sync/detail/process_identity.hpp"

namespace refipc {
namespace sync_detail {
namespace {

// The name without its optional leading '/'.
const char* bare(const char* name) { return name[0] == '/' ? name + 1 : name; }

// The file name of a name's component. Windows compares file names without
// regard to case, while names are case-sensitive as on POSIX: each ASCII
// capital is written as '^' and its lower-case letter, and '^' as "^^", so
// that names differing in case name different files.
std::string file_component(const std::string& component) {
  std::string file;
  file.reserve(component.size());
  for (const char c : component) {
    if (c >= 'A' && c <= 'Z') {
      file += '^';
      file += static_cast<char>(c - 'A' + 'a');
    } else {
      if (c == '^') file += '^';
      file += c;
    }
  }
  return file;
}

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

// The creator's process id in a draft's file name "<name>.<pid>.<n>.new";
// 0 if the name has no such part.
std::uint32_t draft_creator(const std::wstring& file) {
  constexpr std::size_t kSuffix = 4;  // ".new"
  if (file.size() <= kSuffix) return 0;
  const std::size_t counter = file.rfind(L'.', file.size() - kSuffix - 1);
  if (counter == std::wstring::npos || counter == 0) return 0;
  const std::size_t dot = file.rfind(L'.', counter - 1);
  if (dot == std::wstring::npos || counter - dot < 2 || counter - dot > 11) return 0;
  std::uint64_t pid = 0;
  for (std::size_t i = dot + 1; i < counter; ++i) {
    if (file[i] < L'0' || file[i] > L'9') return 0;
    pid = pid * 10 + static_cast<std::uint64_t>(file[i] - L'0');
  }
  return pid > UINT32_MAX ? 0 : static_cast<std::uint32_t>(pid);
}

// Whether `name` ends with the lower-case ASCII `suffix`, in any case (file
// names are case-insensitive on Windows).
template <class String>
bool ends_with(const String& name, const char* suffix) {
  const std::size_t n = std::char_traits<char>::length(suffix);
  if (name.size() < n) return false;
  for (std::size_t i = 0; i < n; ++i) {
    auto c = name[name.size() - n + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<decltype(c)>(c - 'A' + 'a');
    if (c != static_cast<decltype(c)>(suffix[i])) return false;
  }
  return true;
}

// Deletes the removed objects of `dir` that nobody maps any more, and the
// drafts whose creator has ended. No user's name ends as these files do; a
// search also matches short (8.3) names, hence the check of the long one.
void sweep(const std::wstring& dir) {
  WIN32_FIND_DATAW found;
  for (const char* suffix : {".removed", ".new"}) {
    const bool drafts = suffix[1] == 'n';
    const HANDLE search = FindFirstFileW(
        (dir + L"*" + std::wstring(suffix, suffix + std::strlen(suffix))).c_str(), &found);
    if (search == INVALID_HANDLE_VALUE) continue;
    do {
      const std::wstring file = found.cFileName;
      if (!ends_with(file, suffix)) continue;
      std::uint32_t creator = 0;
      if (!drafts || ((creator = draft_creator(file)) != 0 && process_gone(creator, 0))) {
        DeleteFileW((dir + file).c_str());
      }
    } while (FindNextFileW(search, &found));
    FindClose(search);
  }
}

}  // namespace

std::wstring widen(const std::string& utf8) {
  const int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(),
                                    static_cast<int>(utf8.size()), nullptr, 0);
  if (n <= 0) return std::wstring();
  std::wstring wide(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()),
                      &wide[0], n);
  return wide;
}

named_file_status check_named_file(const char* name) {
  if (name == nullptr) return named_file_status::malformed;
  const std::string component = bare(name);
  // Windows drops a trailing '.' or ' ' from a file name: "a." would be "a".
  if (component.empty() || component.back() == '.' || component.back() == ' ' ||
      widen(component).empty() || ends_with(component, ".new") ||
      ends_with(component, ".removed")) {
    return named_file_status::malformed;
  }
  for (const char c : component) {
    if ((c >= 0 && c < 32) || std::string("/\\:*?\"<>|").find(c) != std::string::npos) {
      return named_file_status::malformed;
    }
  }
  return file_component(component).size() > kMaxNamedFile ? named_file_status::too_long
                                                          : named_file_status::valid;
}

std::wstring named_file_path(const char* name) {
  const std::wstring dir = directory();
  return dir.empty() ? dir : dir + widen(file_component(bare(name)));
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
    sweep(directory());
    return removed;
  } catch (...) {  // Allocating a path failed.
    return false;
  }
}

}  // namespace sync_detail
}  // namespace refipc
