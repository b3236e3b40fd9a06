// Conformance tests of basic_managed_xsi_shared_memory: "Using XSI (system V)
// shared memory" under Managed Shared Memory, and the reference entry.
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <utility>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

#ifndef _WIN32

namespace {

constexpr std::size_t kSize = 64 * 1024;

class ManagedXsiSharedMemory : public ipc_test::ConformanceTest {
 protected:
  // A key no concurrent test uses (an existing file and a random id); any
  // segment left for it is removed when the test ends.
  ipc::xsi_key new_key(std::string* path_out = nullptr, std::uint8_t* id_out = nullptr) {
    const std::string path = unique_file_path("key");
    const int fd = open(path.c_str(), O_CREAT | O_WRONLY, 0600);
    EXPECT_GE(fd, 0);
    close(fd);
    std::random_device random;
    const auto id = static_cast<std::uint8_t>(1 + random() % 255);
    const key_t key = ftok(path.c_str(), id);
    at_teardown([key] {
      const int shmid = shmget(key, 0, 0);
      if (shmid >= 0) shmctl(shmid, IPC_RMID, nullptr);
    });
    if (path_out) *path_out = path;
    if (id_out) *id_out = id;
    return ipc::xsi_key(path.c_str(), id);
  }
};

TEST_F(ManagedXsiSharedMemory, CreateOpenAndOpenOrCreate) {
  IPC_SPEC("managed_xsi_shared_memory.create_open");
  IPC_REQUIRE_FEATURE("xsi_shared_memory");
  const ipc::xsi_key key = new_key();
  ipc::managed_xsi_shared_memory creator(ipc::create_only, key, kSize);
  EXPECT_EQ(creator.get_size(), kSize);
  creator.construct<int>("i")(21);
  EXPECT_THROW(ipc::managed_xsi_shared_memory(ipc::create_only, key, kSize),
               ipc::interprocess_exception);
  ipc::managed_xsi_shared_memory opener(ipc::open_only, key);
  ASSERT_NE(opener.find<int>("i").first, nullptr);
  EXPECT_EQ(*opener.find<int>("i").first, 21);
  ipc::managed_xsi_shared_memory either(ipc::open_or_create, key, kSize);
  EXPECT_EQ(*either.find<int>("i").first, 21);
  const ipc::xsi_key fresh = new_key();
  ipc::managed_xsi_shared_memory created(ipc::open_or_create, fresh, kSize);
  EXPECT_EQ(created.find<int>("i").first, nullptr);
  created.construct<int>("i")(1);
  EXPECT_TRUE(created.check_sanity());
}

TEST_F(ManagedXsiSharedMemory, ReadOnlyFindsTheObjects) {
  IPC_SPEC("managed_xsi_shared_memory.read_only");
  IPC_REQUIRE_FEATURE("xsi_shared_memory");
  const ipc::xsi_key key = new_key();
  { ipc::managed_xsi_shared_memory(ipc::create_only, key, kSize).construct<int>("ro")(5); }
  ipc::managed_xsi_shared_memory ro(ipc::open_read_only, key);
  ASSERT_NE(ro.find<int>("ro").first, nullptr);
  EXPECT_EQ(*ro.find<int>("ro").first, 5);
}

TEST_F(ManagedXsiSharedMemory, ShmidAndRemove) {
  IPC_SPEC("managed_xsi_shared_memory.shmid_remove");
  IPC_REQUIRE_FEATURE("xsi_shared_memory");
  const ipc::xsi_key key = new_key();
  int shmid;
  {
    ipc::managed_xsi_shared_memory segment(ipc::create_only, key, kSize);
    shmid = segment.get_shmid();
    EXPECT_EQ(shmget(key.get_key(), 0, 0), shmid);
  }
  EXPECT_TRUE(ipc::managed_xsi_shared_memory::remove(shmid));
  EXPECT_THROW(ipc::managed_xsi_shared_memory(ipc::open_only, key), ipc::interprocess_exception);
}

TEST_F(ManagedXsiSharedMemory, MoveAndSwapTransferTheSegment) {
  IPC_SPEC("managed_xsi_shared_memory.move_swap");
  IPC_REQUIRE_FEATURE("xsi_shared_memory");
  const ipc::xsi_key a_key = new_key();
  const ipc::xsi_key b_key = new_key();
  ipc::managed_xsi_shared_memory a(ipc::create_only, a_key, kSize);
  const int a_id = a.get_shmid();
  int* in_a = a.construct<int>("v")(1);
  ipc::managed_xsi_shared_memory moved(std::move(a));
  EXPECT_EQ(moved.get_shmid(), a_id);
  EXPECT_EQ(moved.find<int>("v").first, in_a);
  ipc::managed_xsi_shared_memory b(ipc::create_only, b_key, kSize);
  b.construct<int>("v")(2);
  moved.swap(b);
  EXPECT_EQ(*moved.find<int>("v").first, 2);
  EXPECT_EQ(b.get_shmid(), a_id);
  ipc::managed_xsi_shared_memory target;
  target = std::move(b);
  EXPECT_EQ(target.find<int>("v").first, in_a);
}

// args: key path, key id. Finds the parent's object and destroys it.
IPC_CHILD_ROLE(mxsi_find_and_destroy) {
  const ipc::xsi_key key(args.at(0).c_str(), static_cast<std::uint8_t>(std::stoi(args.at(1))));
  ipc::managed_xsi_shared_memory segment(ipc::open_only, key);
  auto found = segment.find<double>("shared");
  IPC_CHILD_CHECK(found.first != nullptr && *found.first == 1.5);
  IPC_CHILD_CHECK(segment.destroy<double>("shared"));
}

TEST_F(ManagedXsiSharedMemory, ObjectsAreFoundAndDestroyedByAnotherProcess) {
  IPC_SPEC("managed_xsi_shared_memory.across_processes");
  IPC_REQUIRE_FEATURE("xsi_shared_memory");
  std::string path;
  std::uint8_t id = 0;
  const ipc::xsi_key key = new_key(&path, &id);
  ipc::managed_xsi_shared_memory segment(ipc::create_only, key, kSize);
  segment.construct<double>("shared")(1.5);
  auto child = ipc_test::spawn_role("mxsi_find_and_destroy", {path, std::to_string(id)});
  IPC_ASSERT_CHILD_OK(child.wait());
  EXPECT_EQ(segment.find<double>("shared").first, nullptr);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

TEST_F(ManagedXsiSharedMemory, OpeningWhatIsNotASegmentThrows) {
  IPC_SPEC("managed_xsi_shared_memory.checked_open");
  IPC_REQUIRE_FEATURE("checked_open");
  IPC_REQUIRE_FEATURE("xsi_shared_memory");
  const ipc::xsi_key key = new_key();
  {
    ipc::xsi_shared_memory shm(ipc::create_only, key, kSize);
    ipc::mapped_region region(shm, ipc::read_write);
    std::memset(region.get_address(), 0xa5, region.get_size());
  }
  EXPECT_THROW(ipc::managed_xsi_shared_memory(ipc::open_only, key), ipc::interprocess_exception);
  EXPECT_THROW(ipc::managed_xsi_shared_memory(ipc::open_read_only, key),
               ipc::interprocess_exception);
}

}  // namespace

#endif  // _WIN32
