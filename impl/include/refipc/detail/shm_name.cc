#include "refipc/detail/shm_name.hpp"

#include <climits>
#include <cstring>

namespace refipc::detail {
namespace {

const char* without_leading_slash(const char* name) { return name[0] == '/' ? name + 1 : name; }

}  // namespace

shm_name_status check_shm_name(const char* name) {
  if (name == nullptr) return shm_name_status::malformed;
  const char* component = without_leading_slash(name);
  const std::size_t length = std::strlen(component);
  if (length == 0 || std::strchr(component, '/') != nullptr || std::strcmp(component, ".") == 0 ||
      std::strcmp(component, "..") == 0) {
    return shm_name_status::malformed;
  }
  return length > NAME_MAX ? shm_name_status::too_long : shm_name_status::valid;
}

std::string shm_path(const char* name) { return std::string("/") + without_leading_slash(name); }

}  // namespace refipc::detail
