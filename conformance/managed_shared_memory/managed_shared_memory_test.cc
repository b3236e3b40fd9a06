// Conformance tests of basic_managed_shared_memory in one process: creation
// modes, lifetime, offline growth, and the services of managed segments
// ("Managed Memory Segments" and the reference entries).
// The tests of space reservation and permissions read /dev/shm: POSIX only
// (refipc on Windows claims neither feature, so they are UNSUPPORTED there).
#ifndef _WIN32
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#endif

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

constexpr std::size_t kSize = 64 * 1024;

class ManagedSharedMemory : public ipc_test::ConformanceTest {
 protected:
  std::string name(const std::string& tag = "") {
    return unique_resource(
        [](const std::string& n) { ipc::shared_memory_object::remove(n.c_str()); }, tag);
  }
};

// The error code of what `op` throws (no_error when it throws nothing).
template <class Op>
ipc::error_code_t code_of(Op op) {
  try {
    op();
  } catch (const ipc::interprocess_exception& e) {
    return e.get_error_code();
  }
  return ipc::no_error;
}

TEST_F(ManagedSharedMemory, TypedefsNameCharWideAndFixedSegments) {
  IPC_SPEC("managed_shared_memory.typedefs");
  EXPECT_TRUE((std::is_same_v<ipc::managed_shared_memory::char_type, char>));
  EXPECT_TRUE((std::is_same_v<ipc::wmanaged_shared_memory::char_type, wchar_t>));
  EXPECT_TRUE((std::is_same_v<ipc::fixed_managed_shared_memory::char_type, char>));
  EXPECT_TRUE((std::is_same_v<ipc::wfixed_managed_shared_memory::char_type, wchar_t>));
  EXPECT_TRUE((std::is_same_v<ipc::managed_shared_memory::segment_manager::void_pointer,
                              ipc::offset_ptr<void>>));
  EXPECT_TRUE(
      (std::is_same_v<ipc::fixed_managed_shared_memory::segment_manager::void_pointer, void*>));
  EXPECT_TRUE((
      std::is_same_v<ipc::managed_shared_memory,
                     ipc::basic_managed_shared_memory<char, ipc::rbtree_best_fit<ipc::mutex_family>,
                                                      ipc::iset_index>>));
  const std::string n = name();
  ipc::wmanaged_shared_memory wide(ipc::create_only, n.c_str(), kSize);
  int* i = wide.construct<int>(L"wide name")(5);
  EXPECT_EQ(wide.find<int>(L"wide name").first, i);
}

TEST_F(ManagedSharedMemory, CreateOnlyCreatesASegmentOfTheRequestedSize) {
  IPC_SPEC("managed_shared_memory.create_only");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  EXPECT_EQ(segment.get_size(), kSize);
  EXPECT_NE(segment.get_address(), nullptr);
  int* i = segment.construct<int>("i")(3);
  EXPECT_TRUE(segment.belongs_to_segment(i));
  EXPECT_THROW(ipc::managed_shared_memory(ipc::create_only, n.c_str(), kSize),
               ipc::interprocess_exception);
  EXPECT_EQ(*segment.find<int>("i").first, 3);
}

TEST_F(ManagedSharedMemory, OpenOnlySeesTheObjectsAndMissingNamesThrow) {
  IPC_SPEC("managed_shared_memory.open_only");
  const std::string n = name();
  ipc::managed_shared_memory creator(ipc::create_only, n.c_str(), kSize);
  creator.construct<double>("pi")(3.25);
  ipc::managed_shared_memory opener(ipc::open_only, n.c_str());
  EXPECT_EQ(opener.get_size(), kSize);
  ASSERT_NE(opener.find<double>("pi").first, nullptr);
  EXPECT_EQ(*opener.find<double>("pi").first, 3.25);
  opener.construct<int>("from opener")(9);
  EXPECT_EQ(*creator.find<int>("from opener").first, 9);
  const std::string missing = name("missing");
  EXPECT_THROW(ipc::managed_shared_memory(ipc::open_only, missing.c_str()),
               ipc::interprocess_exception);
}

