#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <utility>

#include "refipc/detail/file_space.hpp"
#include "refipc/detail/shm_file.hpp"
#include "refipc/detail/shm_name.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/shared_memory_object.hpp"

namespace refipc {
namespace {

// A create/open race with a concurrent remove() is retried at most this often.
constexpr int kOpenOrCreateAttempts = 100;

std::string quoted(const char* name) {
  return name == nullptr ? std::string("(null name)") : '"' + std::string(name) + '"';
}

[[noreturn]] void fail(const error_info& err, const std::string& context) {
  throw interprocess_exception(err, ("shared_memory_object: " + context).c_str());
}

int access_flags(mode_t mode, const char* name) {
  switch (mode) {
    case read_only:
      return O_RDONLY;
    case read_write:
      return O_RDWR;
    default:
      fail(mode_error, "mode for " + quoted(name) + " must be read_only or read_write");
  }
}

// Creates the object exclusively with `perm` (see permissions.hpp). Returns
// -1 with errno set on failure, in which case no object is left behind.
int create_exclusive(const std::string& path, int access, const permissions& perm) {
  const int fd = shm_open(path.c_str(), access | O_CREAT | O_EXCL | O_CLOEXEC,
                          static_cast<::mode_t>(perm.get_permissions()));
  if (fd < 0) return -1;
  if (const int err = detail::apply_permissions(fd, perm); err != 0) {
    shm_unlink(path.c_str());
    close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

int open_existing(const std::string& path, int access) {
  return shm_open(path.c_str(), access | O_CLOEXEC, 0);
}

// Creating and opening are separate attempts so that only a creator applies
// the permissions; an object removed between the two is simply retried.
int open_or_create_object(const std::string& path, int access, const permissions& perm,
                          const char* name) {
  for (int attempt = 0; attempt < kOpenOrCreateAttempts; ++attempt) {
    int fd = create_exclusive(path, access, perm);
    if (fd >= 0 || errno != EEXIST) return fd;
    fd = open_existing(path, access);
    if (fd >= 0 || errno != ENOENT) return fd;
  }
  fail(busy_error, "cannot open or create " + quoted(name) + ": it is being removed repeatedly");
}

}  // namespace

shared_memory_object::~shared_memory_object() {
  if (fd_ >= 0) close(fd_);
}

void shared_memory_object::swap(shared_memory_object& other) noexcept {
  std::swap(fd_, other.fd_);
  name_.swap(other.name_);
  std::swap(mode_, other.mode_);
}

void shared_memory_object::open(open_kind kind, const char* name, mode_t mode,
                                const permissions& perm) {
  switch (detail::check_shm_name(name)) {
    case detail::shm_name_status::valid:
      break;
    case detail::shm_name_status::malformed:
      fail(invalid_argument, "invalid name " + quoted(name));
    case detail::shm_name_status::too_long:
      fail(path_error, "name too long " + quoted(name));
  }
  const int access = access_flags(mode, name);
  const std::string path = detail::shm_path(name);
  std::string stored_name(name);

  int fd = -1;
  const char* action = "";
  switch (kind) {
    case open_kind::must_create:
      fd = create_exclusive(path, access, perm);
      action = "cannot create ";
      break;
    case open_kind::must_exist:
      fd = open_existing(path, access);
      action = "cannot open ";
      break;
    case open_kind::either:
      fd = open_or_create_object(path, access, perm, name);
      action = "cannot open or create ";
      break;
  }
  if (fd < 0) {
    const int err = errno;
    fail(err, action + quoted(name));
  }
  fd_ = fd;
  name_ = std::move(stored_name);
  mode_ = mode;
}

void shared_memory_object::truncate(offset_t length) {
  if (fd_ >= 0 && mode_ != read_write) {
    fail(mode_error, "cannot truncate " + quoted(name_.c_str()) + ": it was opened read_only");
  }
  struct stat st;
  if (fstat(fd_, &st) != 0) {
    const int err = errno;
    fail(err, "cannot truncate " + quoted(name_.c_str()));
  }
  if (length > st.st_size) {
    if (const int err = detail::reserve_file_space(fd_, static_cast<std::uint64_t>(length));
        err != 0) {
      fail(err, "cannot reserve " + std::to_string(length) + " bytes for " + quoted(name_.c_str()));
    }
    return;
  }
  while (ftruncate(fd_, length) != 0) {
    if (errno != EINTR) {
      const int err = errno;
      fail(err,
           "cannot set the size of " + quoted(name_.c_str()) + " to " + std::to_string(length));
    }
  }
}

bool shared_memory_object::get_size(offset_t& size) const noexcept {
  struct stat st;
  if (fstat(fd_, &st) != 0) return false;
  size = st.st_size;
  return true;
}

bool shared_memory_object::remove(const char* name) noexcept {
  if (detail::check_shm_name(name) != detail::shm_name_status::valid) return false;
  try {
    return shm_unlink(detail::shm_path(name).c_str()) == 0;
  } catch (...) {  // Allocating the path failed.
    return false;
  }
}

}  // namespace refipc
