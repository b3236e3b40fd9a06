#include "refipc/detail/shm_name.hpp"

#include <climits>
#include <string>

#include "gtest/gtest.h"

namespace refipc::detail {
namespace {

TEST(ShmNameTest, AcceptsIdentifiersAndPosixNames) {
  for (const char* name : {"a", "shm1", "Shared_Memory2", "/shm", "with-dash.and dot", "..."}) {
    EXPECT_EQ(check_shm_name(name), shm_name_status::valid) << name;
  }
}

TEST(ShmNameTest, RejectsMalformedNames) {
  for (const char* name : {"", "/", "//x", "a/b", "/a/", ".", "..", "/.", "/.."}) {
    EXPECT_EQ(check_shm_name(name), shm_name_status::malformed) << name;
  }
  EXPECT_EQ(check_shm_name(nullptr), shm_name_status::malformed);
}

TEST(ShmNameTest, LengthLimitExcludesTheLeadingSlash) {
  const std::string longest(NAME_MAX, 'x');
  EXPECT_EQ(check_shm_name(longest.c_str()), shm_name_status::valid);
  EXPECT_EQ(check_shm_name(("/" + longest).c_str()), shm_name_status::valid);
  EXPECT_EQ(check_shm_name((longest + "x").c_str()), shm_name_status::too_long);
  EXPECT_EQ(check_shm_name(("/" + longest + "x").c_str()), shm_name_status::too_long);
}

TEST(ShmNameTest, PathHasExactlyOneLeadingSlash) {
  EXPECT_EQ(shm_path("abc"), "/abc");
  EXPECT_EQ(shm_path("/abc"), "/abc");
}

}  // namespace
}  // namespace refipc::detail