TEST_F(ManagedSharedMemory, OpenOrCreateCreatesThenOpensIgnoringTheSize) {
  IPC_SPEC("managed_shared_memory.open_or_create");
  const std::string n = name();
  ipc::managed_shared_memory first(ipc::open_or_create, n.c_str(), kSize);
  EXPECT_EQ(first.get_size(), kSize);
  first.construct<int>("x")(1);
  ipc::managed_shared_memory second(ipc::open_or_create, n.c_str(), 2 * kSize);
  EXPECT_EQ(second.get_size(), kSize);
  EXPECT_EQ(*second.find<int>("x").first, 1);
}

TEST_F(ManagedSharedMemory, ObjectsOutliveTheMappingUntilRemoved) {
  IPC_SPEC("managed_shared_memory.lifetime");
  const std::string n = name();
  { ipc::managed_shared_memory(ipc::create_only, n.c_str(), kSize).construct<int>("kept")(77); }
  {
    ipc::managed_shared_memory again(ipc::open_only, n.c_str());
    ASSERT_NE(again.find<int>("kept").first, nullptr);
    EXPECT_EQ(*again.find<int>("kept").first, 77);
  }
  EXPECT_TRUE(ipc::shared_memory_object::remove(n.c_str()));
  EXPECT_THROW(ipc::managed_shared_memory(ipc::open_only, n.c_str()), ipc::interprocess_exception);
}

// The address of a segment just unmapped is free again: map a fixed segment
// there, and open it there once more.
TEST_F(ManagedSharedMemory, RequestedAddressPlacesTheSegment) {
  IPC_SPEC("managed_shared_memory.address");
  const std::string probe = name("probe");
  void* addr;
  {
    ipc::managed_shared_memory free_space(ipc::create_only, probe.c_str(), 4 * kSize);
    addr = free_space.get_address();
  }
  const std::string n = name();
  {
    ipc::fixed_managed_shared_memory segment(ipc::create_only, n.c_str(), kSize, addr);
    EXPECT_EQ(segment.get_address(), addr);
    int* i = segment.construct<int>("i")(4);
    EXPECT_TRUE(segment.belongs_to_segment(i));
  }
  ipc::fixed_managed_shared_memory again(ipc::open_only, n.c_str(), addr);
  EXPECT_EQ(again.get_address(), addr);
  ASSERT_NE(again.find<int>("i").first, nullptr);
  EXPECT_EQ(*again.find<int>("i").first, 4);
}

TEST_F(ManagedSharedMemory, CopyOnWriteChangesStayPrivate) {
  IPC_SPEC("managed_shared_memory.copy_on_write");
  const std::string n = name();
  ipc::managed_shared_memory shared(ipc::create_only, n.c_str(), kSize);
  shared.construct<int>("MyInt")(1);
  {
    ipc::managed_shared_memory cow(ipc::open_copy_on_write, n.c_str());
    EXPECT_TRUE(cow.destroy<int>("MyInt"));
    cow.construct<int>("MyInt2")(2);
    EXPECT_EQ(cow.find<int>("MyInt").first, nullptr);
    EXPECT_NE(cow.find<int>("MyInt2").first, nullptr);
    EXPECT_NE(shared.find<int>("MyInt").first, nullptr);
    EXPECT_EQ(shared.find<int>("MyInt2").first, nullptr);
  }
  ipc::managed_shared_memory other(ipc::open_only, n.c_str());
  EXPECT_NE(other.find<int>("MyInt").first, nullptr);
  EXPECT_EQ(other.find<int>("MyInt2").first, nullptr);
  EXPECT_TRUE(other.check_sanity());
}

