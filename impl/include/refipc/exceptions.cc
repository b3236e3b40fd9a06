#include "refipc/exceptions.hpp"

#ifdef _WIN32
#include <windows.h>
#else
#include <string.h>
#endif

#include <string>

namespace refipc {
namespace {

const char* error_code_name(error_code_t code) {
  switch (code) {
    case no_error:
      return "no_error";
    case system_error:
      return "system_error";
    case other_error:
      return "other_error";
    case security_error:
      return "security_error";
    case read_only_error:
      return "read_only_error";
    case io_error:
      return "io_error";
    case path_error:
      return "path_error";
    case not_found_error:
      return "not_found_error";
    case busy_error:
      return "busy_error";
    case already_exists_error:
      return "already_exists_error";
    case not_empty_error:
      return "not_empty_error";
    case is_directory_error:
      return "is_directory_error";
    case out_of_space_error:
      return "out_of_space_error";
    case out_of_memory_error:
      return "out_of_memory_error";
    case out_of_resource_error:
      return "out_of_resource_error";
    case lock_error:
      return "lock_error";
    case sem_error:
      return "sem_error";
    case mode_error:
      return "mode_error";
    case size_error:
      return "size_error";
    case corrupted_error:
      return "corrupted_error";
    case not_such_file_or_directory:
      return "not_such_file_or_directory";
    case invalid_argument:
      return "invalid_argument";
    case timeout_when_locking_error:
      return "timeout_when_locking_error";
    case timeout_when_waiting_error:
      return "timeout_when_waiting_error";
    case owner_dead_error:
      return "owner_dead_error";
    case not_recoverable:
      return "not_recoverable";
  }
  return "unknown error code";
}

#ifdef _WIN32
// The system's description of a GetLastError() value.
std::string native_message(native_error_t native) {
  char buffer[256] = "";
  const DWORD length =
      FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
                     static_cast<DWORD>(native), 0, buffer, sizeof buffer, nullptr);
  std::string message(buffer, length);
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) {
    message.pop_back();
  }
  return message.empty() ? "Windows error " + std::to_string(native) : message;
}
#else
// strerror_r comes in an XSI flavour returning int and a GNU flavour returning
// the message; these overloads accept whichever the C library provides.
[[maybe_unused]] const char* strerror_r_result(int rc, const char* buffer) {
  return rc == 0 ? buffer : "unknown error";
}
[[maybe_unused]] const char* strerror_r_result(const char* message, const char*) { return message; }

std::string native_message(native_error_t native) {
  char buffer[256] = "";
  return strerror_r_result(strerror_r(native, buffer, sizeof buffer), buffer);
}
#endif

std::string describe(const error_info& err, const char* context) {
  std::string message = context != nullptr && *context != '\0'
                            ? std::string(context)
                            : std::string("refipc: ") + error_code_name(err.get_error_code());
  if (err.get_native_error() != 0) message += ": " + native_message(err.get_native_error());
  return message;
}

}  // namespace

interprocess_exception::interprocess_exception(const char* message)
    : interprocess_exception(error_info(other_error), message) {}

interprocess_exception::interprocess_exception(const error_info& err, const char* context)
    : err_(err), message_(std::make_shared<const std::string>(describe(err, context))) {}

const char* interprocess_exception::what() const noexcept { return message_->c_str(); }

lock_exception::lock_exception(error_code_t code)
    : lock_exception("refipc::lock_exception", code) {}

lock_exception::lock_exception(const char* message, error_code_t code)
    : interprocess_exception(error_info(code), message) {}

owner_dead_exception::owner_dead_exception()
    : lock_exception("refipc::owner_dead_exception: the previous owner of the mutex died",
                     owner_dead_error) {}

bad_alloc::bad_alloc() : interprocess_exception("refipc::bad_alloc") {}

}  // namespace refipc
