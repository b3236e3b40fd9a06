// Conformance tests of anonymous_shared_memory(): the manual's "Anonymous
// shared memory for UNIX systems" section and its reference entry.
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

class AnonymousSharedMemory : public ipc_test::ConformanceTest {};
class AnonymousSharedMemoryMultiProcess : public ipc_test::ConformanceTest {};

const std::size_t kPage = ipc::mapped_region::get_page_size();

// Whether the page holding `address` is mapped.
bool is_mapped(const void* address) {
  const auto value = reinterpret_cast<std::uintptr_t>(address);
  return msync(reinterpret_cast<void*>(value - value % kPage), 1, MS_ASYNC) == 0 || errno != ENOMEM;
}

// A page-aligned address where `length` bytes are free.
char* free_address(std::size_t length) {
  void* probe = mmap(nullptr, length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  EXPECT_NE(probe, MAP_FAILED);
  munmap(probe, length);
  return static_cast<char*>(probe);
}

TEST_F(AnonymousSharedMemory, CreatesAWritableRegionOfTheGivenSize) {
  IPC_SPEC("anonymous_shared_memory.creates_region");
  const ipc::mapped_region region(ipc::anonymous_shared_memory(1000));
  ASSERT_NE(region.get_address(), nullptr);
  EXPECT_EQ(region.get_size(), 1000u);
  std::memset(region.get_address(), 1, region.get_size());
  const auto* bytes = static_cast<const unsigned char*>(region.get_address());
  EXPECT_EQ(bytes[0], 1);
  EXPECT_EQ(bytes[999], 1);
}

TEST_F(AnonymousSharedMemory, EachCallCreatesANewSegment) {
  IPC_SPEC("anonymous_shared_memory.regions_are_distinct");
  const ipc::mapped_region a(ipc::anonymous_shared_memory(kPage));
  const ipc::mapped_region b(ipc::anonymous_shared_memory(kPage));
  ASSERT_NE(a.get_address(), b.get_address());
  std::memset(b.get_address(), 0, kPage);
  std::memset(a.get_address(), 0x77, kPage);
  EXPECT_EQ(static_cast<const unsigned char*>(b.get_address())[10], 0);
}

TEST_F(AnonymousSharedMemory, RequestedFreeAddressIsUsed) {
  IPC_SPEC("anonymous_shared_memory.fixed_address");
  char* wanted = free_address(2 * kPage);
  const ipc::mapped_region region(ipc::anonymous_shared_memory(2 * kPage, wanted));
  EXPECT_EQ(region.get_address(), wanted);
  EXPECT_EQ(region.get_size(), 2 * kPage);
  std::memset(region.get_address(), 3, region.get_size());
}

TEST_F(AnonymousSharedMemory, BusyAddressThrowsAndKeepsTheExistingMapping) {
  IPC_SPEC("anonymous_shared_memory.busy_address_throws");
  const ipc::mapped_region existing(ipc::anonymous_shared_memory(kPage));
  auto* bytes = static_cast<unsigned char*>(existing.get_address());
  bytes[0] = 0x42;
  try {
    const ipc::mapped_region region(ipc::anonymous_shared_memory(kPage, existing.get_address()));
    ADD_FAILURE() << "a region was returned at " << region.get_address() << " instead of "
                  << existing.get_address();
  } catch (const ipc::interprocess_exception&) {
  }
  EXPECT_EQ(bytes[0], 0x42);
}

TEST_F(AnonymousSharedMemory, ZeroSizeThrows) {
  IPC_SPEC("anonymous_shared_memory.failure_throws");
  EXPECT_THROW(ipc::anonymous_shared_memory(0), ipc::interprocess_exception);
}

TEST_F(AnonymousSharedMemory, DestroyingTheRegionUnmapsTheSegment) {
  IPC_SPEC("anonymous_shared_memory.unmapped_on_destruction");
  void* address = nullptr;
  {
    const ipc::mapped_region region(ipc::anonymous_shared_memory(kPage));
    address = region.get_address();
    ASSERT_TRUE(is_mapped(address));
  }
  EXPECT_FALSE(is_mapped(address));
}

TEST_F(AnonymousSharedMemoryMultiProcess, ForkedChildWritesAreSeenByTheParent) {
  IPC_SPEC("anonymous_shared_memory.shared_with_forked_children");
  const ipc::mapped_region region(ipc::anonymous_shared_memory(2 * kPage));
  auto* bytes = static_cast<unsigned char*>(region.get_address());
  std::memset(bytes, 0x10, kPage);
  ipc_test::Pipe to_parent;
  ipc_test::Pipe to_child;
  ipc_test::Child child = ipc_test::fork_child([&] {
    for (std::size_t i = 0; i < kPage; ++i) IPC_CHILD_CHECK_MSG(bytes[i] == 0x10, "byte " << i);
    std::memset(bytes + kPage, 0x20, kPage);
    to_parent.send("child wrote");
    IPC_CHILD_CHECK(to_child.receive() == "parent wrote");
    IPC_CHILD_CHECK(bytes[0] == 0x30);
  });
  ASSERT_EQ(to_parent.receive(), "child wrote");
  for (std::size_t i = kPage; i < 2 * kPage; ++i) ASSERT_EQ(bytes[i], 0x20) << i;
  bytes[0] = 0x30;
  to_child.send("parent wrote");
  IPC_EXPECT_CHILD_OK(child.wait());
}

}  // namespace
