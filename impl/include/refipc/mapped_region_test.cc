#include "refipc/mapped_region.hpp"

#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/shared_memory_object.hpp"

namespace refipc {
namespace {

const std::size_t kPage = mapped_region::get_page_size();

// A name unique to the running test, process and run; the object is removed
// when the guard goes out of scope.
class UniqueName {
 public:
  UniqueName() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::random_device random;
    name_ = std::string("refipc_") + test->test_suite_name() + "_" + test->name() + "_" +
            std::to_string(getpid()) + "_" + std::to_string(random());
  }
  UniqueName(const UniqueName&) = delete;
  UniqueName& operator=(const UniqueName&) = delete;
  ~UniqueName() { shared_memory_object::remove(name_.c_str()); }

  const char* c_str() const { return name_.c_str(); }

 private:
  std::string name_;
};

// A read_write object of `size` bytes where byte i holds i % 251.
shared_memory_object make_object(const UniqueName& name, offset_t size) {
  shared_memory_object shm(create_only, name.c_str(), read_write);
  shm.truncate(size);
  const mapped_region fill(shm, read_write);
  auto* bytes = static_cast<unsigned char*>(fill.get_address());
  for (offset_t i = 0; i < size; ++i) bytes[i] = static_cast<unsigned char>(i % 251);
  return shm;
}

unsigned char expected_byte(std::size_t offset) { return static_cast<unsigned char>(offset % 251); }

unsigned char* bytes_of(const mapped_region& region) {
  return static_cast<unsigned char*>(region.get_address());
}

char* page_start(const void* address) {
  const auto value = reinterpret_cast<std::uintptr_t>(address);
  return reinterpret_cast<char*>(value - value % kPage);
}

// Whether any byte of [address, address + length) is mapped.
bool is_mapped(const void* address, std::size_t length) {
  return msync(page_start(address), length, MS_ASYNC) == 0 || errno != ENOMEM;
}

// The permission field ("rw-s" and so on) of the mapping starting at `start`.
// The permissions of the mapping that holds `address`. The kernel may merge
// a mapping with a neighbour of the same kind, so it need not start there.
std::string mapping_permissions(const void* address) {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream fields(line);
    std::uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::string perms;
    fields >> std::hex >> begin >> dash >> end >> perms;
    if (begin <= at && at < end) return perms;
  }
  return "not mapped";
}

// An address where `length` bytes are currently free.
char* free_address(std::size_t length) {
  void* probe = mmap(nullptr, length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  EXPECT_NE(probe, MAP_FAILED);
  munmap(probe, length);
  return static_cast<char*>(probe);
}

template <class Action>
interprocess_exception thrown_by(Action action) {
  try {
    action();
  } catch (const interprocess_exception& e) {
    return e;
  }
  ADD_FAILURE() << "no interprocess_exception was thrown";
  return interprocess_exception("nothing thrown");
}

TEST(MappedRegionTest, DefaultConstructedIsEmpty) {
  mapped_region region;
  EXPECT_EQ(region.get_address(), nullptr);
  EXPECT_EQ(region.get_size(), 0u);
  EXPECT_EQ(region.get_offset(), 0);
  EXPECT_EQ(region.get_mode(), read_only);
  EXPECT_FALSE(region.flush());
}

TEST(MappedRegionTest, PageSizeIsTheSystemPageSize) {
  EXPECT_EQ(mapped_region::get_page_size(), static_cast<std::size_t>(sysconf(_SC_PAGESIZE)));
}

TEST(MappedRegionTest, MapsTheWholeObjectByDefault) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 3 * kPage + 10);
  const mapped_region region(shm, read_write);
  EXPECT_NE(region.get_address(), nullptr);
  EXPECT_EQ(region.get_size(), 3 * kPage + 10);
  EXPECT_EQ(region.get_offset(), 0);
  EXPECT_EQ(region.get_mode(), read_write);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(region.get_address()) % kPage, 0u);
  for (std::size_t i = 0; i < region.get_size(); ++i)
    ASSERT_EQ(bytes_of(region)[i], expected_byte(i));
}

