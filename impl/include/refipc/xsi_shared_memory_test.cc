#include "refipc/xsi_shared_memory.hpp"

#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/testing/error_of.hpp"

namespace refipc {
namespace {

using refipc_test::error_of;

// A key from a fresh file and a random id, so that concurrent tests never
// share one; the file is removed when the guard goes out of scope.
class UniqueKey {
 public:
  UniqueKey() {
    const char* dir = std::getenv("TEST_TMPDIR");
    std::random_device random;
    path_ = std::string(dir != nullptr ? dir : "/tmp") + "/refipc_xsi_" + std::to_string(random());
    close(open(path_.c_str(), O_CREAT | O_WRONLY, 0600));
    key_ = xsi_key(path_.c_str(), static_cast<std::uint8_t>(1 + random() % 255));
  }
  UniqueKey(const UniqueKey&) = delete;
  UniqueKey& operator=(const UniqueKey&) = delete;
  ~UniqueKey() { unlink(path_.c_str()); }

  const xsi_key& key() const { return key_; }

 private:
  std::string path_;
  xsi_key key_;
};

// Removes the segment when the guard goes out of scope.
class Remover {
 public:
  explicit Remover(int shmid) : shmid_(shmid) {}
  Remover(const Remover&) = delete;
  Remover& operator=(const Remover&) = delete;
  ~Remover() { shmctl(shmid_, IPC_RMID, nullptr); }

