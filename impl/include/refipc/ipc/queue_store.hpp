// Where a message queue's bytes live under its name: a POSIX shared memory
// object (queue_store_posix.cc), or on Windows a file of the directory of
// refipc's named objects (queue_store_windows.cc, see
// sync/detail/named_file_windows.hpp). Either way a queue shares its
// namespace with the named primitives, and a creator builds the whole queue
// before its name appears, so an opener never sees it half built and never
// waits for its creator. Not part of the API.
#ifndef REFIPC_IPC_QUEUE_STORE_HPP_
#define REFIPC_IPC_QUEUE_STORE_HPP_

#include <cstdint>
#include <functional>

#include "refipc/mapped_region.hpp"
#include "refipc/permissions.hpp"

namespace refipc {
namespace ipc_detail {

// Throws interprocess_exception with invalid_argument for a name the
// platform's store refuses, path_error for one too long.
void check_queue_name(const char* name);

// Whether an object of the valid name `name` exists now: a hint that spares
// reserving a queue only to find the name taken (publishing checks again).
bool queue_store_exists(const char* name);

// Makes an unnamed object of `size` bytes, all of them reserved (a full store
// fails here: out_of_space_error or the system's error), maps it read-write,
// lets `build` write the queue at its start, and publishes it under `name`.
// Throws already_exists_error if the name was taken meanwhile; nothing is
// left behind when this throws, or when the process dies before publishing.
mapped_region create_queue_store(const char* name, std::uint64_t size, const permissions& perm,
                                 const std::function<void(void*)>& build);

// Maps the whole of the existing object `name` read-write and sets `size` to
// its size in bytes; the region is empty when the object is. Throws
// not_found_error if there is no such object.
mapped_region open_queue_store(const char* name, std::uint64_t& size);

// Deletes the name; processes that map the object keep using it. False if
// there is no such object, the name is invalid, or on any error.
bool remove_queue_store(const char* name) noexcept;

}  // namespace ipc_detail
}  // namespace refipc

#endif  // REFIPC_IPC_QUEUE_STORE_HPP_
