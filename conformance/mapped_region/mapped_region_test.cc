// Conformance tests of mapped_region: what the constructor maps, access modes,
// sharing within and between processes, ownership, flushing, the page size
// and fixed address mapping.
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "conformance/common/platform.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

void remove_object(const std::string& name) { ipc::shared_memory_object::remove(name.c_str()); }

// What mappings align to: the page size, or on Windows the allocation
// granularity.
std::size_t page_size() { return ipc_test::mapping_granularity(); }

// Test data: the byte at `object_offset` of an object filled with `seed`. 251
// is prime, so data shifted by a page or written with another seed differs.
unsigned char pattern(std::size_t object_offset, unsigned seed) {
  return static_cast<unsigned char>((object_offset * 131 + seed) % 251);
}

// Writes the pattern of the object's bytes [object_offset, object_offset + size)
// to `data`.
void fill(void* data, std::size_t size, std::size_t object_offset, unsigned seed) {
  auto* bytes = static_cast<unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = pattern(object_offset + i, seed);
}

// Index of the first byte of `data` that differs from what fill() with the
// same arguments writes, or -1.
long first_mismatch(const void* data, std::size_t size, std::size_t object_offset, unsigned seed) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    if (bytes[i] != pattern(object_offset + i, seed)) return static_cast<long>(i);
  }
  return -1;
}

// The object's bytes are read and written through the manual's API only: the
// object opened again by name and mapped whole by a region of its own, so
// the checks do not depend on the region under test nor on where a system
// keeps its objects.
void write_object(const std::string& name, std::size_t size, unsigned seed) {
  const ipc::shared_memory_object shm(ipc::open_only, name.c_str(), ipc::read_write);
  ipc::mapped_region whole(shm, ipc::read_write);
  ASSERT_GE(whole.get_size(), size) << name;
  fill(whole.get_address(), size, 0, seed);
}

// Index of the first byte of the object's [offset, offset + size) that differs
// from the pattern of `seed`, or -1.
long object_mismatch(const std::string& name, std::size_t offset, std::size_t size, unsigned seed) {
  const ipc::shared_memory_object shm(ipc::open_only, name.c_str(), ipc::read_only);
  const ipc::mapped_region whole(shm, ipc::read_only);
  if (whole.get_size() < offset + size) {
    ADD_FAILURE() << name << " holds " << whole.get_size() << " bytes, fewer than "
                  << offset + size;
    return 0;
  }
  return first_mismatch(static_cast<const unsigned char*>(whole.get_address()) + offset, size,
                        offset, seed);
}

ipc::shared_memory_object open_object(const std::string& name, ipc::mode_t mode) {
  return ipc::shared_memory_object(ipc::open_only, name.c_str(), mode);
}

using ipc_test::free_range;
using ipc_test::is_mapped;

// get_offset() is documented, yet an implementation may lack it; the tests
// that read it fail then instead of the whole build.
template <class Region, class = void>
struct HasGetOffset : std::false_type {};
template <class Region>
struct HasGetOffset<Region, std::void_t<decltype(std::declval<const Region&>().get_offset())>>
    : std::true_type {};

template <class Region>
std::optional<ipc::offset_t> offset_of(const Region& region) {
  if constexpr (HasGetOffset<Region>::value) {
    return region.get_offset();
  } else {
    return std::nullopt;
  }
}

// Maps the object at an address of its own, checks the parent's bytes in the
// first page (seed 1), writes the second page (seed 2), then waits for the
// parent's write to the third page (seed 3).
IPC_CHILD_ROLE(share_writes) {
  const std::string& name = args.at(0);
  ipc_test::Pipe commands = ipc_test::Pipe::from_arg(args.at(1));
  ipc_test::Pipe replies = ipc_test::Pipe::from_arg(args.at(2));
  const std::size_t page = page_size();
  ipc::shared_memory_object shm(ipc::open_only, name.c_str(), ipc::read_write);
  ipc::mapped_region region(shm, ipc::read_write);
  IPC_CHILD_CHECK_MSG(region.get_size() == 3 * page, "size " << region.get_size());
  auto* bytes = static_cast<unsigned char*>(region.get_address());
  const long mismatch = first_mismatch(bytes, page, 0, 1);
  IPC_CHILD_CHECK_MSG(mismatch == -1, "parent's byte " << mismatch << " differs");
  fill(bytes + page, page, page, 2);
  replies.send("written");
  IPC_CHILD_CHECK(commands.receive() == "your turn");
  const long later = first_mismatch(bytes + 2 * page, page, 2 * page, 3);
  IPC_CHILD_CHECK_MSG(later == -1, "parent's later byte " << later << " differs");
}

