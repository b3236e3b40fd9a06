// Reserving the storage behind a file before anything is written through a
// mapping of it. A store through a mapping to a page the file system cannot
// supply (a full /dev/shm, a full disk) raises SIGBUS in the writer; reserving
// the pages when the file grows turns that into an error the caller reports
// (ENOSPC, which refipc reports as out_of_space_error).
#ifndef REFIPC_DETAIL_FILE_SPACE_HPP_
#define REFIPC_DETAIL_FILE_SPACE_HPP_

#include <cstdint>

namespace refipc::detail {

// Makes the file behind `fd` (open for writing) at least `size` bytes long,
// every byte below `size` backed by storage: fallocate(2), or writing zeros
// after the file's end where the file system lacks fallocate (EOPNOTSUPP,
// ENOSYS, EINVAL). Returns 0, or an errno (ENOSPC when storage runs out); on
// failure the file's size is what it was before the call.
int reserve_file_space(int fd, std::uint64_t size) noexcept;

// The fallback of reserve_file_space() on its own (for its tests): writes
// zeros from the file's current end up to `size`, with the same failure rule.
int extend_with_zeros(int fd, std::uint64_t size) noexcept;

}  // namespace refipc::detail

#endif  // REFIPC_DETAIL_FILE_SPACE_HPP_
