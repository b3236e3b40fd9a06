// Conformance tests of windows_shared_memory: the manual's "Native windows
// shared memory" section and the windows_shared_memory reference.
//
// The class exists only on Windows. Each test first checks the optional
// feature, so that elsewhere it reports UNSUPPORTED; its body is compiled on
// Windows only, and an adapter that claims the feature on another platform
// fails.
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

constexpr const char kFeature[] = "windows_shared_memory";

class WindowsSharedMemory : public ipc_test::ConformanceTest {
 protected:
  // Windows shared memory disappears with its last handle: nothing to remove.
  std::string unique_segment_name() {
    return unique_resource([](const std::string&) {});
  }
};
class WindowsSharedMemoryMultiProcess : public WindowsSharedMemory {};

#ifdef _WIN32

template <class Action>
bool throws_interprocess_exception(Action action) {
  try {
    action();
  } catch (const ipc::interprocess_exception&) {
    return true;
  }
  return false;
}

unsigned char* bytes_of(const ipc::mapped_region& region) {
  return static_cast<unsigned char*>(region.get_address());
}

// Variadic: commas outside parentheses would split a plain argument.
#define IPC_WINDOWS_ONLY(...) __VA_ARGS__
#else
#define IPC_WINDOWS_ONLY(...) \
  ADD_FAILURE() << "the adapter claims windows_shared_memory on a platform that is not Windows"
#endif

TEST_F(WindowsSharedMemory, DefaultConstructedRepresentsNothing) {
  IPC_SPEC("windows_shared_memory.default_ctor.empty");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const ipc::windows_shared_memory shm;
    EXPECT_TRUE(throws_interprocess_exception([&] { ipc::mapped_region(shm, ipc::read_only); }));
  });
}

TEST_F(WindowsSharedMemory, CreateOnlyFixesNameModeAndSize) {
  IPC_SPEC("windows_shared_memory.ctor.create_only", "windows_shared_memory.map");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name = unique_segment_name();
    const ipc::windows_shared_memory shm(ipc::create_only, name.c_str(), ipc::read_write, 1000);
    EXPECT_STREQ(shm.get_name(), name.c_str());
    EXPECT_EQ(shm.get_mode(), ipc::read_write);
    const ipc::mapped_region region(shm, ipc::read_write, 0, 1000);
    std::memset(region.get_address(), 1, 1000);
    const ipc::mapped_region second(shm, ipc::read_only, 0, 1000);
    EXPECT_EQ(bytes_of(second)[999], 1);
  });
}

TEST_F(WindowsSharedMemory, CreateOnlyOfAnExistingNameThrows) {
  IPC_SPEC("windows_shared_memory.ctor.create_only_exists_throws");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name = unique_segment_name();
    const ipc::windows_shared_memory shm(ipc::create_only, name.c_str(), ipc::read_write, 100);
    EXPECT_TRUE(throws_interprocess_exception(
        [&] { ipc::windows_shared_memory(ipc::create_only, name.c_str(), ipc::read_write, 100); }));
  });
}

TEST_F(WindowsSharedMemory, OpenOrCreateCreatesThenOpens) {
  IPC_SPEC("windows_shared_memory.ctor.open_or_create");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name = unique_segment_name();
    const ipc::windows_shared_memory created(ipc::open_or_create, name.c_str(), ipc::read_write,
                                             100);
    const ipc::windows_shared_memory opened(ipc::open_or_create, name.c_str(), ipc::read_write,
                                            100);
    const ipc::mapped_region writer(created, ipc::read_write, 0, 100);
    const ipc::mapped_region reader(opened, ipc::read_write, 0, 100);
    bytes_of(writer)[7] = 7;
    EXPECT_EQ(bytes_of(reader)[7], 7);
  });
}