// Maps the object copy_on_write through a read_only handle and overwrites it
// (seed 2); keeps the mapping while the parent looks for the writes.
IPC_CHILD_ROLE(copy_on_write_writer) {
  const std::string& name = args.at(0);
  ipc_test::Pipe commands = ipc_test::Pipe::from_arg(args.at(1));
  ipc_test::Pipe replies = ipc_test::Pipe::from_arg(args.at(2));
  ipc::shared_memory_object shm(ipc::open_only, name.c_str(), ipc::read_only);
  ipc::mapped_region region(shm, ipc::copy_on_write);
  const std::size_t size = region.get_size();
  IPC_CHILD_CHECK(first_mismatch(region.get_address(), size, 0, 1) == -1);
  fill(region.get_address(), size, 0, 2);
  IPC_CHILD_CHECK(first_mismatch(region.get_address(), size, 0, 2) == -1);
  replies.send("written");
  IPC_CHILD_CHECK(commands.receive() == "checked");
  IPC_CHILD_CHECK(first_mismatch(region.get_address(), size, 0, 2) == -1);
}

class MappedRegion : public ipc_test::ConformanceTest {
 protected:
  // A new object of `size` bytes holding the pattern of seed 1; returns its
  // name.
  std::string make_object(std::size_t size) {
    const std::string name = unique_resource(remove_object);
    ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
    shm.truncate(static_cast<ipc::offset_t>(size));
    write_object(name, size, 1);
    return name;
  }
};

class MappedRegionMultiProcess : public MappedRegion {};

TEST_F(MappedRegion, DefaultConstructedIsEmpty) {
  IPC_SPEC("mapped_region.default_ctor.empty");
  std::optional<ipc::mapped_region> region;
  EXPECT_NO_THROW(region.emplace());
  ASSERT_TRUE(region.has_value());
  EXPECT_EQ(region->get_address(), nullptr);
  EXPECT_EQ(region->get_size(), 0u);
}

TEST_F(MappedRegion, GetOffsetReturnsTheOffsetOfTheMapping) {
  IPC_SPEC("mapped_region.get_offset");
  ASSERT_TRUE(HasGetOffset<ipc::mapped_region>::value)
      << "mapped_region lacks get_offset(), which the manual documents";
  const std::size_t page = page_size();
  const std::string name = make_object(3 * page);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);

  EXPECT_EQ(offset_of(ipc::mapped_region()), ipc::offset_t{0});
  EXPECT_EQ(offset_of(ipc::mapped_region(shm, ipc::read_only)), ipc::offset_t{0});
  for (const std::size_t offset : {page, page + 1, 2 * page + 5}) {
    const auto expected = static_cast<ipc::offset_t>(offset);
    EXPECT_EQ(offset_of(ipc::mapped_region(shm, ipc::read_only, expected)), expected);
    EXPECT_EQ(offset_of(ipc::mapped_region(shm, ipc::read_only, expected, 10)), expected);
  }

  const auto page_offset = static_cast<ipc::offset_t>(page);
  ipc::mapped_region source(shm, ipc::read_write, page_offset, page);
  ipc::mapped_region moved(std::move(source));
  EXPECT_EQ(offset_of(moved), page_offset);
  EXPECT_EQ(offset_of(source), ipc::offset_t{0});

  ipc::mapped_region assigned(shm, ipc::read_write, 2 * page_offset);
  assigned = std::move(moved);
  EXPECT_EQ(offset_of(assigned), page_offset);
  EXPECT_EQ(offset_of(moved), ipc::offset_t{0});

  ipc::mapped_region other(shm, ipc::read_only, 2 * page_offset + 3, 7);
  assigned.swap(other);
  EXPECT_EQ(offset_of(assigned), 2 * page_offset + 3);
  EXPECT_EQ(offset_of(other), page_offset);
}

