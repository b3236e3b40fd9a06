#include "refipc/xsi_key.hpp"

#include <cerrno>
#include <string>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {

xsi_key::xsi_key(const char* path, std::uint8_t id) {
  if (path == nullptr) throw interprocess_exception(invalid_argument, "xsi_key: null path");
  const std::string context =
      "xsi_key: \"" + std::string(path) + "\" with id " + std::to_string(id);
  if (id == 0) throw interprocess_exception(invalid_argument, (context + ": id 0").c_str());
  const key_t key = ftok(path, id);
  if (key == static_cast<key_t>(-1)) {
    const int err = errno;
    throw interprocess_exception(err, context.c_str());
  }
  key_ = key;
}

}  // namespace refipc
