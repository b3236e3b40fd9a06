#include "impl/failure_model/objects.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include "refipc/ipc/message_queue.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/shared_memory_object.hpp"
#include "refipc/sync/named_condition.hpp"
#include "refipc/sync/named_condition_any.hpp"
#include "refipc/sync/named_mutex.hpp"
#include "refipc/sync/named_recursive_mutex.hpp"
#include "refipc/sync/named_semaphore.hpp"
#include "refipc/sync/named_sharable_mutex.hpp"
#include "refipc/sync/named_upgradable_mutex.hpp"

namespace refipc_failure_model {
namespace {

using refipc::permissions;

constexpr refipc::offset_t kShmSize = 8192;
constexpr std::size_t kQueueMessages = 8;
constexpr std::size_t kQueueMessageSize = 200;

// A named primitive whose constructors take (tag, name, perm) and
// (open_only, name).
template <class T>
object_kind primitive(const char* label) {
  return object_kind{
      label,
      [](const char* name, creation how, const permissions& perm) {
        if (how == creation::create_only) {
          T created(refipc::create_only, name, perm);
        } else {
          T created(refipc::open_or_create, name, perm);
        }
      },
      [](const char* name) { T opened(refipc::open_only, name); },
      [](const char* name) { return T::remove(name); },
  };
}

std::vector<object_kind> make_kinds() {
  std::vector<object_kind> kinds;
  object_kind shm{
      "shared_memory_object",
      [](const char* name, creation how, const permissions& perm) {
        refipc::shared_memory_object created =
            how == creation::create_only
                ? refipc::shared_memory_object(refipc::create_only, name, refipc::read_write, perm)
                : refipc::shared_memory_object(refipc::open_or_create, name, refipc::read_write,
                                               perm);
        refipc::offset_t size = 0;
        if (created.get_size(size) && size == 0) created.truncate(kShmSize);
      },
      [](const char* name) {
        const refipc::shared_memory_object opened(refipc::open_only, name, refipc::read_only);
        const refipc::mapped_region region(opened, refipc::read_only);
      },
      [](const char* name) { return refipc::shared_memory_object::remove(name); },
  };
  shm.failed_growth_keeps_empty_object = true;
  kinds.push_back(shm);
  kinds.push_back(primitive<refipc::named_mutex>("named_mutex"));
  kinds.push_back(primitive<refipc::named_recursive_mutex>("named_recursive_mutex"));
  kinds.push_back(primitive<refipc::named_condition>("named_condition"));
  kinds.push_back(primitive<refipc::named_condition_any>("named_condition_any"));
  kinds.push_back(primitive<refipc::named_sharable_mutex>("named_sharable_mutex"));
  kinds.push_back(primitive<refipc::named_upgradable_mutex>("named_upgradable_mutex"));
  kinds.push_back(object_kind{
      "named_semaphore",
      [](const char* name, creation how, const permissions& perm) {
        if (how == creation::create_only) {
          refipc::named_semaphore created(refipc::create_only, name, 1, perm);
        } else {
          refipc::named_semaphore created(refipc::open_or_create, name, 1, perm);
        }
      },
      [](const char* name) { refipc::named_semaphore opened(refipc::open_only, name); },
      [](const char* name) { return refipc::named_semaphore::remove(name); },
  });
  kinds.push_back(object_kind{
      "message_queue",
      [](const char* name, creation how, const permissions& perm) {
        if (how == creation::create_only) {
          refipc::message_queue created(refipc::create_only, name, kQueueMessages,
                                        kQueueMessageSize, perm);
        } else {
          refipc::message_queue created(refipc::open_or_create, name, kQueueMessages,
                                        kQueueMessageSize, perm);
        }
      },
      [](const char* name) {
        refipc::message_queue opened(refipc::open_only, name);
        const char byte = 'x';
        opened.try_send(&byte, 1, 0);
      },
      [](const char* name) { return refipc::message_queue::remove(name); },
  });
  return kinds;
}

}  // namespace

const std::vector<object_kind>& every_kind() {
  static const std::vector<object_kind> kinds = make_kinds();
  return kinds;
}

std::vector<std::string> shm_directory_names() {
  std::vector<std::string> names;
  DIR* dir = opendir("/dev/shm");
  if (dir == nullptr) return names;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  return names;
}

bool shm_object_status(const std::string& name, long long& size, unsigned& mode) {
  struct stat st;
  if (stat(("/dev/shm/" + name).c_str(), &st) != 0) return false;
  size = st.st_size;
  mode = st.st_mode & 07777;
  return true;
}

}  // namespace refipc_failure_model
