// Exceptions thrown by refipc.
#ifndef REFIPC_EXCEPTIONS_HPP_
#define REFIPC_EXCEPTIONS_HPP_

#include <exception>
#include <memory>
#include <string>

#include "refipc/errors.hpp"

namespace refipc {

// Base of every exception refipc throws.
//
// what() is built from the context passed in (typically the failed operation
// and the resource it concerned) followed, for native errors, by the system's
// description of the error. Without a context the error code's name is used.
class interprocess_exception : public std::exception {
 public:
  // A library error (other_error) described by `message`.
  explicit interprocess_exception(const char* message);
  interprocess_exception(const error_info& err, const char* context = nullptr);

  const char* what() const noexcept override;
  native_error_t get_native_error() const noexcept { return err_.get_native_error(); }
  error_code_t get_error_code() const noexcept { return err_.get_error_code(); }

 private:
  error_info err_;
  // Shared so that copying the exception never throws.
  std::shared_ptr<const std::string> message_;
};

// Thrown by locking primitives on misuse, such as a detected deadlock.
class lock_exception : public interprocess_exception {
 public:
  // As Boost's: the error code defaults to lock_error.
  lock_exception(error_code_t code = lock_error);

 protected:
  explicit lock_exception(const char* message, error_code_t code = lock_error);
};

// Beyond Boost: thrown by a lock operation of a refipc mutex that has taken
// the mutex, when a previous owner ended (exited, was killed or exec'd)
// while holding it. The caller owns the mutex; the data it protects may be
// half-updated. Repair it, call the mutex's consistent(), then unlock. Until
// consistent() is called, every later lock reports the death again. Its
// error code is owner_dead_error.
class owner_dead_exception : public lock_exception {
 public:
  owner_dead_exception();
};

// Thrown when memory requested from a segment cannot be provided.
class bad_alloc : public interprocess_exception {
 public:
  bad_alloc();
};

}  // namespace refipc

#endif  // REFIPC_EXCEPTIONS_HPP_
