// Conformance tests of shared_memory_object and remove_shared_memory_on_destroy:
// creating, opening, sizing and removing named shared memory, its lifetime,
// names and permissions, and sharing it between processes.
#ifndef _WIN32
#include <sys/stat.h>
#endif

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <ios>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "conformance/common/platform.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

void remove_object(const std::string& name) { ipc::shared_memory_object::remove(name.c_str()); }

std::size_t page_size() { return ipc_test::mapping_granularity(); }

// Test data: byte i of a block filled with `seed`. 251 is prime, so blocks of
// different seeds, or shifted by a page, differ.
unsigned char pattern(std::size_t i, unsigned seed) {
  return static_cast<unsigned char>((i * 131 + seed) % 251);
}

void fill(void* data, std::size_t size, unsigned seed) {
  auto* bytes = static_cast<unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = pattern(i, seed);
}

// Index of the first byte that differs from what fill(data, size, seed)
// writes, or -1.
long first_mismatch(const void* data, std::size_t size, unsigned seed) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    if (bytes[i] != pattern(i, seed)) return static_cast<long>(i);
  }
  return -1;
}

std::optional<ipc::offset_t> size_of(const ipc::shared_memory_object& shm) {
  ipc::offset_t size = -1;
  if (!shm.get_size(size)) return std::nullopt;
  return size;
}

// The error code of the interprocess_exception that `action` throws, or
// nullopt if it throws nothing.
template <class Action>
std::optional<ipc::error_code_t> error_code_of(Action&& action) {
  try {
    action();
  } catch (const ipc::interprocess_exception& e) {
    return e.get_error_code();
  }
  return std::nullopt;
}

bool exists(const std::string& name) {
  try {
    ipc::shared_memory_object probe(ipc::open_only, name.c_str(), ipc::read_only);
    return true;
  } catch (const ipc::interprocess_exception&) {
    return false;
  }
}

#ifdef _WIN32
// refipc's shared memory objects on Windows are files that get their
// directory's ACL: permission bits are neither applied nor readable there.
constexpr const char* kNoPermissionsOnWindows =
    "Windows: shared memory objects are files that keep their directory's ACL; no permission "
    "bits are applied (docs/using-refipc.md, \"Stores on Windows\")";
#else
// The manual equates a handle with shm_open's descriptor (closed by the
// destructor), so descriptors show what handles hold.
using ipc_test::open_descriptors;

// Linux keeps POSIX shared memory objects as files in /dev/shm.
::mode_t permission_bits(const std::string& name) {
  struct stat st;
  if (stat(("/dev/shm/" + name).c_str(), &st) != 0) {
    ADD_FAILURE() << "no /dev/shm/" << name;
    return 0;
  }
  return st.st_mode & 07777;
}

std::string octal(unsigned value) {
  std::ostringstream text;
  text << "0" << std::oct << value;
  return text.str();
}
#endif  // _WIN32

// Portable names of several shapes derived from a unique one ("t..._<pid>_<hex>"),
// still unique.
std::vector<std::string> portable_variants(const std::string& base) {
  std::string upper = base;
  std::string mixed = base;
  std::string letter_then_digits = "Q";
  for (std::size_t i = 0; i < base.size(); ++i) {
    const auto c = static_cast<unsigned char>(base[i]);
    upper[i] = static_cast<char>(std::toupper(c));
    if (i % 2 == 1) mixed[i] = static_cast<char>(std::toupper(c));
    if (!std::isalpha(c)) letter_then_digits += base[i];
  }
  return {base, upper, mixed, letter_then_digits};
}

// Slot contents written by racer `id`.
std::uint64_t slot_value(std::size_t id) { return 0x5eed000000000000ull + id + 1; }

// Creates `name`, sizes it to `size` bytes and fills it with seed 3.
IPC_CHILD_ROLE(create_and_fill) {
  const std::string& name = args.at(0);
  const auto size = static_cast<std::size_t>(std::stoull(args.at(1)));
  ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
  shm.truncate(static_cast<ipc::offset_t>(size));
  ipc::mapped_region region(shm, ipc::read_write);
  fill(region.get_address(), size, 3);
}

