// file_mapping on Windows: opening, errors, regions of files (exact sizes,
// offsets, copy-on-write, read-only handles) and remove() while mapped.
#include <windows.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/file_mapping.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/testing/error_of.hpp"

namespace refipc {
namespace {

using refipc_test::error_of;

const std::size_t kPage = mapped_region::get_page_size();

std::string temp_directory() {
  if (const char* dir = std::getenv("TEST_TMPDIR")) return dir;
  char temp[MAX_PATH + 1];
  const DWORD n = GetTempPathA(MAX_PATH + 1, temp);
  return std::string(temp, n);
}

// A file of `size` bytes where byte i holds i % 251, unique to the running
// test, and deleted when the guard goes out of scope.
class TempFile {
 public:
  explicit TempFile(std::size_t size) {
    path_ = temp_directory() + "\\refipc_file_mapping_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
            std::to_string(std::random_device{}());
    std::ofstream out(path_, std::ios::binary);
    for (std::size_t i = 0; i < size; ++i) out.put(static_cast<char>(i % 251));
    EXPECT_TRUE(out.good());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { DeleteFileA(path_.c_str()); }

  const char* c_str() const { return path_.c_str(); }

  // The byte at `offset` as the file holds it now.
  unsigned char byte_at(std::size_t offset) const {
    std::ifstream in(path_, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset));
    return static_cast<unsigned char>(in.get());
  }

 private:
  std::string path_;
};

bool exists(const char* path) { return GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES; }

unsigned char* bytes_of(const mapped_region& region) {
  return static_cast<unsigned char*>(region.get_address());
}

TEST(FileMappingWindowsTest, OpensAFileHandleInBothModes) {
  const TempFile file(100);
  for (const mode_t mode : {read_only, read_write}) {
    const file_mapping mapping(file.c_str(), mode);
    EXPECT_STREQ(mapping.get_name(), file.c_str());
    EXPECT_EQ(mapping.get_mode(), mode);
    const mapping_handle_t handle = mapping.get_mapping_handle();
    EXPECT_NE(handle.handle, nullptr);
    EXPECT_TRUE(handle.is_file);
    EXPECT_FALSE(handle.is_shm);
  }
  const file_mapping empty;
  EXPECT_EQ(empty.get_mapping_handle().handle, nullptr);
}

TEST(FileMappingWindowsTest, ReportsBadArguments) {
  const TempFile file(10);
  const std::string missing = std::string(file.c_str()) + "_missing";
  EXPECT_EQ(error_of([&] { file_mapping(missing.c_str(), read_only); }), not_found_error);
  EXPECT_EQ(error_of([&] { file_mapping("", read_only); }), not_found_error);
  EXPECT_EQ(error_of([&] { file_mapping(nullptr, read_only); }), invalid_argument);
  EXPECT_EQ(error_of([&] { file_mapping(file.c_str(), copy_on_write); }), mode_error);
  const std::string dir = temp_directory();
  EXPECT_EQ(error_of([&] { file_mapping(dir.c_str(), read_only); }), is_directory_error);
}

TEST(FileMappingWindowsTest, MoveAndSwapTransferTheHandle) {
  const TempFile a(10);
  file_mapping first(a.c_str(), read_write);
  void* const handle = first.get_mapping_handle().handle;
  file_mapping moved(std::move(first));
  EXPECT_EQ(moved.get_mapping_handle().handle, handle);
  EXPECT_EQ(first.get_mapping_handle().handle, nullptr);
  EXPECT_STREQ(first.get_name(), "");
  file_mapping other;
  other.swap(moved);
  EXPECT_EQ(other.get_mapping_handle().handle, handle);
  EXPECT_STREQ(other.get_name(), a.c_str());
}

TEST(FileMappingWindowsTest, RegionsHaveTheFilesExactSize) {
  const TempFile file(kPage + 10);
  const file_mapping mapping(file.c_str(), read_write);
  mapped_region whole(mapping, read_write);
  EXPECT_EQ(whole.get_size(), kPage + 10);
  EXPECT_EQ(bytes_of(whole)[kPage + 9], (kPage + 9) % 251);
  EXPECT_EQ(error_of([&] { mapped_region(mapping, read_only, 0, kPage + 11); }), size_error);
  EXPECT_EQ(error_of([&] { mapped_region(mapping, read_only, kPage + 10); }), size_error);
}

TEST(FileMappingWindowsTest, WritesAtAnOffsetReachTheFile) {
  const TempFile file(3 * kPage);
  const file_mapping mapping(file.c_str(), read_write);
  {
    mapped_region region(mapping, read_write, static_cast<offset_t>(kPage + 5), 100);
    EXPECT_EQ(region.get_size(), 100u);
    EXPECT_EQ(bytes_of(region)[0], (kPage + 5) % 251);
    bytes_of(region)[99] = 0x11;
    EXPECT_TRUE(region.flush(0, 0, false));
  }
  EXPECT_EQ(file.byte_at(kPage + 104), 0x11);
}

TEST(FileMappingWindowsTest, CopyOnWriteOfAReadOnlyHandleStaysPrivate) {
  const TempFile file(kPage);
  const file_mapping mapping(file.c_str(), read_only);
  const mapped_region shared(mapping, read_only);
  const mapped_region private_copy(mapping, copy_on_write);
  bytes_of(private_copy)[7] = 0x99;
  EXPECT_EQ(bytes_of(private_copy)[7], 0x99);
  EXPECT_EQ(bytes_of(shared)[7], 7);
  EXPECT_EQ(file.byte_at(7), 7);
  EXPECT_EQ(error_of([&] { mapped_region(mapping, read_write); }), security_error);
}

TEST(FileMappingWindowsTest, EmptyFilesCannotBeMapped) {
  const TempFile empty(0);
  const file_mapping nothing(empty.c_str(), read_write);
  EXPECT_EQ(error_of([&] { mapped_region(nothing, read_write); }), size_error);
}

TEST(FileMappingWindowsTest, RemoveWhileOpenAndMapped) {
  const TempFile file(kPage);
  mapped_region region;
  {
    const file_mapping mapping(file.c_str(), read_write);
    region = mapped_region(mapping, read_write);
    EXPECT_TRUE(file_mapping::remove(file.c_str()));
  }
  EXPECT_FALSE(exists(file.c_str()));
  bytes_of(region)[1] = 0x42;
  EXPECT_EQ(bytes_of(region)[1], 0x42);
  EXPECT_EQ(bytes_of(region)[2], 2);
  EXPECT_FALSE(file_mapping::remove(file.c_str()));
  EXPECT_FALSE(file_mapping::remove(nullptr));
}

}  // namespace
}  // namespace refipc
