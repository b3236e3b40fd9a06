#include "refipc/exceptions.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include "gtest/gtest.h"

namespace refipc {
namespace {

TEST(InterprocessExceptionTest, FromMessageIsLibraryError) {
  const interprocess_exception e("something broke");
  EXPECT_STREQ(e.what(), "something broke");
  EXPECT_EQ(e.get_error_code(), other_error);
  EXPECT_EQ(e.get_native_error(), 0);
}

TEST(InterprocessExceptionTest, NativeErrorAppendsSystemDescription) {
  const interprocess_exception e(error_info(ENOENT), "shm_open \"x\"");
  EXPECT_EQ(std::string(e.what()), std::string("shm_open \"x\": ") + std::strerror(ENOENT));
  EXPECT_EQ(e.get_error_code(), not_found_error);
  EXPECT_EQ(e.get_native_error(), ENOENT);
}

TEST(InterprocessExceptionTest, LibraryErrorUsesContextAlone) {
  const interprocess_exception e(error_info(size_error), "region too big");
  EXPECT_STREQ(e.what(), "region too big");
  EXPECT_EQ(e.get_error_code(), size_error);
  EXPECT_EQ(e.get_native_error(), 0);
}

TEST(InterprocessExceptionTest, WithoutContextNamesTheErrorCode) {
  EXPECT_STREQ(interprocess_exception(error_info(mode_error)).what(), "refipc: mode_error");
  EXPECT_STREQ(interprocess_exception(error_info(size_error), "").what(), "refipc: size_error");
  const interprocess_exception native(error_info(EEXIST));
  EXPECT_EQ(std::string(native.what()),
            std::string("refipc: already_exists_error: ") + std::strerror(EEXIST));
}

TEST(InterprocessExceptionTest, NullMessageStillDescribesTheError) {
  const char* const none = nullptr;
  EXPECT_STREQ(interprocess_exception(none).what(), "refipc: other_error");
}

TEST(InterprocessExceptionTest, CopiesKeepMessageAndCodes) {
  const interprocess_exception original(error_info(EACCES), "ctx");
  const interprocess_exception copy = original;
  EXPECT_STREQ(copy.what(), original.what());
  EXPECT_EQ(copy.get_error_code(), security_error);
  EXPECT_EQ(copy.get_native_error(), EACCES);
}

TEST(InterprocessExceptionTest, CatchableAsStdException) {
  try {
    throw interprocess_exception(error_info(busy_error), "busy");
  } catch (const std::exception& e) {
    EXPECT_STREQ(e.what(), "busy");
    return;
  }
  FAIL() << "not caught";
}

TEST(LockExceptionTest, IsALockError) {
  const lock_exception e;
  const interprocess_exception& base = e;
  EXPECT_EQ(base.get_error_code(), lock_error);
  EXPECT_EQ(base.get_native_error(), 0);
  EXPECT_STREQ(base.what(), "refipc::lock_exception");
}

TEST(LockExceptionTest, TakesAnErrorCode) {
  const lock_exception e(not_recoverable);
  EXPECT_EQ(e.get_error_code(), not_recoverable);
  EXPECT_STREQ(e.what(), "refipc::lock_exception");
}

TEST(OwnerDeadExceptionTest, IsALockExceptionNamingTheDeath) {
  const owner_dead_exception e;
  const lock_exception& base = e;
  EXPECT_EQ(base.get_error_code(), owner_dead_error);
  EXPECT_NE(std::string(base.what()).find("died"), std::string::npos);
}

TEST(BadAllocTest, IsALibraryError) {
  const bad_alloc e;
  const interprocess_exception& base = e;
  EXPECT_EQ(base.get_error_code(), other_error);
  EXPECT_EQ(base.get_native_error(), 0);
  EXPECT_STREQ(base.what(), "refipc::bad_alloc");
}

}  // namespace
}  // namespace refipc
