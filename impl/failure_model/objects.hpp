// Every kind of named object refipc creates in the shared memory directory,
// behind one interface, for the failure-model tests of this package.
#ifndef REFIPC_FAILURE_MODEL_OBJECTS_HPP_
#define REFIPC_FAILURE_MODEL_OBJECTS_HPP_

#include <functional>
#include <string>
#include <vector>

#include "refipc/permissions.hpp"

namespace refipc_failure_model {

enum class creation { create_only, open_or_create };

struct object_kind {
  std::string label;
  // Creates the object as a user would, with `perm`, and drops the handle
  // (the object stays). A shared_memory_object is also given a size.
  std::function<void(const char* name, creation how, const refipc::permissions& perm)> create;
  // Opens the existing object for use (read and write where the kind has
  // both; a shared_memory_object read_only, and mapped).
  std::function<void(const char* name)> open;
  std::function<bool(const char* name)> remove;
  // Whether a creation that failed for lack of space leaves the user's
  // object: shared_memory_object's constructor creates an empty object and a
  // later truncate() fails, leaving it empty.
  bool failed_growth_keeps_empty_object = false;
};

const std::vector<object_kind>& every_kind();

// The names in /dev/shm.
std::vector<std::string> shm_directory_names();

// The size and permission bits of /dev/shm/<name>; false if it does not exist.
bool shm_object_status(const std::string& name, long long& size, unsigned& mode);

}  // namespace refipc_failure_model

#endif  // REFIPC_FAILURE_MODEL_OBJECTS_HPP_
