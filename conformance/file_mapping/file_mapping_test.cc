// Conformance tests of file_mapping: the manual's "Memory Mapped Files" and
// "More About Mapped Regions" sections and the file_mapping reference.
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

#include "conformance/common/platform.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

class FileMapping : public ipc_test::ConformanceTest {
 protected:
  // A new file of `size` bytes where byte i holds pattern_byte(i).
  std::string make_file(std::size_t size, const std::string& tag = "") {
    std::string path = unique_file_path(tag);
    std::string contents(size, '\0');
    for (std::size_t i = 0; i < size; ++i) contents[i] = static_cast<char>(pattern_byte(i));
    EXPECT_TRUE(ipc_test::write_new_file(path, contents)) << path;
    return path;
  }

  static unsigned char pattern_byte(std::size_t offset) {
    return static_cast<unsigned char>(offset % 251);
  }
};
class FileMappingMultiProcess : public FileMapping {};

const std::size_t kPage = ipc::mapped_region::get_page_size();

unsigned char* bytes_of(const ipc::mapped_region& region) {
  return static_cast<unsigned char*>(region.get_address());
}

using ipc_test::file_exists;
using ipc_test::read_file;

// An address aligned for a mapping where `length` bytes are free.
char* free_address(std::size_t length) {
  char* free = ipc_test::free_range(length);
  EXPECT_NE(free, nullptr);
  return free;
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

TEST_F(FileMapping, DefaultConstructedRepresentsNoFile) {
  IPC_SPEC("file_mapping.default_ctor.empty");
  static_assert(std::is_nothrow_default_constructible_v<ipc::file_mapping>);
  const ipc::file_mapping mapping;
  EXPECT_TRUE(throws_interprocess_exception([&] { ipc::mapped_region(mapping, ipc::read_only); }));
}

TEST_F(FileMapping, OpensAnExistingFileInEitherMode) {
  IPC_SPEC("file_mapping.ctor.opens_existing_file");
  const std::string path = make_file(100);
  for (const ipc::mode_t mode : {ipc::read_only, ipc::read_write}) {
    const ipc::file_mapping mapping(path.c_str(), mode);
    EXPECT_EQ(mapping.get_mode(), mode);
    EXPECT_STREQ(mapping.get_name(), path.c_str());
  }
  EXPECT_EQ(read_file(path).size(), 100u);
}

TEST_F(FileMapping, BadFilenamesThrowAndCreateNothing) {
  IPC_SPEC("file_mapping.ctor.bad_filename_throws");
  const std::string missing = unique_file_path("missing");
  const std::string too_long = unique_file_path("long") + std::string(PATH_MAX, 'x');
  for (const std::string& name : {missing, std::string(), too_long}) {
    for (const ipc::mode_t mode : {ipc::read_only, ipc::read_write}) {
      EXPECT_TRUE(throws_interprocess_exception([&] { ipc::file_mapping(name.c_str(), mode); }))
          << "\"" << name << "\" mode " << mode;
    }
  }
  EXPECT_FALSE(file_exists(missing));
}

TEST_F(FileMapping, InvalidModesThrow) {
  IPC_SPEC("file_mapping.ctor.invalid_mode_throws");
  const std::string path = make_file(10);
  for (const ipc::mode_t mode : {ipc::copy_on_write, ipc::read_private, ipc::invalid_mode}) {
    EXPECT_TRUE(throws_interprocess_exception([&] { ipc::file_mapping(path.c_str(), mode); }))
        << "mode " << mode;
  }
}

TEST_F(FileMapping, MoveConstructionTakesOverTheFile) {
  IPC_SPEC("file_mapping.move.ctor");
  const std::string path = make_file(kPage);
  ipc::file_mapping source(path.c_str(), ipc::read_write);
  const ipc::file_mapping moved(std::move(source));
  EXPECT_STREQ(moved.get_name(), path.c_str());
  EXPECT_EQ(moved.get_mode(), ipc::read_write);
  const ipc::mapped_region region(moved, ipc::read_write);
  EXPECT_EQ(bytes_of(region)[9], pattern_byte(9));
  EXPECT_TRUE(throws_interprocess_exception([&] { ipc::mapped_region(source, ipc::read_only); }));
}

TEST_F(FileMapping, MoveAssignmentTakesOverTheFile) {
  IPC_SPEC("file_mapping.move.assign");
  const std::string first = make_file(kPage, "first");
  const std::string second = make_file(2 * kPage, "second");
  ipc::file_mapping source(second.c_str(), ipc::read_only);
  ipc::file_mapping target(first.c_str(), ipc::read_write);
  target = std::move(source);
  EXPECT_STREQ(target.get_name(), second.c_str());
  EXPECT_EQ(target.get_mode(), ipc::read_only);
  EXPECT_EQ(ipc::mapped_region(target, ipc::read_only).get_size(), 2 * kPage);
  EXPECT_TRUE(throws_interprocess_exception([&] { ipc::mapped_region(source, ipc::read_only); }));
}

TEST_F(FileMapping, SwapExchangesFilesNamesAndModes) {
  IPC_SPEC("file_mapping.swap");
  const std::string first = make_file(kPage, "first");
  const std::string second = make_file(2 * kPage, "second");
  ipc::file_mapping a(first.c_str(), ipc::read_write);
  ipc::file_mapping b(second.c_str(), ipc::read_only);
  a.swap(b);
  EXPECT_STREQ(a.get_name(), second.c_str());
  EXPECT_EQ(a.get_mode(), ipc::read_only);
  EXPECT_STREQ(b.get_name(), first.c_str());
  EXPECT_EQ(b.get_mode(), ipc::read_write);
  EXPECT_EQ(ipc::mapped_region(a, ipc::read_only).get_size(), 2 * kPage);
  EXPECT_EQ(ipc::mapped_region(b, ipc::read_write).get_size(), kPage);
}

TEST_F(FileMapping, RegionsOutliveTheFileMapping) {
  IPC_SPEC("file_mapping.dtor.regions_stay_valid");
  const std::string path = make_file(kPage);
  ipc::mapped_region region;
  {
    const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
    region = ipc::mapped_region(mapping, ipc::read_write);
  }
  EXPECT_EQ(bytes_of(region)[100], pattern_byte(100));
  bytes_of(region)[100] = 0xC3;
  ASSERT_TRUE(region.flush());
  EXPECT_EQ(static_cast<unsigned char>(read_file(path)[100]), 0xC3);
}

TEST_F(FileMapping, RemoveDeletesTheFileEvenWhileMapped) {
  IPC_SPEC("file_mapping.remove.deletes_file");
  const std::string path = make_file(kPage);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
  const ipc::mapped_region region(mapping, ipc::read_write);
  EXPECT_TRUE(ipc::file_mapping::remove(path.c_str()));
  EXPECT_FALSE(file_exists(path));
  bytes_of(region)[0] = 0x7E;
  EXPECT_EQ(bytes_of(region)[0], 0x7E);
  EXPECT_EQ(bytes_of(region)[1], pattern_byte(1));
}

TEST_F(FileMapping, RemoveOfAMissingFileReturnsFalse) {
  IPC_SPEC("file_mapping.remove.missing_returns_false");
  const std::string path = unique_file_path();
  EXPECT_FALSE(ipc::file_mapping::remove(path.c_str()));
}

TEST_F(FileMapping, RemoveFileOnDestroyDeletesTheFile) {
  IPC_SPEC("file_mapping.remove_file_on_destroy");
  const std::string path = make_file(10);
  {
    const ipc::remove_file_on_destroy remover(path.c_str());
    EXPECT_TRUE(file_exists(path));
  }
  EXPECT_FALSE(file_exists(path));
}

TEST_F(FileMapping, MapsTheWholeFile) {
  IPC_SPEC("file_mapping.map.whole_file");
  const std::size_t size = 2 * kPage + 123;
  const std::string path = make_file(size);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
  const ipc::mapped_region region(mapping, ipc::read_write);
  ASSERT_EQ(region.get_size(), size);
  EXPECT_EQ(std::memcmp(region.get_address(), read_file(path).data(), size), 0);
}

TEST_F(FileMapping, MapsFromAnOffsetToTheEnd) {
  IPC_SPEC("file_mapping.map.offset_to_end");
  const std::size_t size = 3 * kPage;
  const std::string path = make_file(size);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_only);
  const ipc::mapped_region region(mapping, ipc::read_only, static_cast<ipc::offset_t>(kPage));
  ASSERT_EQ(region.get_size(), 2 * kPage);
  for (std::size_t i = 0; i < region.get_size(); ++i) {
    ASSERT_EQ(bytes_of(region)[i], pattern_byte(kPage + i)) << i;
  }
}

