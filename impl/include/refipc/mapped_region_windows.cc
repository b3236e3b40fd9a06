// mapped_region on Windows: views of file mapping objects (windows_shared_memory)
// and of files (file_mapping, shared_memory_object).
#include <windows.h>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"

namespace refipc {
namespace {

[[noreturn]] void fail(const error_info& err, const std::string& context) {
  throw interprocess_exception(err, ("mapped_region: " + context).c_str());
}

[[noreturn]] void fail_last_error(const std::string& context) {
  fail(static_cast<native_error_t>(GetLastError()), context);
}

std::string to_string(const void* address) {
  char text[32];
  std::snprintf(text, sizeof text, "%p", address);
  return text;
}

DWORD view_access_for(mode_t mode) {
  switch (mode) {
    case read_only:
    case read_private:  // Nothing can be written through a read-only view.
      return FILE_MAP_READ;
    case read_write:
      return FILE_MAP_WRITE;
    case copy_on_write:
      return FILE_MAP_COPY;
    default:
      fail(mode_error, "invalid mode " + std::to_string(static_cast<int>(mode)));
  }
}

// The page protection of a file mapping object made for views of `mode`: a
// file opened read-only gives only PAGE_READONLY and PAGE_WRITECOPY, so
// read_write on it fails with ERROR_ACCESS_DENIED (security_error).
DWORD protection_for(mode_t mode) {
  switch (mode) {
    case read_write:
      return PAGE_READWRITE;
    case copy_on_write:
      return PAGE_WRITECOPY;
    default:
      return PAGE_READONLY;
  }
}

// Closes a file mapping object made here when it goes out of scope; a view
// keeps the mapping (and its file) alive after that.
class owned_mapping {
 public:
  owned_mapping() = default;
  owned_mapping(const owned_mapping&) = delete;
  owned_mapping& operator=(const owned_mapping&) = delete;
  ~owned_mapping() {
    if (handle_ != nullptr) CloseHandle(handle_);
  }
  void reset(HANDLE handle) { handle_ = handle; }

