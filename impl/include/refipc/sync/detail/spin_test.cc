#include "refipc/sync/detail/spin.hpp"

#include <unistd.h>

#include "gtest/gtest.h"

namespace refipc {
namespace sync_detail {
namespace {

TEST(Spin, StopsAsSoonAsReady) {
  if (spin_rounds() < 3) GTEST_SKIP() << "no spinning on a single-CPU machine";
  int calls = 0;
  EXPECT_TRUE(spin_until([&] { return ++calls == 3; }));
  EXPECT_EQ(calls, 3);
}

TEST(Spin, GivesUpAfterSpinRounds) {
  int calls = 0;
  EXPECT_FALSE(spin_until([&] {
    ++calls;
    return false;
  }));
  EXPECT_EQ(calls, spin_rounds());
}

TEST(Spin, SpinsOnlyWithSeveralCpus) {
  if (sysconf(_SC_NPROCESSORS_ONLN) > 1) {
    EXPECT_GT(spin_rounds(), 0);
  } else {
    EXPECT_EQ(spin_rounds(), 0);
  }
}

}  // namespace
}  // namespace sync_detail
}  // namespace refipc
