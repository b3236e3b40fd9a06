// What the platform parts of named_mapping (named_object_posix.cc,
// named_object_windows.cc) share: the header of a named object
// (docs/layout.md) and error reporting. Internal to named_object.
#ifndef REFIPC_SYNC_DETAIL_NAMED_OBJECT_COMMON_HPP_
#define REFIPC_SYNC_DETAIL_NAMED_OBJECT_COMMON_HPP_

#include <cstddef>
#include <string>

#include "refipc/errors.hpp"

namespace refipc {
namespace sync_detail {

// Writes the header at the start of a new object of `object_size` bytes.
void write_named_header(void* base, const char* type, std::size_t object_size) noexcept;

// Whether `base` starts with the header of a `type` of `object_size` bytes
// (made by the same wait backend).
bool has_named_header(const void* base, const char* type, std::size_t object_size) noexcept;

// Throws interprocess_exception(err) with "<type>: <context>".
[[noreturn]] void named_fail(const char* type, const error_info& err, const std::string& context);

// The name in quotes for messages ("(null name)" for nullptr).
std::string quoted_name(const char* name);

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_NAMED_OBJECT_COMMON_HPP_
