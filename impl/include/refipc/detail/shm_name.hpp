// Validation of shared memory names and their mapping to shm_open paths.
#ifndef REFIPC_DETAIL_SHM_NAME_HPP_
#define REFIPC_DETAIL_SHM_NAME_HPP_

#include <string>

namespace refipc::detail {

enum class shm_name_status { valid, malformed, too_long };

// A valid name is one path component, optionally preceded by a single '/':
// non-empty, free of '/', neither "." nor "..", and at most NAME_MAX bytes.
shm_name_status check_shm_name(const char* name);

// The shm_open path of a valid name: the name with exactly one leading '/'.
std::string shm_path(const char* name);

}  // namespace refipc::detail

#endif  // REFIPC_DETAIL_SHM_NAME_HPP_
