// Creating POSIX shared memory objects: their permissions, and objects that
// appear under their name only once they are complete.
//
// A creator that builds an object in place under its name lets others open
// it half built, and makes them wait for it (how long? on what?). Instead a
// creator makes an unnamed file in the shared memory directory (O_TMPFILE),
// reserves and fills it, and only then links it at its name, which fails if
// the name exists. A creator that dies or fails before that leaves nothing:
// the unnamed file vanishes with its last descriptor.
#ifndef REFIPC_DETAIL_SHM_FILE_HPP_
#define REFIPC_DETAIL_SHM_FILE_HPP_

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "refipc/permissions.hpp"

namespace refipc::detail {

// glibc's shm_open directory.
constexpr char kShmDirectory[] = "/dev/shm";

// The file of a valid shared memory name in kShmDirectory.
std::string shm_file_path(const char* name);

// Gives a file just created with open(2)'s mode perm.get_permissions() its
// final permissions: explicit permissions exactly (fchmod), the default as
// open(2) left it (narrowed by the umask). Returns 0 or an errno.
int apply_permissions(int fd, const permissions& perm) noexcept;

// The mode to pass where the system ignores the umask (shmget): explicit
// permissions as they are, the default narrowed by the process's umask.
::mode_t creation_mode(const permissions& perm) noexcept;

// The process's umask, read without changing it (from /proc/self/status;
// 077 when that cannot be read, which errs on the side of privacy).
::mode_t current_umask() noexcept;

// An unnamed file in kShmDirectory with `perm` applied and `size` bytes
// reserved (see file_space.hpp). Returns its descriptor (close-on-exec), or
// -1 with errno set (ENOSPC when the directory's file system is full).
int create_unnamed_shm(std::uint64_t size, const permissions& perm) noexcept;

// Links the unnamed file of `fd` at the valid shared memory name `name`.
// Returns 0, or an errno (EEXIST when the name is taken). Throws only
// std::bad_alloc.
int publish_shm(int fd, const char* name);

}  // namespace refipc::detail

#endif  // REFIPC_DETAIL_SHM_FILE_HPP_
