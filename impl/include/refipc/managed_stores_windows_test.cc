// managed_shared_memory and managed_mapped_file on Windows: creation modes,
// read-only and copy-on-write opening, offline grow and shrink_to_fit,
// removal while mapped, and a half-built store whose creator has ended.
#include <windows.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/file_mapping.hpp"
#include "refipc/managed_mapped_file.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/shared_memory_object.hpp"
#include "refipc/testing/error_of.hpp"

namespace refipc {
namespace {

using refipc_test::error_or_none;

constexpr std::size_t kSize = 64 * 1024;

std::string unique_tag() {
  static std::atomic<unsigned> counter{0};
  return std::to_string(GetCurrentProcessId()) + "_" + std::to_string(std::random_device{}()) +
         "_" + std::to_string(counter++);
}

// A shared memory name or a file path, removed at the end of the test.
struct ShmName {
  std::string name = "refipc_managed_stores_test_" + unique_tag();
  ~ShmName() { shared_memory_object::remove(name.c_str()); }
  const char* c_str() const { return name.c_str(); }
};

struct FilePath {
  std::string name = [] {
    const char* dir = std::getenv("TEST_TMPDIR");
    char temp[MAX_PATH + 1];
    const std::string base =
        dir != nullptr ? std::string(dir) : std::string(temp, GetTempPathA(MAX_PATH + 1, temp));
    return base + "\\refipc_managed_stores_test_" + unique_tag();
  }();
  ~FilePath() { file_mapping::remove(name.c_str()); }
  const char* c_str() const { return name.c_str(); }
};

template <class Segment, class Key>
void creation_modes_and_views(const Key& key) {
  {
    Segment created(create_only, key.c_str(), kSize);
    *created.template construct<int>("answer")() = 42;
    EXPECT_EQ(error_or_none([&] { Segment(create_only, key.c_str(), kSize); }),
              already_exists_error);
    Segment opened(open_only, key.c_str());
    EXPECT_EQ(*opened.template find<int>("answer").first, 42);
    Segment either(open_or_create, key.c_str(), kSize);
    EXPECT_EQ(*either.template find<int>("answer").first, 42);
    EXPECT_EQ(either.get_size(), created.get_size());
  }
  {
    Segment reader(open_read_only, key.c_str());
    EXPECT_EQ(*reader.template find<int>("answer").first, 42);
    EXPECT_EQ(error_or_none([&] { reader.template construct<int>("other")(); }), mode_error);
  }
  {
    Segment copy(open_copy_on_write, key.c_str());
    *copy.template find<int>("answer").first = 7;
    copy.template construct<int>("private")(1);
    Segment shared(open_only, key.c_str());
    EXPECT_EQ(*shared.template find<int>("answer").first, 42);
    EXPECT_EQ(shared.template find<int>("private").first, nullptr);
  }
}

template <class Segment, class Key>
void grow_and_shrink(const Key& key) {
  std::size_t before = 0;
  {
    Segment seg(create_only, key.c_str(), kSize);
    seg.template construct<std::uint64_t>("kept")(0x1122334455667788ull);
    before = seg.get_size();
  }
  ASSERT_TRUE(Segment::grow(key.c_str(), kSize));
  {
    Segment seg(open_only, key.c_str());
    EXPECT_EQ(seg.get_size(), before + kSize);
    EXPECT_EQ(*seg.template find<std::uint64_t>("kept").first, 0x1122334455667788ull);
    EXPECT_NE(seg.allocate(kSize + kSize / 2, std::nothrow), nullptr);
  }
  ASSERT_TRUE(Segment::shrink_to_fit(key.c_str()));
  Segment seg(open_only, key.c_str());
  EXPECT_LT(seg.get_size(), before + kSize);
  EXPECT_EQ(*seg.template find<std::uint64_t>("kept").first, 0x1122334455667788ull);
}

TEST(ManagedSharedMemoryWindowsTest, CreationModesAndViews) {
  creation_modes_and_views<managed_shared_memory>(ShmName());
}

TEST(ManagedSharedMemoryWindowsTest, GrowAndShrinkToFit) {
  grow_and_shrink<managed_shared_memory>(ShmName());
}

TEST(ManagedMappedFileWindowsTest, CreationModesAndViews) {
  creation_modes_and_views<managed_mapped_file>(FilePath());
}

TEST(ManagedMappedFileWindowsTest, GrowAndShrinkToFit) {
  grow_and_shrink<managed_mapped_file>(FilePath());
}

TEST(ManagedSharedMemoryWindowsTest, RemoveWhileMappedFreesTheName) {
  const ShmName name;
  managed_shared_memory seg(create_only, name.c_str(), kSize);
  *seg.construct<int>("x")() = 5;
  EXPECT_TRUE(shared_memory_object::remove(name.c_str()));
  EXPECT_EQ(*seg.find<int>("x").first, 5);
  managed_shared_memory fresh(create_only, name.c_str(), kSize);
  EXPECT_EQ(fresh.find<int>("x").first, nullptr);
}

// A store stamped by a creator that has ended before building the segment:
// the opener says so at once rather than waiting for the timeout.
TEST(ManagedSharedMemoryWindowsTest, HalfBuiltStoreOfAnEndedCreatorIsCorrupted) {
  const ShmName name;
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  PROCESS_INFORMATION child{};
  wchar_t command[] = L"cmd.exe /c exit 0";
  ASSERT_TRUE(CreateProcessW(nullptr, command, nullptr, nullptr, FALSE, CREATE_NO_WINDOW, nullptr,
                             nullptr, &startup, &child));
  // Its handle, kept open to the end, keeps its id from being reused.
  ASSERT_EQ(WaitForSingleObject(child.hProcess, INFINITE), WAIT_OBJECT_0);
  CloseHandle(child.hThread);
  {
    shared_memory_object shm(create_only, name.c_str(), read_write);
    shm.truncate(64);
    const mapped_region region(shm, read_write);
    const std::uint32_t initialising = 1;  // segment_preamble's kInitialising
    const auto pid = static_cast<std::int32_t>(child.dwProcessId);
    std::memcpy(region.get_address(), &initialising, sizeof initialising);
    std::memcpy(static_cast<char*>(region.get_address()) + 4, &pid, sizeof pid);
  }
  EXPECT_EQ(error_or_none([&] { managed_shared_memory(open_only, name.c_str()); }),
            corrupted_error);
  CloseHandle(child.hProcess);
}

}  // namespace
}  // namespace refipc
