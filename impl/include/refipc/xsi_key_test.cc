#include "refipc/xsi_key.hpp"

#include <fcntl.h>
#include <sys/ipc.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/testing/error_of.hpp"

namespace refipc {
namespace {

// Its messages name the component.
template <class Action>
error_code_t error_of(Action action) {
  return refipc_test::error_of(action, "xsi_key");
}

std::string temp_dir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

TEST(XsiKeyTest, DefaultIsPrivate) { EXPECT_EQ(xsi_key().get_key(), IPC_PRIVATE); }

TEST(XsiKeyTest, WrapsAGivenKey) {
  EXPECT_EQ(xsi_key(key_t{0x5eed}).get_key(), key_t{0x5eed});
  EXPECT_EQ(xsi_key(IPC_PRIVATE).get_key(), IPC_PRIVATE);
}

TEST(XsiKeyTest, PathAndIdGiveTheFtokKey) {
  const std::string dir = temp_dir();
  const xsi_key key(dir.c_str(), 7);
  EXPECT_EQ(key.get_key(), ftok(dir.c_str(), 7));
  EXPECT_NE(key.get_key(), IPC_PRIVATE);
  EXPECT_EQ(xsi_key(dir.c_str(), 7).get_key(), key.get_key());
  EXPECT_NE(xsi_key(dir.c_str(), 8).get_key(), key.get_key());
}

TEST(XsiKeyTest, BadPathsAndIdsThrow) {
  const std::string missing = temp_dir() + "/refipc_xsi_key_missing";
  EXPECT_EQ(error_of([&] { xsi_key(missing.c_str(), 1); }), not_found_error);
  EXPECT_EQ(error_of([] { xsi_key(nullptr, 1); }), invalid_argument);
  EXPECT_EQ(error_of([] { xsi_key("/", 0); }), invalid_argument);
}

}  // namespace
}  // namespace refipc
