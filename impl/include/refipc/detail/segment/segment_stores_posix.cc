#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "refipc/detail/segment/segment_preamble.hpp"
#include "refipc/detail/segment/segment_stores.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace segment_detail {
namespace {

[[noreturn]] void fail(native_error_t err, const std::string& message) {
  throw interprocess_exception(error_info(err), message.c_str());
}

std::size_t size_of_descriptor(int fd, const char* name) {
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    fail(err, std::string("cannot read the size of ") + name);
  }
  return static_cast<std::size_t>(st.st_size);
}

// Sets the size of the file behind `fd` to `size`, then reserves the blocks
// of any growth so that a full file system fails here (out_of_space_error)
// and not with SIGBUS when the memory is first touched. The size comes first
// and in one step, so that a process opening the file meanwhile maps all of
// it at once.
void resize_descriptor(int fd, std::size_t size, const char* name) {
  const std::size_t old_size = size_of_descriptor(fd, name);
  while (ftruncate(fd, static_cast<off_t>(size)) != 0) {
    if (errno != EINTR) {
      const int err = errno;
      fail(err, std::string("cannot set the size of ") + name);
    }
  }
  if (size > old_size) {
    int rc;
    do {
      rc = posix_fallocate(fd, static_cast<off_t>(old_size), static_cast<off_t>(size - old_size));
    } while (rc == EINTR);
    // A file system without fallocate keeps the size, unreserved.
    if (rc != 0 && rc != EOPNOTSUPP && rc != EINVAL) {
      fail(rc, "cannot reserve " + std::to_string(size) + " bytes for " + name);
    }
  }
}

}  // namespace

std::size_t shm_store::size(const device_type& device) {
  return size_of_descriptor(device.get_mapping_handle().handle, device.get_name());
}

file_mapping file_store::create(key_type path, std::size_t size, const permissions& perm) {
  if (!path) throw interprocess_exception(invalid_argument, "managed mapped file: null path");
  int fd;
  do {
    fd = ::open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int err = errno;
    fail(err, describe(path) + ": cannot create it");
  }
  try {
    // Exactly the requested permissions, whatever the umask.
    if (fchmod(fd, static_cast<::mode_t>(perm.get_permissions())) != 0) {
      const int err = errno;
      fail(err, describe(path) + ": cannot set its permissions");
    }
    if (const int err = stamp_creator(fd)) fail(err, describe(path) + ": cannot write its header");
    resize_descriptor(fd, size, path);
    file_mapping file(path, read_write);
    close(fd);
    return file;
  } catch (...) {
    close(fd);
    unlink(path);
    throw;
  }
}

std::size_t file_store::size(const device_type& device) {
  return size_of_descriptor(device.get_mapping_handle().handle, device.get_name());
}

void file_store::resize(device_type& device, std::size_t size) {
  resize_descriptor(device.get_mapping_handle().handle, size, device.get_name());
}

}  // namespace segment_detail
}  // namespace refipc
