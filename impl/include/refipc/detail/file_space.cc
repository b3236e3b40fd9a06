#include "refipc/detail/file_space.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>

namespace refipc::detail {
namespace {

bool too_large(std::uint64_t size) {
  return size > static_cast<std::uint64_t>(std::numeric_limits<off_t>::max());
}

// The file's size, or -1 with errno set.
off_t size_of(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return -1;
  return st.st_size;
}

// Puts the size back after a failed reservation, which may have grown the
// file part of the way, and returns `err`.
int restore(int fd, off_t old_size, int err) {
  const off_t now = size_of(fd);
  if (now > old_size) {
    while (ftruncate(fd, old_size) != 0 && errno == EINTR) {
    }
  }
  return err;
}

}  // namespace

int reserve_file_space(int fd, std::uint64_t size) noexcept {
  if (size == 0) return 0;
  if (too_large(size)) return EFBIG;
  const off_t old_size = size_of(fd);
  if (old_size < 0) return errno;
  // From 0, not from the end: fallocate also fills holes that an earlier
  // ftruncate (by anyone) left below the end.
  while (fallocate(fd, 0, 0, static_cast<off_t>(size)) != 0) {
    const int err = errno;
    if (err == EINTR) continue;
    if (err == EOPNOTSUPP || err == ENOSYS || err == EINVAL) return extend_with_zeros(fd, size);
    return restore(fd, old_size, err);
  }
  return 0;
}

int extend_with_zeros(int fd, std::uint64_t size) noexcept {
  if (too_large(size)) return EFBIG;
  const off_t old_size = size_of(fd);
  if (old_size < 0) return errno;
  static const char kZeros[64 * 1024] = {};
  // Written forwards from the end, so nothing a peer wrote below it is
  // overwritten and the file never has a hole.
  for (off_t at = old_size; static_cast<std::uint64_t>(at) < size;) {
    const auto chunk = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof kZeros, size - at));
    const ssize_t written = pwrite(fd, kZeros, chunk, at);
    if (written < 0) {
      if (errno == EINTR) continue;
      return restore(fd, old_size, errno);
    }
    if (written == 0) return restore(fd, old_size, ENOSPC);
    at += written;
  }
  return 0;
}

}  // namespace refipc::detail
