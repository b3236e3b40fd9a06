// Error codes reported by refipc and their translation from errno values.
#ifndef REFIPC_ERRORS_HPP_
#define REFIPC_ERRORS_HPP_

namespace refipc {

enum error_code_t {
  no_error = 0,
  system_error,  // An operating system error with no more specific code.
  other_error,   // A library error with no more specific code.
  security_error,
  read_only_error,
  io_error,
  path_error,
  not_found_error,
  busy_error,  // Retrying later might succeed.
  already_exists_error,
  not_empty_error,
  is_directory_error,
  out_of_space_error,
  out_of_memory_error,
  out_of_resource_error,
  lock_error,
  sem_error,
  mode_error,
  size_error,
  corrupted_error,
  not_such_file_or_directory,
  invalid_argument,
  timeout_when_locking_error,  // A lock operation gave up at its deadline.
  timeout_when_waiting_error,  // A condition wait gave up at its deadline.
  owner_dead_error,            // A mutex's previous owner died holding it.
  not_recoverable              // The state a mutex protects cannot be recovered.
};

// An errno value; on Windows, a GetLastError() value.
using native_error_t = int;

// The error code that describes a native error. Zero means no_error; values
// without a more specific code give system_error.
error_code_t lookup_error(native_error_t native) noexcept;

// An error code, together with the native error it came from (0 when the
// error was detected by the library rather than the operating system).
class error_info {
 public:
  // Implicit so that an error code or an errno value can be passed directly.
  error_info(error_code_t code = other_error) noexcept : native_(0), code_(code) {}
  error_info(native_error_t native) noexcept : native_(native), code_(lookup_error(native)) {}

  error_info& operator=(error_code_t code) noexcept { return *this = error_info(code); }
  error_info& operator=(native_error_t native) noexcept { return *this = error_info(native); }

  native_error_t get_native_error() const noexcept { return native_; }
  error_code_t get_error_code() const noexcept { return code_; }

 private:
  native_error_t native_;
  error_code_t code_;
};

}  // namespace refipc

#endif  // REFIPC_ERRORS_HPP_
