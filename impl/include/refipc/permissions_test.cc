#include "refipc/permissions.hpp"

#include "gtest/gtest.h"

namespace refipc {
namespace {

TEST(PermissionsTest, DefaultIsOwnerWriteEveryoneRead) {
  EXPECT_EQ(permissions().get_permissions(), 0644);
}

TEST(PermissionsTest, ConstructsFromRawMode) {
  EXPECT_EQ(permissions(0600).get_permissions(), 0600);
  const permissions implicit = 0440;
  EXPECT_EQ(implicit.get_permissions(), 0440);
}

TEST(PermissionsTest, Setters) {
  permissions perm(0600);
  perm.set_unrestricted();
  EXPECT_EQ(perm.get_permissions(), 0666);
  perm.set_permissions(0400);
  EXPECT_EQ(perm.get_permissions(), 0400);
  perm.set_default();
  EXPECT_EQ(perm.get_permissions(), 0644);
}

}  // namespace
}  // namespace refipc
