#include "refipc/xsi_shared_memory.hpp"

#include <sys/shm.h>

#include <cerrno>
#include <string>
#include <utility>

#include "refipc/detail/shm_file.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

// The permission bits shmget accepts alongside its flags.
constexpr int kPermissionBits = 0777;

[[noreturn]] void fail(const error_info& err, const std::string& context) {
  throw interprocess_exception(err, ("xsi_shared_memory: " + context).c_str());
}

std::string describe(const xsi_key& key) {
  return key.get_key() == IPC_PRIVATE ? std::string("the private key")
                                      : "key " + std::to_string(key.get_key());
}

void check_size(std::size_t size, const xsi_key& key) {
  if (size == 0) fail(invalid_argument, "cannot create a segment of 0 bytes for " + describe(key));
}

// shmget ignores the umask, so the default is narrowed here (see
// permissions.hpp).
int flags_for(const permissions& perm) {
  return static_cast<int>(detail::creation_mode(perm)) & kPermissionBits;
}

}  // namespace

xsi_shared_memory::xsi_shared_memory(open_only_t, int shmid) {
  struct shmid_ds ds;
  if (shmctl(shmid, IPC_STAT, &ds) != 0) {
    const int err = errno;
    fail(err, "cannot open segment " + std::to_string(shmid));
  }
  shmid_ = shmid;
}

xsi_shared_memory::xsi_shared_memory(create_only_t, const xsi_key& key, std::size_t size,
                                     const permissions& perm) {
  check_size(size, key);
  const int shmid = shmget(key.get_key(), size, IPC_CREAT | IPC_EXCL | flags_for(perm));
  if (shmid < 0) {
    const int err = errno;
    fail(err, "cannot create " + std::to_string(size) + " bytes for " + describe(key));
  }
  shmid_ = shmid;
}

xsi_shared_memory::xsi_shared_memory(open_or_create_t, const xsi_key& key, std::size_t size,
                                     const permissions& perm) {
  check_size(size, key);
  const int shmid = shmget(key.get_key(), size, IPC_CREAT | flags_for(perm));
  if (shmid < 0) {
    const int err = errno;
    // EINVAL with a valid size: the segment exists but is smaller than `size`.
    if (err == EINVAL && shmget(key.get_key(), 0, 0) >= 0) {
      fail(size_error, "the segment of " + describe(key) + " is smaller than " +
                           std::to_string(size) + " bytes");
    }
    fail(err, "cannot open or create " + std::to_string(size) + " bytes for " + describe(key));
  }
  shmid_ = shmid;
}

xsi_shared_memory::xsi_shared_memory(open_only_t, const xsi_key& key) {
  if (key.get_key() == IPC_PRIVATE) fail(invalid_argument, "cannot open the private key");
  const int shmid = shmget(key.get_key(), 0, 0);
  if (shmid < 0) {
    const int err = errno;
    fail(err, "cannot open " + describe(key));
  }
  shmid_ = shmid;
}

xsi_shared_memory& xsi_shared_memory::operator=(xsi_shared_memory&& other) noexcept {
  xsi_shared_memory taken(std::move(other));
  swap(taken);
  return *this;
}

void xsi_shared_memory::swap(xsi_shared_memory& other) noexcept { std::swap(shmid_, other.shmid_); }

bool xsi_shared_memory::remove(int shmid) noexcept {
  return shmid >= 0 && shmctl(shmid, IPC_RMID, nullptr) == 0;
}

}  // namespace refipc
