// Conformance tests of xsi_key and xsi_shared_memory: the manual's "XSI shared
// memory" section and the xsi_key and xsi_shared_memory references.
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
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

namespace {

constexpr const char kFeature[] = "xsi_shared_memory";

class XsiTest : public ipc_test::ConformanceTest {
 protected:
  // An existing file and a random id: a key no concurrent test uses. Any
  // segment left for the key is removed when the test ends.
  struct KeySource {
    std::string path;
    std::uint8_t id;
  };

  KeySource key_source() {
    KeySource source{unique_file_path("key"), 0};
    const int fd = open(source.path.c_str(), O_CREAT | O_WRONLY, 0600);
    EXPECT_GE(fd, 0);
    close(fd);
    std::random_device random;
    source.id = static_cast<std::uint8_t>(1 + random() % 255);
    const key_t key = ftok(source.path.c_str(), source.id);
    at_teardown([key] {
      const int shmid = shmget(key, 0, 0);
      if (shmid >= 0) shmctl(shmid, IPC_RMID, nullptr);
    });
    return source;
  }

  ipc::xsi_key new_key() {
    const KeySource source = key_source();
    return ipc::xsi_key(source.path.c_str(), source.id);
  }

  // Removes the segment when the test ends.
  void remove_at_teardown(int shmid) {
    at_teardown([shmid] { shmctl(shmid, IPC_RMID, nullptr); });
  }

