#include "refipc/permissions.hpp"

#include "gtest/gtest.h"

namespace refipc {
namespace {

TEST(PermissionsTest, DefaultIsOwnerOnlyAndNarrowedByTheUmask) {
  const permissions perm;
  EXPECT_EQ(perm.get_permissions(), 0600);
  EXPECT_TRUE(perm.is_default());
}

TEST(PermissionsTest, ConstructsFromRawModeAsExplicit) {
  EXPECT_EQ(permissions(0600).get_permissions(), 0600);
  EXPECT_FALSE(permissions(0600).is_default());
  const permissions implicit = 0440;
  EXPECT_EQ(implicit.get_permissions(), 0440);
  EXPECT_FALSE(implicit.is_default());
}

TEST(PermissionsTest, SettersTellExplicitFromDefault) {
  permissions perm(0600);
  perm.set_unrestricted();
  EXPECT_EQ(perm.get_permissions(), 0666);
  EXPECT_FALSE(perm.is_default());
  perm.set_default();
  EXPECT_EQ(perm.get_permissions(), 0600);
  EXPECT_TRUE(perm.is_default());
  perm.set_permissions(0400);
  EXPECT_EQ(perm.get_permissions(), 0400);
  EXPECT_FALSE(perm.is_default());
}

}  // namespace
}  // namespace refipc