// Opens `name` by name, checks its size and the parent's bytes (seed 1), then
// overwrites them with seed 2.
IPC_CHILD_ROLE(check_and_write_back) {
  const std::string& name = args.at(0);
  const auto size = static_cast<std::size_t>(std::stoull(args.at(1)));
  ipc::shared_memory_object shm(ipc::open_only, name.c_str(), ipc::read_write);
  ipc::offset_t actual = -1;
  IPC_CHILD_CHECK(shm.get_size(actual));
  IPC_CHILD_CHECK_MSG(actual == static_cast<ipc::offset_t>(size), "size " << actual);
  ipc::mapped_region region(shm, ipc::read_write);
  IPC_CHILD_CHECK_MSG(region.get_size() == size, "region size " << region.get_size());
  const long mismatch = first_mismatch(region.get_address(), size, 1);
  IPC_CHILD_CHECK_MSG(mismatch == -1, "parent's byte " << mismatch << " differs");
  fill(region.get_address(), size, 2);
}

// One of several processes that open_or_create `name` at the same moment. Each
// writes its own slot, then checks through its own mapping that every racer's
// slot is there.
IPC_CHILD_ROLE(open_or_create_racer) {
  const std::string& name = args.at(0);
  const auto id = static_cast<std::size_t>(std::stoul(args.at(1)));
  const auto racers = static_cast<std::size_t>(std::stoul(args.at(2)));
  ipc_test::Pipe commands = ipc_test::Pipe::from_arg(args.at(3));
  ipc_test::Pipe replies = ipc_test::Pipe::from_arg(args.at(4));
  replies.send("ready");
  IPC_CHILD_CHECK(commands.receive() == "go");
  ipc::shared_memory_object shm(ipc::open_or_create, name.c_str(), ipc::read_write);
  // Every racer sets the same size, so whichever call comes last keeps all slots.
  shm.truncate(static_cast<ipc::offset_t>(racers * sizeof(std::uint64_t)));
  ipc::mapped_region region(shm, ipc::read_write);
  auto* slots = static_cast<std::uint64_t*>(region.get_address());
  slots[id] = slot_value(id);
  replies.send("written");
  IPC_CHILD_CHECK(commands.receive() == "check");
  for (std::size_t i = 0; i < racers; ++i) {
    IPC_CHILD_CHECK_MSG(slots[i] == slot_value(i),
                        "racer " << id << " sees slot " << i << " = " << std::hex << slots[i]);
  }
}

class SharedMemoryObject : public ipc_test::ConformanceTest {
 protected:
  std::string new_name(const std::string& tag = "") { return unique_resource(remove_object, tag); }

  // Permissions must not depend on the umask: a restrictive one is set for the
  // rest of the test.
#ifndef _WIN32
  void set_restrictive_umask() {
    const ::mode_t previous = umask(077);
    at_teardown([previous] { umask(previous); });
  }
#endif
};

class SharedMemoryObjectMultiProcess : public SharedMemoryObject {};

TEST_F(SharedMemoryObject, DefaultConstructedRefersToNoObject) {
  IPC_SPEC("shared_memory_object.default_ctor.empty");
  std::optional<ipc::shared_memory_object> empty;
  EXPECT_NO_THROW(empty.emplace());
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(size_of(*empty), std::nullopt);
  EXPECT_THROW(ipc::mapped_region region(*empty, ipc::read_only), ipc::interprocess_exception);
  EXPECT_NO_THROW(empty.reset());
}

TEST_F(SharedMemoryObject, CreateOnlyCreatesAnEmptyObjectOthersOpenByName) {
  IPC_SPEC("shared_memory_object.create_only.creates",
           "shared_memory_object.create_only.initial_size_zero",
           "shared_memory_object.get_size.reports_size");
  const std::string name = new_name();
  ASSERT_FALSE(exists(name));
  ipc::shared_memory_object created(ipc::create_only, name.c_str(), ipc::read_write);
  EXPECT_EQ(size_of(created), ipc::offset_t{0});
  ipc::shared_memory_object opened(ipc::open_only, name.c_str(), ipc::read_only);
  EXPECT_EQ(size_of(opened), ipc::offset_t{0});

  // One object: what is written through one handle is read through the other.
  created.truncate(static_cast<ipc::offset_t>(page_size()));
  ipc::mapped_region writer(created, ipc::read_write);
  fill(writer.get_address(), page_size(), 1);
  ipc::mapped_region reader(opened, ipc::read_only);
  ASSERT_EQ(reader.get_size(), page_size());
  EXPECT_EQ(first_mismatch(reader.get_address(), page_size(), 1), -1);

  const std::string read_only_name = new_name("ro");
  ipc::shared_memory_object read_only(ipc::create_only, read_only_name.c_str(), ipc::read_only);
  EXPECT_EQ(size_of(read_only), ipc::offset_t{0});
  EXPECT_TRUE(exists(read_only_name));
}

