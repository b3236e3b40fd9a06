#include "refipc/creation_tags.hpp"

#include <type_traits>

#include "gtest/gtest.h"

namespace refipc {
namespace {

// Overload resolution on the tag type is what the tags exist for.
int which(create_only_t) { return 1; }
int which(open_only_t) { return 2; }
int which(open_read_only_t) { return 3; }
int which(open_read_private_t) { return 4; }
int which(open_copy_on_write_t) { return 5; }
int which(open_or_create_t) { return 6; }

TEST(CreationTagsTest, EachValueSelectsItsOwnOverload) {
  EXPECT_EQ(which(create_only), 1);
  EXPECT_EQ(which(open_only), 2);
  EXPECT_EQ(which(open_read_only), 3);
  EXPECT_EQ(which(open_read_private), 4);
  EXPECT_EQ(which(open_copy_on_write), 5);
  EXPECT_EQ(which(open_or_create), 6);
}

TEST(CreationTagsTest, ValuesAreUsableInConstantExpressions) {
  constexpr create_only_t tag = create_only;
  static_assert(std::is_empty_v<decltype(tag)>);
  EXPECT_EQ(which(tag), 1);
}

}  // namespace
}  // namespace refipc
