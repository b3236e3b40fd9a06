#include "refipc/detail/file_space.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace refipc::detail {
namespace {

// An unnamed file in /dev/shm (tmpfs), closed at the end of the test.
class ShmFile {
 public:
  ShmFile() : fd_(open("/dev/shm", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) {}
  ~ShmFile() {
    if (fd_ >= 0) close(fd_);
  }
  int fd() const { return fd_; }
  struct stat status() const {
    struct stat st {};
    EXPECT_EQ(fstat(fd_, &st), 0);
    return st;
  }

 private:
  int fd_;
};

constexpr std::uint64_t kSize = 3 * 65536 + 100;

// Every byte below `size` has storage: st_blocks counts 512-byte units.
void expect_backed(const ShmFile& file, std::uint64_t size) {
  const struct stat st = file.status();
  EXPECT_EQ(static_cast<std::uint64_t>(st.st_size), size);
  EXPECT_GE(static_cast<std::uint64_t>(st.st_blocks) * 512, size);
}

TEST(FileSpaceTest, ReserveGrowsTheFileWithStorageBehindEveryByte) {
  const ShmFile file;
  ASSERT_GE(file.fd(), 0) << errno;
  ASSERT_EQ(reserve_file_space(file.fd(), kSize), 0);
  expect_backed(file, kSize);
}

TEST(FileSpaceTest, ReserveFillsHolesBelowTheEndAndKeepsTheContents) {
  const ShmFile file;
  ASSERT_GE(file.fd(), 0) << errno;
  ASSERT_EQ(pwrite(file.fd(), "x", 1, 0), 1);
  ASSERT_EQ(ftruncate(file.fd(), kSize), 0);  // a hole after the first page
  EXPECT_LT(static_cast<std::uint64_t>(file.status().st_blocks) * 512, kSize);
  ASSERT_EQ(reserve_file_space(file.fd(), kSize), 0);
  expect_backed(file, kSize);
  char c = 0;
  ASSERT_EQ(pread(file.fd(), &c, 1, 0), 1);
  EXPECT_EQ(c, 'x');
}

TEST(FileSpaceTest, ReserveNeverShrinks) {
  const ShmFile file;
  ASSERT_GE(file.fd(), 0) << errno;
  ASSERT_EQ(reserve_file_space(file.fd(), kSize), 0);
  ASSERT_EQ(reserve_file_space(file.fd(), 10), 0);
  EXPECT_EQ(static_cast<std::uint64_t>(file.status().st_size), kSize);
  EXPECT_EQ(reserve_file_space(file.fd(), 0), 0);
  EXPECT_EQ(static_cast<std::uint64_t>(file.status().st_size), kSize);
}

TEST(FileSpaceTest, ExtendWithZerosWritesOnlyAfterTheEnd) {
  const ShmFile file;
  ASSERT_GE(file.fd(), 0) << errno;
  ASSERT_EQ(pwrite(file.fd(), "abc", 3, 0), 3);
  ASSERT_EQ(extend_with_zeros(file.fd(), kSize), 0);
  expect_backed(file, kSize);
  std::vector<char> bytes(kSize, 'z');
  ASSERT_EQ(pread(file.fd(), bytes.data(), bytes.size(), 0), static_cast<ssize_t>(kSize));
  EXPECT_EQ(std::string(bytes.data(), 3), "abc");
  for (std::uint64_t i = 3; i < kSize; ++i) ASSERT_EQ(bytes[i], 0) << i;
}

TEST(FileSpaceTest, ImpossibleSizesFailWithoutChangingTheFile) {
  const ShmFile file;
  ASSERT_GE(file.fd(), 0) << errno;
  EXPECT_EQ(reserve_file_space(file.fd(), ~std::uint64_t{0}), EFBIG);
  EXPECT_EQ(extend_with_zeros(file.fd(), ~std::uint64_t{0}), EFBIG);
  EXPECT_EQ(file.status().st_size, 0);
  EXPECT_EQ(reserve_file_space(-1, 1), EBADF);
}

}  // namespace
}  // namespace refipc::detail