TEST_F(FileMapping, MapsTheSecondHalf) {
  IPC_SPEC("file_mapping.map.offset_and_size");
  const std::size_t size = 4 * kPage;
  const std::string path = make_file(size);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
  ipc::mapped_region region(mapping, ipc::read_write, static_cast<ipc::offset_t>(size / 2),
                            size - size / 2);
  ASSERT_EQ(region.get_size(), size - size / 2);
  EXPECT_EQ(bytes_of(region)[0], pattern_byte(size / 2));
  EXPECT_EQ(bytes_of(region)[region.get_size() - 1], pattern_byte(size - 1));
  bytes_of(region)[5] = 0xAB;
  ASSERT_TRUE(region.flush());
  EXPECT_EQ(static_cast<unsigned char>(read_file(path)[size / 2 + 5]), 0xAB);
}

TEST_F(FileMapping, MapsFromAnUnalignedOffset) {
  IPC_SPEC("file_mapping.map.unaligned_offset");
  const std::string path = make_file(2 * kPage);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_only);
  const ipc::offset_t offset = static_cast<ipc::offset_t>(kPage) + 17;
  const ipc::mapped_region region(mapping, ipc::read_only, offset, 50);
  ASSERT_EQ(region.get_size(), 50u);
  for (std::size_t i = 0; i < 50; ++i) {
    ASSERT_EQ(bytes_of(region)[i], pattern_byte(offset + i)) << i;
  }
}