TEST(MappedRegionTest, TwoMappingsSeeEachOthersWrites) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 2 * kPage);
  const mapped_region a(shm, read_write);
  const mapped_region b(shm, read_write);
  ASSERT_NE(a.get_address(), b.get_address());
  bytes_of(a)[5] = 0xAA;
  EXPECT_EQ(bytes_of(b)[5], 0xAA);
  bytes_of(b)[kPage + 7] = 0xBB;
  EXPECT_EQ(bytes_of(a)[kPage + 7], 0xBB);
  const mapped_region reader(shm, read_only);
  EXPECT_EQ(bytes_of(reader)[5], 0xAA);
}

TEST(MappedRegionTest, MapsTheRequestedRange) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 4 * kPage);
  const mapped_region region(shm, read_only, kPage, 2 * kPage);
  EXPECT_EQ(region.get_offset(), static_cast<offset_t>(kPage));
  EXPECT_EQ(region.get_size(), 2 * kPage);
  for (std::size_t i = 0; i < region.get_size(); ++i) {
    ASSERT_EQ(bytes_of(region)[i], expected_byte(kPage + i));
  }
}

TEST(MappedRegionTest, UnalignedOffsetIsAdjustedTransparently) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 2 * kPage);
  const offset_t offset = kPage + 100;
  const mapped_region region(shm, read_write, offset, 50);
  EXPECT_EQ(region.get_offset(), offset);
  EXPECT_EQ(region.get_size(), 50u);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(region.get_address()) % kPage, 100u);
  for (std::size_t i = 0; i < 50; ++i) ASSERT_EQ(bytes_of(region)[i], expected_byte(offset + i));
  bytes_of(region)[0] = 0xCC;
  const mapped_region whole(shm, read_only);
  EXPECT_EQ(bytes_of(whole)[offset], 0xCC);
}

TEST(MappedRegionTest, ZeroSizeMapsFromTheOffsetToTheEnd) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 2 * kPage + 30);
  const mapped_region region(shm, read_only, 1000);
  EXPECT_EQ(region.get_size(), 2 * kPage + 30 - 1000);
  EXPECT_EQ(bytes_of(region)[0], expected_byte(1000));
  EXPECT_EQ(bytes_of(region)[region.get_size() - 1], expected_byte(2 * kPage + 29));
}

TEST(MappedRegionTest, EmptyObjectThrowsSizeError) {
  const UniqueName name;
  const shared_memory_object shm(create_only, name.c_str(), read_write);
  const interprocess_exception e = thrown_by([&] { mapped_region(shm, read_write); });
  EXPECT_EQ(e.get_error_code(), size_error);
  EXPECT_EQ(e.get_native_error(), 0);
  EXPECT_NE(std::string(e.what()).find("mapped_region"), std::string::npos) << e.what();
}

TEST(MappedRegionTest, RangesBeyondTheObjectThrowSizeError) {
  const UniqueName name;
  const offset_t size = 2 * kPage;
  const shared_memory_object shm = make_object(name, size);
  const struct {
    offset_t offset;
    std::size_t size;
  } cases[] = {
      {size, 0},
      {size, 1},
      {size + 1, 0},
      {size + static_cast<offset_t>(kPage), 1},
      {0, static_cast<std::size_t>(size) + 1},
      {size - 1, 2},
      {1, static_cast<std::size_t>(size)},
      {0, std::numeric_limits<std::size_t>::max()},
      {std::numeric_limits<offset_t>::max(), 1},
  };
  for (const auto& c : cases) {
    const interprocess_exception e =
        thrown_by([&] { mapped_region(shm, read_write, c.offset, c.size); });
    EXPECT_EQ(e.get_error_code(), size_error) << c.offset << "+" << c.size;
  }
  const mapped_region last_byte(shm, read_write, size - 1, 1);
  EXPECT_EQ(bytes_of(last_byte)[0], expected_byte(size - 1));
}