TEST_F(SharedMemoryObject, CreateOnlyOnAnExistingNameThrowsAlreadyExists) {
  IPC_SPEC("shared_memory_object.create_only.exists_throws");
  const std::string name = new_name();
  const std::size_t size = page_size() + 100;
  ipc::shared_memory_object original(ipc::create_only, name.c_str(), ipc::read_write);
  original.truncate(static_cast<ipc::offset_t>(size));
  ipc::mapped_region region(original, ipc::read_write);
  fill(region.get_address(), size, 2);

  for (const ipc::mode_t mode : {ipc::read_write, ipc::read_only}) {
    EXPECT_NE(error_code_of(
                  [&] { ipc::shared_memory_object again(ipc::create_only, name.c_str(), mode); }),
              std::nullopt)
        << "mode " << mode;
  }

  ipc::shared_memory_object reopened(ipc::open_only, name.c_str(), ipc::read_only);
  EXPECT_EQ(size_of(reopened), static_cast<ipc::offset_t>(size));
  ipc::mapped_region view(reopened, ipc::read_only);
  EXPECT_EQ(first_mismatch(view.get_address(), size, 2), -1);
}

TEST_F(SharedMemoryObject, OpenOrCreateCreatesAMissingObject) {
  IPC_SPEC("shared_memory_object.open_or_create.creates");
  for (const ipc::mode_t mode : {ipc::read_write, ipc::read_only}) {
    const std::string name = new_name(mode == ipc::read_write ? "rw" : "ro");
    ASSERT_FALSE(exists(name));
    ipc::shared_memory_object shm(ipc::open_or_create, name.c_str(), mode);
    EXPECT_TRUE(exists(name)) << "mode " << mode;
    EXPECT_EQ(size_of(shm), ipc::offset_t{0}) << "mode " << mode;
  }
}

TEST_F(SharedMemoryObject, OpenOrCreateOpensAnExistingObjectWithItsContents) {
  IPC_SPEC("shared_memory_object.open_or_create.opens_existing");
  const std::string name = new_name();
  const std::size_t size = 2 * page_size() + 7;
  ipc::shared_memory_object original(ipc::create_only, name.c_str(), ipc::read_write);
  original.truncate(static_cast<ipc::offset_t>(size));
  ipc::mapped_region original_region(original, ipc::read_write);
  fill(original_region.get_address(), size, 4);

  ipc::shared_memory_object read_only(ipc::open_or_create, name.c_str(), ipc::read_only);
  EXPECT_EQ(size_of(read_only), static_cast<ipc::offset_t>(size));
  ipc::mapped_region view(read_only, ipc::read_only);
  EXPECT_EQ(first_mismatch(view.get_address(), size, 4), -1);

  ipc::shared_memory_object read_write(ipc::open_or_create, name.c_str(), ipc::read_write);
  EXPECT_EQ(size_of(read_write), static_cast<ipc::offset_t>(size));
  ipc::mapped_region writer(read_write, ipc::read_write);
  fill(writer.get_address(), size, 5);
  EXPECT_EQ(first_mismatch(original_region.get_address(), size, 5), -1);
}

TEST_F(SharedMemoryObject, OpenOnlyOpensWithTheSizeAndContentsLeft) {
  IPC_SPEC("shared_memory_object.open_only.opens");
  const std::string name = new_name();
  const std::size_t size = 3 * page_size() + 1;
  {
    ipc::shared_memory_object creator(ipc::create_only, name.c_str(), ipc::read_write);
    creator.truncate(static_cast<ipc::offset_t>(size));
    ipc::mapped_region region(creator, ipc::read_write);
    fill(region.get_address(), size, 6);
  }
  for (const ipc::mode_t mode : {ipc::read_only, ipc::read_write}) {
    ipc::shared_memory_object opened(ipc::open_only, name.c_str(), mode);
    EXPECT_EQ(size_of(opened), static_cast<ipc::offset_t>(size)) << "mode " << mode;
    ipc::mapped_region view(opened, ipc::read_only);
    EXPECT_EQ(first_mismatch(view.get_address(), size, 6), -1) << "mode " << mode;
  }
}

TEST_F(SharedMemoryObject, OpenOnlyOfAMissingNameThrows) {
  IPC_SPEC("shared_memory_object.open_only.missing_throws");
  const std::string name = new_name();
  for (const ipc::mode_t mode : {ipc::read_write, ipc::read_only}) {
    EXPECT_NE(error_code_of(
                  [&] { ipc::shared_memory_object missing(ipc::open_only, name.c_str(), mode); }),
              std::nullopt)
        << "mode " << mode;
  }
  EXPECT_FALSE(ipc::shared_memory_object::remove(name.c_str())) << "open_only created the object";
}