TEST_F(FileMapping, ReadWriteRegionsShareWrites) {
  IPC_SPEC("file_mapping.map.shared_writes");
  const std::string path = make_file(2 * kPage);
  const ipc::file_mapping writer_file(path.c_str(), ipc::read_write);
  const ipc::file_mapping reader_file(path.c_str(), ipc::read_only);
  const ipc::mapped_region writer(writer_file, ipc::read_write);
  const ipc::mapped_region reader(reader_file, ipc::read_only);
  const ipc::mapped_region second_page(writer_file, ipc::read_write,
                                       static_cast<ipc::offset_t>(kPage));
  ASSERT_NE(writer.get_address(), reader.get_address());
  bytes_of(writer)[kPage + 1] = 0x5C;
  EXPECT_EQ(bytes_of(reader)[kPage + 1], 0x5C);
  EXPECT_EQ(bytes_of(second_page)[1], 0x5C);
  bytes_of(second_page)[2] = 0x6D;
  EXPECT_EQ(bytes_of(writer)[kPage + 2], 0x6D);
}

TEST_F(FileMapping, WritesReachTheFileAfterFlushAndUnmapping) {
  IPC_SPEC("file_mapping.map.writes_reach_file", "file_mapping.flush.whole_region");
  const std::size_t size = 3 * kPage;
  const std::string path = make_file(size);
  {
    const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
    ipc::mapped_region region(mapping, ipc::read_write);
    std::memset(region.get_address(), 0x11, size);
    EXPECT_TRUE(region.flush());
  }
  EXPECT_EQ(read_file(path), std::string(size, '\x11'));
}

TEST_F(FileMapping, ReadOnlyAndReadPrivateRegionsShowTheFile) {
  IPC_SPEC("file_mapping.map.read_only", "file_mapping.map.read_private");
  const std::string path = make_file(kPage + 10);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_only);
  for (const ipc::mode_t mode : {ipc::read_only, ipc::read_private}) {
    const ipc::mapped_region region(mapping, mode);
    EXPECT_EQ(region.get_mode(), mode);
    ASSERT_EQ(region.get_size(), kPage + 10);
    EXPECT_EQ(bytes_of(region)[kPage + 9], pattern_byte(kPage + 9));
  }
}

TEST_F(FileMapping, ReadWriteRegionOfAReadOnlyFileThrows) {
  IPC_SPEC("file_mapping.map.mode_exceeds_access_throws");
  const std::string path = make_file(kPage);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_only);
  EXPECT_TRUE(throws_interprocess_exception([&] { ipc::mapped_region(mapping, ipc::read_write); }));
}

TEST_F(FileMapping, CopyOnWriteWritesStayPrivate) {
  IPC_SPEC("file_mapping.map.copy_on_write");
  const std::string path = make_file(2 * kPage);
  const std::string before = read_file(path);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_only);
  const ipc::mapped_region shared(mapping, ipc::read_only);
  const ipc::mapped_region first(mapping, ipc::copy_on_write);
  const ipc::mapped_region second(mapping, ipc::copy_on_write);
  EXPECT_EQ(first.get_mode(), ipc::copy_on_write);
  bytes_of(first)[kPage + 3] = 0xF0;
  EXPECT_EQ(bytes_of(first)[kPage + 3], 0xF0);
  EXPECT_EQ(bytes_of(second)[kPage + 3], pattern_byte(kPage + 3));
  EXPECT_EQ(bytes_of(shared)[kPage + 3], pattern_byte(kPage + 3));
  EXPECT_EQ(read_file(path), before);
}

