// What the unit tests of refipc's components check of a failed call: the
// error code of the interprocess_exception it throws.
#ifndef REFIPC_TESTING_ERROR_OF_HPP_
#define REFIPC_TESTING_ERROR_OF_HPP_

#include <gtest/gtest.h>

#include <cstring>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc_test {

using refipc::error_code_t;

// The error code of the interprocess_exception `action` throws, or no_error
// when it throws none.
template <class Action>
error_code_t error_or_none(Action action) {
  try {
    action();
  } catch (const refipc::interprocess_exception& e) {
    return e.get_error_code();
  }
  return refipc::no_error;
}

// The same for an action that must throw: a test failure when it does not,
// or (given `component`) when the message does not name the component.
template <class Action>
error_code_t error_of(Action action, const char* component = nullptr) {
  try {
    action();
  } catch (const refipc::interprocess_exception& e) {
    if (component != nullptr) {
      EXPECT_NE(std::strstr(e.what(), component), nullptr) << e.what();
    }
    return e.get_error_code();
  }
  ADD_FAILURE() << "no interprocess_exception was thrown";
  return refipc::no_error;
}

}  // namespace refipc_test

#endif  // REFIPC_TESTING_ERROR_OF_HPP_