TEST_F(SharedMemoryObject, GetModeReturnsTheModeOfEachHandle) {
  IPC_SPEC("shared_memory_object.get_mode.returns_mode");
  for (const ipc::mode_t mode : {ipc::read_write, ipc::read_only}) {
    SCOPED_TRACE(mode);
    const std::string name = new_name(mode == ipc::read_write ? "rw" : "ro");
    ipc::shared_memory_object created(ipc::create_only, name.c_str(), mode);
    EXPECT_EQ(created.get_mode(), mode);
    ipc::shared_memory_object opened(ipc::open_only, name.c_str(), mode);
    EXPECT_EQ(opened.get_mode(), mode);
    ipc::shared_memory_object either(ipc::open_or_create, name.c_str(), mode);
    EXPECT_EQ(either.get_mode(), mode);
  }
}

TEST_F(SharedMemoryObject, GetNameReturnsTheNameOfEachHandle) {
  IPC_SPEC("shared_memory_object.get_name.returns_name");
  const std::string name = new_name();
  const std::string other = new_name("other");
  ipc::shared_memory_object created(ipc::create_only, name.c_str(), ipc::read_write);
  ipc::shared_memory_object opened(ipc::open_only, name.c_str(), ipc::read_only);
  ipc::shared_memory_object either(ipc::open_or_create, other.c_str(), ipc::read_write);
  EXPECT_STREQ(created.get_name(), name.c_str());
  EXPECT_STREQ(opened.get_name(), name.c_str());
  EXPECT_STREQ(either.get_name(), other.c_str());
}

TEST_F(SharedMemoryObject, TruncateSetsTheSizeSeenByEveryHandle) {
  IPC_SPEC("shared_memory_object.truncate.sets_size", "shared_memory_object.get_size.reports_size");
  const std::string name = new_name();
  ipc::shared_memory_object created(ipc::create_only, name.c_str(), ipc::read_write);
  ipc::shared_memory_object writer(ipc::open_only, name.c_str(), ipc::read_write);
  ipc::shared_memory_object reader(ipc::open_only, name.c_str(), ipc::read_only);
  const std::size_t page = page_size();
  // Grows, shrinks, grows again; through both writable handles.
  const std::size_t sizes[] = {3 * page + 17, page, 1, 5 * page, 2 * page};
  for (std::size_t i = 0; i < std::size(sizes); ++i) {
    const auto size = static_cast<ipc::offset_t>(sizes[i]);
    SCOPED_TRACE(size);
    (i % 2 == 0 ? created : writer).truncate(size);
    EXPECT_EQ(size_of(created), size);
    EXPECT_EQ(size_of(writer), size);
    EXPECT_EQ(size_of(reader), size);
  }
}

TEST_F(SharedMemoryObject, TruncateToZeroEmptiesTheObject) {
  IPC_SPEC("shared_memory_object.truncate.sets_size");
  const std::string name = new_name();
  ipc::shared_memory_object created(ipc::create_only, name.c_str(), ipc::read_write);
  ipc::shared_memory_object reader(ipc::open_only, name.c_str(), ipc::read_only);
  created.truncate(static_cast<ipc::offset_t>(page_size()));
  EXPECT_NO_THROW(created.truncate(0));
  EXPECT_EQ(size_of(created), ipc::offset_t{0});
  EXPECT_EQ(size_of(reader), ipc::offset_t{0});
}

TEST_F(SharedMemoryObject, TruncateThroughAReadOnlyHandleThrows) {
  IPC_SPEC("shared_memory_object.truncate.read_only_throws");
  const std::string name = new_name();
  const auto size = static_cast<ipc::offset_t>(page_size());
  ipc::shared_memory_object created(ipc::create_only, name.c_str(), ipc::read_write);
  created.truncate(size);
  ipc::shared_memory_object opened(ipc::open_only, name.c_str(), ipc::read_only);
  ipc::shared_memory_object either(ipc::open_or_create, name.c_str(), ipc::read_only);
  for (ipc::shared_memory_object* handle : {&opened, &either}) {
    EXPECT_THROW(handle->truncate(2 * size), ipc::interprocess_exception);
    EXPECT_THROW(handle->truncate(1), ipc::interprocess_exception);
    EXPECT_EQ(size_of(created), size);
  }
}

