// Conformance tests of basic_managed_mapped_file: "Managed Mapped File",
// "Growing managed segments", "Opening managed shared memory and mapped files
// with Copy On Write or Read Only modes" and the reference entry.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

constexpr std::size_t kSize = 64 * 1024;

class ManagedMappedFile : public ipc_test::ConformanceTest {};

std::size_t file_size(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<std::size_t>(st.st_size) : 0;
}

bool exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

TEST_F(ManagedMappedFile, TypedefsNameCharWideAndFixedSegments) {
  IPC_SPEC("managed_mapped_file.typedefs");
  EXPECT_TRUE((std::is_same_v<ipc::managed_mapped_file::char_type, char>));
  EXPECT_TRUE((std::is_same_v<ipc::wmanaged_mapped_file::char_type, wchar_t>));
  EXPECT_TRUE((std::is_same_v<ipc::managed_mapped_file::segment_manager::void_pointer,
                              ipc::offset_ptr<void>>));
  const std::string path = unique_file_path();
  ipc::wmanaged_mapped_file wide(ipc::create_only, path.c_str(), kSize);
  int* i = wide.construct<int>(L"wide")(1);
  EXPECT_EQ(wide.find<int>(L"wide").first, i);
}

TEST_F(ManagedMappedFile, CreateOnlyCreatesAFileOfTheRequestedSize) {
  IPC_SPEC("managed_mapped_file.create_only");
  const std::string path = unique_file_path();
  ipc::managed_mapped_file file(ipc::create_only, path.c_str(), kSize);
  EXPECT_TRUE(exists(path));
  EXPECT_EQ(file_size(path), kSize);
  EXPECT_EQ(file.get_size(), kSize);
  file.construct<int>("i")(1);
  EXPECT_THROW(ipc::managed_mapped_file(ipc::create_only, path.c_str(), kSize),
               ipc::interprocess_exception);
  EXPECT_EQ(*file.find<int>("i").first, 1);
}

TEST_F(ManagedMappedFile, OpenOnlySeesTheObjectsAndMissingFilesThrow) {
  IPC_SPEC("managed_mapped_file.open_only");
  const std::string path = unique_file_path();
  ipc::managed_mapped_file creator(ipc::create_only, path.c_str(), kSize);
  creator.construct<double>("d")(0.5);
  ipc::managed_mapped_file opener(ipc::open_only, path.c_str());
  EXPECT_EQ(*opener.find<double>("d").first, 0.5);
  const std::string missing = unique_file_path("missing");
  EXPECT_THROW(ipc::managed_mapped_file(ipc::open_only, missing.c_str()),
               ipc::interprocess_exception);
  EXPECT_FALSE(exists(missing));
}

TEST_F(ManagedMappedFile, OpenOrCreateCreatesThenOpensIgnoringTheSize) {
  IPC_SPEC("managed_mapped_file.open_or_create");
  const std::string path = unique_file_path();
  ipc::managed_mapped_file first(ipc::open_or_create, path.c_str(), kSize);
  first.construct<int>("x")(3);
  ipc::managed_mapped_file second(ipc::open_or_create, path.c_str(), 4 * kSize);
  EXPECT_EQ(second.get_size(), kSize);
  EXPECT_EQ(*second.find<int>("x").first, 3);
}

TEST_F(ManagedMappedFile, TheFileKeepsTheObjectsUntilRemoved) {
  IPC_SPEC("managed_mapped_file.lifetime");
  const std::string path = unique_file_path();
  { ipc::managed_mapped_file(ipc::create_only, path.c_str(), kSize).construct<int>("k")(8); }
  {
    ipc::managed_mapped_file again(ipc::open_only, path.c_str());
    ASSERT_NE(again.find<int>("k").first, nullptr);
    EXPECT_EQ(*again.find<int>("k").first, 8);
  }
  EXPECT_TRUE(ipc::file_mapping::remove(path.c_str()));
  EXPECT_FALSE(exists(path));
}

TEST_F(ManagedMappedFile, RequestedAddressPlacesTheSegment) {
  IPC_SPEC("managed_mapped_file.address");
  const std::string probe = unique_file_path("probe");
  void* addr;
  {
    ipc::managed_mapped_file free_space(ipc::create_only, probe.c_str(), 4 * kSize);
    addr = free_space.get_address();
  }
  const std::string path = unique_file_path();
  ipc::managed_mapped_file file(ipc::create_only, path.c_str(), kSize, addr);
  EXPECT_EQ(file.get_address(), addr);
  EXPECT_TRUE(file.belongs_to_segment(file.construct<int>("i")(1)));
}