TEST(MappedRegionTest, NegativeOffsetThrowsInvalidArgument) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, kPage);
  for (const offset_t offset :
       {offset_t{-1}, -static_cast<offset_t>(kPage), std::numeric_limits<offset_t>::min()}) {
    const interprocess_exception e = thrown_by([&] { mapped_region(shm, read_only, offset, 1); });
    EXPECT_EQ(e.get_error_code(), invalid_argument) << offset;
  }
}

TEST(MappedRegionTest, InvalidModeThrowsModeError) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, kPage);
  for (const mode_t mode : {invalid_mode, static_cast<mode_t>(42)}) {
    const interprocess_exception e = thrown_by([&] { mapped_region(shm, mode); });
    EXPECT_EQ(e.get_error_code(), mode_error) << mode;
  }
}

TEST(MappedRegionTest, ReadWriteOfReadOnlyObjectThrowsSecurityError) {
  const UniqueName name;
  const shared_memory_object creator = make_object(name, kPage);
  const shared_memory_object reader(open_only, name.c_str(), read_only);
  const interprocess_exception e = thrown_by([&] { mapped_region(reader, read_write); });
  EXPECT_EQ(e.get_error_code(), security_error);
  EXPECT_EQ(e.get_native_error(), EACCES);
}

TEST(MappedRegionTest, EmptyObjectHandleThrows) {
  const shared_memory_object none;
  const interprocess_exception e = thrown_by([&] { mapped_region(none, read_only); });
  EXPECT_EQ(e.get_native_error(), EBADF);
}

TEST(MappedRegionTest, ModesSelectProtectionAndSharing) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, kPage);
  const struct {
    mode_t mode;
    const char* perms;
  } cases[] = {
      {read_only, "r--s"},
      {read_write, "rw-s"},
      {copy_on_write, "rw-p"},
      {read_private, "r--p"},
  };
  for (const auto& c : cases) {
    const mapped_region region(shm, c.mode);
    EXPECT_EQ(region.get_mode(), c.mode);
    EXPECT_EQ(mapping_permissions(region.get_address()), c.perms) << c.mode;
    EXPECT_EQ(bytes_of(region)[9], expected_byte(9));
  }
}

TEST(MappedRegionTest, CopyOnWriteChangesStayPrivate) {
  const UniqueName name;
  const shared_memory_object creator = make_object(name, 2 * kPage);
  const shared_memory_object reader(open_only, name.c_str(), read_only);
  const mapped_region shared(reader, read_only);
  mapped_region cow(reader, copy_on_write);
  bytes_of(cow)[3] = 0xEE;
  EXPECT_TRUE(cow.flush(0, 0, false));
  EXPECT_EQ(bytes_of(cow)[3], 0xEE);
  EXPECT_EQ(bytes_of(shared)[3], expected_byte(3));
  const mapped_region fresh(reader, read_only);
  EXPECT_EQ(bytes_of(fresh)[3], expected_byte(3));
}

TEST(MappedRegionTest, FixedAddressIsHonoured) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 2 * kPage);
  char* const address = free_address(2 * kPage);
  const mapped_region region(shm, read_write, 0, 0, address);
  EXPECT_EQ(region.get_address(), address);
  EXPECT_EQ(bytes_of(region)[kPage], expected_byte(kPage));
}

TEST(MappedRegionTest, FixedAddressMayCarryTheOffsetWithinAPage) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 2 * kPage);
  char* const start = free_address(kPage);
  const mapped_region region(shm, read_only, kPage + 100, 20, start + 100);
  EXPECT_EQ(region.get_address(), start + 100);
  EXPECT_EQ(bytes_of(region)[0], expected_byte(kPage + 100));
}