TEST_F(MappedRegion, NoOffsetAndNoSizeMapsTheWholeObject) {
  IPC_SPEC("mapped_region.ctor.whole_object");
  const std::size_t page = page_size();
  for (const std::size_t size : {std::size_t{1}, page, 2 * page + 321}) {
    SCOPED_TRACE(size);
    const std::string name = make_object(size);
    for (const ipc::mode_t mode : {ipc::read_only, ipc::read_write}) {
      const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
      const ipc::mapped_region region(shm, mode);
      EXPECT_EQ(region.get_size(), size);
      EXPECT_EQ(first_mismatch(region.get_address(), size, 0, 1), -1);
    }
  }
}

TEST_F(MappedRegion, OffsetWithoutSizeMapsToTheEnd) {
  IPC_SPEC("mapped_region.ctor.offset_to_end");
  const std::size_t page = page_size();
  const std::size_t size = 3 * page + 50;
  const std::string name = make_object(size);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_only);
  for (const std::size_t offset : {page, 2 * page, 3 * page, page + 7, size - 1}) {
    SCOPED_TRACE(offset);
    const ipc::mapped_region region(shm, ipc::read_only, static_cast<ipc::offset_t>(offset));
    EXPECT_EQ(region.get_size(), size - offset);
    EXPECT_EQ(first_mismatch(region.get_address(), region.get_size(), offset, 1), -1);
  }
}

TEST_F(MappedRegion, OffsetAndSizeSelectThatRangeOfTheObject) {
  IPC_SPEC("mapped_region.ctor.offset_and_size");
  const std::size_t page = page_size();
  const std::string name = make_object(4 * page);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  const std::pair<std::size_t, std::size_t> ranges[] = {
      {0, 1}, {page, page / 2}, {2 * page, page + 50}, {page, 3 * page}};
  unsigned seed = 2;
  for (const auto& [offset, size] : ranges) {
    SCOPED_TRACE(::testing::Message() << "offset " << offset << ", size " << size);
    ipc::mapped_region region(shm, ipc::read_write, static_cast<ipc::offset_t>(offset), size);
    ASSERT_EQ(region.get_size(), size);
    EXPECT_EQ(first_mismatch(region.get_address(), size, offset, 1), -1);
    // Writes land at the same offset of the object, and nowhere else.
    fill(region.get_address(), size, offset, seed);
    EXPECT_EQ(object_mismatch(name, offset, size, seed), -1);
    if (offset > 0) {
      EXPECT_EQ(object_mismatch(name, offset - 1, 1, seed), 0);
    }
    if (offset + size < 4 * page) {
      EXPECT_EQ(object_mismatch(name, offset + size, 1, seed), 0);
    }
    write_object(name, 4 * page, 1);
    ++seed;
  }
}

TEST_F(MappedRegion, UnalignedOffsetIsAccepted) {
  IPC_SPEC("mapped_region.ctor.unaligned_offset");
  const std::size_t page = page_size();
  const std::size_t object_size = 3 * page;
  const std::string name = make_object(object_size);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  for (const std::size_t offset : {std::size_t{1}, std::size_t{17}, page - 1, page + 3}) {
    for (const std::size_t size : {std::size_t{0}, std::size_t{10}}) {
      SCOPED_TRACE(::testing::Message() << "offset " << offset << ", size " << size);
      ipc::mapped_region region(shm, ipc::read_write, static_cast<ipc::offset_t>(offset), size);
      const std::size_t expected_size = size == 0 ? object_size - offset : size;
      ASSERT_EQ(region.get_size(), expected_size);
      EXPECT_EQ(first_mismatch(region.get_address(), expected_size, offset, 1), -1);
      static_cast<unsigned char*>(region.get_address())[0] =
          static_cast<unsigned char>(~pattern(offset, 1));
      EXPECT_EQ(object_mismatch(name, offset, 1, 1), 0) << "the write missed the object's byte";
      EXPECT_EQ(object_mismatch(name, offset + 1, expected_size - 1, 1), -1);
      write_object(name, object_size, 1);
    }
  }
}

TEST_F(MappedRegion, MappingAnEmptyObjectThrows) {
  IPC_SPEC("mapped_region.ctor.empty_object_throws");
  const std::string name = unique_resource(remove_object);
  const ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
  for (const ipc::mode_t mode :
       {ipc::read_only, ipc::read_write, ipc::copy_on_write, ipc::read_private}) {
    EXPECT_THROW(ipc::mapped_region region(shm, mode), ipc::interprocess_exception)
        << "mode " << mode;
  }
}

