// The queue's store on Windows: a file of the directory of refipc's named
// objects (sync/detail/named_file_windows.hpp), mapped with
// CreateFileMapping. Windows' own named memory (windows_shared_memory)
// vanishes with its last handle, while a queue must live until remove(): a
// file does.
//
// A creator builds the queue in a file of a unique temporary name beside the
// final one and publishes it with MoveFileExW without
// MOVEFILE_REPLACE_EXISTING, which fails if the name exists. A creator that
// fails deletes its temporary file; one that dies before publishing leaves
// it ("<name>.<pid>.<n>.new"), never a half-built queue under the name, and
// the next remove() of any name deletes it (named_file_windows.hpp).
#include <windows.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/ipc/queue_store.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/sync/detail/named_file_windows.hpp"

namespace refipc {
namespace ipc_detail {
namespace {

// Closes a handle when it goes out of scope.
class handle {
 public:
  explicit handle(HANDLE h) : h_(h) {}
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;
  ~handle() {
    if (valid()) CloseHandle(h_);
  }
  HANDLE get() const { return h_; }
  bool valid() const { return h_ != nullptr && h_ != INVALID_HANDLE_VALUE; }

 private:
  HANDLE h_;
};

// A file mapping object as mapped_region takes it. A view keeps the mapping
// (and the file) alive after every handle is closed.
struct file_mapping_view {
  HANDLE mapping;
  mapping_handle_t get_mapping_handle() const noexcept { return {mapping, false}; }
};

[[noreturn]] void fail(const error_info& err, const char* context) {
  throw interprocess_exception(err, context);
}

error_info last_error() { return error_info(static_cast<native_error_t>(GetLastError())); }

constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

std::wstring path_of(const char* name) {
  const std::wstring path = sync_detail::named_file_path(name);
  if (path.empty()) fail(last_error(), "message_queue: no directory for the queue");
  return path;
}

// Maps the first `size` bytes of `file` read-write.
mapped_region map_file(const handle& file, std::uint64_t size, const char* context) {
  if (size > std::numeric_limits<std::size_t>::max()) fail(size_error, context);
  const handle mapping(CreateFileMappingW(file.get(), nullptr, PAGE_READWRITE, 0, 0, nullptr));
  if (!mapping.valid()) fail(last_error(), context);
  return mapped_region(file_mapping_view{mapping.get()}, read_write, 0,
                       static_cast<std::size_t>(size));
}

// The creator's temporary file, deleted on scope exit unless published.
// Declared before the region that maps it, which must be gone first (Windows
// refuses to delete a mapped file).
class draft_file {
 public:
  explicit draft_file(std::wstring path) : path_(std::move(path)) {}
  draft_file(const draft_file&) = delete;
  draft_file& operator=(const draft_file&) = delete;
  ~draft_file() {
    if (!published_) DeleteFileW(path_.c_str());
  }
  const std::wstring& path() const { return path_; }
  void published() { published_ = true; }

 private:
  std::wstring path_;
  bool published_ = false;
};

}  // namespace

void check_queue_name(const char* name) {
  switch (sync_detail::check_named_file(name)) {
    case sync_detail::named_file_status::valid:
      return;
    case sync_detail::named_file_status::malformed:
      fail(invalid_argument, "message_queue: invalid name");
    case sync_detail::named_file_status::too_long:
      fail(path_error, "message_queue: name too long");
  }
}

bool queue_store_exists(const char* name) {
  const std::wstring path = sync_detail::named_file_path(name);
  return !path.empty() && GetFileAttributesW(path.c_str()) != INVALID_FILE_ATTRIBUTES;
}

mapped_region create_queue_store(const char* name, std::uint64_t size, const permissions&,
                                 const std::function<void(void*)>& build) {
  const std::wstring path = path_of(name);
  draft_file draft(sync_detail::unique_beside(path, L".new"));
  mapped_region region;
  {
    const handle file(CreateFileW(draft.path().c_str(), GENERIC_READ | GENERIC_WRITE, kShareAll,
                                  nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!file.valid()) fail(last_error(), "message_queue: cannot create the queue");
    // Extending the file allocates it: a full disk fails here, not in a
    // write through the view.
    LARGE_INTEGER end;
    end.QuadPart = static_cast<LONGLONG>(size);
    if (!SetFilePointerEx(file.get(), end, nullptr, FILE_BEGIN) || !SetEndOfFile(file.get())) {
      fail(last_error(), "message_queue: cannot create the queue");
    }
    region = map_file(file, size, "message_queue: cannot create the queue");
  }
  build(region.get_address());
  if (!MoveFileExW(draft.path().c_str(), path.c_str(), 0)) {
    fail(last_error(), "message_queue: cannot publish the queue");
  }
  draft.published();
  return region;
}

mapped_region open_queue_store(const char* name, std::uint64_t& size) {
  const handle file(CreateFileW(path_of(name).c_str(), GENERIC_READ | GENERIC_WRITE, kShareAll,
                                nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!file.valid()) fail(last_error(), "message_queue: cannot open the queue");
  LARGE_INTEGER length;
  if (!GetFileSizeEx(file.get(), &length))
    fail(last_error(), "message_queue: cannot open the queue");
  size = static_cast<std::uint64_t>(length.QuadPart);
  return size == 0 ? mapped_region() : map_file(file, size, "message_queue: cannot map the queue");
}

bool remove_queue_store(const char* name) noexcept { return sync_detail::remove_named_file(name); }

}  // namespace ipc_detail
}  // namespace refipc
