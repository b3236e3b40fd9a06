// shared_memory_object on Windows: files of the named-object directory with
// the POSIX object's creation semantics, sizes, and remove() while mapped.
#include <windows.h>

#include <atomic>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/shared_memory_object.hpp"
#include "refipc/testing/error_of.hpp"

namespace refipc {
namespace {

using refipc_test::error_of;

// A name unique to this test run, removed at the end of the test.
class UniqueName {
 public:
  UniqueName() {
    static std::atomic<unsigned> counter{0};
    name_ = "refipc_shm_windows_test_" + std::to_string(GetCurrentProcessId()) + "_" +
            std::to_string(std::random_device{}()) + "_" + std::to_string(counter++);
  }
  UniqueName(const UniqueName&) = delete;
  UniqueName& operator=(const UniqueName&) = delete;
  ~UniqueName() { shared_memory_object::remove(name_.c_str()); }
  const char* c_str() const { return name_.c_str(); }

 private:
  std::string name_;
};

offset_t size_of(const shared_memory_object& shm) {
  offset_t size = -1;
  EXPECT_TRUE(shm.get_size(size));
  return size;
}

TEST(SharedMemoryObjectWindowsTest, CreateOpenAndOpenOrCreate) {
  const UniqueName name;
  EXPECT_EQ(error_of([&] { shared_memory_object(open_only, name.c_str(), read_write); }),
            not_found_error);
  shared_memory_object created(create_only, name.c_str(), read_write);
  EXPECT_EQ(size_of(created), 0);
  EXPECT_TRUE(created.get_mapping_handle().is_file);
  EXPECT_TRUE(created.get_mapping_handle().is_shm);
  EXPECT_EQ(error_of([&] { shared_memory_object(create_only, name.c_str(), read_write); }),
            already_exists_error);
  created.truncate(100);
  const shared_memory_object opened(open_only, name.c_str(), read_only);
  EXPECT_EQ(size_of(opened), 100);
  const std::string slashed = std::string("/") + name.c_str();
  const shared_memory_object either(open_or_create, slashed.c_str(), read_write);
  EXPECT_EQ(size_of(either), 100);
  EXPECT_STREQ(either.get_name(), slashed.c_str());
}

TEST(SharedMemoryObjectWindowsTest, RejectsBadNamesAndModes) {
  const UniqueName name;
  for (const char* bad : {"", "/", "a/b", "a\\b", "a:b", "x.new", "x.removed", "dot."}) {
    EXPECT_EQ(error_of([&] { shared_memory_object(create_only, bad, read_write); }),
              invalid_argument)
        << bad;
  }
  EXPECT_EQ(error_of([&] { shared_memory_object(create_only, nullptr, read_write); }),
            invalid_argument);
  const std::string too_long(201, 'n');
  EXPECT_EQ(error_of([&] { shared_memory_object(create_only, too_long.c_str(), read_write); }),
            path_error);
  EXPECT_EQ(error_of([&] { shared_memory_object(create_only, name.c_str(), copy_on_write); }),
            mode_error);
  EXPECT_EQ(error_of([&] { shared_memory_object(open_only, name.c_str(), read_write); }),
            not_found_error);
}

TEST(SharedMemoryObjectWindowsTest, TruncateRules) {
  const UniqueName name;
  shared_memory_object shm(create_only, name.c_str(), read_write);
  EXPECT_EQ(error_of([&] { shm.truncate(-1); }), invalid_argument);
  shm.truncate(3 * static_cast<offset_t>(mapped_region::get_page_size()));
  shared_memory_object reader(open_only, name.c_str(), read_only);
  EXPECT_EQ(error_of([&] { reader.truncate(1); }), mode_error);
  {
    const mapped_region region(shm, read_write);
    // Windows refuses to cut a file below a mapped view.
    EXPECT_EQ(error_of([&] { shm.truncate(1); }), busy_error);
  }
  shm.truncate(1);
  EXPECT_EQ(size_of(shm), 1);
}

TEST(SharedMemoryObjectWindowsTest, MappingsShareTheObjectAndItsZeros) {
  const UniqueName name;
  shared_memory_object shm(create_only, name.c_str(), read_write);
  shm.truncate(5000);
  const mapped_region writer(shm, read_write);
  EXPECT_EQ(writer.get_size(), 5000u);
  auto* bytes = static_cast<unsigned char*>(writer.get_address());
  EXPECT_EQ(bytes[4999], 0);
  bytes[4999] = 0x5A;
  const shared_memory_object other(open_only, name.c_str(), read_only);
  const mapped_region reader(other, read_only);
  EXPECT_EQ(static_cast<const unsigned char*>(reader.get_address())[4999], 0x5A);
  EXPECT_EQ(error_of([&] { mapped_region(other, read_write); }), security_error);
}

TEST(SharedMemoryObjectWindowsTest, RemoveFreesTheNameWhileMapped) {
  const UniqueName name;
  shared_memory_object shm(create_only, name.c_str(), read_write);
  shm.truncate(64);
  const mapped_region region(shm, read_write);
  static_cast<char*>(region.get_address())[0] = 'x';
  EXPECT_TRUE(shared_memory_object::remove(name.c_str()));
  EXPECT_FALSE(shared_memory_object::remove(name.c_str()));
  EXPECT_EQ(error_of([&] { shared_memory_object(open_only, name.c_str(), read_write); }),
            not_found_error);
  // The old object lives on; the name makes a new, empty one.
  EXPECT_EQ(static_cast<char*>(region.get_address())[0], 'x');
  EXPECT_EQ(size_of(shm), 64);
  const shared_memory_object fresh(create_only, name.c_str(), read_write);
  EXPECT_EQ(size_of(fresh), 0);
}

}  // namespace
}  // namespace refipc
