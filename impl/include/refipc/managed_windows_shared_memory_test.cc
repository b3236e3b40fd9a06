// basic_managed_windows_shared_memory: every creation mode, the segment
// manager's services through it, read-only and copy-on-write opening, the
// segment's lifetime (it ends with its last handle), hostile memory, move and
// swap. Built twice: over null_mutex_family (runs wherever the segment
// manager builds for Windows) and, with REFIPC_TEST_MUTEX_FAMILY, over
// managed_windows_shared_memory itself (mutex_family: needs the Windows port
// of interprocess_mutex; see BUILD).
#include "refipc/managed_windows_shared_memory.hpp"

#include <windows.h>

#include <atomic>
#include <cstring>
#include <random>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/sync/mutex_family.hpp"
#include "refipc/testing/error_of.hpp"
#include "refipc/windows_shared_memory.hpp"

namespace refipc {
namespace {

using refipc_test::error_or_none;

#ifdef REFIPC_TEST_MUTEX_FAMILY
using segment = managed_windows_shared_memory;
using wsegment = wmanaged_windows_shared_memory;
#else
using segment =
    basic_managed_windows_shared_memory<char, rbtree_best_fit<null_mutex_family>, iset_index>;
using wsegment =
    basic_managed_windows_shared_memory<wchar_t, rbtree_best_fit<null_mutex_family>, iset_index>;
#endif

constexpr std::size_t kSize = 64 * 1024;

std::string unique_name() {
  static std::atomic<unsigned> counter{0};
  return "refipc_mwshm_test_" + std::to_string(GetCurrentProcessId()) + "_" +
         std::to_string(std::random_device{}()) + "_" + std::to_string(counter++);
}

TEST(ManagedWindowsSharedMemoryTest, DefaultConstructedManagesNothing) {
  const segment seg;
  EXPECT_EQ(seg.get_segment_manager(), nullptr);
  EXPECT_EQ(seg.get_address(), nullptr);
}

TEST(ManagedWindowsSharedMemoryTest, CreateConstructFindDestroy) {
  const std::string name = unique_name();
  segment seg(create_only, name.c_str(), kSize);
  EXPECT_GE(seg.get_size(), kSize);
  EXPECT_LT(seg.get_free_memory(), seg.get_size());
  int* value = seg.construct<int>("value")(42);
  ASSERT_NE(value, nullptr);
  EXPECT_TRUE(seg.belongs_to_segment(value));
  const auto found = seg.find<int>("value");
  EXPECT_EQ(found.first, value);
  EXPECT_EQ(found.second, 1u);
  int* array = seg.construct<int>("array")[10](7);
  EXPECT_EQ(array[9], 7);
  EXPECT_EQ(seg.get_num_named_objects(), 2u);
  EXPECT_TRUE(seg.destroy<int>("value"));
  EXPECT_EQ(seg.find<int>("value").first, nullptr);
  seg.destroy_ptr(array);
  EXPECT_EQ(seg.get_num_named_objects(), 0u);
  EXPECT_TRUE(seg.all_memory_deallocated());
  EXPECT_TRUE(seg.check_sanity());
}

TEST(ManagedWindowsSharedMemoryTest, RawAllocationByHandle) {
  const std::string name = unique_name();
  segment creator(create_only, name.c_str(), kSize);
  segment opener(open_only, name.c_str());
  void* block = creator.allocate(100);
  std::memset(block, 0x5a, 100);
  const auto handle = creator.get_handle_from_address(block);
  auto* seen = static_cast<unsigned char*>(opener.get_address_from_handle(handle));
  EXPECT_EQ(seen[99], 0x5a);
  opener.deallocate(seen);
  EXPECT_TRUE(creator.all_memory_deallocated());
}

TEST(ManagedWindowsSharedMemoryTest, CreateOnlyOfAnExistingNameThrows) {
  const std::string name = unique_name();
  const segment first(create_only, name.c_str(), kSize);
  EXPECT_EQ(error_or_none([&] { segment(create_only, name.c_str(), kSize); }),
            already_exists_error);
}

TEST(ManagedWindowsSharedMemoryTest, OpeningAMissingSegmentThrows) {
  const std::string name = unique_name();
  EXPECT_EQ(error_or_none([&] { segment(open_only, name.c_str()); }), not_found_error);
  EXPECT_EQ(error_or_none([&] { segment(open_read_only, name.c_str()); }), not_found_error);
  EXPECT_EQ(error_or_none([&] { segment(open_copy_on_write, name.c_str()); }), not_found_error);
}

TEST(ManagedWindowsSharedMemoryTest, TooSmallASizeThrows) {
  const std::string name = unique_name();
  EXPECT_EQ(error_or_none([&] { segment(create_only, name.c_str(), 16); }), size_error);
}

TEST(ManagedWindowsSharedMemoryTest, OpenOrCreateCreatesThenOpens) {
  const std::string name = unique_name();
  segment first(open_or_create, name.c_str(), kSize);
  *first.construct<int>("shared")() = 17;
  // The size is ignored when the segment exists.
  segment second(open_or_create, name.c_str(), 16);
  const auto found = second.find<int>("shared");
  ASSERT_NE(found.first, nullptr);
  EXPECT_EQ(*found.first, 17);
  EXPECT_NE(first.get_address(), second.get_address());  // two mappings
}

TEST(ManagedWindowsSharedMemoryTest, SegmentEndsWithItsLastHandle) {
  const std::string name = unique_name();
  {
    segment first(create_only, name.c_str(), kSize);
    first.construct<int>("kept")(1);
    { const segment second(open_only, name.c_str()); }
    // One handle left: still there.
    segment third(open_only, name.c_str());
    EXPECT_NE(third.find<int>("kept").first, nullptr);
  }
  EXPECT_EQ(error_or_none([&] { segment(open_only, name.c_str()); }), not_found_error);
  // The name is free again, for a new and empty segment.
  segment fresh(create_only, name.c_str(), kSize);
  EXPECT_EQ(fresh.find<int>("kept").first, nullptr);
}

TEST(ManagedWindowsSharedMemoryTest, ReadOnlyFindsButRefusesWrites) {
  const std::string name = unique_name();
  segment writer(create_only, name.c_str(), kSize);
  *writer.construct<int>("value")() = 5;
  segment reader(open_read_only, name.c_str());
  const auto found = reader.find<int>("value");
  ASSERT_NE(found.first, nullptr);
  EXPECT_EQ(*found.first, 5);
  EXPECT_EQ(error_or_none([&] { reader.construct<int>("other")(); }), mode_error);
  EXPECT_EQ(error_or_none([&] { reader.allocate(10); }), mode_error);
  EXPECT_EQ(error_or_none([&] { reader.destroy<int>("value"); }), mode_error);
  // The reader's mapping is read-only: the page refuses writes.
  MEMORY_BASIC_INFORMATION info;
  ASSERT_NE(VirtualQuery(found.first, &info, sizeof info), 0u);
  EXPECT_EQ(info.Protect & (PAGE_READWRITE | PAGE_WRITECOPY), 0u);
  // And it sees the writer's later changes.
  *writer.find<int>("value").first = 6;
  EXPECT_EQ(*found.first, 6);
}

TEST(ManagedWindowsSharedMemoryTest, CopyOnWriteChangesStayPrivate) {
  const std::string name = unique_name();
  segment shared(create_only, name.c_str(), kSize);
  *shared.construct<int>("value")() = 1;
  segment private_copy(open_copy_on_write, name.c_str());
  int* mine = private_copy.find<int>("value").first;
  ASSERT_NE(mine, nullptr);
  *mine = 2;
  private_copy.construct<int>("private_only")(3);
  EXPECT_EQ(*shared.find<int>("value").first, 1);
  EXPECT_EQ(shared.find<int>("private_only").first, nullptr);
  EXPECT_TRUE(shared.check_sanity());
  segment later(open_only, name.c_str());
  EXPECT_EQ(*later.find<int>("value").first, 1);
  EXPECT_EQ(later.find<int>("private_only").first, nullptr);
}

TEST(ManagedWindowsSharedMemoryTest, MemoryThatIsNoSegmentIsRejected) {
  const std::string name = unique_name();
  const windows_shared_memory raw(create_only, name.c_str(), read_write, kSize);
  const mapped_region region(raw, read_write);
  std::mt19937 random(12345);
  auto* bytes = static_cast<unsigned char*>(region.get_address());
  for (std::size_t i = 0; i < region.get_size(); ++i)
    bytes[i] = static_cast<unsigned char>(random());
  EXPECT_EQ(error_or_none([&] { segment(open_only, name.c_str()); }), corrupted_error);
  EXPECT_EQ(error_or_none([&] { segment(open_read_only, name.c_str()); }), corrupted_error);
  EXPECT_EQ(error_or_none([&] { segment(open_or_create, name.c_str(), kSize); }), corrupted_error);
}

TEST(ManagedWindowsSharedMemoryTest, ASegmentOfAnotherCharacterTypeIsRejected) {
  const std::string name = unique_name();
  const segment narrow(create_only, name.c_str(), kSize);
  EXPECT_NE(error_or_none([&] { wsegment(open_only, name.c_str()); }), no_error);
}

TEST(ManagedWindowsSharedMemoryTest, WideNames) {
  const std::string name = unique_name();
  wsegment seg(create_only, name.c_str(), kSize);
  seg.construct<double>(L"pi")(3.25);
  EXPECT_EQ(*seg.find<double>(L"pi").first, 3.25);
  EXPECT_STREQ(wsegment::get_instance_name(seg.find<double>(L"pi").first), L"pi");
}

TEST(ManagedWindowsSharedMemoryTest, MoveAndSwap) {
  const std::string name_a = unique_name();
  const std::string name_b = unique_name();
  segment a(create_only, name_a.c_str(), kSize);
  segment b(create_only, name_b.c_str(), kSize);
  a.construct<int>("in_a")(1);
  b.construct<int>("in_b")(2);
  a.swap(b);
  EXPECT_NE(a.find<int>("in_b").first, nullptr);
  EXPECT_NE(b.find<int>("in_a").first, nullptr);
  segment moved(std::move(a));
  EXPECT_EQ(a.get_segment_manager(), nullptr);
  EXPECT_NE(moved.find<int>("in_b").first, nullptr);
  segment assigned;
  assigned = std::move(moved);
  EXPECT_NE(assigned.find<int>("in_b").first, nullptr);
  EXPECT_TRUE(assigned.flush());
}

}  // namespace
}  // namespace refipc