 private:
  int shmid_;
};

struct shmid_ds stat_of(int shmid) {
  struct shmid_ds ds {};
  EXPECT_EQ(shmctl(shmid, IPC_STAT, &ds), 0);
  return ds;
}

bool key_exists(const xsi_key& key) { return shmget(key.get_key(), 0, 0) >= 0; }

TEST(XsiSharedMemoryTest, DefaultConstructedIsEmpty) {
  const xsi_shared_memory shm;
  EXPECT_EQ(shm.get_shmid(), -1);
  EXPECT_EQ(shm.get_mapping_handle().handle, -1);
  EXPECT_TRUE(shm.get_mapping_handle().is_xsi);
}

TEST(XsiSharedMemoryTest, CreateGivesSizeAndExactPermissions) {
  const UniqueKey key;
  const ::mode_t old_umask = umask(077);
  const xsi_shared_memory shm(create_only, key.key(), 5000, 0640);
  umask(old_umask);
  const Remover remover(shm.get_shmid());
  const struct shmid_ds ds = stat_of(shm.get_shmid());
  EXPECT_EQ(ds.shm_segsz, 5000u);
  EXPECT_EQ(ds.shm_perm.mode & 0777, 0640u);
  EXPECT_EQ(ds.shm_perm.__key, key.key().get_key());
  EXPECT_EQ(error_of([&] { xsi_shared_memory(create_only, key.key(), 5000); }),
            already_exists_error);
}

TEST(XsiSharedMemoryTest, OpenFindsTheSegmentByKeyAndId) {
  const UniqueKey key;
  const xsi_shared_memory created(create_only, key.key(), 100);
  const Remover remover(created.get_shmid());
  EXPECT_EQ(xsi_shared_memory(open_only, key.key()).get_shmid(), created.get_shmid());
  EXPECT_EQ(xsi_shared_memory(open_or_create, key.key(), 50).get_shmid(), created.get_shmid());
  EXPECT_EQ(xsi_shared_memory(open_only, created.get_shmid()).get_shmid(), created.get_shmid());
  EXPECT_EQ(error_of([&] { xsi_shared_memory(open_or_create, key.key(), 101); }), size_error);
}

TEST(XsiSharedMemoryTest, OpenOrCreateCreatesWhenMissing) {
  const UniqueKey key;
  ASSERT_FALSE(key_exists(key.key()));
  const xsi_shared_memory shm(open_or_create, key.key(), 300, 0600);
  const Remover remover(shm.get_shmid());
  EXPECT_EQ(stat_of(shm.get_shmid()).shm_segsz, 300u);
  EXPECT_EQ(stat_of(shm.get_shmid()).shm_perm.mode & 0777, 0600u);
}

TEST(XsiSharedMemoryTest, BadArgumentsThrowAndCreateNothing) {
  const UniqueKey key;
  EXPECT_EQ(error_of([&] { xsi_shared_memory(open_only, key.key()); }), not_found_error);
  EXPECT_EQ(error_of([&] { xsi_shared_memory(create_only, key.key(), 0); }), invalid_argument);
  EXPECT_EQ(error_of([&] { xsi_shared_memory(open_or_create, key.key(), 0); }), invalid_argument);
  EXPECT_FALSE(key_exists(key.key()));
  EXPECT_EQ(error_of([] { xsi_shared_memory(open_only, xsi_key()); }), invalid_argument);
  EXPECT_EQ(error_of([] { xsi_shared_memory(open_only, -1); }), invalid_argument);
}

TEST(XsiSharedMemoryTest, PrivateKeyCreatesDistinctSegments) {
  const xsi_shared_memory a(create_only, xsi_key(), 10);
  const Remover remove_a(a.get_shmid());
  const xsi_shared_memory b(create_only, xsi_key(), 10);
  const Remover remove_b(b.get_shmid());
  EXPECT_NE(a.get_shmid(), b.get_shmid());
}

TEST(XsiSharedMemoryTest, MappedWholeAndShared) {
  const xsi_shared_memory shm(create_only, xsi_key(), 3000);
  const Remover remover(shm.get_shmid());
  const mapped_region writer(shm, read_write);
  const mapped_region reader(shm, read_only, 0, 3000);
  ASSERT_NE(writer.get_address(), reader.get_address());
  EXPECT_EQ(writer.get_size(), 3000u);
  EXPECT_EQ(reader.get_size(), 3000u);
  EXPECT_EQ(reader.get_mode(), read_only);
  auto* bytes = static_cast<unsigned char*>(writer.get_address());
  EXPECT_EQ(bytes[2999], 0);
  bytes[2999] = 0x5A;
  EXPECT_EQ(static_cast<const unsigned char*>(reader.get_address())[2999], 0x5A);
  EXPECT_EQ(stat_of(shm.get_shmid()).shm_nattch, 2u);
}

TEST(XsiSharedMemoryTest, RegionDetachesOnDestructionAndMove) {
  const xsi_shared_memory shm(create_only, xsi_key(), 100);
  const Remover remover(shm.get_shmid());
  {
    mapped_region region(shm, read_write);
    mapped_region moved(std::move(region));
    EXPECT_EQ(region.get_address(), nullptr);
    EXPECT_EQ(stat_of(shm.get_shmid()).shm_nattch, 1u);
  }
  EXPECT_EQ(stat_of(shm.get_shmid()).shm_nattch, 0u);
}

TEST(XsiSharedMemoryTest, PartialOrPrivateMappingsAreRejected) {
  const xsi_shared_memory shm(create_only, xsi_key(), 2 * mapped_region::get_page_size());
  const Remover remover(shm.get_shmid());
  EXPECT_EQ(error_of([&] { mapped_region(shm, copy_on_write); }), mode_error);
  EXPECT_EQ(error_of([&] { mapped_region(shm, read_private); }), mode_error);
  EXPECT_EQ(error_of([&] { mapped_region(shm, invalid_mode); }), mode_error);
  EXPECT_EQ(error_of([&] { mapped_region(shm, read_write, 4096); }), invalid_argument);
  EXPECT_EQ(error_of([&] { mapped_region(shm, read_write, 0, 10); }), size_error);
  EXPECT_EQ(stat_of(shm.get_shmid()).shm_nattch, 0u);
}

TEST(XsiSharedMemoryTest, FixedAddressIsUsedOrRejected) {
  const std::size_t size = 2 * SHMLBA;
  const xsi_shared_memory shm(create_only, xsi_key(), size);
  const Remover remover(shm.get_shmid());
  void* probe = mmap(nullptr, 2 * size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(probe, MAP_FAILED);
  munmap(probe, 2 * size);
  const auto aligned = (reinterpret_cast<std::uintptr_t>(probe) + SHMLBA - 1) / SHMLBA * SHMLBA;
  auto* wanted = reinterpret_cast<char*>(aligned);
  const mapped_region region(shm, read_write, 0, 0, wanted);
  EXPECT_EQ(region.get_address(), wanted);
  EXPECT_EQ(error_of([&] { mapped_region(shm, read_write, 0, 0, wanted); }), busy_error);
  EXPECT_EQ(error_of([&] { mapped_region(shm, read_write, 0, 0, wanted + 1); }), invalid_argument);
}

TEST(XsiSharedMemoryTest, ForkedChildWritesAreSeenByTheParent) {
  const xsi_shared_memory shm(create_only, xsi_key(), sizeof(int));
  const Remover remover(shm.get_shmid());
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    try {
      const mapped_region region(xsi_shared_memory(open_only, shm.get_shmid()), read_write);
      *static_cast<int*>(region.get_address()) = 77;
    } catch (...) {
      _exit(1);
    }
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  const mapped_region region(shm, read_only);
  EXPECT_EQ(*static_cast<const int*>(region.get_address()), 77);
}

TEST(XsiSharedMemoryTest, RemoveDeletesTheSegment) {
  const UniqueKey key;
  xsi_shared_memory shm(create_only, key.key(), 100);
  mapped_region region(shm, read_write);
  EXPECT_TRUE(xsi_shared_memory::remove(shm.get_shmid()));
  EXPECT_FALSE(key_exists(key.key()));
  static_cast<char*>(region.get_address())[0] = 1;
  EXPECT_FALSE(xsi_shared_memory::remove(-1));
}

TEST(XsiSharedMemoryTest, MoveAndSwapTransferTheId) {
  const xsi_shared_memory a(create_only, xsi_key(), 10);
  const Remover remover(a.get_shmid());
  xsi_shared_memory first(open_only, a.get_shmid());
  xsi_shared_memory moved(std::move(first));
  EXPECT_EQ(moved.get_shmid(), a.get_shmid());
  EXPECT_EQ(first.get_shmid(), -1);
  moved.swap(first);
  EXPECT_EQ(first.get_shmid(), a.get_shmid());
  EXPECT_EQ(moved.get_shmid(), -1);
  moved = std::move(first);
  EXPECT_EQ(moved.get_shmid(), a.get_shmid());
}

}  // namespace
}  // namespace refipc