TEST_F(SharedMemoryObject, MoveConstructionTransfersTheObject) {
  IPC_SPEC("shared_memory_object.move.ctor");
  const std::string name = new_name();
  const auto page = static_cast<ipc::offset_t>(page_size());
  std::optional<ipc::shared_memory_object> target;
  {
    ipc::shared_memory_object source(ipc::create_only, name.c_str(), ipc::read_write);
    source.truncate(page);
    target.emplace(std::move(source));
    EXPECT_EQ(size_of(source), std::nullopt);
    EXPECT_THROW(ipc::mapped_region region(source, ipc::read_only), ipc::interprocess_exception);
  }
  // Destroying the moved-from handle must leave the target's object usable.
  EXPECT_STREQ(target->get_name(), name.c_str());
  EXPECT_EQ(target->get_mode(), ipc::read_write);
  EXPECT_EQ(size_of(*target), page);
  target->truncate(2 * page);
  ipc::shared_memory_object other(ipc::open_only, name.c_str(), ipc::read_only);
  EXPECT_EQ(size_of(other), 2 * page);
  ipc::mapped_region region(*target, ipc::read_write);
  EXPECT_EQ(region.get_size(), 2 * page_size());
}

TEST_F(SharedMemoryObject, MoveAssignmentReleasesTheTargetsObjectAndTakesTheSources) {
  IPC_SPEC("shared_memory_object.move.assign");
  const std::string first = new_name("first");
  const std::string second = new_name("second");
  const auto page = static_cast<ipc::offset_t>(page_size());
  ipc::shared_memory_object target(ipc::create_only, first.c_str(), ipc::read_write);
  target.truncate(page);
  ipc::shared_memory_object source(ipc::create_only, second.c_str(), ipc::read_only);
  {
    ipc::shared_memory_object sizer(ipc::open_only, second.c_str(), ipc::read_write);
    sizer.truncate(3 * page);
  }

  target = std::move(source);
  EXPECT_STREQ(target.get_name(), second.c_str());
  EXPECT_EQ(target.get_mode(), ipc::read_only);
  EXPECT_EQ(size_of(target), 3 * page);
  EXPECT_EQ(size_of(source), std::nullopt);
  EXPECT_THROW(ipc::mapped_region region(source, ipc::read_only), ipc::interprocess_exception);
  // Releasing is not removing.
  ipc::shared_memory_object former(ipc::open_only, first.c_str(), ipc::read_only);
  EXPECT_EQ(size_of(former), page);
}

TEST_F(SharedMemoryObject, SwapExchangesObjectsNamesAndModes) {
  IPC_SPEC("shared_memory_object.swap.exchanges");
  const std::string first = new_name("first");
  const std::string second = new_name("second");
  const std::size_t page = page_size();
  ipc::shared_memory_object a(ipc::create_only, first.c_str(), ipc::read_write);
  a.truncate(static_cast<ipc::offset_t>(page));
  {
    ipc::mapped_region region(a, ipc::read_write);
    fill(region.get_address(), page, 7);
    ipc::shared_memory_object creator(ipc::create_only, second.c_str(), ipc::read_write);
    creator.truncate(static_cast<ipc::offset_t>(2 * page));
    ipc::mapped_region other_region(creator, ipc::read_write);
    fill(other_region.get_address(), 2 * page, 8);
  }
  ipc::shared_memory_object b(ipc::open_only, second.c_str(), ipc::read_only);

  a.swap(b);
  EXPECT_STREQ(a.get_name(), second.c_str());
  EXPECT_EQ(a.get_mode(), ipc::read_only);
  EXPECT_EQ(size_of(a), static_cast<ipc::offset_t>(2 * page));
  EXPECT_STREQ(b.get_name(), first.c_str());
  EXPECT_EQ(b.get_mode(), ipc::read_write);
  EXPECT_EQ(size_of(b), static_cast<ipc::offset_t>(page));
  ipc::mapped_region a_view(a, ipc::read_only);
  EXPECT_EQ(first_mismatch(a_view.get_address(), a_view.get_size(), 8), -1);
  ipc::mapped_region b_view(b, ipc::read_write);
  EXPECT_EQ(first_mismatch(b_view.get_address(), b_view.get_size(), 7), -1);
}

TEST_F(SharedMemoryObject, DestroyingTheHandleKeepsTheObject) {
  IPC_SPEC("shared_memory_object.dtor.keeps_object");
  const std::string name = new_name();
  const std::size_t size = page_size() / 2;
  {
    ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
    shm.truncate(static_cast<ipc::offset_t>(size));
    ipc::mapped_region region(shm, ipc::read_write);
    fill(region.get_address(), size, 9);
  }
  ipc::shared_memory_object reopened(ipc::open_only, name.c_str(), ipc::read_only);
  EXPECT_EQ(size_of(reopened), static_cast<ipc::offset_t>(size));
  ipc::mapped_region view(reopened, ipc::read_only);
  EXPECT_EQ(first_mismatch(view.get_address(), size, 9), -1);
}

