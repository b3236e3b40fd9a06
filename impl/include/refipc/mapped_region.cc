#include "refipc/mapped_region.hpp"

#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>

#include "refipc/detail/map_pages.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

// On 32-bit targets, refipc is built with -D_FILE_OFFSET_BITS=64.
static_assert(sizeof(::off_t) == sizeof(offset_t),
              "offsets are passed to mmap as off_t: build with -D_FILE_OFFSET_BITS=64");

struct protection {
  int prot;
  int flags;
};

[[noreturn]] void fail(const error_info& err, const std::string& context) {
  throw interprocess_exception(err, ("mapped_region: " + context).c_str());
}

std::string to_string(const void* address) {
  char text[32];
  std::snprintf(text, sizeof text, "%p", address);
  return text;
}

protection protection_for(mode_t mode) {
  switch (mode) {
    case read_only:
      return {PROT_READ, MAP_SHARED};
    case read_write:
      return {PROT_READ | PROT_WRITE, MAP_SHARED};
    case copy_on_write:
      return {PROT_READ | PROT_WRITE, MAP_PRIVATE};
    case read_private:
      return {PROT_READ, MAP_PRIVATE};
    default:
      fail(mode_error, "invalid mode " + std::to_string(static_cast<int>(mode)));
  }
}

}  // namespace

void mapped_region::map(mapping_handle_t handle, mode_t mode, offset_t offset, std::size_t size,
                        const void* address) {
  if (handle.is_xsi) {
    attach_xsi(handle.handle, mode, offset, size, address);
    return;
  }
  const protection protect = protection_for(mode);
  if (offset < 0) fail(invalid_argument, "negative offset " + std::to_string(offset));

  struct stat st;
  if (fstat(handle.handle, &st) != 0) {
    const int err = errno;
    fail(err, "cannot get the size of the object to map");
  }
  const offset_t object_size = st.st_size;
  if (offset > object_size || (size == 0 && offset == object_size)) {
    fail(size_error, "nothing to map at offset " + std::to_string(offset) + " of an object of " +
                         std::to_string(object_size) + " bytes");
  }
  const auto available = static_cast<std::uint64_t>(object_size - offset);
  const std::uint64_t length = size == 0 ? available : size;
  if (length > available) {
    fail(size_error, std::to_string(length) + " bytes at offset " + std::to_string(offset) +
                         " extend past the end of the object (" + std::to_string(object_size) +
                         " bytes)");
  }
  const std::size_t page_size = get_page_size();
  const auto page_offset = static_cast<std::size_t>(offset % static_cast<offset_t>(page_size));
  if (length > std::numeric_limits<std::size_t>::max() - page_offset) {
    fail(size_error, std::to_string(length) + " bytes do not fit in the address space");
  }
  const std::size_t map_length = page_offset + static_cast<std::size_t>(length);

  void* start = nullptr;
  if (address != nullptr) {
    const auto requested = reinterpret_cast<std::uintptr_t>(address);
    if (requested % page_size != page_offset) {
      fail(invalid_argument, "address " + to_string(address) + " is not congruent to offset " +
                                 std::to_string(offset) + " modulo the page size");
    }
    start = reinterpret_cast<void*>(requested - page_offset);
  }

  void* base = detail::map_pages(start, map_length, protect.prot, protect.flags, handle.handle,
                                 offset - static_cast<offset_t>(page_offset));
  if (base == MAP_FAILED) {
    const int err = errno;
    if (address != nullptr && err == EEXIST) {
      fail(busy_error, "address " + to_string(address) + " is already in use");
    }
    fail(err,
         "cannot map " + std::to_string(length) + " bytes at offset " + std::to_string(offset));
  }

  address_ = static_cast<char*>(base) + page_offset;
  size_ = static_cast<std::size_t>(length);
  offset_ = offset;
  page_offset_ = page_offset;
  mode_ = mode;
}

void mapped_region::attach_xsi(int shmid, mode_t mode, offset_t offset, std::size_t size,
                               const void* address) {
  int flags = 0;
  switch (mode) {
    case read_only:
      flags = SHM_RDONLY;
      break;
    case read_write:
      break;
    case copy_on_write:
    case read_private:
      fail(mode_error, "XSI shared memory has no private mappings (mode " +
                           std::to_string(static_cast<int>(mode)) + ")");
    default:
      fail(mode_error, "invalid mode " + std::to_string(static_cast<int>(mode)));
  }
  const std::string segment = "XSI shared memory " + std::to_string(shmid);
  if (offset != 0) {
    fail(invalid_argument, segment + " is mapped whole, not from offset " + std::to_string(offset));
  }
  struct shmid_ds ds;
  if (shmctl(shmid, IPC_STAT, &ds) != 0) {
    const int err = errno;
    fail(err, "cannot get the size of " + segment);
  }
  const auto segment_size = static_cast<std::size_t>(ds.shm_segsz);
  if (size != 0 && size != segment_size) {
    fail(size_error, segment + " is mapped whole: " + std::to_string(size) +
                         " bytes requested of " + std::to_string(segment_size));
  }
  if (reinterpret_cast<std::uintptr_t>(address) % SHMLBA != 0) {
    fail(invalid_argument, "address " + to_string(address) + " is not a multiple of SHMLBA");
  }
  void* base = shmat(shmid, address, flags);
  if (base == reinterpret_cast<void*>(-1)) {
    const int err = errno;
    // Without SHM_REMAP, an aligned address fails with EINVAL only when the
    // range overlaps an existing mapping.
    if (address != nullptr && err == EINVAL) {
      fail(busy_error, "address " + to_string(address) + " is already in use");
    }
    fail(err, "cannot attach " + segment);
  }
  address_ = base;
  size_ = segment_size;
  offset_ = 0;
  page_offset_ = 0;
  mode_ = mode;
  is_xsi_ = true;
}

