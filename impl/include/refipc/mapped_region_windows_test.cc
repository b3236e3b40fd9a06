// mapped_region on Windows: views of windows_shared_memory, offsets aligned to
// the allocation granularity, fixed addresses, private views and flush.
#include <windows.h>

#include <atomic>
#include <cstring>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/testing/error_of.hpp"
#include "refipc/windows_shared_memory.hpp"

namespace refipc {
namespace {

using refipc_test::error_or_none;

std::string unique_name() {
  static std::atomic<unsigned> counter{0};
  return "refipc_region_test_" + std::to_string(GetCurrentProcessId()) + "_" +
         std::to_string(std::random_device{}()) + "_" + std::to_string(counter++);
}

unsigned char* bytes_of(const mapped_region& region) {
  return static_cast<unsigned char*>(region.get_address());
}

TEST(MappedRegionWindowsTest, PageSizeIsTheAllocationGranularity) {
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  EXPECT_EQ(mapped_region::get_page_size(), info.dwAllocationGranularity);
}

TEST(MappedRegionWindowsTest, OffsetsNeedNoAlignment) {
  const std::size_t granularity = mapped_region::get_page_size();
  const windows_shared_memory shm(create_only, unique_name().c_str(), read_write, 3 * granularity);
  const mapped_region whole(shm, read_write);
  ASSERT_EQ(whole.get_size(), 3 * granularity);
  for (std::size_t i = 0; i < whole.get_size(); ++i)
    bytes_of(whole)[i] = static_cast<unsigned char>(i % 251);

  const offset_t offset = static_cast<offset_t>(granularity + 10);
  const mapped_region part(shm, read_only, offset, 100);
  EXPECT_EQ(part.get_offset(), offset);
  EXPECT_EQ(part.get_size(), 100u);
  EXPECT_EQ(bytes_of(part)[0], (granularity + 10) % 251);
  EXPECT_EQ(bytes_of(part)[99], (granularity + 109) % 251);

  const mapped_region rest(shm, read_only, offset);
  EXPECT_EQ(rest.get_size(), 2 * granularity - 10);
}

TEST(MappedRegionWindowsTest, RangesPastTheEndAreSizeErrors) {
  const windows_shared_memory shm(create_only, unique_name().c_str(), read_write, 4096);
  EXPECT_EQ(error_or_none([&] { mapped_region(shm, read_write, 0, 4097); }), size_error);
  EXPECT_EQ(error_or_none([&] { mapped_region(shm, read_write, 4096); }), size_error);
  EXPECT_EQ(error_or_none([&] { mapped_region(shm, read_write, 5000, 1); }), size_error);
  EXPECT_EQ(error_or_none([&] { mapped_region(shm, read_write, -1, 1); }), invalid_argument);
}

TEST(MappedRegionWindowsTest, InvalidModeIsAModeError) {
  const windows_shared_memory shm(create_only, unique_name().c_str(), read_write, 4096);
  EXPECT_EQ(error_or_none([&] { mapped_region(shm, invalid_mode); }), mode_error);
}

TEST(MappedRegionWindowsTest, EmptyObjectCannotBeMapped) {
  const windows_shared_memory shm;
  EXPECT_EQ(error_or_none([&] { mapped_region(shm, read_only); }), invalid_argument);
}

TEST(MappedRegionWindowsTest, CopyOnWriteChangesStayPrivate) {
  const windows_shared_memory shm(create_only, unique_name().c_str(), read_write, 4096);
  const mapped_region shared(shm, read_write);
  bytes_of(shared)[0] = 1;
  const mapped_region copy(shm, copy_on_write);
  EXPECT_EQ(bytes_of(copy)[0], 1);
  bytes_of(copy)[0] = 2;
  EXPECT_EQ(bytes_of(shared)[0], 1);
  EXPECT_EQ(bytes_of(copy)[0], 2);
}

TEST(MappedRegionWindowsTest, RequestedAddressIsUsedOrBusy) {
  const std::size_t granularity = mapped_region::get_page_size();
  const windows_shared_memory shm(create_only, unique_name().c_str(), read_write, granularity);
  void* address = nullptr;
  {
    const mapped_region probe(shm, read_write);
    address = probe.get_address();
  }
  const mapped_region placed(shm, read_write, 0, 0, address);
  EXPECT_EQ(placed.get_address(), address);
  EXPECT_EQ(error_or_none([&] { mapped_region(shm, read_write, 0, 0, address); }), busy_error);
  char* misaligned = static_cast<char*>(address) + 1;
  EXPECT_EQ(error_or_none([&] { mapped_region(shm, read_write, 0, 0, misaligned); }),
            invalid_argument);
}

TEST(MappedRegionWindowsTest, FlushChecksTheRange) {
  const windows_shared_memory shm(create_only, unique_name().c_str(), read_write, 4096);
  mapped_region region(shm, read_write, 0, 1000);
  EXPECT_TRUE(region.flush());
  EXPECT_TRUE(region.flush(10, 20, false));
  EXPECT_FALSE(region.flush(1000));
  EXPECT_FALSE(region.flush(10, 991));
  EXPECT_FALSE(mapped_region().flush());
}

TEST(MappedRegionWindowsTest, MoveLeavesTheSourceEmpty) {
  const windows_shared_memory shm(create_only, unique_name().c_str(), read_write, 4096);
  mapped_region source(shm, read_write, 0, 100);
  void* const address = source.get_address();
  mapped_region moved(std::move(source));
  EXPECT_EQ(moved.get_address(), address);
  EXPECT_EQ(source.get_address(), nullptr);
  EXPECT_EQ(source.get_size(), 0u);
  source = std::move(moved);
  EXPECT_EQ(source.get_address(), address);
  EXPECT_EQ(moved.get_address(), nullptr);
}

}  // namespace
}  // namespace refipc
