#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/file_mapping.hpp"

namespace refipc {
namespace {

[[noreturn]] void fail(const error_info& err, const std::string& context) {
  throw interprocess_exception(err, ("file_mapping: " + context).c_str());
}

int open_existing(const char* filename, int access) {
  int fd;
  do {
    fd = open(filename, access | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

}  // namespace

file_mapping::file_mapping(const char* filename, mode_t mode) {
  if (filename == nullptr) fail(invalid_argument, "null filename");
  const std::string quoted = '"' + std::string(filename) + '"';
  int access = 0;
  switch (mode) {
    case read_only:
      access = O_RDONLY;
      break;
    case read_write:
      access = O_RDWR;
      break;
    default:
      fail(mode_error, "mode for " + quoted + " must be read_only or read_write");
  }
  std::string name(filename);
  const int fd = open_existing(filename, access);
  if (fd < 0) {
    const int err = errno;
    fail(err, "cannot open " + quoted);
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    fail(err, "cannot inspect " + quoted);
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    fail(is_directory_error, "cannot map " + quoted + ": it is a directory");
  }
  fd_ = fd;
  name_ = std::move(name);
  mode_ = mode;
}

file_mapping::~file_mapping() {
  if (fd_ >= 0) close(fd_);
}

void file_mapping::swap(file_mapping& other) noexcept {
  std::swap(fd_, other.fd_);
  name_.swap(other.name_);
  std::swap(mode_, other.mode_);
}

bool file_mapping::remove(const char* filename) noexcept {
  return filename != nullptr && unlink(filename) == 0;
}

}  // namespace refipc