// The manual's copy-on-write and read-only listing.
TEST_F(ManagedMappedFile, CopyOnWriteAndReadOnlyAsInTheManual) {
  IPC_SPEC("managed_mapped_file.copy_on_write", "managed_mapped_file.read_only");
  const std::string ManagedFile = unique_file_path("file");
  const std::string ManagedFile2 = unique_file_path("file2");
  {
    ipc::managed_mapped_file managed_file(ipc::create_only, ManagedFile.c_str(), 65536);
    managed_file.construct<int>("MyInt")(0u);
    ipc::managed_mapped_file managed_file_cow(ipc::open_copy_on_write, ManagedFile.c_str());
    EXPECT_TRUE(managed_file_cow.destroy<int>("MyInt"));
    // The listing omits the "()" that constructs the object; without it the
    // proxy is discarded and nothing is built.
    managed_file_cow.construct<int>("MyInt2")();
    EXPECT_EQ(managed_file_cow.find<int>("MyInt").first, nullptr);
    EXPECT_NE(managed_file_cow.find<int>("MyInt2").first, nullptr);
    EXPECT_NE(managed_file.find<int>("MyInt").first, nullptr);
    EXPECT_EQ(managed_file.find<int>("MyInt2").first, nullptr);
    {
      std::fstream file(ManagedFile2, std::ios_base::out | std::ios_base::binary);
      ASSERT_TRUE(file);
      file.write(static_cast<const char*>(managed_file_cow.get_address()),
                 static_cast<std::streamsize>(managed_file_cow.get_size()));
    }
    ipc::managed_mapped_file managed_file_cow2(ipc::open_only, ManagedFile2.c_str());
    EXPECT_EQ(managed_file_cow2.find<int>("MyInt").first, nullptr);
    EXPECT_NE(managed_file_cow2.find<int>("MyInt2").first, nullptr);
  }
  {
    ipc::managed_mapped_file managed_file_ro(ipc::open_read_only, ManagedFile.c_str());
    EXPECT_NE(managed_file_ro.find<int>("MyInt").first, nullptr);
    EXPECT_EQ(managed_file_ro.find<int>("MyInt2").first, nullptr);
    EXPECT_EQ(std::distance(managed_file_ro.named_begin(), managed_file_ro.named_end()), 1);
    EXPECT_EQ(std::distance(managed_file_ro.unique_begin(), managed_file_ro.unique_end()), 0);
  }
}

