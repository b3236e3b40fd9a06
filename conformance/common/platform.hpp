// What conformance tests ask of the operating system itself, on POSIX and on
// Windows: page sizes, the state of address ranges, plain files, and the
// count of open descriptors (handles on Windows). Header-only.
#pragma once

#ifdef _WIN32
#include <windows.h>
#else
#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

namespace ipc_test {

// The unit mappings are aligned to: the page size on POSIX, the allocation
// granularity on Windows (MapViewOfFileEx's alignment).
inline std::size_t mapping_granularity() {
#ifdef _WIN32
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  return info.dwAllocationGranularity;
#else
  return static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
#endif
}

// The size of the system's pages (what protection applies to).
inline std::size_t system_page_size() {
#ifdef _WIN32
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  return info.dwPageSize;
#else
  return static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
#endif
}

// Reserves `length` bytes of address space, inaccessible, aligned to
// mapping_granularity(); nullptr on failure.
inline void* reserve_range(std::size_t length) {
#ifdef _WIN32
  return VirtualAlloc(nullptr, length, MEM_RESERVE, PAGE_NOACCESS);
#else
  void* range =
      mmap(nullptr, length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return range == MAP_FAILED ? nullptr : range;
#endif
}

inline void release_range(void* range, std::size_t length) {
#ifdef _WIN32
  (void)length;
  VirtualFree(range, 0, MEM_RELEASE);
#else
  munmap(range, length);
#endif
}

// A range of `length` bytes with nothing mapped in it: reserved, then
// released. It stays free until this process maps something (a test that
// starts no thread knows when that is). nullptr on failure.
inline char* free_range(std::size_t length) {
  void* range = reserve_range(length);
  if (range != nullptr) release_range(range, length);
  return static_cast<char*>(range);
}

// Whether every page that [address, address + length) touches is mapped and
// accessible (Windows makes pages inaccessible where POSIX unmaps them).
inline bool is_mapped(const void* address, std::size_t length) {
  const std::size_t page = system_page_size();
  auto at = reinterpret_cast<std::uintptr_t>(address) / page * page;
  const auto end = reinterpret_cast<std::uintptr_t>(address) + length;
#ifdef _WIN32
  while (at < end) {
    MEMORY_BASIC_INFORMATION info;
    if (VirtualQuery(reinterpret_cast<void*>(at), &info, sizeof info) == 0 ||
        info.State != MEM_COMMIT || (info.Protect & (PAGE_NOACCESS | PAGE_GUARD)) != 0) {
      return false;
    }
    at = reinterpret_cast<std::uintptr_t>(info.BaseAddress) + info.RegionSize;
  }
  return true;
#else
  // mincore fails with ENOMEM on a range holding unmapped pages.
  for (; at < end; at += page) {
    unsigned char resident;
    if (mincore(reinterpret_cast<void*>(at), page, &resident) != 0) return false;
  }
  return true;
#endif
}

// Writes a new file (failing if it exists) holding `contents`.
inline bool write_new_file(const std::string& path, const std::string& contents) {
  if (std::ifstream(path).good()) return false;
  std::ofstream out(path, std::ios::binary);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  return out.good();
}

// The file's contents as they are now; "" when it cannot be read.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline bool file_exists(const std::string& path) {
#ifdef _WIN32
  return GetFileAttributesA(path.c_str()) != INVALID_FILE_ATTRIBUTES;
#else
  struct stat st;
  return stat(path.c_str(), &st) == 0;
#endif
}

#ifndef _WIN32
// How many descriptors this process has open (from /proc/self/fd); only
// differences mean something. -1 when unknown.
inline int open_descriptors() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}
#endif

}  // namespace ipc_test
