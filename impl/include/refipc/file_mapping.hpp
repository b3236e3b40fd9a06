// Existing files as mappable objects.
#ifndef REFIPC_FILE_MAPPING_HPP_
#define REFIPC_FILE_MAPPING_HPP_

#include <string>

#include "refipc/exceptions.hpp"
#include "refipc/interprocess_fwd.hpp"

namespace refipc {

// Owns a descriptor of an existing file, to map its contents with
// mapped_region. Closing it (destruction) leaves every region mapped from it
// valid. The file is never created, truncated or resized.
//
// The mode must be read_only or read_write (else mode_error); a region of
// either may still be mapped copy_on_write or read_private. A null filename
// throws invalid_argument and a directory is_directory_error; errors from the
// system carry their errno (not_found_error for a missing file,
// security_error when access is denied, path_error for a name too long); on
// Windows their GetLastError() value, and the name is UTF-8.
class file_mapping {
 public:
  // An empty mapping: no descriptor, an empty name and read_only mode.
  file_mapping() noexcept = default;
  file_mapping(const char* filename, mode_t mode);

  // Moved-from mappings are left empty.
  file_mapping(file_mapping&& other) noexcept;
  file_mapping& operator=(file_mapping&& other) noexcept;
  file_mapping(const file_mapping&) = delete;
  file_mapping& operator=(const file_mapping&) = delete;
  ~file_mapping();

  void swap(file_mapping& other) noexcept;

  mode_t get_mode() const noexcept { return mode_; }
#ifdef _WIN32
  mapping_handle_t get_mapping_handle() const noexcept { return {handle_, false, true}; }
#else
  mapping_handle_t get_mapping_handle() const noexcept { return {fd_, false}; }
#endif
  // The filename as given to the constructor.
  const char* get_name() const noexcept { return name_.c_str(); }

  // Deletes the file, even while it is mapped (the mappings stay valid).
  // Returns false for a null name or when the system refuses. On Windows the
  // file must have been opened with FILE_SHARE_DELETE by everyone who has it
  // open (file_mapping does so); it is renamed to "<name>.refipc-removed.<pid>.<n>"
  // beside it and deleted there: the name is free at once, the renamed file
  // vanishes with the last handle or view of it.
  static bool remove(const char* filename) noexcept;

 private:
#ifdef _WIN32
  void* handle_ = nullptr;  // a file HANDLE
#else
  int fd_ = -1;
#endif
  std::string name_;
  mode_t mode_ = read_only;
};

// Removes the named file when destroyed; the name is copied.
class remove_file_on_destroy {
 public:
  explicit remove_file_on_destroy(const char* name) : name_(name ? name : "") {}
  remove_file_on_destroy(const remove_file_on_destroy&) = delete;
  remove_file_on_destroy& operator=(const remove_file_on_destroy&) = delete;
  ~remove_file_on_destroy() { file_mapping::remove(name_.c_str()); }

 private:
  std::string name_;
};

}  // namespace refipc

#endif  // REFIPC_FILE_MAPPING_HPP_
