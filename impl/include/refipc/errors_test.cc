#include "refipc/errors.hpp"

#include <cerrno>
#include <iterator>

#include "gtest/gtest.h"

namespace refipc {
namespace {

TEST(ErrorsTest, CodesFollowTheDocumentedOrder) {
  const error_code_t codes[] = {no_error,
                                system_error,
                                other_error,
                                security_error,
                                read_only_error,
                                io_error,
                                path_error,
                                not_found_error,
                                busy_error,
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
                                timeout_when_locking_error,
                                timeout_when_waiting_error,
                                owner_dead_error,
                                not_recoverable};
  for (int i = 0; i < static_cast<int>(std::size(codes)); ++i) EXPECT_EQ(codes[i], i);
}

TEST(ErrorsTest, TranslatesErrnoValues) {
  const struct {
    native_error_t native;
    error_code_t code;
  } cases[] = {
      {0, no_error},
      {EACCES, security_error},
      {EPERM, security_error},
      {EROFS, read_only_error},
      {EIO, io_error},
      {ENAMETOOLONG, path_error},
      {ENOENT, not_found_error},
      {EAGAIN, busy_error},
      {EBUSY, busy_error},
      {ETXTBSY, busy_error},
      {EEXIST, already_exists_error},
      {ENOTEMPTY, not_empty_error},
      {EISDIR, is_directory_error},
      {ENOSPC, out_of_space_error},
      {ENOMEM, out_of_memory_error},
      {EMFILE, out_of_resource_error},
      {ENFILE, out_of_resource_error},
      {EINVAL, invalid_argument},
      {EOWNERDEAD, owner_dead_error},
      {ENOTRECOVERABLE, not_recoverable},
      {EBADF, system_error},
      {ENOTDIR, system_error},
      {-1, system_error},
  };
  for (const auto& c : cases) EXPECT_EQ(lookup_error(c.native), c.code) << "errno " << c.native;
}

TEST(ErrorInfoTest, DefaultsToLibraryError) {
  const error_info info;
  EXPECT_EQ(info.get_error_code(), other_error);
  EXPECT_EQ(info.get_native_error(), 0);
}

TEST(ErrorInfoTest, FromErrorCodeHasNoNativeError) {
  const error_info info = size_error;
  EXPECT_EQ(info.get_error_code(), size_error);
  EXPECT_EQ(info.get_native_error(), 0);
}

TEST(ErrorInfoTest, FromNativeErrorTranslatesIt) {
  const error_info info = ENOENT;
  EXPECT_EQ(info.get_error_code(), not_found_error);
  EXPECT_EQ(info.get_native_error(), ENOENT);
}

TEST(ErrorInfoTest, AssignmentReplacesBothParts) {
  error_info info = EEXIST;
  info = mode_error;
  EXPECT_EQ(info.get_error_code(), mode_error);
  EXPECT_EQ(info.get_native_error(), 0);
  info = EACCES;
  EXPECT_EQ(info.get_error_code(), security_error);
  EXPECT_EQ(info.get_native_error(), EACCES);
}

}  // namespace
}  // namespace refipc
