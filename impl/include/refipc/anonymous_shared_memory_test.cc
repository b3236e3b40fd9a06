#include "refipc/anonymous_shared_memory.hpp"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "gtest/gtest.h"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/testing/error_of.hpp"

namespace refipc {
namespace {

// Its messages name the component.
template <class Action>
error_code_t error_of(Action action) {
  return refipc_test::error_of(action, "anonymous_shared_memory");
}

const std::size_t kPage = mapped_region::get_page_size();

TEST(AnonymousSharedMemoryTest, MapsZeroFilledReadWriteMemory) {
  const mapped_region region = anonymous_shared_memory(1000);
  ASSERT_NE(region.get_address(), nullptr);
  EXPECT_EQ(region.get_size(), 1000u);
  EXPECT_EQ(region.get_offset(), 0);
  EXPECT_EQ(region.get_mode(), read_write);
  const auto* bytes = static_cast<const unsigned char*>(region.get_address());
  for (std::size_t i = 0; i < region.get_size(); ++i) ASSERT_EQ(bytes[i], 0);
  std::memset(region.get_address(), 1, region.get_size());
}

TEST(AnonymousSharedMemoryTest, ForkedChildWritesAreSeenByTheParent) {
  const mapped_region region = anonymous_shared_memory(kPage);
  auto* value = static_cast<int*>(region.get_address());
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    *value = 1234;
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(*value, 1234);
}

TEST(AnonymousSharedMemoryTest, ZeroSizeIsAnInvalidArgument) {
  EXPECT_EQ(error_of([] { anonymous_shared_memory(0); }), invalid_argument);
}

TEST(AnonymousSharedMemoryTest, RequestedAddressIsUsedExactly) {
  void* probe = mmap(nullptr, 2 * kPage, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(probe, MAP_FAILED);
  munmap(probe, 2 * kPage);
  const mapped_region region = anonymous_shared_memory(2 * kPage, probe);
  EXPECT_EQ(region.get_address(), probe);
  EXPECT_EQ(region.get_size(), 2 * kPage);
}

TEST(AnonymousSharedMemoryTest, BusyOrUnalignedAddressesFail) {
  const mapped_region existing = anonymous_shared_memory(kPage);
  static_cast<char*>(existing.get_address())[0] = 5;
  EXPECT_EQ(error_of([&] { anonymous_shared_memory(kPage, existing.get_address()); }), busy_error);
  EXPECT_EQ(static_cast<char*>(existing.get_address())[0], 5);
  void* unaligned = static_cast<char*>(existing.get_address()) + 1;
  EXPECT_EQ(error_of([&] { anonymous_shared_memory(kPage, unaligned); }), invalid_argument);
}

TEST(AnonymousSharedMemoryTest, MoveLeavesTheSourceEmpty) {
  mapped_region region = anonymous_shared_memory(kPage);
  void* address = region.get_address();
  mapped_region moved(std::move(region));
  EXPECT_EQ(moved.get_address(), address);
  EXPECT_EQ(region.get_address(), nullptr);
  EXPECT_TRUE(moved.flush());
}

}  // namespace
}  // namespace refipc