TEST_F(MappedRegion, OffsetPastTheEndThrows) {
  IPC_SPEC("mapped_region.ctor.offset_beyond_end_throws");
  const std::size_t page = page_size();
  const std::size_t size = 2 * page + 100;
  const std::string name = make_object(size);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  for (const std::size_t offset : {size + 1, 3 * page, 3 * page + 1, 10 * page}) {
    EXPECT_THROW(
        ipc::mapped_region region(shm, ipc::read_write, static_cast<ipc::offset_t>(offset)),
        ipc::interprocess_exception)
        << "offset " << offset;
  }
}

TEST_F(MappedRegion, ReadWriteOverAReadOnlyHandleThrows) {
  IPC_SPEC("mapped_region.ctor.mode_exceeds_access_throws");
  const std::string name = make_object(page_size());
  const ipc::shared_memory_object shm = open_object(name, ipc::read_only);
  EXPECT_THROW(ipc::mapped_region region(shm, ipc::read_write), ipc::interprocess_exception);
  EXPECT_THROW(ipc::mapped_region region(shm, ipc::read_write, 0, 1), ipc::interprocess_exception);
}

TEST_F(MappedRegion, ReadOnlyRegionReadsTheObject) {
  IPC_SPEC("mapped_region.mode.read_only");
  const std::size_t size = 2 * page_size() + 9;
  const std::string name = make_object(size);
  for (const ipc::mode_t handle_mode : {ipc::read_only, ipc::read_write}) {
    const ipc::shared_memory_object shm = open_object(name, handle_mode);
    const ipc::mapped_region region(shm, ipc::read_only);
    EXPECT_EQ(region.get_mode(), ipc::read_only);
    EXPECT_EQ(first_mismatch(region.get_address(), size, 0, 1), -1);
  }
}

TEST_F(MappedRegion, ReadWriteWritesReachTheObjectAndOtherRegions) {
  IPC_SPEC("mapped_region.mode.read_write");
  const std::size_t size = 2 * page_size() + 9;
  const std::string name = make_object(size);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  ipc::mapped_region writer(shm, ipc::read_write);
  const ipc::mapped_region reader(shm, ipc::read_only);
  EXPECT_EQ(writer.get_mode(), ipc::read_write);
  EXPECT_EQ(first_mismatch(writer.get_address(), size, 0, 1), -1);
  fill(writer.get_address(), size, 0, 2);
  EXPECT_EQ(first_mismatch(reader.get_address(), size, 0, 2), -1);
  EXPECT_EQ(object_mismatch(name, 0, size, 2), -1);
}

TEST_F(MappedRegion, CopyOnWriteWritesStayInTheRegion) {
  IPC_SPEC("mapped_region.mode.copy_on_write");
  const std::size_t size = 2 * page_size() + 9;
  const std::string name = make_object(size);
  unsigned seed = 2;
  for (const ipc::mode_t handle_mode : {ipc::read_only, ipc::read_write}) {
    SCOPED_TRACE(handle_mode);
    const ipc::shared_memory_object shm = open_object(name, handle_mode);
    const ipc::mapped_region shared(shm, ipc::read_only);
    ipc::mapped_region private_copy(shm, ipc::copy_on_write);
    EXPECT_EQ(private_copy.get_mode(), ipc::copy_on_write);
    EXPECT_EQ(first_mismatch(private_copy.get_address(), size, 0, 1), -1);
    fill(private_copy.get_address(), size, 0, seed);
    EXPECT_EQ(first_mismatch(private_copy.get_address(), size, 0, seed), -1);
    EXPECT_EQ(first_mismatch(shared.get_address(), size, 0, 1), -1);
    EXPECT_EQ(object_mismatch(name, 0, size, 1), -1);
    const ipc::mapped_region later(shm, ipc::read_only);
    EXPECT_EQ(first_mismatch(later.get_address(), size, 0, 1), -1);
    ++seed;
  }
}

TEST_F(MappedRegion, ReadPrivateRegionReadsTheObject) {
  IPC_SPEC("mapped_region.mode.read_private");
  const std::size_t size = 2 * page_size() + 9;
  const std::string name = make_object(size);
  for (const ipc::mode_t handle_mode : {ipc::read_only, ipc::read_write}) {
    const ipc::shared_memory_object shm = open_object(name, handle_mode);
    const ipc::mapped_region region(shm, ipc::read_private);
    EXPECT_EQ(region.get_mode(), ipc::read_private);
    EXPECT_EQ(first_mismatch(region.get_address(), size, 0, 1), -1);
  }
}

