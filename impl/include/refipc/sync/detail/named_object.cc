#include "refipc/sync/detail/named_object.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "refipc/detail/shm_file.hpp"
#include "refipc/detail/shm_name.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace sync_detail {
namespace {

// "refipcN2": version 2 since the mutexes became glibc-shaped robust locks
// (docs/layout.md); a version-1 object is refused as another kind of object.
constexpr char kMagic[8] = {'r', 'e', 'f', 'i', 'p', 'c', 'N', '2'};
constexpr std::size_t kTypeLength = 40;
// A create/open race with a concurrent remove() is retried at most this often.
constexpr int kOpenOrCreateAttempts = 100;

struct header {
  char magic[sizeof(kMagic)];
  char type[kTypeLength];
  std::uint64_t object_size;
};
static_assert(sizeof(header) == 56 && offsetof(header, type) == 8 &&
                  offsetof(header, object_size) == 48 && sizeof(header) <= kNamedObjectOffset,
              "the named object header of docs/layout.md fits before the object");

[[noreturn]] void fail(const char* type, const error_info& err, const std::string& context) {
  throw interprocess_exception(err, (std::string(type) + ": " + context).c_str());
}

std::string quoted(const char* name) {
  return name == nullptr ? std::string("(null name)") : '"' + std::string(name) + '"';
}

void check_name(const char* type, const char* name) {
  switch (detail::check_shm_name(name)) {
    case detail::shm_name_status::valid:
      return;
    case detail::shm_name_status::malformed:
      fail(type, invalid_argument, "invalid name " + quoted(name));
    case detail::shm_name_status::too_long:
      fail(type, path_error, "name too long " + quoted(name));
  }
}

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

void (*named_mapping::before_publish_hook)() = nullptr;

named_mapping::named_mapping(how mode, const char* name, const char* type, std::size_t object_size,
                             const permissions& perm, const std::function<void(void*)>& construct) {
  check_name(type, name);
  switch (mode) {
    case how::create_only:
      if (!try_create(name, type, object_size, perm, construct)) {
        fail(type, already_exists_error, "cannot create " + quoted(name) + ": it already exists");
      }
      return;
    case how::open_only:
      if (!try_open(name, type, object_size)) {
        fail(type, not_found_error, "cannot open " + quoted(name) + ": it does not exist");
      }
      return;
    case how::open_or_create:
      for (int attempt = 0; attempt < kOpenOrCreateAttempts; ++attempt) {
        if (try_open(name, type, object_size) ||
            try_create(name, type, object_size, perm, construct)) {
          return;
        }
      }
      fail(type, busy_error,
           "cannot open or create " + quoted(name) + ": it is being removed repeatedly");
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
    fail(type, err, "cannot open " + quoted(name));
  }
  const std::size_t length = kNamedObjectOffset + object_size;
  struct stat st;
  if (fstat(fd.get(), &st) != 0) {
    const int err = errno;
    fail(type, err, "cannot open " + quoted(name));
  }
  if (static_cast<std::uint64_t>(st.st_size) != length) {
    fail(type, corrupted_error, quoted(name) + " is not a " + type);
  }
  void* base = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
  if (base == MAP_FAILED) {
    const int err = errno;
    fail(type, err, "cannot map " + quoted(name));
  }
  const auto* h = static_cast<const header*>(base);
  if (std::memcmp(h->magic, kMagic, sizeof(kMagic)) != 0 ||
      std::strncmp(h->type, type, kTypeLength) != 0 || h->object_size != object_size) {
    munmap(base, length);
    fail(type, corrupted_error, quoted(name) + " is not a " + type);
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
    fail(type, err, "cannot create " + quoted(name));
  }
  void* base = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
  if (base == MAP_FAILED) {
    const int err = errno;
    fail(type, err, "cannot map " + quoted(name));
  }
  auto* h = static_cast<header*>(base);
  std::memcpy(h->magic, kMagic, sizeof(kMagic));
  std::strncpy(h->type, type, kTypeLength - 1);
  h->object_size = object_size;
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
    fail(type, err, "cannot publish " + quoted(name));
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