TEST(MappedRegionTest, FixedAddressNotCongruentToTheOffsetThrowsInvalidArgument) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 2 * kPage);
  char* const start = free_address(2 * kPage);
  for (const offset_t offset : {offset_t{0}, offset_t{100}}) {
    const interprocess_exception e =
        thrown_by([&] { mapped_region(shm, read_only, offset, 10, start + 1); });
    EXPECT_EQ(e.get_error_code(), invalid_argument) << offset;
  }
}

TEST(MappedRegionTest, OccupiedFixedAddressThrowsBusyAndKeepsTheExistingMapping) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 2 * kPage);
  void* occupied = mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(occupied, MAP_FAILED);
  std::memset(occupied, 0x5A, kPage);
  // Exactly on the existing mapping, and overlapping only its last page.
  for (char* address : {static_cast<char*>(occupied), static_cast<char*>(occupied) - kPage}) {
    const interprocess_exception e =
        thrown_by([&] { mapped_region(shm, read_write, 0, 0, address); });
    EXPECT_EQ(e.get_error_code(), busy_error);
  }
  for (std::size_t i = 0; i < kPage; ++i) ASSERT_EQ(static_cast<unsigned char*>(occupied)[i], 0x5A);
  EXPECT_EQ(mapping_permissions(occupied), "rw-p");
  munmap(occupied, kPage);
}

TEST(MappedRegionTest, DestructionUnmapsExactlyTheMapping) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 2 * kPage);
  // Surround the region's page with reserved pages that must survive.
  void* reserved = mmap(nullptr, 3 * kPage, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(reserved, MAP_FAILED);
  char* const low = static_cast<char*>(reserved);
  char* const middle = low + kPage;
  char* const high = low + 2 * kPage;
  ASSERT_EQ(munmap(middle, kPage), 0);
  {
    const mapped_region region(shm, read_write, kPage + 100, kPage - 100, middle + 100);
    ASSERT_EQ(region.get_address(), middle + 100);
    EXPECT_TRUE(is_mapped(middle, kPage));
  }
  EXPECT_FALSE(is_mapped(middle, kPage));
  EXPECT_TRUE(is_mapped(low, kPage));
  EXPECT_TRUE(is_mapped(high, kPage));
  munmap(low, kPage);
  munmap(high, kPage);
}

TEST(MappedRegionTest, ShrinkFromTheBackUnmapsTheTailPages) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 4 * kPage);
  mapped_region region(shm, read_write, 100);
  char* const start = static_cast<char*>(region.get_address());
  char* const base = start - 100;
  ASSERT_EQ(region.get_size(), 4 * kPage - 100);
  // Within the last page: nothing is unmapped.
  ASSERT_TRUE(region.shrink_by(kPage / 2));
  EXPECT_EQ(region.get_size(), 4 * kPage - 100 - kPage / 2);
  EXPECT_TRUE(is_mapped(base + 3 * kPage, kPage));
  // Leaving one byte in the second page: the last two pages go.
  ASSERT_TRUE(region.shrink_by(region.get_size() - (kPage - 100) - 1));
  EXPECT_EQ(region.get_size(), kPage - 100 + 1);
  EXPECT_EQ(region.get_address(), start);
  EXPECT_EQ(region.get_offset(), 100);
  EXPECT_TRUE(is_mapped(base + kPage, 1));
  EXPECT_FALSE(is_mapped(base + 2 * kPage, kPage));
  EXPECT_FALSE(is_mapped(base + 3 * kPage, kPage));
  EXPECT_EQ(bytes_of(region)[region.get_size() - 1], expected_byte(kPage));
  EXPECT_TRUE(region.flush());
}