TEST_F(MappedRegion, TwoRegionsOfOneObjectInOneProcessShareWrites) {
  IPC_SPEC("mapped_region.same_process.two_regions");
  const std::size_t page = page_size();
  const std::size_t size = 3 * page;
  const std::string name = make_object(size);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  ipc::mapped_region first(shm, ipc::read_write);
  ipc::mapped_region second(shm, ipc::read_write);
  ASSERT_NE(first.get_address(), second.get_address());
  ASSERT_EQ(first.get_size(), size);
  ASSERT_EQ(second.get_size(), size);
  auto* first_bytes = static_cast<unsigned char*>(first.get_address());
  auto* second_bytes = static_cast<unsigned char*>(second.get_address());

  fill(first_bytes, size, 0, 2);
  EXPECT_EQ(first_mismatch(second_bytes, size, 0, 2), -1);
  fill(second_bytes, size, 0, 3);
  EXPECT_EQ(first_mismatch(first_bytes, size, 0, 3), -1);

  // A third region over the middle page sees the same bytes at its own offset.
  ipc::mapped_region middle(shm, ipc::read_write, static_cast<ipc::offset_t>(page), page);
  fill(middle.get_address(), page, page, 4);
  EXPECT_EQ(first_mismatch(first_bytes + page, page, page, 4), -1);
  EXPECT_EQ(first_mismatch(second_bytes + page, page, page, 4), -1);
  EXPECT_EQ(first_mismatch(first_bytes, page, 0, 3), -1);
}

TEST_F(MappedRegion, MoveConstructionTakesOverTheRegion) {
  IPC_SPEC("mapped_region.move.ctor");
  const std::size_t page = page_size();
  const std::string name = make_object(2 * page);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  std::optional<ipc::mapped_region> target;
  void* address = nullptr;
  {
    ipc::mapped_region source(shm, ipc::copy_on_write, static_cast<ipc::offset_t>(page), 100);
    address = source.get_address();
    target.emplace(std::move(source));
    EXPECT_EQ(source.get_address(), nullptr);
    EXPECT_EQ(source.get_size(), 0u);
  }
  // Destroying the moved-from region must leave the pages to the target.
  EXPECT_EQ(target->get_address(), address);
  EXPECT_EQ(target->get_size(), 100u);
  EXPECT_EQ(target->get_mode(), ipc::copy_on_write);
  ASSERT_TRUE(is_mapped(address, 100));
  EXPECT_EQ(first_mismatch(address, 100, page, 1), -1);
  fill(address, 100, page, 2);
  EXPECT_EQ(first_mismatch(address, 100, page, 2), -1);
}

TEST_F(MappedRegion, MoveAssignmentUnmapsTheTargetAndTakesOverTheSource) {
  IPC_SPEC("mapped_region.move.assign");
  const std::size_t page = page_size();
  const std::string name = make_object(3 * page);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  ipc::mapped_region target(shm, ipc::read_write);
  void* const former_address = target.get_address();
  ipc::mapped_region source(shm, ipc::read_only, static_cast<ipc::offset_t>(page), page + 1);
  void* const address = source.get_address();

  target = std::move(source);
  EXPECT_FALSE(is_mapped(former_address, 3 * page)) << "the target's region is still mapped";
  EXPECT_EQ(target.get_address(), address);
  EXPECT_EQ(target.get_size(), page + 1);
  EXPECT_EQ(target.get_mode(), ipc::read_only);
  EXPECT_EQ(source.get_address(), nullptr);
  EXPECT_EQ(source.get_size(), 0u);
  ASSERT_TRUE(is_mapped(address, page + 1));
  EXPECT_EQ(first_mismatch(address, page + 1, page, 1), -1);
}