TEST_F(ManagedMappedFile, FlushWritesTheMappingToTheFile) {
  IPC_SPEC("managed_mapped_file.flush");
  const std::string path = unique_file_path();
  ipc::managed_mapped_file file(ipc::create_only, path.c_str(), kSize);
  const char marker[] = "flushed-marker-4f2a9c";
  char* text = file.construct<char>("text")[sizeof marker](0);
  std::memcpy(text, marker, sizeof marker);
  EXPECT_TRUE(file.flush());
  std::ifstream in(path, std::ios_base::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(bytes.find(marker), std::string::npos);
}

TEST_F(ManagedMappedFile, MoveAndSwapTransferTheSegment) {
  IPC_SPEC("managed_mapped_file.move_swap");
  const std::string a_path = unique_file_path("a");
  const std::string b_path = unique_file_path("b");
  ipc::managed_mapped_file a(ipc::create_only, a_path.c_str(), kSize);
  int* in_a = a.construct<int>("v")(1);
  ipc::managed_mapped_file moved(std::move(a));
  EXPECT_EQ(moved.find<int>("v").first, in_a);
  ipc::managed_mapped_file b(ipc::create_only, b_path.c_str(), 2 * kSize);
  b.construct<int>("v")(2);
  moved.swap(b);
  EXPECT_EQ(*moved.find<int>("v").first, 2);
  EXPECT_EQ(b.find<int>("v").first, in_a);
  ipc::managed_mapped_file target;
  target = std::move(b);
  EXPECT_EQ(target.find<int>("v").first, in_a);
  EXPECT_EQ(target.get_size(), kSize);
}

TEST_F(ManagedMappedFile, GrowAndShrinkToFitChangeTheFileAndKeepObjects) {
  IPC_SPEC("managed_mapped_file.grow", "managed_mapped_file.shrink_to_fit");
  const std::string path = unique_file_path();
  {
    ipc::managed_mapped_file file(ipc::create_only, path.c_str(), kSize);
    file.construct<int>("kept")[10](6);
  }
  EXPECT_TRUE(ipc::managed_mapped_file::grow(path.c_str(), kSize));
  EXPECT_EQ(file_size(path), 2 * kSize);
  {
    ipc::managed_mapped_file file(ipc::open_only, path.c_str());
    EXPECT_EQ(file.get_size(), 2 * kSize);
    EXPECT_EQ(file.find<int>("kept").second, 10u);
    void* big = file.allocate(kSize + kSize / 2);
    file.deallocate(big);
  }
  EXPECT_TRUE(ipc::managed_mapped_file::shrink_to_fit(path.c_str()));
  EXPECT_LT(file_size(path), kSize);
  ipc::managed_mapped_file file(ipc::open_only, path.c_str());
  EXPECT_EQ(file.get_size(), file_size(path));
  ASSERT_NE(file.find<int>("kept").first, nullptr);
  EXPECT_EQ(file.find<int>("kept").first[9], 6);
  EXPECT_TRUE(file.check_sanity());
}

TEST_F(ManagedMappedFile, OffersTheServicesOfManagedSegments) {
  IPC_SPEC("managed_mapped_file.services");
  const std::string path = unique_file_path();
  ipc::managed_mapped_file file(ipc::create_only, path.c_str(), kSize);
  void* raw = file.allocate(100);
  const auto handle = file.get_handle_from_address(raw);
  EXPECT_EQ(file.get_address_from_handle(handle), raw);
  long* unique = file.construct<long>(ipc::unique_instance)(1);
  int* anon = file.construct<int>(ipc::anonymous_instance)(2);
  int* named = file.find_or_construct<int>("named")(3);
  EXPECT_EQ(file.find<long>(ipc::unique_instance).first, unique);
  EXPECT_EQ(file.get_num_named_objects(), 1u);
  EXPECT_EQ(file.get_num_unique_objects(), 1u);
  EXPECT_TRUE(file.destroy<int>("named"));
  EXPECT_EQ(file.find<int>("named").first, nullptr);
  (void)named;
  file.destroy_ptr(anon);
  file.destroy_ptr(unique);
  file.deallocate(raw);
  EXPECT_TRUE(file.all_memory_deallocated());
  EXPECT_TRUE(file.check_sanity());
}

// args: path, mode (rw, ro, cow), expected number of list nodes. Checks every
// object the parent wrote; rw adds "from_child", cow changes things privately.
IPC_CHILD_ROLE(mmf_reader) {
  const std::string& path = args.at(0);
  const std::string& mode = args.at(1);
  const int nodes = std::stoi(args.at(2));
  auto check = [&](auto& file) {
    auto text = file.template find<char>("text");
    IPC_CHILD_CHECK(text.first != nullptr && std::strcmp(text.first, "persisted") == 0);
    struct Node {
      ipc::offset_ptr<Node> next;
      int value;
    };
    int count = 0;
    for (Node* n = file.template find<Node>("list").first; n; n = n->next.get()) {
      IPC_CHILD_CHECK(n->value == count);
      ++count;
    }
    IPC_CHILD_CHECK_MSG(count == nodes, count << " nodes");
  };
  if (mode == "rw") {
    ipc::managed_mapped_file file(ipc::open_only, path.c_str());
    check(file);
    file.template construct<int>("from_child")(99);
    IPC_CHILD_CHECK(file.flush());
  } else if (mode == "ro") {
    ipc::managed_mapped_file file(ipc::open_read_only, path.c_str());
    check(file);
    IPC_CHILD_CHECK(*file.find<int>("from_child").first == 99);
  } else {
    ipc::managed_mapped_file file(ipc::open_copy_on_write, path.c_str());
    check(file);
    IPC_CHILD_CHECK(file.destroy<char>("text"));
    file.construct<int>("cow_only")(1);
  }
}

TEST_F(ManagedMappedFile, AFileWrittenByOneProcessIsReopenedByAnother) {
  IPC_SPEC("managed_mapped_file.persistence_across_processes");
  struct Node {
    ipc::offset_ptr<Node> next;
    int value;
  };
  constexpr int kNodes = 200;
  const std::string path = unique_file_path();
  {
    ipc::managed_mapped_file file(ipc::create_only, path.c_str(), 128 * 1024);
    std::strcpy(file.construct<char>("text")[10](0), "persisted");
    Node* head = file.construct<Node>("list")(Node{nullptr, 0});
    Node* tail = head;
    for (int i = 1; i < kNodes; ++i) {
      Node* n = file.construct<Node>(ipc::anonymous_instance)(Node{nullptr, i});
      tail->next = n;
      tail = n;
    }
    EXPECT_TRUE(file.flush());
  }
  const std::string count = std::to_string(kNodes);
  for (const char* mode : {"rw", "ro", "cow"}) {
    auto child = ipc_test::spawn_role("mmf_reader", {path, mode, count});
    IPC_ASSERT_CHILD_OK(child.wait());
  }
  {
    ipc::managed_mapped_file file(ipc::open_only, path.c_str());
    EXPECT_EQ(file.find<int>("cow_only").first, nullptr);
    EXPECT_NE(file.find<char>("text").first, nullptr);
    EXPECT_EQ(*file.find<int>("from_child").first, 99);
  }
  ASSERT_TRUE(ipc::managed_mapped_file::grow(path.c_str(), 64 * 1024));
  auto grown = ipc_test::spawn_role("mmf_reader", {path, "ro", count});
  IPC_ASSERT_CHILD_OK(grown.wait());
  ASSERT_TRUE(ipc::managed_mapped_file::shrink_to_fit(path.c_str()));
  EXPECT_LT(file_size(path), 128u * 1024);
  auto shrunk = ipc_test::spawn_role("mmf_reader", {path, "ro", count});
  IPC_ASSERT_CHILD_OK(shrunk.wait());
}

void write_file(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios_base::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST_F(ManagedMappedFile, OpeningWhatIsNotASegmentThrows) {
  IPC_SPEC("managed_mapped_file.checked_open");
  IPC_REQUIRE_FEATURE("checked_open");
  std::mt19937 random(12345);
  std::vector<char> noise(kSize);
  for (char& c : noise) c = static_cast<char>(random());
  noise[0] = 0x5a;  // a state word that is not a lifecycle state
  const std::string junk = unique_file_path("junk");
  write_file(junk, noise);
  EXPECT_THROW(ipc::managed_mapped_file(ipc::open_only, junk.c_str()), ipc::interprocess_exception);
  EXPECT_THROW(ipc::managed_mapped_file(ipc::open_read_only, junk.c_str()),
               ipc::interprocess_exception);
  EXPECT_THROW(ipc::managed_mapped_file(ipc::open_copy_on_write, junk.c_str()),
               ipc::interprocess_exception);
  EXPECT_THROW(ipc::managed_mapped_file(ipc::open_or_create, junk.c_str(), kSize),
               ipc::interprocess_exception);

  // The first 4 KiB of a valid segment: a truncated file.
  const std::string valid = unique_file_path("valid");
  { ipc::managed_mapped_file(ipc::create_only, valid.c_str(), kSize).construct<int>("i")(1); }
  std::vector<char> head(4096);
  {
    std::ifstream in(valid, std::ios_base::binary);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
  }
  const std::string truncated = unique_file_path("truncated");
  write_file(truncated, head);
  EXPECT_THROW(ipc::managed_mapped_file(ipc::open_only, truncated.c_str()),
               ipc::interprocess_exception);

  const std::string wide = unique_file_path("wide");
  { ipc::wmanaged_mapped_file(ipc::create_only, wide.c_str(), kSize); }
  EXPECT_THROW(ipc::managed_mapped_file(ipc::open_only, wide.c_str()), ipc::interprocess_exception);
}

TEST_F(ManagedMappedFile, OpeningAnEmptyFileThrowsAfterABoundedWait) {
  IPC_SPEC("managed_mapped_file.checked_open");
  IPC_REQUIRE_FEATURE("checked_open");
  const std::string empty = unique_file_path("empty");
  write_file(empty, {});
  EXPECT_THROW(ipc::managed_mapped_file(ipc::open_only, empty.c_str()),
               ipc::interprocess_exception);
}

TEST_F(ManagedMappedFile, NewFilesAreOwnerOnlyUnlessPermissionsAreGiven) {
  IPC_SPEC("managed_mapped_file.owner_only");
  IPC_REQUIRE_FEATURE("owner_only_permissions");
  const ::mode_t old_mask = umask(0);
  at_teardown([old_mask] { umask(old_mask); });
  const std::string plain = unique_file_path("plain");
  { ipc::managed_mapped_file(ipc::create_only, plain.c_str(), kSize); }
  struct stat st;
  ASSERT_EQ(stat(plain.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  umask(077);
  const std::string given = unique_file_path("given");
  { ipc::managed_mapped_file(ipc::create_only, given.c_str(), kSize, nullptr, 0640); }
  ASSERT_EQ(stat(given.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

}  // namespace