TEST_F(SharedMemoryObject, RegionsStayValidAfterTheHandleIsDestroyed) {
  IPC_SPEC("shared_memory_object.dtor.regions_stay_valid");
  const std::string name = new_name();
  const std::size_t size = 2 * page_size();
  std::optional<ipc::mapped_region> region;
  {
    ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
    shm.truncate(static_cast<ipc::offset_t>(size));
    region.emplace(shm, ipc::read_write);
  }
  ASSERT_EQ(region->get_size(), size);
  fill(region->get_address(), size, 10);
  EXPECT_EQ(first_mismatch(region->get_address(), size, 10), -1);
  ipc::shared_memory_object reopened(ipc::open_only, name.c_str(), ipc::read_only);
  ipc::mapped_region view(reopened, ipc::read_only);
  EXPECT_EQ(first_mismatch(view.get_address(), size, 10), -1);
}

TEST_F(SharedMemoryObject, RemoveErasesTheName) {
  IPC_SPEC("shared_memory_object.remove.removes_name");
  const std::string name = new_name();
  {
    ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
    shm.truncate(static_cast<ipc::offset_t>(page_size()));
  }
  EXPECT_TRUE(ipc::shared_memory_object::remove(name.c_str()));
  EXPECT_NE(error_code_of([&] {
              ipc::shared_memory_object gone(ipc::open_only, name.c_str(), ipc::read_write);
            }),
            std::nullopt);
  ipc::shared_memory_object fresh(ipc::create_only, name.c_str(), ipc::read_write);
  EXPECT_EQ(size_of(fresh), ipc::offset_t{0});
}

TEST_F(SharedMemoryObject, RemoveOfAMissingNameReturnsFalse) {
  IPC_SPEC("shared_memory_object.remove.missing_returns_false");
  const std::string name = new_name();
  bool removed = true;
  EXPECT_NO_THROW(removed = ipc::shared_memory_object::remove(name.c_str()));
  EXPECT_FALSE(removed) << "a name never created";

  { ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write); }
  EXPECT_TRUE(ipc::shared_memory_object::remove(name.c_str()));
  removed = true;
  EXPECT_NO_THROW(removed = ipc::shared_memory_object::remove(name.c_str()));
  EXPECT_FALSE(removed) << "a name already removed";
}

TEST_F(SharedMemoryObject, RemoveWhileMappedKeepsTheRegionsValid) {
  IPC_SPEC("shared_memory_object.remove.mapped_contents_survive");
  const std::string name = new_name();
  const std::size_t size = 2 * page_size();
  std::optional<ipc::mapped_region> writer;
  std::optional<ipc::mapped_region> reader;
  {
    ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
    shm.truncate(static_cast<ipc::offset_t>(size));
    writer.emplace(shm, ipc::read_write);
    reader.emplace(shm, ipc::read_only);
    fill(writer->get_address(), size, 11);
  }
  ASSERT_TRUE(ipc::shared_memory_object::remove(name.c_str()));
  EXPECT_FALSE(exists(name));

  EXPECT_EQ(first_mismatch(reader->get_address(), size, 11), -1);
  fill(writer->get_address(), size, 12);
  EXPECT_EQ(first_mismatch(reader->get_address(), size, 12), -1);

  // A new object of the same name is unrelated to the mapped one.
  ipc::shared_memory_object successor(ipc::create_only, name.c_str(), ipc::read_write);
  successor.truncate(static_cast<ipc::offset_t>(size));
  ipc::mapped_region successor_region(successor, ipc::read_write);
  fill(successor_region.get_address(), size, 13);
  EXPECT_EQ(first_mismatch(reader->get_address(), size, 12), -1);
}

TEST_F(SharedMemoryObject, PortableNamesCreateOpenAndRemove) {
  IPC_SPEC("shared_memory_object.names.portable_names");
  const std::string base = unique_resource([](const std::string& unique) {
    for (const auto& name : portable_variants(unique)) remove_object(name);
  });
  const std::vector<std::string> names = portable_variants(base);
  // All exist at once, so names that an implementation confused would clash.
  for (std::size_t i = 0; i < names.size(); ++i) {
    SCOPED_TRACE(names[i]);
    ipc::shared_memory_object shm(ipc::create_only, names[i].c_str(), ipc::read_write);
    shm.truncate(static_cast<ipc::offset_t>(page_size()));
    ipc::mapped_region region(shm, ipc::read_write);
    fill(region.get_address(), page_size(), 20 + static_cast<unsigned>(i));
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    SCOPED_TRACE(names[i]);
    ipc::shared_memory_object shm(ipc::open_only, names[i].c_str(), ipc::read_only);
    ipc::mapped_region region(shm, ipc::read_only);
    EXPECT_EQ(first_mismatch(region.get_address(), page_size(), 20 + static_cast<unsigned>(i)), -1);
  }
  for (const auto& name : names) {
    EXPECT_TRUE(ipc::shared_memory_object::remove(name.c_str())) << name;
    EXPECT_FALSE(exists(name)) << name;
  }
}

