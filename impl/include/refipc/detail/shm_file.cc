#include "refipc/detail/shm_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "refipc/detail/file_space.hpp"
#include "refipc/detail/shm_name.hpp"

namespace refipc::detail {

std::string shm_file_path(const char* name) { return kShmDirectory + shm_path(name); }

int apply_permissions(int fd, const permissions& perm) noexcept {
  if (perm.is_default()) return 0;
  return fchmod(fd, static_cast<::mode_t>(perm.get_permissions())) == 0 ? 0 : errno;
}

::mode_t creation_mode(const permissions& perm) noexcept {
  const auto mode = static_cast<::mode_t>(perm.get_permissions());
  return perm.is_default() ? mode & ~current_umask() : mode;
}

::mode_t current_umask() noexcept {
  constexpr ::mode_t kUnknown = 077;
  std::FILE* status = std::fopen("/proc/self/status", "re");
  if (status == nullptr) return kUnknown;
  ::mode_t mask = kUnknown;
  char line[256];
  unsigned value = 0;
  while (std::fgets(line, sizeof line, status) != nullptr) {
    if (std::sscanf(line, "Umask: %o", &value) == 1) {
      mask = static_cast<::mode_t>(value & 0777);
      break;
    }
  }
  std::fclose(status);
  return mask;
}

int create_unnamed_shm(std::uint64_t size, const permissions& perm) noexcept {
  const int fd = open(kShmDirectory, O_TMPFILE | O_RDWR | O_CLOEXEC,
                      static_cast<::mode_t>(perm.get_permissions()));
  if (fd < 0) return -1;
  int err = apply_permissions(fd, perm);
  if (err == 0) err = reserve_file_space(fd, size);
  if (err != 0) {
    close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

int publish_shm(int fd, const char* name) {
  // Linking through /proc needs no privilege, unlike linkat(AT_EMPTY_PATH).
  const std::string self = "/proc/self/fd/" + std::to_string(fd);
  if (linkat(AT_FDCWD, self.c_str(), AT_FDCWD, shm_file_path(name).c_str(), AT_SYMLINK_FOLLOW) !=
      0) {
    return errno;
  }
  return 0;
}

}  // namespace refipc::detail