TEST_F(FileMapping, EmptyFileAndOffsetsPastTheEndThrow) {
  IPC_SPEC("file_mapping.map.bad_range_throws");
  const std::string empty = make_file(0, "empty");
  const ipc::file_mapping empty_mapping(empty.c_str(), ipc::read_write);
  EXPECT_TRUE(
      throws_interprocess_exception([&] { ipc::mapped_region(empty_mapping, ipc::read_write); }));

  const std::string path = make_file(kPage);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
  for (const std::size_t offset : {kPage, kPage + 1, 3 * kPage}) {
    EXPECT_TRUE(throws_interprocess_exception([&] {
      ipc::mapped_region(mapping, ipc::read_write, static_cast<ipc::offset_t>(offset));
    })) << "offset "
        << offset;
  }
  EXPECT_EQ(read_file(path).size(), kPage);
}

TEST_F(FileMapping, NegativeOffsetsThrow) {
  IPC_SPEC("file_mapping.map.negative_offset_throws");
  const std::string path = make_file(kPage);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
  for (const ipc::offset_t offset : {ipc::offset_t{-1}, -static_cast<ipc::offset_t>(kPage)}) {
    try {
      const ipc::mapped_region region(mapping, ipc::read_write, offset);
      ADD_FAILURE() << "offset " << offset << " mapped " << region.get_size() << " bytes at "
                    << region.get_address();
    } catch (const ipc::interprocess_exception&) {
    }
  }
}

TEST_F(FileMapping, FlushesRangesRelativeToTheRegion) {
  IPC_SPEC("file_mapping.flush.range");
  const std::size_t size = 4 * kPage;
  const std::string path = make_file(size);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
  ipc::mapped_region region(mapping, ipc::read_write, static_cast<ipc::offset_t>(2 * kPage));
  ASSERT_EQ(region.get_size(), 2 * kPage);
  bytes_of(region)[kPage + 5] = 0x3C;
  EXPECT_TRUE(region.flush(kPage));
  EXPECT_TRUE(region.flush(kPage, 10));
  EXPECT_TRUE(region.flush(kPage + 5, 1));
  EXPECT_TRUE(region.flush(kPage, kPage));
  EXPECT_EQ(static_cast<unsigned char>(read_file(path)[3 * kPage + 5]), 0x3C);
}

TEST_F(FileMapping, FlushWaitsOrOnlyStartsTheWriteBack) {
  IPC_SPEC("file_mapping.flush.sync_and_async");
  const std::string path = make_file(2 * kPage);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
  ipc::mapped_region region(mapping, ipc::read_write);
  bytes_of(region)[kPage + 7] = 0x5A;
  EXPECT_TRUE(region.flush(kPage, kPage, false));
  EXPECT_EQ(static_cast<unsigned char>(read_file(path)[kPage + 7]), 0x5A);
  EXPECT_TRUE(region.flush(0, 0, true));
}

TEST_F(FileMapping, FixedAddressIsUsedExactly) {
  IPC_SPEC("file_mapping.limits.fixed_address");
  const std::string path = make_file(4 * kPage);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
  char* wanted = free_address(2 * kPage);
  const ipc::mapped_region region(mapping, ipc::read_write, static_cast<ipc::offset_t>(kPage),
                                  2 * kPage, wanted);
  EXPECT_EQ(region.get_address(), wanted);
  EXPECT_EQ(bytes_of(region)[0], pattern_byte(kPage));
}

TEST_F(FileMapping, UnalignedFixedAddressIsRefusedOrHonoured) {
  IPC_SPEC("file_mapping.limits.unaligned_fixed_address");
  const std::string path = make_file(2 * kPage);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
  char* aligned = free_address(2 * kPage);
  struct Attempt {
    ipc::offset_t offset;
    char* address;
  };
  for (const Attempt attempt : {Attempt{0, aligned + 1}, Attempt{1, aligned}}) {
    try {
      const ipc::mapped_region region(mapping, ipc::read_write, attempt.offset, 1, attempt.address);
      EXPECT_EQ(region.get_address(), attempt.address) << "offset " << attempt.offset;
    } catch (const ipc::interprocess_exception&) {
      // Refusing is allowed.
    }
  }
}