TEST_F(MappedRegion, SwapExchangesTheRegions) {
  IPC_SPEC("mapped_region.swap.exchanges");
  const std::size_t page = page_size();
  const std::string name = make_object(3 * page);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  ipc::mapped_region a(shm, ipc::read_write);
  ipc::mapped_region b(shm, ipc::read_only, static_cast<ipc::offset_t>(2 * page), 10);
  void* const a_address = a.get_address();
  void* const b_address = b.get_address();

  a.swap(b);
  EXPECT_EQ(a.get_address(), b_address);
  EXPECT_EQ(a.get_size(), 10u);
  EXPECT_EQ(a.get_mode(), ipc::read_only);
  EXPECT_EQ(b.get_address(), a_address);
  EXPECT_EQ(b.get_size(), 3 * page);
  EXPECT_EQ(b.get_mode(), ipc::read_write);
  EXPECT_EQ(first_mismatch(a.get_address(), 10, 2 * page, 1), -1);
  EXPECT_EQ(first_mismatch(b.get_address(), 3 * page, 0, 1), -1);
}

TEST_F(MappedRegion, DestructionUnmapsTheRegion) {
  IPC_SPEC("mapped_region.dtor.unmaps");
  const std::size_t page = page_size();
  const std::string name = make_object(3 * page);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  const std::pair<std::size_t, std::size_t> ranges[] = {{0, 0}, {page + 5, 10}, {7, 2 * page}};
  for (const auto& [offset, size] : ranges) {
    SCOPED_TRACE(::testing::Message() << "offset " << offset << ", size " << size);
    std::optional<ipc::mapped_region> region(std::in_place, shm, ipc::read_write,
                                             static_cast<ipc::offset_t>(offset), size);
    void* const address = region->get_address();
    const std::size_t length = region->get_size();
    ASSERT_TRUE(is_mapped(address, length));
    region.reset();
    EXPECT_FALSE(is_mapped(address, length));
  }
}

TEST_F(MappedRegion, FlushSucceedsForTheRegionAndPageMultiples) {
  IPC_SPEC("mapped_region.flush.succeeds");
  const std::size_t page = page_size();
  const std::string name = make_object(3 * page);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  for (const std::size_t offset : {std::size_t{0}, page + 3}) {
    SCOPED_TRACE(offset);
    ipc::mapped_region region(shm, ipc::read_write, static_cast<ipc::offset_t>(offset));
    const std::size_t size = region.get_size();
    fill(region.get_address(), size, offset, 2);
    const std::pair<std::size_t, std::size_t> ranges[] = {{0, 0}, {0, size}, {page, 10}};
    for (const auto& [start, length] : ranges) {
      bool flushed = false;
      EXPECT_NO_THROW(flushed = region.flush(start, length));
      EXPECT_TRUE(flushed) << "flush(" << start << ", " << length << ")";
    }
    bool flushed = false;
    EXPECT_NO_THROW(flushed = region.flush());
    EXPECT_TRUE(flushed) << "flush()";
  }
}

TEST_F(MappedRegion, FlushSucceedsForRangesStartingInsideAPage) {
  IPC_SPEC("mapped_region.flush.succeeds");
  const std::size_t page = page_size();
  const std::string name = make_object(3 * page);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  ipc::mapped_region region(shm, ipc::read_write);
  const std::size_t size = region.get_size();
  fill(region.get_address(), size, 0, 2);
  const std::pair<std::size_t, std::size_t> ranges[] = {
      {1, 1}, {page / 2, page}, {page + 1, 0}, {size - 1, 1}};
  for (const auto& [start, length] : ranges) {
    bool flushed = false;
    EXPECT_NO_THROW(flushed = region.flush(start, length));
    EXPECT_TRUE(flushed) << "flush(" << start << ", " << length << ")";
  }
}

TEST_F(MappedRegion, PageSizeIsTheSystemsAndAlignsMappings) {
  IPC_SPEC("mapped_region.page_size.value");
  const std::size_t page = ipc::mapped_region::get_page_size();
  EXPECT_EQ(page, ipc_test::mapping_granularity());
  ASSERT_NE(page, 0u);
  EXPECT_EQ(page & (page - 1), 0u) << page << " is not a power of two";

  const std::string name = make_object(2 * page);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  const ipc::mapped_region region(shm, ipc::read_write, 0, 1);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(region.get_address()) % page, 0u);
}