TEST(MappedRegionTest, ShrinkFromTheFrontMovesTheAddressAndOffset) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 4 * kPage);
  mapped_region region(shm, read_write, 100);
  char* const base = static_cast<char*>(region.get_address()) - 100;
  ASSERT_TRUE(region.shrink_by(2 * kPage, false));
  EXPECT_EQ(region.get_address(), base + 100 + 2 * kPage);
  EXPECT_EQ(region.get_offset(), static_cast<offset_t>(100 + 2 * kPage));
  EXPECT_EQ(region.get_size(), 2 * kPage - 100);
  EXPECT_FALSE(is_mapped(base, 2 * kPage));
  EXPECT_TRUE(is_mapped(base + 2 * kPage, 2 * kPage));
  EXPECT_EQ(bytes_of(region)[0], expected_byte(100 + 2 * kPage));
  bytes_of(region)[0] = 7;
  EXPECT_TRUE(region.flush(0, 1, false));
  {
    // The region still writes through to the object.
    const mapped_region check(shm, read_only, static_cast<offset_t>(100 + 2 * kPage), 1);
    EXPECT_EQ(bytes_of(check)[0], 7);
  }
  // Destruction unmaps what is left, and only that.
  region = mapped_region();
  EXPECT_FALSE(is_mapped(base + 2 * kPage, 2 * kPage));
}

TEST(MappedRegionTest, ShrinkRefusesTooManyBytesAndEmptiesOnAll) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 2 * kPage);
  mapped_region region(shm, read_write);
  char* const base = static_cast<char*>(region.get_address());
  EXPECT_FALSE(region.shrink_by(2 * kPage + 1));
  EXPECT_EQ(region.get_size(), 2 * kPage);
  EXPECT_TRUE(region.shrink_by(0));
  EXPECT_EQ(region.get_size(), 2 * kPage);
  EXPECT_TRUE(region.shrink_by(2 * kPage, false));
  EXPECT_EQ(region.get_address(), nullptr);
  EXPECT_EQ(region.get_size(), 0u);
  EXPECT_FALSE(is_mapped(base, 2 * kPage));
  EXPECT_FALSE(region.shrink_by(1));
  EXPECT_FALSE(mapped_region().shrink_by(0));
}

TEST(MappedRegionTest, AdviseAcceptsEveryAdviceAndKeepsTheContents) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 3 * kPage);
  mapped_region region(shm, read_write, 10);
  for (const auto advice : {mapped_region::advice_normal, mapped_region::advice_sequential,
                            mapped_region::advice_random, mapped_region::advice_willneed,
                            mapped_region::advice_dontneed}) {
    EXPECT_TRUE(region.advise(advice)) << advice;
  }
  for (std::size_t i = 0; i < region.get_size(); ++i) {
    ASSERT_EQ(bytes_of(region)[i], expected_byte(10 + i)) << i;
  }
  mapped_region private_copy(shm, copy_on_write);
  bytes_of(private_copy)[0] = 1;
  EXPECT_TRUE(private_copy.advise(mapped_region::advice_dontneed));
  EXPECT_EQ(bytes_of(private_copy)[0], 1) << "advice_dontneed discarded a private page";
  EXPECT_FALSE(region.advise(static_cast<mapped_region::advice_types>(42)));
  EXPECT_FALSE(mapped_region().advise(mapped_region::advice_normal));
}

TEST(MappedRegionTest, MoveConstructionTransfersTheMapping) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 2 * kPage);
  mapped_region source(shm, read_write, 10, 20);
  void* const address = source.get_address();
  const mapped_region target(std::move(source));
  EXPECT_EQ(target.get_address(), address);
  EXPECT_EQ(target.get_size(), 20u);
  EXPECT_EQ(target.get_offset(), 10);
  EXPECT_EQ(target.get_mode(), read_write);
  EXPECT_EQ(source.get_address(), nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(source.get_size(), 0u);
  EXPECT_EQ(source.get_offset(), 0);
  EXPECT_TRUE(is_mapped(address, 20));
}

TEST(MappedRegionTest, MoveAssignmentUnmapsThePreviousMapping) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 2 * kPage);
  mapped_region target(shm, read_write, 0, kPage);
  mapped_region source(shm, read_only, kPage, kPage);
  void* const old_address = target.get_address();
  void* const new_address = source.get_address();
  target = std::move(source);
  EXPECT_FALSE(is_mapped(old_address, kPage));
  EXPECT_EQ(target.get_address(), new_address);
  EXPECT_EQ(target.get_offset(), static_cast<offset_t>(kPage));
  EXPECT_EQ(target.get_mode(), read_only);
  EXPECT_EQ(source.get_address(), nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(source.get_size(), 0u);
}