TEST_F(SharedMemoryObject, PermissionsAreAppliedExactlyWhateverTheUmask) {
  IPC_SPEC("shared_memory_object.permissions.applied", "shared_memory_object.linux.dev_shm_mode");
#ifdef _WIN32
  GTEST_SKIP() << kNoPermissionsOnWindows;
#else
  set_restrictive_umask();
  for (const unsigned bits : {0600u, 0640u, 0644u, 0666u, 0444u}) {
    SCOPED_TRACE(octal(bits));
    const ipc::permissions perm(static_cast<int>(bits));
    const std::string created_name = new_name("created");
    ipc::shared_memory_object created(ipc::create_only, created_name.c_str(), ipc::read_write,
                                      perm);
    EXPECT_EQ(octal(permission_bits(created_name)), octal(bits)) << "create_only";
    const std::string either_name = new_name("either");
    ipc::shared_memory_object either(ipc::open_or_create, either_name.c_str(), ipc::read_write,
                                     perm);
    EXPECT_EQ(octal(permission_bits(either_name)), octal(bits)) << "open_or_create";
  }
#endif
}

TEST_F(SharedMemoryObject, DefaultPermissionsAre0644) {
  IPC_SPEC("shared_memory_object.permissions.default", "shared_memory_object.linux.dev_shm_mode");
#ifdef _WIN32
  GTEST_SKIP() << kNoPermissionsOnWindows;
#else
  set_restrictive_umask();
  const std::string created_name = new_name("created");
  ipc::shared_memory_object created(ipc::create_only, created_name.c_str(), ipc::read_write);
  EXPECT_EQ(octal(permission_bits(created_name)), "0644") << "create_only";
  const std::string either_name = new_name("either");
  ipc::shared_memory_object either(ipc::open_or_create, either_name.c_str(), ipc::read_only);
  EXPECT_EQ(octal(permission_bits(either_name)), "0644") << "open_or_create";
#endif
}

TEST_F(SharedMemoryObject, RemoveOnDestroyRemovesTheObjectAtScopeEnd) {
  IPC_SPEC("shared_memory_object.remove_on_destroy.removes");
  const std::string name = new_name();
  {
    ipc::remove_shared_memory_on_destroy remover(name.c_str());
    ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
    EXPECT_TRUE(exists(name));
  }
  EXPECT_FALSE(exists(name));
  EXPECT_FALSE(ipc::shared_memory_object::remove(name.c_str()));
}

TEST_F(SharedMemoryObject, RemoveOnDestroyRemovesTheObjectWhenAnExceptionLeavesTheScope) {
  IPC_SPEC("shared_memory_object.remove_on_destroy.removes");
  const std::string name = new_name();
  EXPECT_THROW(
      {
        ipc::remove_shared_memory_on_destroy remover(name.c_str());
        ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
        EXPECT_TRUE(exists(name));
        throw std::runtime_error("leaving the scope early");
      },
      std::runtime_error);
  EXPECT_FALSE(exists(name));
  EXPECT_FALSE(ipc::shared_memory_object::remove(name.c_str()));
}

TEST_F(SharedMemoryObjectMultiProcess, ChildOpensByNameReadsTheBytesAndWritesBack) {
  IPC_SPEC("shared_memory_object.multi_process.shared_contents",
           "shared_memory_object.open_only.opens");
  const std::string name = new_name();
  const std::size_t size = 2 * page_size() + 123;
  ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
  shm.truncate(static_cast<ipc::offset_t>(size));
  ipc::mapped_region region(shm, ipc::read_write);
  fill(region.get_address(), size, 1);

  IPC_ASSERT_CHILD_OK(
      ipc_test::spawn_role("check_and_write_back", {name, std::to_string(size)}).wait());
  EXPECT_EQ(first_mismatch(region.get_address(), size, 2), -1);

  EXPECT_TRUE(ipc::shared_memory_object::remove(name.c_str()));
  EXPECT_FALSE(ipc::shared_memory_object::remove(name.c_str()));
}