TEST_F(WindowsSharedMemory, OpenOnlyOpensOrThrows) {
  IPC_SPEC("windows_shared_memory.ctor.open_only");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name = unique_segment_name();
    EXPECT_TRUE(throws_interprocess_exception(
        [&] { ipc::windows_shared_memory(ipc::open_only, name.c_str(), ipc::read_only); }));
    const ipc::windows_shared_memory created(ipc::create_only, name.c_str(), ipc::read_write, 100);
    const ipc::windows_shared_memory opened(ipc::open_only, name.c_str(), ipc::read_only);
    EXPECT_EQ(opened.get_mode(), ipc::read_only);
    const ipc::mapped_region writer(created, ipc::read_write, 0, 100);
    const ipc::mapped_region reader(opened, ipc::read_only, 0, 100);
    bytes_of(writer)[1] = 0x11;
    EXPECT_EQ(bytes_of(reader)[1], 0x11);
  });
}

TEST_F(WindowsSharedMemory, DestroyedWithTheLastHandleAndRegion) {
  IPC_SPEC("windows_shared_memory.lifetime.no_persistence");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name = unique_segment_name();
    {
      // Windows forgets the name once no handle is open (a region alone keeps
      // the memory, not the name): a second handle keeps the name for reader.
      const ipc::windows_shared_memory reopened(ipc::open_or_create, name.c_str(), ipc::read_write,
                                                100);
      const ipc::mapped_region reader(reopened, ipc::read_only, 0, 100);
      ipc::mapped_region region;
      {
        const ipc::windows_shared_memory shm(ipc::open_only, name.c_str(), ipc::read_write);
        region = ipc::mapped_region(shm, ipc::read_write, 0, 100);
      }
      bytes_of(region)[0] = 1;
      EXPECT_EQ(bytes_of(reader)[0], 1);
    }
    EXPECT_TRUE(throws_interprocess_exception(
        [&] { ipc::windows_shared_memory(ipc::open_only, name.c_str(), ipc::read_only); }));
  });
}

TEST_F(WindowsSharedMemory, MoveAndSwapTransferTheSharedMemory) {
  IPC_SPEC("windows_shared_memory.move");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string first = unique_segment_name();
    const std::string second = unique_segment_name();
    ipc::windows_shared_memory source(ipc::create_only, first.c_str(), ipc::read_write, 100);
    ipc::windows_shared_memory moved(std::move(source));
    EXPECT_STREQ(moved.get_name(), first.c_str());
    EXPECT_TRUE(throws_interprocess_exception([&] { ipc::mapped_region(source, ipc::read_only); }));
    ipc::windows_shared_memory other(ipc::create_only, second.c_str(), ipc::read_write, 100);
    moved.swap(other);
    EXPECT_STREQ(moved.get_name(), second.c_str());
    EXPECT_STREQ(other.get_name(), first.c_str());
    source = std::move(other);
    EXPECT_STREQ(source.get_name(), first.c_str());
  });
}

#ifdef _WIN32
// Child of ChildSeesTheParentsMemory: opens by name while the parent holds it.
IPC_CHILD_ROLE(windows_shared_memory_reader) {
  const ipc::windows_shared_memory shm(ipc::open_only, args.at(0).c_str(), ipc::read_write);
  const ipc::mapped_region region(shm, ipc::read_write, 0, 1000);
  auto* bytes = static_cast<unsigned char*>(region.get_address());
  for (std::size_t i = 0; i < 999; ++i) IPC_CHILD_CHECK_MSG(bytes[i] == 1, "byte " << i);
  bytes[999] = 2;
}
#endif

TEST_F(WindowsSharedMemoryMultiProcess, ChildSeesTheParentsMemory) {
  IPC_SPEC("windows_shared_memory.map");
  IPC_REQUIRE_FEATURE(kFeature);
  IPC_WINDOWS_ONLY({
    const std::string name = unique_segment_name();
    const ipc::windows_shared_memory shm(ipc::create_only, name.c_str(), ipc::read_write, 1000);
    const ipc::mapped_region region(shm, ipc::read_write, 0, 1000);
    std::memset(region.get_address(), 1, 999);
    IPC_ASSERT_CHILD_OK(ipc_test::spawn_role("windows_shared_memory_reader", {name}).wait());
    EXPECT_EQ(bytes_of(region)[999], 2);
  });
}

}  // namespace
