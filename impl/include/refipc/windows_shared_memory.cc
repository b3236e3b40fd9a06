#include "refipc/windows_shared_memory.hpp"

#include <windows.h>

#include <cstdint>
#include <string>
#include <utility>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"

namespace refipc {
namespace {

[[noreturn]] void fail(const error_info& err, const std::string& context) {
  throw interprocess_exception(err, ("windows_shared_memory: " + context).c_str());
}

[[noreturn]] void fail_last_error(const std::string& context) {
  fail(static_cast<native_error_t>(GetLastError()), context);
}

std::wstring wide_name(const char* name) {
  if (name == nullptr || *name == '\0') fail(path_error, "the name is empty");
  const int length = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, name, -1, nullptr, 0);
  if (length == 0) fail(path_error, std::string("the name \"") + name + "\" is not valid UTF-8");
  std::wstring wide(static_cast<std::size_t>(length), L'\0');
  MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, name, -1, &wide[0], length);
  wide.pop_back();  // The terminating null written by the conversion.
  return wide;
}

DWORD handle_access_for(mode_t mode) {
  switch (mode) {
    case read_only:
      return FILE_MAP_READ;
    case read_write:
      return FILE_MAP_READ | FILE_MAP_WRITE;
    default:
      fail(mode_error,
           "invalid mode " + std::to_string(static_cast<int>(mode)) + " (read_only or read_write)");
  }
}

// Security attributes for the requested permissions: a null DACL (open to
// everyone) when they grant anything to others, else the process's default.
class security {
 public:
  explicit security(const permissions& perm) {
    if ((perm.get_permissions() & 07) == 0) return;
    if (!InitializeSecurityDescriptor(&descriptor_, SECURITY_DESCRIPTOR_REVISION) ||
        !SetSecurityDescriptorDacl(&descriptor_, TRUE, nullptr, FALSE)) {
      fail_last_error("cannot build the security descriptor");
    }
    attributes_.nLength = sizeof attributes_;
    attributes_.lpSecurityDescriptor = &descriptor_;
    attributes_.bInheritHandle = FALSE;
    used_ = true;
  }
  security(const security&) = delete;
  security& operator=(const security&) = delete;

  SECURITY_ATTRIBUTES* get() { return used_ ? &attributes_ : nullptr; }

 private:
  SECURITY_DESCRIPTOR descriptor_{};
  SECURITY_ATTRIBUTES attributes_{};
  bool used_ = false;
};

}  // namespace

windows_shared_memory::windows_shared_memory(create_only_t, const char* name, mode_t mode,
                                             std::size_t size, const permissions& perm) {
  open(disposition::create, name, mode, size, perm);
}

windows_shared_memory::windows_shared_memory(open_or_create_t, const char* name, mode_t mode,
                                             std::size_t size, const permissions& perm) {
  open(disposition::open_or_create, name, mode, size, perm);
}

windows_shared_memory::windows_shared_memory(open_only_t, const char* name, mode_t mode) {
  open(disposition::open, name, mode, 0, permissions());
}

void windows_shared_memory::open(disposition how, const char* name, mode_t mode, std::size_t size,
                                 const permissions& perm) {
  const DWORD access = handle_access_for(mode);
  const std::wstring wide = wide_name(name);
  const std::string quoted = std::string("\"") + name + "\"";
  HANDLE handle = nullptr;
  if (how == disposition::open) {
    handle = OpenFileMappingW(access, FALSE, wide.c_str());
    if (handle == nullptr) fail_last_error("cannot open " + quoted);
  } else {
    if (size == 0) fail(size_error, "cannot create " + quoted + " with size 0");
    security attributes(perm);
    const auto size64 = static_cast<std::uint64_t>(size);
    handle = CreateFileMappingW(INVALID_HANDLE_VALUE, attributes.get(), PAGE_READWRITE,
                                static_cast<DWORD>(size64 >> 32),
                                static_cast<DWORD>(size64 & 0xFFFFFFFFu), wide.c_str());
    if (handle == nullptr) fail_last_error("cannot create " + quoted);
    if (how == disposition::create && GetLastError() == ERROR_ALREADY_EXISTS) {
      CloseHandle(handle);
      fail(already_exists_error, "cannot create " + quoted + ": it exists already");
    }
    // The creating handle has full access; keep only what the mode allows.
    if (mode == read_only) {
      HANDLE reduced = nullptr;
      const BOOL duplicated = DuplicateHandle(GetCurrentProcess(), handle, GetCurrentProcess(),
                                              &reduced, access, FALSE, 0);
      const DWORD err = GetLastError();
      CloseHandle(handle);
      if (!duplicated) {
        fail(static_cast<native_error_t>(err), "cannot restrict the handle of " + quoted);
      }
      handle = reduced;
    }
  }
  handle_ = handle;
  mode_ = mode;
  name_ = name;
}

windows_shared_memory::windows_shared_memory(windows_shared_memory&& other) noexcept {
  swap(other);
}

windows_shared_memory& windows_shared_memory::operator=(windows_shared_memory&& other) noexcept {
  windows_shared_memory taken(std::move(other));
  swap(taken);
  return *this;
}

windows_shared_memory::~windows_shared_memory() {
  if (handle_ != nullptr) CloseHandle(handle_);
}

void windows_shared_memory::swap(windows_shared_memory& other) noexcept {
  std::swap(handle_, other.handle_);
  std::swap(mode_, other.mode_);
  name_.swap(other.name_);
}

offset_t windows_shared_memory::get_size() const noexcept {
  if (handle_ == nullptr) return 0;
  try {
    return static_cast<offset_t>(mapped_region(*this, read_only).get_size());
  } catch (const interprocess_exception&) {
    return 0;
  }
}

}  // namespace refipc
