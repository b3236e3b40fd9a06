#include "refipc/detail/map_pages.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "gtest/gtest.h"

namespace refipc::detail {
namespace {

const auto kPage = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
constexpr int kAnonymous = MAP_SHARED | MAP_ANONYMOUS;

TEST(MapPagesTest, WithoutAddressMapsAnywhere) {
  void* base = map_pages(nullptr, kPage, PROT_READ | PROT_WRITE, kAnonymous, -1, 0);
  ASSERT_NE(base, MAP_FAILED);
  std::memset(base, 1, kPage);
  EXPECT_EQ(munmap(base, kPage), 0);
}

TEST(MapPagesTest, FreeAddressIsUsedExactly) {
  void* probe = mmap(nullptr, 2 * kPage, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(probe, MAP_FAILED);
  ASSERT_EQ(munmap(probe, 2 * kPage), 0);
  void* wanted = static_cast<char*>(probe) + kPage;
  void* base = map_pages(wanted, kPage, PROT_READ, kAnonymous, -1, 0);
  EXPECT_EQ(base, wanted);
  if (base != MAP_FAILED) munmap(base, kPage);
}

TEST(MapPagesTest, BusyAddressFailsWithEexistAndKeepsTheMapping) {
  auto* existing = static_cast<char*>(
      mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(existing, MAP_FAILED);
  existing[0] = 42;
  errno = 0;
  EXPECT_EQ(map_pages(existing, kPage, PROT_READ, kAnonymous, -1, 0), MAP_FAILED);
  EXPECT_EQ(errno, EEXIST);
  EXPECT_EQ(existing[0], 42);
  munmap(existing, kPage);
}

}  // namespace
}  // namespace refipc::detail