TEST_F(ManagedSharedMemory, ReadOnlyFindsAndIteratesWithoutChangingTheSegment) {
  IPC_SPEC("managed_shared_memory.read_only");
  const std::string n = name();
  {
    ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
    segment.construct<int>("MyInt")(11);
    segment.construct<long>(ipc::unique_instance)(12);
  }
  ipc::managed_shared_memory ro(ipc::open_read_only, n.c_str());
  ASSERT_NE(ro.find<int>("MyInt").first, nullptr);
  EXPECT_EQ(*ro.find<int>("MyInt").first, 11);
  EXPECT_EQ(ro.find<int>("MyInt2").first, nullptr);
  EXPECT_EQ(*ro.find<long>(ipc::unique_instance).first, 12);
  EXPECT_EQ(std::distance(ro.named_begin(), ro.named_end()), 1);
  EXPECT_EQ(std::distance(ro.unique_begin(), ro.unique_end()), 1);
  EXPECT_EQ(ro.get_size(), kSize);
}

TEST_F(ManagedSharedMemory, MoveAndSwapTransferTheSegment) {
  IPC_SPEC("managed_shared_memory.move_swap");
  const std::string a_name = name("a");
  const std::string b_name = name("b");
  ipc::managed_shared_memory a(ipc::create_only, a_name.c_str(), kSize);
  int* in_a = a.construct<int>("v")(1);
  ipc::managed_shared_memory moved(std::move(a));
  EXPECT_EQ(moved.find<int>("v").first, in_a);
  ipc::managed_shared_memory empty;
  empty = std::move(moved);
  EXPECT_EQ(empty.find<int>("v").first, in_a);
  ipc::managed_shared_memory b(ipc::create_only, b_name.c_str(), 2 * kSize);
  b.construct<int>("v")(2);
  empty.swap(b);
  EXPECT_EQ(*empty.find<int>("v").first, 2);
  EXPECT_EQ(empty.get_size(), 2 * kSize);
  EXPECT_EQ(b.find<int>("v").first, in_a);
  EXPECT_EQ(b.get_size(), kSize);
}

// The manual's listing in "Growing managed segments".
TEST_F(ManagedSharedMemory, GrowAndShrinkToFitAsInTheManual) {
  IPC_SPEC("managed_shared_memory.grow", "managed_shared_memory.shrink_to_fit");
  struct MyClass {
    int value = 42;
  };
  const std::string n = name();
  {
    ipc::managed_shared_memory shm(ipc::create_only, n.c_str(), 1000);
    EXPECT_EQ(shm.get_size(), 1000u);
    shm.construct<MyClass>("MyClass")();
  }
  EXPECT_TRUE(ipc::managed_shared_memory::grow(n.c_str(), 500));
  {
    ipc::managed_shared_memory shm(ipc::open_only, n.c_str());
    EXPECT_EQ(shm.get_size(), 1500u);
    MyClass* myclass = shm.find<MyClass>("MyClass").first;
    ASSERT_NE(myclass, nullptr);
    EXPECT_EQ(myclass->value, 42);
    EXPECT_TRUE(shm.check_sanity());
  }
  EXPECT_TRUE(ipc::managed_shared_memory::shrink_to_fit(n.c_str()));
  {
    ipc::managed_shared_memory shm(ipc::open_only, n.c_str());
    EXPECT_LT(shm.get_size(), 1000u);
    MyClass* myclass = shm.find<MyClass>("MyClass").first;
    ASSERT_NE(myclass, nullptr);
    EXPECT_EQ(myclass->value, 42);
    EXPECT_TRUE(shm.check_sanity());
  }
}

