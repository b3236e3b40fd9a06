// Linked into a test binary whose every test locks refipc's mutexes: where
// robust futex lists are missing, the global set-up skips every test, with
// the reason.
#include <gtest/gtest.h>

#include "refipc/sync/testing/robust_lists.hpp"

namespace {

class RobustListsRequired : public ::testing::Environment {
 public:
  void SetUp() override {
    if (!refipc_test::robust_lists_available()) GTEST_SKIP() << refipc_test::kNoRobustLists;
  }
};

const ::testing::Environment* const registered =
    ::testing::AddGlobalTestEnvironment(new RobustListsRequired);

}  // namespace