 private:
  HANDLE handle_ = nullptr;
};

// The exact size of a file.
offset_t file_size(HANDLE file) {
  LARGE_INTEGER size;
  if (!GetFileSizeEx(file, &size)) fail_last_error("cannot get the size of the file to map");
  return static_cast<offset_t>(size.QuadPart);
}

// The size of the whole object, as Windows rounds it (to the system's page):
// the extent of a read-only view of all of it.
offset_t object_size(HANDLE mapping) {
  void* view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
  if (view == nullptr) fail_last_error("cannot get the size of the object to map");
  MEMORY_BASIC_INFORMATION info;
  const SIZE_T queried = VirtualQuery(view, &info, sizeof info);
  const DWORD err = GetLastError();
  UnmapViewOfFile(view);
  if (queried == 0) fail(static_cast<native_error_t>(err), "cannot query the object's size");
  return static_cast<offset_t>(info.RegionSize);
}

}  // namespace

void mapped_region::map(mapping_handle_t handle, mode_t mode, offset_t offset, std::size_t size,
                        const void* address) {
  const DWORD access = view_access_for(mode);
  if (handle.handle == nullptr) fail(invalid_argument, "the object represents no shared memory");
  if (offset < 0) fail(invalid_argument, "negative offset " + std::to_string(offset));

  const offset_t total = handle.is_file ? file_size(handle.handle) : object_size(handle.handle);
  if (offset > total || (size == 0 && offset == total)) {
    fail(size_error, "nothing to map at offset " + std::to_string(offset) + " of an object of " +
                         std::to_string(total) + " bytes");
  }
  const auto available = static_cast<std::uint64_t>(total - offset);
  const std::uint64_t length = size == 0 ? available : size;
  if (length > available) {
    fail(size_error, std::to_string(length) + " bytes at offset " + std::to_string(offset) +
                         " extend past the end of the object (" + std::to_string(total) +
                         " bytes)");
  }
  const std::size_t granularity = get_page_size();
  const auto page_offset = static_cast<std::size_t>(offset % static_cast<offset_t>(granularity));
  if (length > std::numeric_limits<std::size_t>::max() - page_offset) {
    fail(size_error, std::to_string(length) + " bytes do not fit in the address space");
  }
  const std::size_t map_length = page_offset + static_cast<std::size_t>(length);

  void* start = nullptr;
  if (address != nullptr) {
    const auto requested = reinterpret_cast<std::uintptr_t>(address);
    if (requested % granularity != page_offset) {
      fail(invalid_argument, "address " + to_string(address) + " is not congruent to offset " +
                                 std::to_string(offset) + " modulo the allocation granularity");
    }
    start = reinterpret_cast<void*>(requested - page_offset);
  }

  HANDLE mapping = handle.handle;
  owned_mapping made;
  if (handle.is_file) {
    // A mapping of the file at its current size (it is not empty: checked above).
    mapping = CreateFileMappingW(handle.handle, nullptr, protection_for(mode), 0, 0, nullptr);
    if (mapping == nullptr) fail_last_error("cannot make a file mapping of the file");
    made.reset(mapping);
  }
  const auto view_offset = static_cast<std::uint64_t>(offset) - page_offset;
  void* base = MapViewOfFileEx(mapping, access, static_cast<DWORD>(view_offset >> 32),
                               static_cast<DWORD>(view_offset & 0xFFFFFFFFu), map_length, start);
  if (base == nullptr) {
    const DWORD err = GetLastError();
    if (address != nullptr && err == ERROR_INVALID_ADDRESS) {
      fail(busy_error, "address " + to_string(address) + " is already in use");
    }
    fail(static_cast<native_error_t>(err),
         "cannot map " + std::to_string(length) + " bytes at offset " + std::to_string(offset));
  }

  address_ = static_cast<char*>(base) + page_offset;
  size_ = static_cast<std::size_t>(length);
  offset_ = offset;
  page_offset_ = page_offset;
  mode_ = mode;
}

mapped_region::mapped_region(mapped_region&& other) noexcept { swap(other); }

mapped_region& mapped_region::operator=(mapped_region&& other) noexcept {
  mapped_region taken(std::move(other));
  swap(taken);
  return *this;
}

mapped_region::~mapped_region() {
  if (address_ != nullptr) UnmapViewOfFile(static_cast<char*>(address_) - page_offset_);
}

bool mapped_region::flush(std::size_t mapping_offset, std::size_t numbytes, bool) noexcept {
  if (address_ == nullptr || mapping_offset >= size_ || numbytes > size_ - mapping_offset) {
    return false;
  }
  if (numbytes == 0) numbytes = size_ - mapping_offset;
  return FlushViewOfFile(static_cast<char*>(address_) + mapping_offset, numbytes) != 0;
}

bool mapped_region::shrink_by(std::size_t bytes, bool from_back) noexcept {
  if (address_ == nullptr || bytes > size_) return false;
  if (bytes == size_) {
    mapped_region gone(std::move(*this));
    return true;
  }
  // A view is unmapped whole: the pages no byte of the region lies in any
  // more are only dropped from the working set and made inaccessible.
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  const std::uintptr_t page = info.dwPageSize;
  const auto round_down = [page](char* p) {
    return p - reinterpret_cast<std::uintptr_t>(p) % page;
  };
  char* const begin = static_cast<char*>(address_);
  char* first = nullptr;
  char* last = nullptr;
  if (from_back) {
    first = round_down(begin + size_ - bytes - 1) + page;
    last = round_down(begin + size_ - 1) + page;
  } else {
    first = begin - page_offset_;
    last = round_down(begin + bytes);
  }
  if (first < last) {
    const auto length = static_cast<SIZE_T>(last - first);
    VirtualUnlock(first, length);  // fails harmlessly on pages that were not locked
    DWORD old_protection = 0;
    if (!VirtualProtect(first, length, PAGE_NOACCESS, &old_protection)) return false;
  }
  if (!from_back) {
    // The view's base stays page_offset_ bytes before the address.
    address_ = begin + bytes;
    page_offset_ += bytes;
    offset_ += static_cast<offset_t>(bytes);
  }
  size_ -= bytes;
  return true;
}

bool mapped_region::advise(advice_types) noexcept {
  // Windows has no access-pattern hints for views.
  return false;
}

void mapped_region::swap(mapped_region& other) noexcept {
  std::swap(address_, other.address_);
  std::swap(size_, other.size_);
  std::swap(offset_, other.offset_);
  std::swap(page_offset_, other.page_offset_);
  std::swap(mode_, other.mode_);
}

std::size_t mapped_region::get_page_size() noexcept {
  static const std::size_t granularity = [] {
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return static_cast<std::size_t>(info.dwAllocationGranularity);
  }();
  return granularity;
}

}  // namespace refipc