TEST_F(ManagedSharedMemory, GrowMakesRoomForFailedAllocations) {
  IPC_SPEC("managed_shared_memory.grow");
  const std::string n = name();
  ipc::managed_shared_memory::handle_t handle;
  {
    ipc::managed_shared_memory shm(ipc::create_only, n.c_str(), kSize);
    EXPECT_EQ(shm.allocate(2 * kSize, std::nothrow), nullptr);
    void* p = shm.allocate(100);
    std::memset(p, 0x5a, 100);
    handle = shm.get_handle_from_address(p);
  }
  ASSERT_TRUE(ipc::managed_shared_memory::grow(n.c_str(), 4 * kSize));
  ipc::managed_shared_memory shm(ipc::open_only, n.c_str());
  EXPECT_EQ(shm.get_size(), 5 * kSize);
  const auto* kept = static_cast<const unsigned char*>(shm.get_address_from_handle(handle));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(kept[i], 0x5a);
  void* big = shm.allocate(2 * kSize, std::nothrow);
  EXPECT_NE(big, nullptr);
  shm.deallocate(big);
  shm.deallocate(const_cast<unsigned char*>(kept));
  EXPECT_TRUE(shm.all_memory_deallocated());
}

// The manual's raw allocation listing: throwing and nothrow versions.
TEST_F(ManagedSharedMemory, AllocateThrowsOrReturnsNull) {
  IPC_SPEC("managed_shared_memory.allocate");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  void* shptr = segment.allocate(1024);
  ASSERT_NE(shptr, nullptr);
  std::memset(shptr, 1, 1024);
  EXPECT_THROW(segment.allocate(kSize), ipc::bad_alloc);
  EXPECT_EQ(segment.allocate(kSize, std::nothrow), nullptr);
  segment.deallocate(shptr);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

TEST_F(ManagedSharedMemory, HandlesConvertBackToTheSameAddress) {
  IPC_SPEC("managed_shared_memory.handles");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  void* p = segment.allocate(64);
  const ipc::managed_shared_memory::handle_t h = segment.get_handle_from_address(p);
  EXPECT_EQ(segment.get_address_from_handle(h), p);
  ipc::managed_shared_memory other(ipc::open_only, n.c_str());
  std::memcpy(p, "handle", 7);
  EXPECT_STREQ(static_cast<const char*>(other.get_address_from_handle(h)), "handle");
  segment.deallocate(p);
}

TEST_F(ManagedSharedMemory, NamedObjectFamily) {
  IPC_SPEC("managed_shared_memory.named_objects");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  int* one = segment.construct<int>("one")(1);
  float* arr = segment.construct<float>("arr")[5](2.5f);
  const int values[3] = {7, 8, 9};
  const int* values_it = values;
  int* it = segment.construct_it<int>("it")[3](values_it);
  EXPECT_EQ(*one, 1);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(arr[i], 2.5f);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(it[i], values[i]);
  EXPECT_EQ(segment.find<float>("arr").second, 5u);
  EXPECT_EQ(segment.find_or_construct<int>("one")(100), one);
  int* two = segment.find_or_construct<int>("two")(2);
  EXPECT_EQ(*two, 2);
  EXPECT_EQ(segment.construct<int>("one", std::nothrow)(3), nullptr);
  EXPECT_THROW(segment.construct<int>("one")(3), ipc::interprocess_exception);
  EXPECT_TRUE(segment.destroy<int>("one"));
  EXPECT_FALSE(segment.destroy<int>("one"));
  EXPECT_EQ(segment.find<int>("one").first, nullptr);
  EXPECT_EQ(segment.get_num_named_objects(), 3u);
}

TEST_F(ManagedSharedMemory, UniqueAndAnonymousInstances) {
  IPC_SPEC("managed_shared_memory.unique_anonymous");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  long* u = segment.construct<long>(ipc::unique_instance)(5);
  EXPECT_EQ(segment.find<long>(ipc::unique_instance).first, u);
  EXPECT_EQ(segment.get_num_unique_objects(), 1u);
  int* anon = segment.construct<int>(ipc::anonymous_instance)[4](3);
  EXPECT_EQ(anon[3], 3);
  segment.destroy_ptr(anon);
  segment.destroy_ptr(u);
  EXPECT_EQ(segment.find<long>(ipc::unique_instance).first, nullptr);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

TEST_F(ManagedSharedMemory, InformationFunctions) {
  IPC_SPEC("managed_shared_memory.information");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  const std::size_t free_before = segment.get_free_memory();
  EXPECT_GT(free_before, 0u);
  EXPECT_LT(free_before, segment.get_size());
  EXPECT_TRUE(segment.all_memory_deallocated());
  segment.construct<int>("a")(1);
  segment.construct<char>(ipc::unique_instance)('u');
  EXPECT_LT(segment.get_free_memory(), free_before);
  EXPECT_FALSE(segment.all_memory_deallocated());
  EXPECT_EQ(segment.get_num_named_objects(), 1u);
  EXPECT_EQ(segment.get_num_unique_objects(), 1u);
  void* p = segment.allocate(256);
  std::memset(p, 0xff, 256);
  segment.deallocate(p);
  segment.zero_free_memory();
  EXPECT_TRUE(segment.check_sanity());
  EXPECT_EQ(*segment.find<int>("a").first, 1);
}

TEST_F(ManagedSharedMemory, InstanceInformation) {
  IPC_SPEC("managed_shared_memory.instance_info");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  int* named = segment.construct<int>("named object")[3](0);
  EXPECT_STREQ(ipc::managed_shared_memory::get_instance_name(named), "named object");
  EXPECT_EQ(ipc::managed_shared_memory::get_instance_length(named), 3u);
  EXPECT_EQ(ipc::managed_shared_memory::get_instance_type(named), ipc::named_type);
  long* unique = segment.construct<long>(ipc::unique_instance)(0);
  EXPECT_EQ(ipc::managed_shared_memory::get_instance_type(unique), ipc::unique_type);
  char* anon = segment.construct<char>(ipc::anonymous_instance)[7](0);
  EXPECT_EQ(ipc::managed_shared_memory::get_instance_type(anon), ipc::anonymous_type);
  EXPECT_EQ(ipc::managed_shared_memory::get_instance_name(anon), nullptr);
  EXPECT_EQ(ipc::managed_shared_memory::get_instance_length(anon), 7u);
}

TEST_F(ManagedSharedMemory, AtomicFuncRunsUnderTheSegmentLock) {
  IPC_SPEC("managed_shared_memory.atomic_func");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  int* counter = nullptr;
  auto func = [&] {
    counter = segment.find_or_construct<int>("counter")(0);
    ++*counter;
  };
  segment.atomic_func(func);
  segment.atomic_func(func);
  ASSERT_NE(counter, nullptr);
  EXPECT_EQ(*counter, 2);
}

TEST_F(ManagedSharedMemory, IndexFunctionsKeepObjectsReachable) {
  IPC_SPEC("managed_shared_memory.index_functions");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  segment.reserve_named_objects(100);
  segment.reserve_unique_objects(100);
  for (int i = 0; i < 20; ++i) segment.construct<int>(("n" + std::to_string(i)).c_str())(i);
  segment.shrink_to_fit_indexes();
  for (int i = 0; i < 20; ++i) {
    int* p = segment.find<int>(("n" + std::to_string(i)).c_str()).first;
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, i);
  }
}

TEST_F(ManagedSharedMemory, IterationEnumeratesNamedAndUniqueObjects) {
  IPC_SPEC("managed_shared_memory.iteration");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  int* a = segment.construct<int>("alpha")(1);
  int* b = segment.construct<int>("beta")(2);
  segment.construct<double>(ipc::unique_instance)(3.0);
  int seen = 0;
  for (auto it = segment.named_begin(); it != segment.named_end(); ++it) {
    const std::string key(it->name(), it->name_length());
    if (key == "alpha") {
      EXPECT_EQ(it->value(), a);
    } else if (key == "beta") {
      EXPECT_EQ(it->value(), b);
    }
    seen += key == "alpha" || key == "beta";
  }
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(std::distance(segment.unique_begin(), segment.unique_end()), 1);
}

TEST_F(ManagedSharedMemory, SegmentManagerAllocatorAndDeleter) {
  IPC_SPEC("managed_shared_memory.allocators");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  ipc::managed_shared_memory::segment_manager* manager = segment.get_segment_manager();
  ASSERT_NE(manager, nullptr);
  EXPECT_TRUE(segment.belongs_to_segment(manager));
  ipc::managed_shared_memory::allocator<int>::type alloc = segment.get_allocator<int>();
  auto p = alloc.allocate(10);
  EXPECT_TRUE(segment.belongs_to_segment(&*p));
  alloc.deallocate(p, 10);
  int* object = segment.construct<int>(ipc::anonymous_instance)(1);
  ipc::managed_shared_memory::deleter<int>::type deleter = segment.get_deleter<int>();
  deleter(object);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

TEST_F(ManagedSharedMemory, AlignedManyAndExpandInPlaceAllocation) {
  IPC_SPEC("managed_shared_memory.advanced_allocation");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  void* aligned = segment.allocate_aligned(100, 256);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(aligned) % 256, 0u);
  segment.deallocate(aligned);
  ipc::managed_shared_memory::multiallocation_chain chain;
  segment.allocate_many(64, 10, chain);
  EXPECT_EQ(chain.size(), 10u);
  segment.deallocate_many(chain);
  std::size_t received = 100;
  int* reuse = nullptr;
  int* p = segment.allocation_command<int>(ipc::allocate_new, 10, received, reuse);
  ASSERT_NE(p, nullptr);
  EXPECT_GE(received, 10u);
  segment.deallocate(p);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

TEST_F(ManagedSharedMemory, FlushReturnsTrue) {
  IPC_SPEC("managed_shared_memory.flush");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  segment.construct<int>("x")(1);
#ifdef IPC_COMPILE_GAP_MANAGED_SHARED_MEMORY_FLUSH
  ADD_FAILURE() << "flush() does not compile with this implementation";
#else
  EXPECT_TRUE(segment.flush());
#endif
}

// Beyond the manual: what is not a segment is refused, promptly.
TEST_F(ManagedSharedMemory, OpeningWhatIsNotASegmentThrows) {
  IPC_SPEC("managed_shared_memory.checked_open");
  IPC_REQUIRE_FEATURE("checked_open");
  const std::string junk = name("junk");
  {
    ipc::shared_memory_object shm(ipc::create_only, junk.c_str(), ipc::read_write);
    shm.truncate(kSize);
    ipc::mapped_region region(shm, ipc::read_write);
    std::memset(region.get_address(), 0xa5, region.get_size());
  }
  EXPECT_THROW(ipc::managed_shared_memory(ipc::open_only, junk.c_str()),
               ipc::interprocess_exception);
  EXPECT_THROW(ipc::managed_shared_memory(ipc::open_read_only, junk.c_str()),
               ipc::interprocess_exception);
  EXPECT_THROW(ipc::managed_shared_memory(ipc::open_or_create, junk.c_str(), kSize),
               ipc::interprocess_exception);
  const std::string tiny = name("tiny");
  {
    ipc::shared_memory_object shm(ipc::create_only, tiny.c_str(), ipc::read_write);
    shm.truncate(16);
  }
  EXPECT_THROW(ipc::managed_shared_memory(ipc::open_only, tiny.c_str()),
               ipc::interprocess_exception);
  const std::string wide = name("wide");
  { ipc::wmanaged_shared_memory(ipc::create_only, wide.c_str(), kSize); }
  EXPECT_THROW(ipc::managed_shared_memory(ipc::open_only, wide.c_str()),
               ipc::interprocess_exception);
}

// A zero-filled object is what a creator that died before writing anything
// leaves: opening it ends with an error, after a bounded wait.
TEST_F(ManagedSharedMemory, OpeningAnAbandonedSegmentThrowsAfterABoundedWait) {
  IPC_SPEC("managed_shared_memory.checked_open");
  IPC_REQUIRE_FEATURE("checked_open");
  const std::string n = name();
  {
    ipc::shared_memory_object shm(ipc::create_only, n.c_str(), ipc::read_write);
    shm.truncate(kSize);
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(ipc::managed_shared_memory(ipc::open_only, n.c_str()), ipc::interprocess_exception);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

TEST_F(ManagedSharedMemory, CreatingMoreThanTheFileSystemHoldsFailsAtCreation) {
  IPC_SPEC("managed_shared_memory.reservation");
  IPC_REQUIRE_FEATURE("space_reservation");
#ifndef _WIN32
  struct statvfs fs;
  ASSERT_EQ(statvfs("/dev/shm", &fs), 0);
  const std::uint64_t capacity = static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize;
  if (capacity == 0) GTEST_SKIP() << "/dev/shm reports no size limit";
  const std::uint64_t too_much = capacity + (1ull << 30);
  if (too_much > SIZE_MAX) {
    GTEST_SKIP() << "a size beyond /dev/shm (" << capacity << " bytes) does not fit this "
                 << "platform's size_t";
  }
  const std::string n = name();
  EXPECT_THROW(
      ipc::managed_shared_memory(ipc::create_only, n.c_str(), static_cast<std::size_t>(too_much)),
      ipc::interprocess_exception);
  EXPECT_THROW(ipc::shared_memory_object(ipc::open_only, n.c_str(), ipc::read_only),
               ipc::interprocess_exception);
#endif
}

#ifndef _WIN32
// Mode bits of the shared memory object `name`, read through shm_open.
unsigned mode_bits(const std::string& name) {
  const int fd = shm_open(("/" + name).c_str(), O_RDONLY, 0);
  if (fd < 0) return ~0u;
  struct stat st;
  const int rc = fstat(fd, &st);
  close(fd);
  return rc == 0 ? st.st_mode & 0777 : ~0u;
}
#endif

TEST_F(ManagedSharedMemory, NewSegmentsAreOwnerOnlyUnlessPermissionsAreGiven) {
  IPC_SPEC("managed_shared_memory.owner_only");
  IPC_REQUIRE_FEATURE("owner_only_permissions");
#ifndef _WIN32
  const ::mode_t old_mask = umask(0);
  at_teardown([old_mask] { umask(old_mask); });
  const std::string plain = name("plain");
  { ipc::managed_shared_memory(ipc::create_only, plain.c_str(), kSize); }
  EXPECT_EQ(mode_bits(plain), 0600u);
  umask(077);
  const std::string given = name("given");
  { ipc::managed_shared_memory(ipc::create_only, given.c_str(), kSize, nullptr, 0644); }
  EXPECT_EQ(mode_bits(given), 0644u);
#endif
}

TEST_F(ManagedSharedMemory, ReadOnlySegmentsRefuseWrites) {
  IPC_SPEC("managed_shared_memory.read_only_refusal");
  IPC_REQUIRE_FEATURE("read_only_refusal");
  const std::string n = name();
  {
    ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
    segment.construct<int>("kept")(5);
  }
  ipc::managed_shared_memory ro(ipc::open_read_only, n.c_str());
  EXPECT_NE(code_of([&] { ro.allocate(8); }), ipc::no_error);
  EXPECT_NE(code_of([&] { ro.construct<int>("new")(1); }), ipc::no_error);
  EXPECT_NE(code_of([&] { ro.find_or_construct<int>("new")(1); }), ipc::no_error);
  EXPECT_NE(code_of([&] { ro.destroy<int>("kept"); }), ipc::no_error);
  EXPECT_NE(code_of([&] { ro.check_sanity(); }), ipc::no_error);
  ipc::managed_shared_memory check(ipc::open_only, n.c_str());
  EXPECT_EQ(*check.find<int>("kept").first, 5);
  EXPECT_EQ(check.find<int>("new").first, nullptr);
  EXPECT_EQ(check.get_num_named_objects(), 1u);
}

}  // namespace