mapped_region::mapped_region(mapped_region&& other) noexcept { swap(other); }

mapped_region& mapped_region::operator=(mapped_region&& other) noexcept {
  mapped_region taken(std::move(other));
  swap(taken);
  return *this;
}

mapped_region::~mapped_region() {
  if (address_ == nullptr) return;
  if (is_xsi_) {
    shmdt(address_);
  } else {
    munmap(static_cast<char*>(address_) - page_offset_, size_ + page_offset_);
  }
}

bool mapped_region::flush(std::size_t mapping_offset, std::size_t numbytes, bool async) noexcept {
  if (address_ == nullptr || mapping_offset >= size_ || numbytes > size_ - mapping_offset) {
    return false;
  }
  if (numbytes == 0) numbytes = size_ - mapping_offset;
  char* const begin = static_cast<char*>(address_) + mapping_offset;
  // msync needs a page-aligned start; the page below is still part of the mapping.
  char* const page_start = begin - reinterpret_cast<std::uintptr_t>(begin) % get_page_size();
  return msync(page_start, static_cast<std::size_t>(begin + numbytes - page_start),
               async ? MS_ASYNC : MS_SYNC) == 0;
}

bool mapped_region::shrink_by(std::size_t bytes, bool from_back) noexcept {
  if (address_ == nullptr || bytes > size_ || is_xsi_) return false;
  if (bytes == size_) {
    mapped_region gone(std::move(*this));
    return true;
  }
  const std::uintptr_t page = get_page_size();
  const auto round_down = [page](char* p) {
    return p - reinterpret_cast<std::uintptr_t>(p) % page;
  };
  char* const begin = static_cast<char*>(address_);
  if (from_back) {
    // The pages after the one holding the new last byte.
    char* const keep_end = round_down(begin + size_ - bytes - 1) + page;
    char* const map_end = round_down(begin + size_ - 1) + page;
    if (keep_end < map_end && munmap(keep_end, static_cast<std::size_t>(map_end - keep_end)) != 0) {
      return false;
    }
  } else {
    // The pages before the one holding the new first byte.
    char* const map_begin = begin - page_offset_;
    char* const keep_begin = round_down(begin + bytes);
    if (map_begin < keep_begin &&
        munmap(map_begin, static_cast<std::size_t>(keep_begin - map_begin)) != 0) {
      return false;
    }
    address_ = begin + bytes;
    page_offset_ = static_cast<std::size_t>(begin + bytes - keep_begin);
    offset_ += static_cast<offset_t>(bytes);
  }
  size_ -= bytes;
  return true;
}

bool mapped_region::advise(advice_types advice) noexcept {
  int hint = 0;
  switch (advice) {
    case advice_normal:
      hint = POSIX_MADV_NORMAL;
      break;
    case advice_sequential:
      hint = POSIX_MADV_SEQUENTIAL;
      break;
    case advice_random:
      hint = POSIX_MADV_RANDOM;
      break;
    case advice_willneed:
      hint = POSIX_MADV_WILLNEED;
      break;
    case advice_dontneed:
      // posix_madvise keeps the contents (glibc ignores this hint), unlike
      // Linux's madvise(MADV_DONTNEED), which drops private pages.
      hint = POSIX_MADV_DONTNEED;
      break;
    default:
      return false;
  }
  if (address_ == nullptr) return false;
  return posix_madvise(static_cast<char*>(address_) - page_offset_, size_ + page_offset_, hint) ==
         0;
}

void mapped_region::swap(mapped_region& other) noexcept {
  std::swap(address_, other.address_);
  std::swap(size_, other.size_);
  std::swap(offset_, other.offset_);
  std::swap(page_offset_, other.page_offset_);
  std::swap(mode_, other.mode_);
  std::swap(is_xsi_, other.is_xsi_);
}

std::size_t mapped_region::get_page_size() noexcept {
  static const auto page_size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return page_size;
}

}  // namespace refipc