  ipc::xsi_shared_memory create(const ipc::xsi_key& key, std::size_t size) {
    ipc::xsi_shared_memory shm(ipc::create_only, key, size);
    remove_at_teardown(shm.get_shmid());
    return shm;
  }
};

class XsiKey : public XsiTest {};
class XsiSharedMemory : public XsiTest {};
class XsiSharedMemoryMultiProcess : public XsiTest {};

bool segment_exists(key_t key) { return shmget(key, 0, 0) >= 0; }

struct shmid_ds stat_of(int shmid) {
  struct shmid_ds ds {};
  EXPECT_EQ(shmctl(shmid, IPC_STAT, &ds), 0) << "segment " << shmid;
  return ds;
}

unsigned char* bytes_of(const ipc::mapped_region& region) {
  return static_cast<unsigned char*>(region.get_address());
}

template <class Action>
bool throws_interprocess_exception(Action action) {
  try {
    action();
  } catch (const ipc::interprocess_exception&) {
    return true;
  }
  return false;
}

TEST_F(XsiKey, DefaultIsThePrivateKey) {
  IPC_SPEC("xsi_key.default_ctor.private");
  IPC_REQUIRE_FEATURE(kFeature);
  EXPECT_EQ(ipc::xsi_key().get_key(), IPC_PRIVATE);
}

TEST_F(XsiKey, PathAndIdGiveTheFtokKeyInEveryProcess) {
  IPC_SPEC("xsi_key.ctor.from_path_and_id");
  IPC_REQUIRE_FEATURE(kFeature);
  const KeySource source = key_source();
  const key_t expected = ftok(source.path.c_str(), source.id);
  ASSERT_NE(expected, static_cast<key_t>(-1));
  EXPECT_EQ(ipc::xsi_key(source.path.c_str(), source.id).get_key(), expected);
  EXPECT_NE(expected, IPC_PRIVATE);
  IPC_EXPECT_CHILD_OK(ipc_test::fork_child([&] {
                        IPC_CHILD_CHECK(ipc::xsi_key(source.path.c_str(), source.id).get_key() ==
                                        expected);
                      }).wait());
}

TEST_F(XsiKey, DifferentIdsGiveDifferentKeys) {
  IPC_SPEC("xsi_key.ctor.distinct_ids");
  IPC_REQUIRE_FEATURE(kFeature);
  const KeySource source = key_source();
  EXPECT_NE(ipc::xsi_key(source.path.c_str(), 1).get_key(),
            ipc::xsi_key(source.path.c_str(), 2).get_key());
}

TEST_F(XsiKey, MissingPathThrows) {
  IPC_SPEC("xsi_key.ctor.bad_path_throws");
  IPC_REQUIRE_FEATURE(kFeature);
  const std::string missing = unique_file_path("missing");
  EXPECT_TRUE(throws_interprocess_exception([&] { ipc::xsi_key(missing.c_str(), 1); }));
}

TEST_F(XsiSharedMemory, CreateOnlyMakesASegmentOfTheGivenSize) {
  IPC_SPEC("xsi_shared_memory.ctor.create_only", "xsi_shared_memory.map.whole_segment");
  IPC_REQUIRE_FEATURE(kFeature);
  const ipc::xsi_key key = new_key();
  const ipc::xsi_shared_memory shm = create(key, 5000);
  EXPECT_EQ(stat_of(shm.get_shmid()).shm_segsz, 5000u);
  const ipc::mapped_region region(shm, ipc::read_write);
  EXPECT_EQ(region.get_size(), 5000u);
  std::memset(region.get_address(), 9, region.get_size());
}

TEST_F(XsiSharedMemory, CreateOnlyOfAnExistingKeyThrows) {
  IPC_SPEC("xsi_shared_memory.ctor.create_only_exists_throws");
  IPC_REQUIRE_FEATURE(kFeature);
  const ipc::xsi_key key = new_key();
  const ipc::xsi_shared_memory shm = create(key, 100);
  EXPECT_TRUE(
      throws_interprocess_exception([&] { ipc::xsi_shared_memory(ipc::create_only, key, 100); }));
  EXPECT_EQ(shmget(key.get_key(), 0, 0), shm.get_shmid());
}

TEST_F(XsiSharedMemory, CreatedWithTheGivenPermissions) {
  IPC_SPEC("xsi_shared_memory.ctor.permissions");
  IPC_REQUIRE_FEATURE(kFeature);
  for (const int mode : {0600, 0640, 0604}) {
    const ipc::xsi_key key = new_key();
    const ipc::xsi_shared_memory shm(ipc::create_only, key, 100, ipc::permissions(mode));
    remove_at_teardown(shm.get_shmid());
    EXPECT_EQ(stat_of(shm.get_shmid()).shm_perm.mode & 0777, static_cast<unsigned>(mode));
  }
}

TEST_F(XsiSharedMemory, ZeroSizeThrowsAndCreatesNothing) {
  IPC_SPEC("xsi_shared_memory.ctor.zero_size_throws");
  IPC_REQUIRE_FEATURE(kFeature);
  const ipc::xsi_key key = new_key();
  EXPECT_TRUE(
      throws_interprocess_exception([&] { ipc::xsi_shared_memory(ipc::create_only, key, 0); }));
  EXPECT_TRUE(
      throws_interprocess_exception([&] { ipc::xsi_shared_memory(ipc::open_or_create, key, 0); }));
  EXPECT_FALSE(segment_exists(key.get_key()));
}

TEST_F(XsiSharedMemory, OpenOnlyFindsTheSegmentOfTheKey) {
  IPC_SPEC("xsi_shared_memory.ctor.open_only_key");
  IPC_REQUIRE_FEATURE(kFeature);
  const ipc::xsi_key key = new_key();
  const ipc::xsi_shared_memory created = create(key, 100);
  const ipc::xsi_shared_memory opened(ipc::open_only, key);
  EXPECT_EQ(opened.get_shmid(), created.get_shmid());
  const ipc::mapped_region writer(created, ipc::read_write);
  const ipc::mapped_region reader(opened, ipc::read_only);
  bytes_of(writer)[99] = 0x99;
  EXPECT_EQ(bytes_of(reader)[99], 0x99);
}

TEST_F(XsiSharedMemory, OpenOnlyOfAMissingKeyThrows) {
  IPC_SPEC("xsi_shared_memory.ctor.open_only_missing_throws");
  IPC_REQUIRE_FEATURE(kFeature);
  const ipc::xsi_key key = new_key();
  EXPECT_TRUE(throws_interprocess_exception([&] { ipc::xsi_shared_memory(ipc::open_only, key); }));
  EXPECT_FALSE(segment_exists(key.get_key()));
}

TEST_F(XsiSharedMemory, OpenOrCreateCreatesThenOpens) {
  IPC_SPEC("xsi_shared_memory.ctor.open_or_create");
  IPC_REQUIRE_FEATURE(kFeature);
  const ipc::xsi_key key = new_key();
  ASSERT_FALSE(segment_exists(key.get_key()));
  const ipc::xsi_shared_memory created(ipc::open_or_create, key, 300);
  remove_at_teardown(created.get_shmid());
  EXPECT_EQ(stat_of(created.get_shmid()).shm_segsz, 300u);
  const ipc::xsi_shared_memory opened(ipc::open_or_create, key, 300);
  EXPECT_EQ(opened.get_shmid(), created.get_shmid());
}

TEST_F(XsiSharedMemory, OpenOnlyWithAnIdentifierNeedsNoKey) {
  IPC_SPEC("xsi_shared_memory.ctor.open_only_shmid");
  IPC_REQUIRE_FEATURE(kFeature);
  const ipc::xsi_shared_memory created = create(ipc::xsi_key(), 64);
  const ipc::xsi_shared_memory opened(ipc::open_only, created.get_shmid());
  EXPECT_EQ(opened.get_shmid(), created.get_shmid());
  const ipc::mapped_region writer(created, ipc::read_write);
  const ipc::mapped_region reader(opened, ipc::read_only);
  bytes_of(writer)[3] = 0x33;
  EXPECT_EQ(bytes_of(reader)[3], 0x33);
}

TEST_F(XsiSharedMemory, DestroyingTheObjectKeepsTheSegment) {
  IPC_SPEC("xsi_shared_memory.dtor.keeps_segment");
  IPC_REQUIRE_FEATURE(kFeature);
  const ipc::xsi_key key = new_key();
  int shmid = -1;
  {
    const ipc::xsi_shared_memory shm = create(key, 100);
    shmid = shm.get_shmid();
    const ipc::mapped_region region(shm, ipc::read_write);
    bytes_of(region)[50] = 0x50;
  }
  const ipc::xsi_shared_memory reopened(ipc::open_only, key);
  EXPECT_EQ(reopened.get_shmid(), shmid);
  const ipc::mapped_region region(reopened, ipc::read_only);
  EXPECT_EQ(bytes_of(region)[50], 0x50);
}

TEST_F(XsiSharedMemory, RemoveErasesTheSegment) {
  IPC_SPEC("xsi_shared_memory.remove");
  IPC_REQUIRE_FEATURE(kFeature);
  const ipc::xsi_key key = new_key();
  const ipc::xsi_shared_memory shm = create(key, 100);
  EXPECT_TRUE(ipc::xsi_shared_memory::remove(shm.get_shmid()));
  EXPECT_FALSE(segment_exists(key.get_key()));
  EXPECT_TRUE(throws_interprocess_exception([&] { ipc::xsi_shared_memory(ipc::open_only, key); }));
  EXPECT_FALSE(ipc::xsi_shared_memory::remove(shm.get_shmid()));
  EXPECT_FALSE(ipc::xsi_shared_memory::remove(-1));
}

TEST_F(XsiSharedMemory, MoveConstructionTakesOverTheSegment) {
  IPC_SPEC("xsi_shared_memory.move.ctor");
  IPC_REQUIRE_FEATURE(kFeature);
  ipc::xsi_shared_memory source = create(ipc::xsi_key(), 100);
  const int shmid = source.get_shmid();
  const ipc::xsi_shared_memory moved(std::move(source));
  EXPECT_EQ(moved.get_shmid(), shmid);
  EXPECT_NE(source.get_shmid(), shmid);
  EXPECT_TRUE(throws_interprocess_exception([&] { ipc::mapped_region(source, ipc::read_write); }));
  EXPECT_EQ(ipc::mapped_region(moved, ipc::read_write).get_size(), 100u);
}

TEST_F(XsiSharedMemory, MoveAssignmentTakesOverTheSegment) {
  IPC_SPEC("xsi_shared_memory.move.assign");
  IPC_REQUIRE_FEATURE(kFeature);
  ipc::xsi_shared_memory source = create(ipc::xsi_key(), 100);
  ipc::xsi_shared_memory target = create(ipc::xsi_key(), 200);
  const int shmid = source.get_shmid();
  target = std::move(source);
  EXPECT_EQ(target.get_shmid(), shmid);
  EXPECT_NE(source.get_shmid(), shmid);
  EXPECT_TRUE(throws_interprocess_exception([&] { ipc::mapped_region(source, ipc::read_write); }));
  EXPECT_EQ(ipc::mapped_region(target, ipc::read_write).get_size(), 100u);
}

TEST_F(XsiSharedMemory, SwapExchangesSegments) {
  IPC_SPEC("xsi_shared_memory.swap");
  IPC_REQUIRE_FEATURE(kFeature);
  ipc::xsi_shared_memory a = create(ipc::xsi_key(), 100);
  ipc::xsi_shared_memory b = create(ipc::xsi_key(), 200);
  const int a_id = a.get_shmid();
  const int b_id = b.get_shmid();
  a.swap(b);
  EXPECT_EQ(a.get_shmid(), b_id);
  EXPECT_EQ(b.get_shmid(), a_id);
  EXPECT_EQ(ipc::mapped_region(a, ipc::read_write).get_size(), 200u);
}

TEST_F(XsiSharedMemory, RegionsMapTheWholeSegmentAndShareIt) {
  IPC_SPEC("xsi_shared_memory.map.whole_segment");
  IPC_REQUIRE_FEATURE(kFeature);
  const ipc::xsi_shared_memory shm = create(ipc::xsi_key(), 3000);
  const ipc::mapped_region writer(shm, ipc::read_write);
  const ipc::mapped_region reader(shm, ipc::read_only, 0, 3000);
  ASSERT_NE(writer.get_address(), reader.get_address());
  EXPECT_EQ(writer.get_size(), 3000u);
  EXPECT_EQ(reader.get_size(), 3000u);
  EXPECT_EQ(reader.get_mode(), ipc::read_only);
  bytes_of(writer)[2999] = 0x5A;
  EXPECT_EQ(bytes_of(reader)[2999], 0x5A);
}

TEST_F(XsiSharedMemory, PartialSizeThrows) {
  IPC_SPEC("xsi_shared_memory.map.no_partial_mapping");
  IPC_REQUIRE_FEATURE(kFeature);
  const std::size_t page = ipc::mapped_region::get_page_size();
  const ipc::xsi_shared_memory shm = create(ipc::xsi_key(), 2 * page);
  for (const std::size_t size : {std::size_t{1}, page, 2 * page + 1}) {
    EXPECT_TRUE(throws_interprocess_exception([&] {
      ipc::mapped_region(shm, ipc::read_write, 0, size);
    })) << "size "
        << size;
  }
}

TEST_F(XsiSharedMemory, NonZeroOffsetThrows) {
  IPC_SPEC("xsi_shared_memory.map.no_partial_mapping");
  IPC_REQUIRE_FEATURE(kFeature);
  const std::size_t page = ipc::mapped_region::get_page_size();
  const ipc::xsi_shared_memory shm = create(ipc::xsi_key(), 2 * page);
  try {
    const ipc::mapped_region region(shm, ipc::read_write, static_cast<ipc::offset_t>(page));
    ADD_FAILURE() << "mapped from offset " << page << ": get_size() " << region.get_size();
  } catch (const ipc::interprocess_exception&) {
  }
}

TEST_F(XsiSharedMemory, PrivateMappingsThrow) {
  IPC_SPEC("xsi_shared_memory.map.no_copy_on_write");
  IPC_REQUIRE_FEATURE(kFeature);
  const ipc::xsi_shared_memory shm = create(ipc::xsi_key(), 100);
  EXPECT_TRUE(throws_interprocess_exception([&] { ipc::mapped_region(shm, ipc::copy_on_write); }));
  EXPECT_EQ(stat_of(shm.get_shmid()).shm_nattch, 0u);
}

TEST_F(XsiSharedMemory, RequestedAddressIsUsedOrRefused) {
  IPC_SPEC("xsi_shared_memory.map.fixed_address");
  IPC_REQUIRE_FEATURE(kFeature);
  const std::size_t size = 2 * SHMLBA;
  const ipc::xsi_shared_memory shm = create(ipc::xsi_key(), size);
  void* probe = mmap(nullptr, 2 * size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(probe, MAP_FAILED);
  munmap(probe, 2 * size);
  auto* wanted = reinterpret_cast<char*>((reinterpret_cast<std::uintptr_t>(probe) + SHMLBA - 1) /
                                         SHMLBA * SHMLBA);
  const ipc::mapped_region region(shm, ipc::read_write, 0, 0, wanted);
  EXPECT_EQ(region.get_address(), wanted);
  try {
    const ipc::mapped_region busy(shm, ipc::read_write, 0, 0, wanted);
    EXPECT_EQ(busy.get_address(), wanted);
  } catch (const ipc::interprocess_exception&) {
    // Refusing is allowed.
  }
  bytes_of(region)[0] = 1;
  EXPECT_EQ(bytes_of(region)[0], 1);
}

// Child of ChildOpensTheSegmentByKey: opens by key (and by identifier), checks
// the parent's bytes and answers.
IPC_CHILD_ROLE(xsi_shared_memory_opener) {
  const ipc::xsi_key key(args.at(0).c_str(), static_cast<std::uint8_t>(std::stoi(args.at(1))));
  const ipc::xsi_shared_memory shm(ipc::open_only, key);
  IPC_CHILD_CHECK(shm.get_shmid() == std::stoi(args.at(2)));
  const ipc::mapped_region region(shm, ipc::read_write);
  auto* bytes = static_cast<unsigned char*>(region.get_address());
  for (std::size_t i = 0; i < 1000; ++i) IPC_CHILD_CHECK_MSG(bytes[i] == 1, "byte " << i);
  const ipc::xsi_shared_memory by_id(ipc::open_only, shm.get_shmid());
  const ipc::mapped_region second(by_id, ipc::read_write);
  static_cast<unsigned char*>(second.get_address())[1000] = 2;
}

TEST_F(XsiSharedMemoryMultiProcess, ChildOpensTheSegmentByKey) {
  IPC_SPEC("xsi_shared_memory.multi_process.open_by_key", "xsi_shared_memory.ctor.open_only_shmid");
  IPC_REQUIRE_FEATURE(kFeature);
  const KeySource source = key_source();
  const ipc::xsi_shared_memory shm = create(ipc::xsi_key(source.path.c_str(), source.id), 1001);
  const ipc::mapped_region region(shm, ipc::read_write);
  std::memset(region.get_address(), 1, 1000);
  IPC_ASSERT_CHILD_OK(ipc_test::spawn_role(
                          "xsi_shared_memory_opener",
                          {source.path, std::to_string(source.id), std::to_string(shm.get_shmid())})
                          .wait());
  EXPECT_EQ(bytes_of(region)[1000], 2);
}

TEST_F(XsiSharedMemoryMultiProcess, SegmentOutlivesTheProcessThatCreatedIt) {
  IPC_SPEC("xsi_shared_memory.dtor.keeps_segment");
  IPC_REQUIRE_FEATURE(kFeature);
  const ipc::xsi_key key = new_key();
  IPC_ASSERT_CHILD_OK(ipc_test::fork_child([&] {
                        const ipc::xsi_shared_memory shm(ipc::create_only, key, 100);
                        const ipc::mapped_region region(shm, ipc::read_write);
                        static_cast<unsigned char*>(region.get_address())[42] = 0x42;
                      }).wait());
  const ipc::xsi_shared_memory shm(ipc::open_only, key);
  const ipc::mapped_region region(shm, ipc::read_only);
  EXPECT_EQ(bytes_of(region)[42], 0x42);
}

}  // namespace
