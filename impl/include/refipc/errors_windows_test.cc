// lookup_error on Windows translates GetLastError() values.
#include <windows.h>

#include "gtest/gtest.h"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

TEST(ErrorsWindowsTest, TranslatesTheErrorsOfNamedObjects) {
  EXPECT_EQ(lookup_error(ERROR_SUCCESS), no_error);
  EXPECT_EQ(lookup_error(ERROR_FILE_NOT_FOUND), not_found_error);
  EXPECT_EQ(lookup_error(ERROR_ALREADY_EXISTS), already_exists_error);
  EXPECT_EQ(lookup_error(ERROR_ACCESS_DENIED), security_error);
  EXPECT_EQ(lookup_error(ERROR_INVALID_PARAMETER), invalid_argument);
  EXPECT_EQ(lookup_error(ERROR_BAD_PATHNAME), path_error);
  EXPECT_EQ(lookup_error(ERROR_NOT_ENOUGH_MEMORY), out_of_memory_error);
  EXPECT_EQ(lookup_error(ERROR_COMMITMENT_LIMIT), out_of_space_error);
}

TEST(ErrorsWindowsTest, UnknownErrorsAreSystemErrors) {
  EXPECT_EQ(lookup_error(ERROR_GEN_FAILURE), system_error);
}

TEST(ErrorsWindowsTest, ExceptionsDescribeTheNativeError) {
  const interprocess_exception error(error_info(static_cast<native_error_t>(ERROR_FILE_NOT_FOUND)),
                                     "opening x");
  EXPECT_EQ(error.get_error_code(), not_found_error);
  EXPECT_EQ(error.get_native_error(), static_cast<native_error_t>(ERROR_FILE_NOT_FOUND));
  const std::string what = error.what();
  EXPECT_EQ(what.rfind("opening x: ", 0), 0u) << what;
  EXPECT_GT(what.size(), std::string("opening x: ").size()) << what;
}

}  // namespace
}  // namespace refipc
