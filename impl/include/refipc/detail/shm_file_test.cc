#include "refipc/detail/shm_file.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "gtest/gtest.h"

namespace refipc::detail {
namespace {

std::string unique_name(const char* tag) {
  return std::string("refipc_shm_file_test_") + tag + "_" + std::to_string(getpid());
}

struct Unlinker {
  explicit Unlinker(std::string n) : name(std::move(n)) {
    unlink(shm_file_path(name.c_str()).c_str());
  }
  ~Unlinker() { unlink(shm_file_path(name.c_str()).c_str()); }
  std::string name;
};

::mode_t mode_of(int fd) {
  struct stat st {};
  EXPECT_EQ(fstat(fd, &st), 0);
  return st.st_mode & 07777;
}

TEST(ShmFileTest, UnnamedFileIsReservedAndPublishedOnce) {
  const Unlinker name(unique_name("publish"));
  const int fd = create_unnamed_shm(10000, permissions(0640));
  ASSERT_GE(fd, 0) << errno;
  struct stat st {};
  ASSERT_EQ(fstat(fd, &st), 0);
  EXPECT_EQ(st.st_size, 10000);
  EXPECT_GE(st.st_blocks * 512, 10000);
  EXPECT_EQ(mode_of(fd), 0640u);
  const std::string path = shm_file_path(name.name.c_str());
  EXPECT_NE(access(path.c_str(), F_OK), 0);  // invisible until published
  ASSERT_EQ(publish_shm(fd, name.name.c_str()), 0);
  struct stat published {};
  ASSERT_EQ(stat(path.c_str(), &published), 0);
  EXPECT_EQ(published.st_ino, st.st_ino);
  const int other = create_unnamed_shm(1, permissions());
  ASSERT_GE(other, 0) << errno;
  EXPECT_EQ(publish_shm(other, name.name.c_str()), EEXIST);
  close(other);
  close(fd);
}

TEST(ShmFileTest, ExplicitPermissionsAreExactTheDefaultFollowsTheUmask) {
  // umask is process-wide: change it in a child only.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    umask(0277);
    int failures = 0;
    failures += current_umask() != 0277;
    failures += creation_mode(permissions()) != 0400;
    failures += creation_mode(permissions(0666)) != 0666;
    const int by_default = create_unnamed_shm(1, permissions());
    const int exact = create_unnamed_shm(1, permissions(0644));
    failures += by_default < 0 || mode_of(by_default) != 0400;
    failures += exact < 0 || mode_of(exact) != 0644;
    umask(022);
    failures += current_umask() != 022;
    failures += creation_mode(permissions()) != 0600;
    _exit(failures);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "checks failed in the child";
}

}  // namespace
}  // namespace refipc::detail