TEST_F(FileMapping, PageAlignedOffsetsMapWholePages) {
  IPC_SPEC("file_mapping.limits.page_size");
  const std::size_t page = ipc::mapped_region::get_page_size();
  ASSERT_GT(page, 0u);
  EXPECT_EQ(page & (page - 1), 0u);
  const std::string path = make_file(3 * page);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_only);
  for (std::size_t index = 0; index < 3; ++index) {
    const ipc::mapped_region region(mapping, ipc::read_only,
                                    static_cast<ipc::offset_t>(index * page), page);
    EXPECT_EQ(region.get_size(), page);
    EXPECT_EQ(bytes_of(region)[0], pattern_byte(index * page));
    EXPECT_EQ(bytes_of(region)[page - 1], pattern_byte(index * page + page - 1));
  }
}

// Child of ChildSeesWritesAndTheFileHoldsThem: checks the parent's bytes
// through its own mapping, then answers with writes of its own.
IPC_CHILD_ROLE(file_mapping_reader) {
  const ipc::file_mapping mapping(args.at(0).c_str(), ipc::read_write);
  ipc::mapped_region region(mapping, ipc::read_write);
  const auto* bytes = static_cast<unsigned char*>(region.get_address());
  for (std::size_t i = 0; i < region.get_size() / 2; ++i) {
    IPC_CHILD_CHECK_MSG(bytes[i] == 0xA5, "byte " << i);
  }
  std::memset(static_cast<char*>(region.get_address()) + region.get_size() / 2, 0x5A,
              region.get_size() - region.get_size() / 2);
}

TEST_F(FileMappingMultiProcess, ChildSeesWritesAndTheFileHoldsThem) {
  IPC_SPEC("file_mapping.map.shared_writes", "file_mapping.map.writes_reach_file");
  const std::size_t size = 2 * kPage;
  const std::string path = make_file(size);
  {
    const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
    ipc::mapped_region region(mapping, ipc::read_write);
    std::memset(region.get_address(), 0xA5, size / 2);
    IPC_ASSERT_CHILD_OK(ipc_test::spawn_role("file_mapping_reader", {path}).wait());
    EXPECT_EQ(bytes_of(region)[size / 2], 0x5A);
    EXPECT_EQ(bytes_of(region)[size - 1], 0x5A);
    EXPECT_TRUE(region.flush());
  }
  EXPECT_EQ(read_file(path), std::string(size / 2, '\xA5') + std::string(size / 2, '\x5A'));
}

// Child of CopyOnWriteChildChangesNothing: writes through a copy_on_write
// region and keeps it mapped until the parent has looked.
IPC_CHILD_ROLE(file_mapping_private_writer) {
  ipc_test::Pipe to_parent = ipc_test::Pipe::from_arg(args.at(1));
  ipc_test::Pipe from_parent = ipc_test::Pipe::from_arg(args.at(2));
  const ipc::file_mapping mapping(args.at(0).c_str(), ipc::read_only);
  ipc::mapped_region region(mapping, ipc::copy_on_write);
  std::memset(region.get_address(), 0xEE, region.get_size());
  IPC_CHILD_CHECK(static_cast<unsigned char*>(region.get_address())[1] == 0xEE);
  to_parent.send("written");
  IPC_CHILD_CHECK(from_parent.receive() == "checked");
}

TEST_F(FileMappingMultiProcess, CopyOnWriteChildChangesNothing) {
  IPC_SPEC("file_mapping.map.copy_on_write");
  const std::string path = make_file(kPage);
  const std::string before = read_file(path);
  const ipc::file_mapping mapping(path.c_str(), ipc::read_write);
  const ipc::mapped_region region(mapping, ipc::read_write);
  ipc_test::Pipe from_child;
  ipc_test::Pipe to_child;
  ipc_test::Child child =
      ipc_test::spawn_role("file_mapping_private_writer", {path, from_child.arg(), to_child.arg()});
  EXPECT_EQ(from_child.receive(), "written");
  EXPECT_EQ(std::memcmp(region.get_address(), before.data(), kPage), 0);
  EXPECT_EQ(read_file(path), before);
  to_child.send("checked");
  IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_EQ(read_file(path), before);
}

}  // namespace