TEST(MappedRegionTest, SwapExchangesEverything) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 2 * kPage);
  mapped_region a(shm, read_private, 5, 6);
  mapped_region b;
  void* const address = a.get_address();
  a.swap(b);
  EXPECT_EQ(a.get_address(), nullptr);
  EXPECT_EQ(a.get_size(), 0u);
  EXPECT_EQ(b.get_address(), address);
  EXPECT_EQ(b.get_size(), 6u);
  EXPECT_EQ(b.get_offset(), 5);
  EXPECT_EQ(b.get_mode(), read_private);
}

TEST(MappedRegionTest, FlushChecksItsRange) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, 3 * kPage);
  mapped_region region(shm, read_write, 100, 2 * kPage);
  EXPECT_TRUE(region.flush());
  EXPECT_TRUE(region.flush(0, 0, false));
  EXPECT_TRUE(region.flush(kPage + 3, 10));
  EXPECT_TRUE(region.flush(2 * kPage - 1, 1, false));
  EXPECT_TRUE(region.flush(0, 2 * kPage));
  EXPECT_FALSE(region.flush(2 * kPage));
  EXPECT_FALSE(region.flush(0, 2 * kPage + 1));
  EXPECT_FALSE(region.flush(10, 2 * kPage - 9));
  EXPECT_FALSE(region.flush(1, std::numeric_limits<std::size_t>::max()));
}

TEST(MappedRegionTest, RegionOutlivesItsObjectAndItsName) {
  const UniqueName name;
  mapped_region region;
  {
    const shared_memory_object shm = make_object(name, kPage);
    region = mapped_region(shm, read_write);
  }
  ASSERT_TRUE(shared_memory_object::remove(name.c_str()));
  EXPECT_EQ(bytes_of(region)[17], expected_byte(17));
  bytes_of(region)[17] = 1;
  EXPECT_EQ(bytes_of(region)[17], 1);
}

// Any type with get_mapping_handle() can be mapped.
class MemfdMappable {
 public:
  explicit MemfdMappable(std::size_t size) : fd_(memfd_create("refipc_test", MFD_CLOEXEC)) {
    EXPECT_GE(fd_, 0);
    EXPECT_EQ(ftruncate(fd_, static_cast<off_t>(size)), 0);
  }
  MemfdMappable(const MemfdMappable&) = delete;
  MemfdMappable& operator=(const MemfdMappable&) = delete;
  ~MemfdMappable() { close(fd_); }
  mapping_handle_t get_mapping_handle() const { return {fd_, false}; }

 private:
  int fd_;
};

TEST(MappedRegionTest, MapsAnyMemoryMappable) {
  const MemfdMappable memfd(kPage);
  const mapped_region writer(memfd, read_write);
  const mapped_region reader(memfd, read_only);
  EXPECT_EQ(writer.get_size(), kPage);
  bytes_of(writer)[1] = 42;
  EXPECT_EQ(bytes_of(reader)[1], 42);
}

TEST(MappedRegionTest, AnotherProcessSeesTheSameMemory) {
  const UniqueName name;
  const shared_memory_object shm = make_object(name, kPage);
  const mapped_region region(shm, read_write);
  const pid_t child = fork();
  if (child == 0) {
    bool ok = false;
    try {
      const shared_memory_object opened(open_only, name.c_str(), read_write);
      const mapped_region mine(opened, read_write);
      ok = bytes_of(mine)[0] == expected_byte(0);
      bytes_of(mine)[0] = 0x77;
    } catch (...) {
    }
    _exit(ok ? 0 : 1);
  }
  ASSERT_GT(child, 0);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(bytes_of(region)[0], 0x77);
}

}  // namespace
}  // namespace refipc
