// Native Windows shared memory (windows_shared_memory): file mappings backed by
// the paging file. Windows only; on other platforms including this header is
// an error whose message names the reason.
#ifndef REFIPC_WINDOWS_SHARED_MEMORY_HPP_
#define REFIPC_WINDOWS_SHARED_MEMORY_HPP_

#ifndef _WIN32
#error \
    "refipc/windows_shared_memory.hpp: windows_shared_memory is only available on Windows (_WIN32 is not defined); use shared_memory_object or xsi_shared_memory on this platform"
#else

#include <cstddef>
#include <string>

#include "refipc/creation_tags.hpp"
#include "refipc/interprocess_fwd.hpp"
#include "refipc/permissions.hpp"

namespace refipc {

// A named file mapping of the paging file. It has no persistence: Windows
// destroys it when the last handle to it (windows_shared_memory object or
// mapped region, in any process) is closed, so there is no remove().
//
// Names are UTF-8 (a "Global\" or "Local\" prefix selects the namespace, as
// the system defines); an empty or null name throws path_error. The mode is
// read_only or read_write (otherwise mode_error): it is the access of the
// handle, so mapping read_write from a read_only object throws security_error.
// The size, given at creation, must not be 0 (size_error); opening an existing
// object (open_only, or open_or_create when it exists) keeps its size.
//
// Permissions: when they grant access to others (any of the 0007 bits, as
// permissions::set_unrestricted() does), the object gets a null DACL and every
// user may open it; otherwise it gets the creating process's default security.
// Other bits are ignored. System errors carry GetLastError() as the native
// error.
class windows_shared_memory {
 public:
  // Represents no shared memory.
  windows_shared_memory() noexcept = default;
  // Throws already_exists_error if shared memory of that name exists.
  windows_shared_memory(create_only_t, const char* name, mode_t mode, std::size_t size,
                        const permissions& perm = permissions());
  windows_shared_memory(open_or_create_t, const char* name, mode_t mode, std::size_t size,
                        const permissions& perm = permissions());
  // Throws not_found_error if no shared memory of that name exists.
  windows_shared_memory(open_only_t, const char* name, mode_t mode);

  // Moved-from objects represent no shared memory.
  windows_shared_memory(windows_shared_memory&& other) noexcept;
  windows_shared_memory& operator=(windows_shared_memory&& other) noexcept;
  windows_shared_memory(const windows_shared_memory&) = delete;
  windows_shared_memory& operator=(const windows_shared_memory&) = delete;
  // Closes the handle; regions mapped from it stay valid.
  ~windows_shared_memory();

  void swap(windows_shared_memory& other) noexcept;

  // "" when the object represents no shared memory.
  const char* get_name() const noexcept { return name_.c_str(); }
  mode_t get_mode() const noexcept { return mode_; }
  mapping_handle_t get_mapping_handle() const noexcept { return {handle_, true}; }
  // The size rounded up to the system's page, as Windows reports it (it keeps
  // no exact size); 0 when the object represents none or the query fails.
  offset_t get_size() const noexcept;

 private:
  enum class disposition { create, open, open_or_create };

  void open(disposition how, const char* name, mode_t mode, std::size_t size,
            const permissions& perm);

  void* handle_ = nullptr;
  mode_t mode_ = read_only;
  std::string name_;
};

}  // namespace refipc

#endif  // _WIN32

#endif  // REFIPC_WINDOWS_SHARED_MEMORY_HPP_
