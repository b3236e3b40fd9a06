// The files of refipc's named objects on Windows: one directory,
// "refipc-named" in the user's temporary directory (GetTempPathW), holds the
// named primitives (named_object_windows.cc), the message queues
// (ipc/queue_store_windows.cc) and the shared memory objects
// (shared_memory_object_windows.cc) under their names, as shm_open's
// directory holds all three on POSIX. One namespace, so that an object of one kind opened as
// the other is refused as "not a ..." (corrupted_error) on every platform.
//
// Names are case-sensitive, as on POSIX, although Windows compares file names
// without case: a file's name writes each ASCII capital of the object's name
// as '^' and the lower-case letter, and '^' as "^^" (other letters that
// differ only in case still share a file).
//
// Names: one path component whose file name is at most kMaxNamedFile bytes
// of UTF-8, without '/', '\\', ':' and the other characters Windows refuses
// in file names, optionally preceded by one '/' (as on POSIX), not ending in
// '.' or ' ' (Windows would drop it), nor in ".new" or ".removed" (in any
// case), which name refipc's own files:
//
// Creators build an object in a file of a unique name beside its final one
// ("<name>.<pid>.<n>.new") and publish it by a rename that fails if the name
// exists; remove() renames it to a unique name ending in ".removed" (the
// name is free at once, while other processes still map the object) and
// deletes the removed files nobody maps any more (Windows refuses to delete
// a mapped file) and the drafts whose creator has ended (it died before
// publishing). Windows only. Internal.
#ifndef REFIPC_SYNC_DETAIL_NAMED_FILE_WINDOWS_HPP_
#define REFIPC_SYNC_DETAIL_NAMED_FILE_WINDOWS_HPP_

#include <cstddef>
#include <string>

namespace refipc {
namespace sync_detail {

constexpr std::size_t kMaxNamedFile = 200;

enum class named_file_status { valid, malformed, too_long };

// The UTF-8 `utf8` as UTF-16; empty for invalid UTF-8 (and for ""). Also used
// for the paths of file_mapping, file_lock and managed_mapped_file.
std::wstring widen(const std::string& utf8);

named_file_status check_named_file(const char* name);

// The file of the valid name `name`, in the directory (created on first
// use); empty when there is no directory (GetLastError() says why).
std::wstring named_file_path(const char* name);

// A name of this process unused so far, beside `path`.
std::wstring unique_beside(const std::wstring& path, const wchar_t* suffix);

// Removes the object of `name` as described above. False if there is none,
// the name is invalid, or on any error; mappings already made stay valid.
bool remove_named_file(const char* name) noexcept;

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_NAMED_FILE_WINDOWS_HPP_