TEST_F(MappedRegion, FreeRequestedAddressIsHonoured) {
  IPC_SPEC("mapped_region.fixed_address.honoured");
  const std::size_t page = page_size();
  const std::string name = make_object(3 * page);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  const std::pair<std::size_t, std::size_t> ranges[] = {{0, 0}, {page, page}, {2 * page, 10}};
  for (const auto& [offset, size] : ranges) {
    SCOPED_TRACE(::testing::Message() << "offset " << offset << ", size " << size);
    char* const wanted = free_range(3 * page);
    ipc::mapped_region region(shm, ipc::read_write, static_cast<ipc::offset_t>(offset), size,
                              wanted);
    EXPECT_EQ(region.get_address(), static_cast<void*>(wanted));
    const std::size_t length = size == 0 ? 3 * page - offset : size;
    ASSERT_EQ(region.get_size(), length);
    EXPECT_EQ(first_mismatch(region.get_address(), length, offset, 1), -1);
  }
}

TEST_F(MappedRegion, RequestedAddressIsExactOrTheConstructorThrows) {
  IPC_SPEC("mapped_region.fixed_address.exact_or_throws");
  const std::size_t page = page_size();
  const std::string name = make_object(3 * page);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  struct Case {
    const char* what;
    std::size_t address_shift;  // from a page boundary
    std::size_t offset;
    bool address_in_use;
  };
  const Case cases[] = {
      {"unaligned address", 1, 0, false},
      {"unaligned offset at an aligned address", 0, 1, false},
      {"address and offset alike off a page boundary", 1, 1, false},
      {"address in the middle of a page, offset past a page", page / 2, page + page / 2, false},
      {"address already in use", 0, 0, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    // Room for a page below the address, where an unaligned mapping may start.
    const std::size_t reserved = 4 * page;
    void* const reservation = ipc_test::reserve_range(reserved);
    ASSERT_NE(reservation, nullptr);
    char* const wanted = static_cast<char*>(reservation) + page + c.address_shift;
    if (!c.address_in_use) ipc_test::release_range(reservation, reserved);
    try {
      const ipc::mapped_region region(shm, ipc::read_write, static_cast<ipc::offset_t>(c.offset),
                                      page, wanted);
      EXPECT_EQ(region.get_address(), static_cast<void*>(wanted)) << "mapped elsewhere";
      if (region.get_address() == wanted) {
        EXPECT_EQ(first_mismatch(wanted, page, c.offset, 1), -1);
      }
    } catch (const ipc::interprocess_exception&) {
      // Refusing the address is the other permitted outcome.
    }
    if (c.address_in_use) ipc_test::release_range(reservation, reserved);
  }
}

TEST_F(MappedRegionMultiProcess, RegionsInTwoProcessesShareWrites) {
  IPC_SPEC("mapped_region.multi_process.shared_writes", "mapped_region.mode.read_write");
  const std::size_t page = page_size();
  const std::string name = make_object(3 * page);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  ipc::mapped_region region(shm, ipc::read_write);
  auto* bytes = static_cast<unsigned char*>(region.get_address());
  ipc_test::Pipe commands;
  ipc_test::Pipe replies;
  auto child = ipc_test::spawn_role("share_writes", {name, commands.arg(), replies.arg()});

  ASSERT_EQ(replies.receive(), "written");
  EXPECT_EQ(first_mismatch(bytes + page, page, page, 2), -1);
  fill(bytes + 2 * page, page, 2 * page, 3);
  commands.send("your turn");
  IPC_EXPECT_CHILD_OK(child.wait());
}

TEST_F(MappedRegionMultiProcess, CopyOnWriteWritesOfAChildStayInTheChild) {
  IPC_SPEC("mapped_region.mode.copy_on_write");
  const std::size_t size = 2 * page_size() + 9;
  const std::string name = make_object(size);
  const ipc::shared_memory_object shm = open_object(name, ipc::read_write);
  const ipc::mapped_region region(shm, ipc::read_only);
  ipc_test::Pipe commands;
  ipc_test::Pipe replies;
  auto child = ipc_test::spawn_role("copy_on_write_writer", {name, commands.arg(), replies.arg()});

  ASSERT_EQ(replies.receive(), "written");
  EXPECT_EQ(first_mismatch(region.get_address(), size, 0, 1), -1);
  EXPECT_EQ(object_mismatch(name, 0, size, 1), -1);
  const ipc::mapped_region later(shm, ipc::read_only);
  EXPECT_EQ(first_mismatch(later.get_address(), size, 0, 1), -1);
  commands.send("checked");
  IPC_EXPECT_CHILD_OK(child.wait());
}

}  // namespace
