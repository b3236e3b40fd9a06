// shared_memory_object on Windows: emulated, as the manual describes for
// systems without POSIX shared memory, with a file in refipc's named-object
// directory (sync/detail/named_file_windows.hpp), the namespace that the
// named primitives and message queues use. mapped_region maps it through its
// file HANDLE (mapped_region_windows.cc).
#include <windows.h>

#include <cstdint>
#include <string>
#include <utility>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/shared_memory_object.hpp"
#include "refipc/sync/detail/named_file_windows.hpp"

namespace refipc {
namespace {

// Others may map, resize and remove (rename away) the object while we hold it.
constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

std::string quoted(const char* name) {
  return name == nullptr ? std::string("(null name)") : '"' + std::string(name) + '"';
}

[[noreturn]] void fail(const error_info& err, const std::string& context) {
  throw interprocess_exception(err, ("shared_memory_object: " + context).c_str());
}

[[noreturn]] void fail_last_error(const std::string& context) {
  fail(static_cast<native_error_t>(GetLastError()), context);
}

DWORD access_for(mode_t mode, const char* name) {
  switch (mode) {
    case read_only:
      return GENERIC_READ;
    case read_write:
      return GENERIC_READ | GENERIC_WRITE;
    default:
      fail(mode_error, "mode for " + quoted(name) + " must be read_only or read_write");
  }
}

}  // namespace

shared_memory_object::~shared_memory_object() {
  if (handle_ != nullptr) CloseHandle(handle_);
}

void shared_memory_object::swap(shared_memory_object& other) noexcept {
  std::swap(handle_, other.handle_);
  name_.swap(other.name_);
  std::swap(mode_, other.mode_);
}

// The permissions are not applied (see the header).
void shared_memory_object::open(open_kind kind, const char* name, mode_t mode, const permissions&) {
  switch (sync_detail::check_named_file(name)) {
    case sync_detail::named_file_status::valid:
      break;
    case sync_detail::named_file_status::malformed:
      fail(invalid_argument, "invalid name " + quoted(name));
    case sync_detail::named_file_status::too_long:
      fail(path_error, "name too long " + quoted(name));
  }
  const DWORD access = access_for(mode, name);
  const std::wstring path = sync_detail::named_file_path(name);
  if (path.empty()) fail_last_error("no directory for " + quoted(name));
  std::string stored_name(name);

  // One call each: CREATE_NEW fails if the name exists, OPEN_ALWAYS opens or
  // creates atomically, and a removed object has left its name at once.
  DWORD disposition = OPEN_EXISTING;
  const char* action = "cannot open ";
  switch (kind) {
    case open_kind::must_create:
      disposition = CREATE_NEW;
      action = "cannot create ";
      break;
    case open_kind::must_exist:
      break;
    case open_kind::either:
      disposition = OPEN_ALWAYS;
      action = "cannot open or create ";
      break;
  }
  const HANDLE file = CreateFileW(path.c_str(), access, kShareAll, nullptr, disposition,
                                  FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) fail_last_error(action + quoted(name));
  handle_ = file;
  name_ = std::move(stored_name);
  mode_ = mode;
}

void shared_memory_object::truncate(offset_t length) {
  if (handle_ != nullptr && mode_ != read_write) {
    fail(mode_error, "cannot truncate " + quoted(name_.c_str()) + ": it was opened read_only");
  }
  if (length < 0) {
    fail(invalid_argument,
         "cannot set the size of " + quoted(name_.c_str()) + " to " + std::to_string(length));
  }
  // Extending a file allocates it: a full disk fails here (out_of_space_error),
  // not in a write through a view.
  LARGE_INTEGER end;
  end.QuadPart = static_cast<LONGLONG>(length);
  if (!SetFilePointerEx(handle_, end, nullptr, FILE_BEGIN) || !SetEndOfFile(handle_)) {
    fail_last_error("cannot set the size of " + quoted(name_.c_str()) + " to " +
                    std::to_string(length));
  }
}

bool shared_memory_object::get_size(offset_t& size) const noexcept {
  LARGE_INTEGER file_size;
  if (handle_ == nullptr || !GetFileSizeEx(handle_, &file_size)) return false;
  size = static_cast<offset_t>(file_size.QuadPart);
  return true;
}

bool shared_memory_object::remove(const char* name) noexcept {
  return sync_detail::remove_named_file(name);
}

}  // namespace refipc
