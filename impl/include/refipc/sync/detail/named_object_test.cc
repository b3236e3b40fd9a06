#include "refipc/sync/detail/named_object.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "gtest/gtest.h"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace sync_detail {
namespace {

using counter = named_object<std::atomic<std::uint32_t>>;

std::string test_name(const char* tag) {
  return std::string("refipc_named_object_") + tag + "_" + std::to_string(getpid());
}

bool in_shm_directory(const std::string& name) {
  struct stat st;
  return stat(("/dev/shm/" + name).c_str(), &st) == 0;
}

error_code_t code_of(void (*attempt)(const char*), const char* name) {
  try {
    attempt(name);
  } catch (const interprocess_exception& e) {
    return e.get_error_code();
  }
  return no_error;
}

class NamedObjectTest : public ::testing::Test {
 protected:
  void TearDown() override { counter::remove(name_.c_str()); }
  const std::string name_ =
      test_name(::testing::UnitTest::GetInstance()->current_test_info()->name());
};

TEST_F(NamedObjectTest, CreateConstructsAndOpenSharesTheObject) {
  const counter created(create_only, name_.c_str(), "counter", permissions(0600), 41u);
  const counter opened(open_only, name_.c_str(), "counter");
  EXPECT_EQ(opened.get().load(), 41u);
  ++created.get();
  EXPECT_EQ(opened.get().load(), 42u);
  EXPECT_NE(&created.get(), &opened.get());
}

TEST_F(NamedObjectTest, OpenOrCreateConstructsOnlyOnce) {
  const counter first(open_or_create, name_.c_str(), "counter", permissions(), 7u);
  const counter second(open_or_create, name_.c_str(), "counter", permissions(), 99u);
  EXPECT_EQ(second.get().load(), 7u);
}

TEST_F(NamedObjectTest, CreateOnlyOfAnExistingNameThrowsAlreadyExists) {
  const counter first(create_only, name_.c_str(), "counter", permissions(), 1u);
  try {
    const counter second(create_only, name_.c_str(), "counter", permissions(), 2u);
    FAIL() << "created twice";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), already_exists_error);
  }
  EXPECT_EQ(first.get().load(), 1u);
}

TEST_F(NamedObjectTest, RemoveLeavesNothingInTheShmDirectory) {
  { const counter c(create_only, name_.c_str(), "counter", permissions(), 1u); }
  EXPECT_TRUE(in_shm_directory(name_));
  EXPECT_TRUE(counter::remove(name_.c_str()));
  EXPECT_FALSE(in_shm_directory(name_));
  EXPECT_FALSE(counter::remove(name_.c_str()));
}

TEST_F(NamedObjectTest, CreationAppliesThePermissionsExactly) {
  const mode_t old_mask = umask(077);
  const counter c(create_only, name_.c_str(), "counter", permissions(0644), 1u);
  umask(old_mask);
  struct stat st;
  ASSERT_EQ(stat(("/dev/shm/" + name_).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(NamedObjectTest, OpeningAnotherTypeOrAForeignObjectThrowsCorrupted) {
  const counter c(create_only, name_.c_str(), "counter", permissions(), 1u);
  try {
    const named_object<std::atomic<std::uint32_t>> other(open_only, name_.c_str(), "other");
    FAIL() << "opened as another type";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), corrupted_error);
  }
  try {
    const named_object<std::uint64_t> bigger(open_only, name_.c_str(), "counter");
    FAIL() << "opened with another size";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), corrupted_error);
  }
}

TEST(NamedObjectNames, BadNamesThrowDocumentedCodes) {
  const auto open = [](const char* name) { const counter c(open_only, name, "counter"); };
  EXPECT_EQ(code_of(open, ""), invalid_argument);
  EXPECT_EQ(code_of(open, "a/b"), invalid_argument);
  EXPECT_EQ(code_of(open, ".."), invalid_argument);
  EXPECT_EQ(code_of(open, nullptr), invalid_argument);
  EXPECT_EQ(code_of(open, std::string(300, 'x').c_str()), path_error);
  EXPECT_EQ(code_of(open, "refipc_named_object_never_created"), not_found_error);
}

int pipe_fds[2];

// Stops a creator after construction, before it publishes the name.
void report_and_hang() {
  const char byte = 1;
  (void)!write(pipe_fds[1], &byte, 1);
  pause();
}

TEST_F(NamedObjectTest, CreatorKilledBeforePublishingLeavesNothing) {
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    named_mapping::before_publish_hook = report_and_hang;
    const counter c(create_only, name_.c_str(), "counter", permissions(), 5u);
    _exit(3);  // Not reached: the hook waits to be killed.
  }
  char byte = 0;
  ASSERT_EQ(read(pipe_fds[0], &byte, 1), 1);
  // The creator has constructed the object and not published it.
  EXPECT_FALSE(in_shm_directory(name_));
  EXPECT_EQ(code_of([](const char* n) { const counter c(open_only, n, "counter"); }, name_.c_str()),
            not_found_error);
  kill(pid, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status));
  close(pipe_fds[0]);
  close(pipe_fds[1]);

  EXPECT_FALSE(in_shm_directory(name_));
  const counter c(open_or_create, name_.c_str(), "counter", permissions(), 6u);
  EXPECT_EQ(c.get().load(), 6u);
}

TEST_F(NamedObjectTest, ConstructorExceptionCreatesNothing) {
  struct throwing {
    throwing() { throw interprocess_exception(sem_error); }
  };
  try {
    const named_object<throwing> t(create_only, name_.c_str(), "throwing", permissions());
    FAIL() << "constructed";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), sem_error);
  }
  EXPECT_FALSE(in_shm_directory(name_));
}

}  // namespace
}  // namespace sync_detail
}  // namespace refipc
