// Named POSIX shared memory objects.
#ifndef REFIPC_SHARED_MEMORY_OBJECT_HPP_
#define REFIPC_SHARED_MEMORY_OBJECT_HPP_

#include <string>

#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/interprocess_fwd.hpp"
#include "refipc/permissions.hpp"

namespace refipc {

// Owns a descriptor of a named shared memory object. Closing it (destruction)
// leaves the object and any mapped_region of it alive; remove() deletes it.
//
// Names are a single path component with an optional leading '/' ("shm1" and
// "/shm1" are the same object). An invalid name throws invalid_argument, a
// name longer than NAME_MAX throws path_error, in both cases before any system
// call. The mode must be read_only or read_write (else mode_error). A newly
// created object has size 0 and the requested permissions: explicit ones
// exactly, whatever the umask; the default (owner-only, 0600) narrowed by the
// umask (see permissions.hpp). A failed creation leaves nothing behind. Errors from the system
// are reported with their errno (for example already_exists_error,
// not_found_error, security_error).
//
// On Windows, which has no POSIX shared memory, an object is a file of
// refipc's named-object directory (%TEMP%\refipc-named, shared with the named
// primitives and message queues as shm_open's namespace is on POSIX; see
// sync/detail/named_file_windows.hpp), mapped through its file HANDLE. Names
// follow that directory's rules (a file name of at most 200 bytes of UTF-8,
// each ASCII capital counting twice; none of the characters Windows refuses
// in file names; not ending in ".new" or ".removed"). Permissions are not
// applied: the file gets the directory's inherited ACL. truncate() cannot shrink an object below a
// view mapped anywhere (Windows refuses; busy_error). remove() frees the name at once while others
// keep the object open or mapped; its storage goes with the last handle and view. Errors carry
// GetLastError() values.
class shared_memory_object {
 public:
  // An empty object: no descriptor, an empty name and read_only mode.
  shared_memory_object() noexcept = default;
  shared_memory_object(create_only_t, const char* name, mode_t mode,
                       const permissions& perm = permissions());
  shared_memory_object(open_or_create_t, const char* name, mode_t mode,
                       const permissions& perm = permissions());
  shared_memory_object(open_only_t, const char* name, mode_t mode);

  // Moved-from objects are left empty.
  shared_memory_object(shared_memory_object&& other) noexcept;
  shared_memory_object& operator=(shared_memory_object&& other) noexcept;
  shared_memory_object(const shared_memory_object&) = delete;
  shared_memory_object& operator=(const shared_memory_object&) = delete;
  ~shared_memory_object();

  void swap(shared_memory_object& other) noexcept;

  // Sets the size. Growth reserves the memory (detail::reserve_file_space in
  // refipc/detail/file_space.hpp), so a full /dev/shm fails here with
  // out_of_space_error, the size unchanged, instead of raising SIGBUS on first
  // access. Throws mode_error if the object was opened read_only.
  void truncate(offset_t length);

  // The name as given to the constructor.
  const char* get_name() const noexcept { return name_.c_str(); }
  // False if the size cannot be obtained (for example on an empty object).
  bool get_size(offset_t& size) const noexcept;
  mode_t get_mode() const noexcept { return mode_; }
#ifdef _WIN32
  mapping_handle_t get_mapping_handle() const noexcept { return {handle_, true, true}; }
#else
  mapping_handle_t get_mapping_handle() const noexcept { return {fd_, true}; }
#endif

  // Deletes the named object; existing descriptors and mappings stay valid.
  // Returns false if it does not exist, the name is invalid, or on any error.
  static bool remove(const char* name) noexcept;

 private:
  enum class open_kind { must_create, must_exist, either };

  void open(open_kind kind, const char* name, mode_t mode, const permissions& perm);

#ifdef _WIN32
  void* handle_ = nullptr;  // a file HANDLE
#else
  int fd_ = -1;
#endif
  std::string name_;
  mode_t mode_ = read_only;
};

// Removes the named shared memory object when destroyed.
class remove_shared_memory_on_destroy {
 public:
  explicit remove_shared_memory_on_destroy(const char* name) : name_(name ? name : "") {}
  remove_shared_memory_on_destroy(const remove_shared_memory_on_destroy&) = delete;
  remove_shared_memory_on_destroy& operator=(const remove_shared_memory_on_destroy&) = delete;
  ~remove_shared_memory_on_destroy() { shared_memory_object::remove(name_.c_str()); }

 private:
  std::string name_;
};

}  // namespace refipc

#endif  // REFIPC_SHARED_MEMORY_OBJECT_HPP_
