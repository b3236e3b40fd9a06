// The queue's store on POSIX: a shared memory object, built as an unnamed
// file of shm_open's directory and linked at its name only when complete
// (refipc/detail/shm_file.hpp).
#include <errno.h>
#include <unistd.h>

#include <cstdint>
#include <functional>

#include "refipc/detail/shm_file.hpp"
#include "refipc/detail/shm_name.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/ipc/queue_store.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/shared_memory_object.hpp"

namespace refipc {
namespace ipc_detail {
namespace {

// An unnamed file's descriptor, closed (and so the file deleted, unless it
// was published) on scope exit; mapped_region maps it.
class unnamed_file {
 public:
  explicit unnamed_file(int fd) : fd_(fd) {}
  unnamed_file(const unnamed_file&) = delete;
  unnamed_file& operator=(const unnamed_file&) = delete;
  ~unnamed_file() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const noexcept { return fd_; }
  mapping_handle_t get_mapping_handle() const noexcept { return {fd_, true}; }

 private:
  int fd_;
};

}  // namespace

void check_queue_name(const char* name) {
  switch (detail::check_shm_name(name)) {
    case detail::shm_name_status::valid:
      return;
    case detail::shm_name_status::malformed:
      throw interprocess_exception(error_info(invalid_argument), "message_queue: invalid name");
    case detail::shm_name_status::too_long:
      throw interprocess_exception(error_info(path_error), "message_queue: name too long");
  }
}

bool queue_store_exists(const char* name) {
  return access(detail::shm_file_path(name).c_str(), F_OK) == 0;
}

mapped_region create_queue_store(const char* name, std::uint64_t size, const permissions& perm,
                                 const std::function<void(void*)>& build) {
  const unnamed_file file(detail::create_unnamed_shm(size, perm));
  if (file.get() < 0) {
    throw interprocess_exception(error_info(errno), "message_queue: cannot create the queue");
  }
  mapped_region region(file, read_write);
  build(region.get_address());
  if (const int err = detail::publish_shm(file.get(), name); err != 0) {
    throw interprocess_exception(error_info(err), "message_queue: cannot publish the queue");
  }
  return region;
}

mapped_region open_queue_store(const char* name, std::uint64_t& size) {
  shared_memory_object shm(open_only, name, read_write);
  offset_t length = 0;
  if (!shm.get_size(length)) {
    throw interprocess_exception(error_info(errno), "message_queue: cannot open the queue");
  }
  size = static_cast<std::uint64_t>(length);
  return length == 0 ? mapped_region() : mapped_region(shm, read_write);
}

bool remove_queue_store(const char* name) noexcept { return shared_memory_object::remove(name); }

}  // namespace ipc_detail
}  // namespace refipc
