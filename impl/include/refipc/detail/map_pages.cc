#include "refipc/detail/map_pages.hpp"

#include <sys/mman.h>

#include <cerrno>

namespace refipc::detail {

void* map_pages(void* start, std::size_t length, int prot, int flags, int fd,
                off_t offset) noexcept {
  if (start != nullptr) flags |= MAP_FIXED_NOREPLACE;
  void* base = mmap(start, length, prot, flags, fd, offset);
  // Kernels before Linux 4.17 treat MAP_FIXED_NOREPLACE as a mere hint.
  if (base != MAP_FAILED && start != nullptr && base != start) {
    munmap(base, length);
    errno = EEXIST;
    return MAP_FAILED;
  }
  return base;
}

}  // namespace refipc::detail
