// named_mapping on POSIX: a POSIX shared memory object (shm_open's
// directory), published complete with linkat(2).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>

#include "refipc/detail/shm_file.hpp"
#include "refipc/detail/shm_name.hpp"
#include "refipc/errors.hpp"
#include "refipc/sync/detail/named_object.hpp"
#include "refipc/sync/detail/named_object_common.hpp"

namespace refipc {
namespace sync_detail {
namespace {

// Closes a descriptor when it goes out of scope.
class descriptor {
 public:
  explicit descriptor(int fd) : fd_(fd) {}
  descriptor(const descriptor&) = delete;
  descriptor& operator=(const descriptor&) = delete;
  ~descriptor() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

void named_mapping::check_name(const char* type, const char* name) {
  switch (detail::check_shm_name(name)) {
    case detail::shm_name_status::valid:
      return;
    case detail::shm_name_status::malformed:
      named_fail(type, invalid_argument, "invalid name " + quoted_name(name));
    case detail::shm_name_status::too_long:
      named_fail(type, path_error, "name too long " + quoted_name(name));
  }
}

named_mapping::~named_mapping() {
  if (base_ != nullptr) munmap(base_, length_);
}

bool named_mapping::try_open(const char* name, const char* type, std::size_t object_size) {
  const descriptor fd(open(detail::shm_file_path(name).c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    if (errno == ENOENT) return false;
    const int err = errno;
    named_fail(type, err, "cannot open " + quoted_name(name));
  }
  const std::size_t length = kNamedObjectOffset + object_size;
  struct stat st;
  if (fstat(fd.get(), &st) != 0) {
    const int err = errno;
    named_fail(type, err, "cannot open " + quoted_name(name));
  }
  if (static_cast<std::uint64_t>(st.st_size) != length) {
    named_fail(type, corrupted_error, quoted_name(name) + " is not a " + type);
  }
  void* base = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
  if (base == MAP_FAILED) {
    const int err = errno;
    named_fail(type, err, "cannot map " + quoted_name(name));
  }
  if (!has_named_header(base, type, object_size)) {
    munmap(base, length);
    named_fail(type, corrupted_error, quoted_name(name) + " is not a " + type);
  }
  base_ = base;
  length_ = length;
  return true;
}

bool named_mapping::try_create(const char* name, const char* type, std::size_t object_size,
                               const permissions& perm,
                               const std::function<void(void*)>& construct) {
  const std::size_t length = kNamedObjectOffset + object_size;
  // Unnamed until published below, so nobody can see it half built; its
  // pages are reserved, so the writes below cannot fault on a full /dev/shm.
  const descriptor fd(detail::create_unnamed_shm(length, perm));
  if (fd.get() < 0) {
    const int err = errno;
    named_fail(type, err, "cannot create " + quoted_name(name));
  }
  void* base = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
  if (base == MAP_FAILED) {
    const int err = errno;
    named_fail(type, err, "cannot map " + quoted_name(name));
  }
  write_named_header(base, type, object_size);
  try {
    construct(static_cast<char*>(base) + kNamedObjectOffset);
  } catch (...) {
    munmap(base, length);
    throw;
  }
  if (before_publish_hook != nullptr) before_publish_hook();

  if (const int err = detail::publish_shm(fd.get(), name); err != 0) {
    munmap(base, length);
    if (err == EEXIST) return false;
    named_fail(type, err, "cannot publish " + quoted_name(name));
  }
  base_ = base;
  length_ = length;
  return true;
}

bool named_mapping::remove(const char* name) noexcept {
  if (detail::check_shm_name(name) != detail::shm_name_status::valid) return false;
  try {
    return unlink(detail::shm_file_path(name).c_str()) == 0;
  } catch (...) {  // Allocating the path failed.
    return false;
  }
}

}  // namespace sync_detail
}  // namespace refipc
