// The members of shared_memory_object common to every platform; the rest is
// in shared_memory_object_posix.cc and shared_memory_object_windows.cc.
#include "refipc/shared_memory_object.hpp"

#include <utility>

namespace refipc {

shared_memory_object::shared_memory_object(create_only_t, const char* name, mode_t mode,
                                           const permissions& perm) {
  open(open_kind::must_create, name, mode, perm);
}

shared_memory_object::shared_memory_object(open_or_create_t, const char* name, mode_t mode,
                                           const permissions& perm) {
  open(open_kind::either, name, mode, perm);
}

shared_memory_object::shared_memory_object(open_only_t, const char* name, mode_t mode) {
  open(open_kind::must_exist, name, mode, permissions());
}

shared_memory_object::shared_memory_object(shared_memory_object&& other) noexcept { swap(other); }

shared_memory_object& shared_memory_object::operator=(shared_memory_object&& other) noexcept {
  shared_memory_object taken(std::move(other));
  swap(taken);
  return *this;
}

}  // namespace refipc
