#include "refipc/sync/named_semaphore.hpp"

#include <unistd.h>

#include <chrono>
#include <string>

#include "gtest/gtest.h"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

class NamedSemaphoreTest : public ::testing::Test {
 protected:
  void TearDown() override { named_semaphore::remove(name_.c_str()); }
  const std::string name_ = "refipc_named_semaphore_test_" + std::to_string(getpid()) + "_" +
                            ::testing::UnitTest::GetInstance()->current_test_info()->name();
};

TEST_F(NamedSemaphoreTest, OpenersShareTheCount) {
  named_semaphore a(create_only, name_.c_str(), 1);
  named_semaphore b(open_or_create, name_.c_str(), 5);  // Exists: 5 is ignored.
  EXPECT_TRUE(b.try_wait());
  EXPECT_FALSE(a.try_wait());
  a.post();
  EXPECT_TRUE(b.timed_wait(steady_clock::now()));
}

TEST_F(NamedSemaphoreTest, CountAboveMaximumThrowsAndCreatesNothing) {
  try {
    named_semaphore s(create_only, name_.c_str(), interprocess_semaphore::max_count + 1u);
    FAIL() << "created";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), sem_error);
  }
  EXPECT_FALSE(named_semaphore::remove(name_.c_str()));
}

}  // namespace
}  // namespace refipc
