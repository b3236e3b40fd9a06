// Conformance tests of basic_managed_windows_shared_memory: "Using native
// windows shared memory" under Managed Shared Memory, and the reference entry.
//
// The class exists only on Windows. Each test first checks the optional
// feature windows_shared_memory, so that elsewhere it reports UNSUPPORTED;
// its body is compiled on Windows only, and an adapter that claims the
// feature on another platform fails.
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

constexpr const char kFeature[] = "windows_shared_memory";

class ManagedWindowsSharedMemory : public ipc_test::ConformanceTest {
 protected:
  // The segment disappears with its last handle: nothing to remove.
  std::string unique_segment_name(const std::string& tag = "") {
    return unique_resource([](const std::string&) {}, tag);
  }
};
class ManagedWindowsSharedMemoryMultiProcess : public ManagedWindowsSharedMemory {};

#ifdef _WIN32

using segment = ipc::managed_windows_shared_memory;
constexpr std::size_t kSize = 64 * 1024;

template <class Action>
bool throws_interprocess_exception(Action action) {
  try {
    action();
  } catch (const ipc::interprocess_exception&) {
    return true;
  }
  return false;
}

// Opens the segment args[0], checks the int "shared" the parent built
// (args[1]), destroys it and leaves one of its own, "answer", for the parent.
IPC_CHILD_ROLE(managed_windows_shared_memory_peer) {
  segment seg(ipc::open_only, args.at(0).c_str());
  const auto found = seg.find<int>("shared");
  IPC_CHILD_CHECK(found.first != nullptr);
  IPC_CHILD_CHECK_MSG(*found.first == std::stoi(args.at(1)), "found " << *found.first);
  IPC_CHILD_CHECK(seg.destroy<int>("shared"));
  seg.construct<int>("answer")(*found.first + 1);
}

// Variadic: commas outside parentheses would split a plain argument.
#define IPC_WINDOWS_ONLY(...) __VA_ARGS__
#else
#define IPC_WINDOWS_ONLY(...) \
  ADD_FAILURE() << "the adapter claims windows_shared_memory on a platform that is not Windows"
#endif

TEST_F(ManagedWindowsSharedMemory, CreateOpenAndOpenOrCreate) {
  IPC_SPEC("managed_windows_shared_memory.create_open");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name = unique_segment_name();
    EXPECT_TRUE(throws_interprocess_exception([&] { segment(ipc::open_only, name.c_str()); }));
    segment creator(ipc::create_only, name.c_str(), kSize);
    EXPECT_GE(creator.get_size(), kSize);
    creator.construct<int>("i")(21);
    EXPECT_TRUE(
        throws_interprocess_exception([&] { segment(ipc::create_only, name.c_str(), kSize); }));
    segment opener(ipc::open_only, name.c_str());
    ASSERT_NE(opener.find<int>("i").first, nullptr);
    EXPECT_EQ(*opener.find<int>("i").first, 21);
    segment either(ipc::open_or_create, name.c_str(), kSize);
    EXPECT_EQ(*either.find<int>("i").first, 21);
    const std::string fresh = unique_segment_name("fresh");
    segment created(ipc::open_or_create, fresh.c_str(), kSize);
    EXPECT_EQ(created.find<int>("i").first, nullptr);
    EXPECT_TRUE(created.check_sanity());
  });
}

TEST_F(ManagedWindowsSharedMemory, HasTheInterfaceOfManagedSharedMemory) {
  IPC_SPEC("managed_windows_shared_memory.same_interface");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name = unique_segment_name();
    segment a(ipc::create_only, name.c_str(), kSize);
    segment b(ipc::open_only, name.c_str());
    const std::size_t free_before = a.get_free_memory();
    double* array = a.construct<double>("array")[4](0.5);
    const auto found = b.find<double>("array");
    ASSERT_NE(found.first, nullptr);
    EXPECT_EQ(found.second, 4u);
    EXPECT_EQ(found.first[3], 0.5);
    EXPECT_EQ(b.get_num_named_objects(), 1u);
    void* raw = b.allocate(256);
    std::memset(raw, 0x33, 256);
    const auto handle = b.get_handle_from_address(raw);
    auto* seen = static_cast<unsigned char*>(a.get_address_from_handle(handle));
    EXPECT_EQ(seen[255], 0x33);
    a.deallocate(seen);
    EXPECT_TRUE(b.destroy<double>("array"));
    EXPECT_EQ(a.find<double>("array").first, nullptr);
    EXPECT_EQ(a.get_free_memory(), free_before);
    EXPECT_TRUE(a.all_memory_deallocated());
    (void)array;
  });
}

