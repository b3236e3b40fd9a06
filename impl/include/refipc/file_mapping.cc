// The members of file_mapping common to every platform; the rest is in
// file_mapping_posix.cc and file_mapping_windows.cc.
#include "refipc/file_mapping.hpp"

#include <utility>

namespace refipc {

file_mapping::file_mapping(file_mapping&& other) noexcept { swap(other); }

file_mapping& file_mapping::operator=(file_mapping&& other) noexcept {
  file_mapping taken(std::move(other));
  swap(taken);
  return *this;
}

}  // namespace refipc
