#include "refipc/file_mapping.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/testing/error_of.hpp"

namespace refipc {
namespace {

// Its messages name the component.
template <class Action>
error_code_t error_of(Action action) {
  return refipc_test::error_of(action, "file_mapping");
}

const std::size_t kPage = mapped_region::get_page_size();

// A file of `size` bytes where byte i holds i % 251, unique to the running
// test, and unlinked when the guard goes out of scope.
class TempFile {
 public:
  explicit TempFile(std::size_t size) {
    const char* dir = std::getenv("TEST_TMPDIR");
    std::random_device random;
    path_ = std::string(dir != nullptr ? dir : "/tmp") + "/refipc_file_mapping_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
            std::to_string(random());
    std::string contents(size, '\0');
    for (std::size_t i = 0; i < size; ++i) contents[i] = static_cast<char>(i % 251);
    const int fd = open(path_.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(write(fd, contents.data(), size), static_cast<ssize_t>(size));
    close(fd);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { unlink(path_.c_str()); }

  const char* c_str() const { return path_.c_str(); }

  // The byte at `offset` as the file holds it now.
  unsigned char byte_at(off_t offset) const {
    unsigned char byte = 0;
    const int fd = open(path_.c_str(), O_RDONLY);
    EXPECT_EQ(pread(fd, &byte, 1, offset), 1);
    close(fd);
    return byte;
  }

 private:
  std::string path_;
};

unsigned char* bytes_of(const mapped_region& region) {
  return static_cast<unsigned char*>(region.get_address());
}

bool exists(const char* path) {
  struct stat st;
  return stat(path, &st) == 0;
}

TEST(FileMappingTest, DefaultConstructedIsEmpty) {
  const file_mapping mapping;
  EXPECT_STREQ(mapping.get_name(), "");
  EXPECT_EQ(mapping.get_mode(), read_only);
  EXPECT_EQ(mapping.get_mapping_handle().handle, -1);
}

TEST(FileMappingTest, OpensInBothModesAndKeepsTheName) {
  const TempFile file(100);
  for (const mode_t mode : {read_only, read_write}) {
    const file_mapping mapping(file.c_str(), mode);
    EXPECT_STREQ(mapping.get_name(), file.c_str());
    EXPECT_EQ(mapping.get_mode(), mode);
    const mapping_handle_t handle = mapping.get_mapping_handle();
    EXPECT_GE(handle.handle, 0);
    EXPECT_FALSE(handle.is_shm);
    EXPECT_FALSE(handle.is_xsi);
    EXPECT_EQ(fcntl(handle.handle, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  }
}

TEST(FileMappingTest, RejectsModesOtherThanReadOnlyAndReadWrite) {
  const TempFile file(100);
  for (const mode_t mode : {copy_on_write, read_private, invalid_mode, static_cast<mode_t>(-1)}) {
    EXPECT_EQ(error_of([&] { file_mapping(file.c_str(), mode); }), mode_error);
  }
}

TEST(FileMappingTest, ReportsBadFilenames) {
  const TempFile file(10);
  const std::string missing = std::string(file.c_str()) + "_missing";
  EXPECT_EQ(error_of([&] { file_mapping(missing.c_str(), read_only); }), not_found_error);
  EXPECT_FALSE(exists(missing.c_str()));
  EXPECT_EQ(error_of([&] { file_mapping("", read_only); }), not_found_error);
  EXPECT_EQ(error_of([&] { file_mapping(nullptr, read_only); }), invalid_argument);
  const std::string too_long = "/tmp/" + std::string(5000, 'x');
  EXPECT_EQ(error_of([&] { file_mapping(too_long.c_str(), read_only); }), path_error);
  const char* dir = std::getenv("TEST_TMPDIR");
  EXPECT_EQ(error_of([&] { file_mapping(dir != nullptr ? dir : "/tmp", read_only); }),
            is_directory_error);
}

TEST(FileMappingTest, ReadWriteOfAReadOnlyFileIsASecurityError) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores file permissions";
  const TempFile file(10);
  ASSERT_EQ(chmod(file.c_str(), 0400), 0);
  EXPECT_EQ(error_of([&] { file_mapping(file.c_str(), read_write); }), security_error);
  const file_mapping mapping(file.c_str(), read_only);
  EXPECT_EQ(mapping.get_mode(), read_only);
}

TEST(FileMappingTest, MoveAndSwapTransferTheFile) {
  const TempFile a(10);
  const TempFile b(20);
  file_mapping first(a.c_str(), read_write);
  const int fd = first.get_mapping_handle().handle;
  file_mapping moved(std::move(first));
  EXPECT_EQ(moved.get_mapping_handle().handle, fd);
  EXPECT_STREQ(moved.get_name(), a.c_str());
  EXPECT_EQ(moved.get_mode(), read_write);
  EXPECT_EQ(first.get_mapping_handle().handle, -1);
  EXPECT_STREQ(first.get_name(), "");

  file_mapping other(b.c_str(), read_only);
  moved.swap(other);
  EXPECT_STREQ(moved.get_name(), b.c_str());
  EXPECT_EQ(moved.get_mode(), read_only);
  EXPECT_STREQ(other.get_name(), a.c_str());
  EXPECT_EQ(other.get_mapping_handle().handle, fd);

  moved = std::move(other);
  EXPECT_STREQ(moved.get_name(), a.c_str());
  EXPECT_EQ(other.get_mapping_handle().handle, -1);
}

TEST(FileMappingTest, WritesThroughARegionReachTheFile) {
  const TempFile file(2 * kPage);
  const file_mapping mapping(file.c_str(), read_write);
  mapped_region region(mapping, read_write);
  ASSERT_EQ(region.get_size(), 2 * kPage);
  EXPECT_EQ(bytes_of(region)[kPage + 3], (kPage + 3) % 251);
  bytes_of(region)[kPage + 3] = 0xEE;
  EXPECT_TRUE(region.flush(kPage, 10, false));
  EXPECT_TRUE(region.flush());
  EXPECT_EQ(file.byte_at(static_cast<off_t>(kPage + 3)), 0xEE);
}

TEST(FileMappingTest, PartialRegionAtAnOffset) {
  const TempFile file(3 * kPage);
  const file_mapping mapping(file.c_str(), read_write);
  const mapped_region region(mapping, read_write, static_cast<offset_t>(kPage + 5), 100);
  EXPECT_EQ(region.get_size(), 100u);
  EXPECT_EQ(region.get_offset(), static_cast<offset_t>(kPage + 5));
  EXPECT_EQ(bytes_of(region)[0], (kPage + 5) % 251);
  bytes_of(region)[99] = 0x11;
  EXPECT_EQ(file.byte_at(static_cast<off_t>(kPage + 104)), 0x11);
}

TEST(FileMappingTest, CopyOnWriteNeverReachesTheFile) {
  const TempFile file(kPage);
  const file_mapping mapping(file.c_str(), read_only);
  const mapped_region shared(mapping, read_only);
  const mapped_region private_copy(mapping, copy_on_write);
  bytes_of(private_copy)[7] = 0x99;
  EXPECT_EQ(bytes_of(private_copy)[7], 0x99);
  EXPECT_EQ(bytes_of(shared)[7], 7);
  EXPECT_EQ(file.byte_at(7), 7);
}

TEST(FileMappingTest, ReadWriteRegionOfAReadOnlyMappingIsASecurityError) {
  const TempFile file(kPage);
  const file_mapping mapping(file.c_str(), read_only);
  try {
    mapped_region region(mapping, read_write);
    ADD_FAILURE() << "mapped read_write";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), security_error);
  }
}

TEST(FileMappingTest, RegionsOutliveTheMappingAndTheFile) {
  const TempFile file(kPage);
  mapped_region region;
  {
    const file_mapping mapping(file.c_str(), read_write);
    region = mapped_region(mapping, read_write);
  }
  EXPECT_TRUE(file_mapping::remove(file.c_str()));
  EXPECT_FALSE(exists(file.c_str()));
  bytes_of(region)[1] = 0x42;
  EXPECT_EQ(bytes_of(region)[1], 0x42);
  EXPECT_EQ(bytes_of(region)[2], 2);
}

TEST(FileMappingTest, RemoveReportsFailure) {
  const TempFile file(1);
  EXPECT_TRUE(file_mapping::remove(file.c_str()));
  EXPECT_FALSE(file_mapping::remove(file.c_str()));
  EXPECT_FALSE(file_mapping::remove(nullptr));
}

TEST(FileMappingTest, RemoveFileOnDestroyRemovesACopyOfTheName) {
  const TempFile file(1);
  std::string name = file.c_str();
  {
    const remove_file_on_destroy remover(name.c_str());
    name.assign(name.size(), 'x');
    EXPECT_TRUE(exists(file.c_str()));
  }
  EXPECT_FALSE(exists(file.c_str()));
}

TEST(FileMappingTest, EmptyFileAndOffsetsPastTheEndCannotBeMapped) {
  const TempFile empty(0);
  const file_mapping nothing(empty.c_str(), read_write);
  try {
    mapped_region region(nothing, read_write);
    ADD_FAILURE() << "mapped an empty file";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), size_error);
  }
  const TempFile file(kPage);
  const file_mapping mapping(file.c_str(), read_write);
  try {
    mapped_region region(mapping, read_write, static_cast<offset_t>(kPage + 1));
    ADD_FAILURE() << "mapped past the end";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), size_error);
  }
}

}  // namespace
}  // namespace refipc
