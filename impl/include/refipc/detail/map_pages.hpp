// mmap with the placement rule refipc applies to requested addresses.
#ifndef REFIPC_DETAIL_MAP_PAGES_HPP_
#define REFIPC_DETAIL_MAP_PAGES_HPP_

#include <sys/types.h>

#include <cstddef>

namespace refipc::detail {

// mmap(start, length, prot, flags, fd, offset), except that a non-null `start`
// is required exactly and never replaces an existing mapping. Returns
// MAP_FAILED with errno set on failure; EEXIST means the range is in use.
void* map_pages(void* start, std::size_t length, int prot, int flags, int fd,
                off_t offset) noexcept;

}  // namespace refipc::detail

#endif  // REFIPC_DETAIL_MAP_PAGES_HPP_