TEST_F(ManagedWindowsSharedMemory, ReadOnlyFindsTheObjects) {
  IPC_SPEC("managed_windows_shared_memory.read_only");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name = unique_segment_name();
    segment writer(ipc::create_only, name.c_str(), kSize);
    *writer.construct<int>("ro")() = 5;
    segment reader(ipc::open_read_only, name.c_str());
    const auto found = reader.find<int>("ro");
    ASSERT_NE(found.first, nullptr);
    EXPECT_EQ(*found.first, 5);
    *writer.find<int>("ro").first = 6;
    EXPECT_EQ(*found.first, 6);
  });
}

TEST_F(ManagedWindowsSharedMemory, CopyOnWriteChangesStayPrivate) {
  IPC_SPEC("managed_windows_shared_memory.copy_on_write");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name = unique_segment_name();
    segment shared(ipc::create_only, name.c_str(), kSize);
    *shared.construct<int>("value")() = 1;
    segment private_copy(ipc::open_copy_on_write, name.c_str());
    int* mine = private_copy.find<int>("value").first;
    ASSERT_NE(mine, nullptr);
    *mine = 2;
    private_copy.construct<int>("private_only")(3);
    EXPECT_EQ(*shared.find<int>("value").first, 1);
    EXPECT_EQ(shared.find<int>("private_only").first, nullptr);
    segment later(ipc::open_only, name.c_str());
    EXPECT_EQ(*later.find<int>("value").first, 1);
    EXPECT_EQ(later.find<int>("private_only").first, nullptr);
  });
}

TEST_F(ManagedWindowsSharedMemory, DestroyedWithTheLastConnection) {
  IPC_SPEC("managed_windows_shared_memory.no_persistence");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name = unique_segment_name();
    {
      segment first(ipc::create_only, name.c_str(), kSize);
      first.construct<int>("kept")(1);
      { const segment second(ipc::open_only, name.c_str()); }
      const segment third(ipc::open_only, name.c_str());  // `first` keeps it
    }
    EXPECT_TRUE(throws_interprocess_exception([&] { segment(ipc::open_only, name.c_str()); }));
    segment fresh(ipc::create_only, name.c_str(), kSize);
    EXPECT_EQ(fresh.find<int>("kept").first, nullptr);
  });
}

TEST_F(ManagedWindowsSharedMemory, MoveAndSwapTransferTheSegment) {
  IPC_SPEC("managed_windows_shared_memory.move_swap");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name_a = unique_segment_name("a");
    const std::string name_b = unique_segment_name("b");
    segment a(ipc::create_only, name_a.c_str(), kSize);
    segment b(ipc::create_only, name_b.c_str(), kSize);
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
    EXPECT_EQ(moved.get_segment_manager(), nullptr);
    EXPECT_NE(assigned.find<int>("in_b").first, nullptr);
  });
}

TEST_F(ManagedWindowsSharedMemoryMultiProcess, ObjectsPassBetweenProcesses) {
  IPC_SPEC("managed_windows_shared_memory.across_processes");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name = unique_segment_name();
    segment seg(ipc::create_only, name.c_str(), kSize);
    seg.construct<int>("shared")(41);
    IPC_ASSERT_CHILD_OK(
        ipc_test::spawn_role("managed_windows_shared_memory_peer", {name, "41"}).wait());
    EXPECT_EQ(seg.find<int>("shared").first, nullptr);
    const auto answer = seg.find<int>("answer");
    ASSERT_NE(answer.first, nullptr);
    EXPECT_EQ(*answer.first, 42);
  });
}

}  // namespace