TEST_F(SharedMemoryObjectMultiProcess, ObjectOutlivesTheProcessThatCreatedIt) {
  IPC_SPEC("shared_memory_object.dtor.keeps_object", "shared_memory_object.open_only.opens");
  const std::string name = new_name();
  const std::size_t size = page_size() + 5;
  IPC_ASSERT_CHILD_OK(ipc_test::spawn_role("create_and_fill", {name, std::to_string(size)}).wait());

  ipc::shared_memory_object shm(ipc::open_only, name.c_str(), ipc::read_only);
  EXPECT_EQ(size_of(shm), static_cast<ipc::offset_t>(size));
  ipc::mapped_region region(shm, ipc::read_only);
  EXPECT_EQ(first_mismatch(region.get_address(), size, 3), -1);
}

TEST_F(SharedMemoryObjectMultiProcess, RacingOpenOrCreateAllGetTheSameObject) {
  IPC_SPEC("shared_memory_object.open_or_create.concurrent");
  constexpr std::size_t kRacers = 4;
  constexpr int kRounds = 3;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(round);
    const std::string name = new_name("round" + std::to_string(round));
    ipc_test::Pipe replies;
    std::vector<ipc_test::Pipe> commands(kRacers);
    std::vector<ipc_test::Child> racers;
    racers.reserve(kRacers);
    for (std::size_t id = 0; id < kRacers; ++id) {
      racers.push_back(ipc_test::spawn_role(
          "open_or_create_racer",
          {name, std::to_string(id), std::to_string(kRacers), commands[id].arg(), replies.arg()}));
    }
    // Released together once all are waiting, so their calls overlap.
    for (std::size_t i = 0; i < kRacers; ++i) ASSERT_EQ(replies.receive(), "ready");
    for (auto& pipe : commands) pipe.send("go");
    for (std::size_t i = 0; i < kRacers; ++i) ASSERT_EQ(replies.receive(), "written");
    for (auto& pipe : commands) pipe.send("check");
    for (auto& racer : racers) IPC_EXPECT_CHILD_OK(racer.wait());

    ipc::shared_memory_object shm(ipc::open_only, name.c_str(), ipc::read_only);
    EXPECT_EQ(size_of(shm), static_cast<ipc::offset_t>(kRacers * sizeof(std::uint64_t)));
    ipc::mapped_region region(shm, ipc::read_only);
    ASSERT_EQ(region.get_size(), kRacers * sizeof(std::uint64_t));
    const auto* slots = static_cast<const std::uint64_t*>(region.get_address());
    for (std::size_t id = 0; id < kRacers; ++id) EXPECT_EQ(slots[id], slot_value(id)) << id;
    EXPECT_TRUE(ipc::shared_memory_object::remove(name.c_str()));
    EXPECT_FALSE(exists(name));
  }
}

// Beyond the manual (level extension): what a handle holds on Linux and which
// error codes name the cause of a failed open.
class SharedMemoryObjectOnLinux : public SharedMemoryObject {};

TEST_F(SharedMemoryObjectOnLinux, EachHandleHoldsOneDescriptor) {
  IPC_SPEC("shared_memory_object.linux.descriptors");
#ifdef _WIN32
  GTEST_SKIP() << "a Linux requirement: Windows has handles, not descriptors";
#else
  const int before = open_descriptors();
  std::optional<ipc::shared_memory_object> empty;
  empty.emplace();
  EXPECT_EQ(open_descriptors(), before) << "a default-constructed handle holds a descriptor";
  const std::string first = new_name("first");
  const std::string second = new_name("second");
  ipc::shared_memory_object target(ipc::create_only, first.c_str(), ipc::read_write);
  ipc::shared_memory_object source(ipc::create_only, second.c_str(), ipc::read_write);
  EXPECT_EQ(open_descriptors(), before + 2);
  target = std::move(source);
  EXPECT_EQ(open_descriptors(), before + 1) << "the target's former object was not released";
#endif
}

TEST_F(SharedMemoryObjectOnLinux, ErrorCodesNameTheCause) {
  IPC_SPEC("shared_memory_object.error_codes");
  const std::string name = new_name();
  ipc::shared_memory_object created(ipc::create_only, name.c_str(), ipc::read_write);
  EXPECT_EQ(error_code_of([&] {
              ipc::shared_memory_object again(ipc::create_only, name.c_str(), ipc::read_write);
            }),
            ipc::already_exists_error);
  const std::string missing = new_name("missing");
  EXPECT_EQ(error_code_of([&] {
              ipc::shared_memory_object none(ipc::open_only, missing.c_str(), ipc::read_only);
            }),
            ipc::not_found_error);
}

}  // namespace
