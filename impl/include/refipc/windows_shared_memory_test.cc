// windows_shared_memory: creation and opening, errors, sharing between
// mappings and with a child process, lifetime, read-only objects, move/swap.
//
// main() below runs the tests, or with "--child NAME" the child role that
// ChildProcessOpensByName starts with CreateProcess: it opens NAME, checks the
// parent's bytes and answers by writing one.
#include "refipc/windows_shared_memory.hpp"

#include <windows.h>

#include <atomic>
#include <cstring>
#include <random>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/permissions.hpp"
#include "refipc/testing/error_of.hpp"

namespace refipc {
namespace {

using refipc_test::error_or_none;

constexpr std::size_t kSize = 1000;

std::string unique_name() {
  static std::atomic<unsigned> counter{0};
  return "refipc_wshm_test_" + std::to_string(GetCurrentProcessId()) + "_" +
         std::to_string(std::random_device{}()) + "_" + std::to_string(counter++);
}

unsigned char* bytes_of(const mapped_region& region) {
  return static_cast<unsigned char*>(region.get_address());
}

bool exists(const std::string& name) {
  return error_or_none([&] { windows_shared_memory(open_only, name.c_str(), read_only); }) ==
         no_error;
}

TEST(WindowsSharedMemoryTest, DefaultConstructedRepresentsNothing) {
  const windows_shared_memory shm;
  EXPECT_STREQ(shm.get_name(), "");
  EXPECT_EQ(shm.get_mapping_handle().handle, nullptr);
  EXPECT_EQ(shm.get_size(), 0);
}

TEST(WindowsSharedMemoryTest, CreateOnlyKeepsNameModeAndSize) {
  const std::string name = unique_name();
  const windows_shared_memory shm(create_only, name.c_str(), read_write, kSize);
  EXPECT_STREQ(shm.get_name(), name.c_str());
  EXPECT_EQ(shm.get_mode(), read_write);
  EXPECT_NE(shm.get_mapping_handle().handle, nullptr);
  EXPECT_TRUE(shm.get_mapping_handle().is_shm);
  // Windows keeps the size rounded up to its page.
  EXPECT_GE(shm.get_size(), static_cast<offset_t>(kSize));
  EXPECT_EQ(shm.get_size() % 4096, 0);
}

TEST(WindowsSharedMemoryTest, CreateOnlyOfAnExistingNameIsAlreadyExists) {
  const std::string name = unique_name();
  const windows_shared_memory shm(create_only, name.c_str(), read_write, kSize);
  EXPECT_EQ(
      error_or_none([&] { windows_shared_memory(create_only, name.c_str(), read_write, kSize); }),
      already_exists_error);
}

TEST(WindowsSharedMemoryTest, OpenOnlyOfAMissingNameIsNotFound) {
  const std::string name = unique_name();
  EXPECT_EQ(error_or_none([&] { windows_shared_memory(open_only, name.c_str(), read_write); }),
            not_found_error);
}

TEST(WindowsSharedMemoryTest, OpenOrCreateCreatesThenOpensKeepingTheSize) {
  const std::string name = unique_name();
  const windows_shared_memory created(open_or_create, name.c_str(), read_write, 3 * 4096);
  const windows_shared_memory opened(open_or_create, name.c_str(), read_write, 4096);
  EXPECT_EQ(opened.get_size(), 3 * 4096);
  const mapped_region writer(created, read_write);
  const mapped_region reader(opened, read_write);
  bytes_of(writer)[3 * 4096 - 1] = 9;
  EXPECT_EQ(bytes_of(reader)[3 * 4096 - 1], 9);
}

TEST(WindowsSharedMemoryTest, TwoMappingsSeeEachOthersWrites) {
  const std::string name = unique_name();
  const windows_shared_memory shm(create_only, name.c_str(), read_write, kSize);
  const windows_shared_memory second(open_only, name.c_str(), read_write);
  const mapped_region a(shm, read_write, 0, kSize);
  const mapped_region b(second, read_write, 0, kSize);
  EXPECT_NE(a.get_address(), b.get_address());
  std::memset(a.get_address(), 0x5a, kSize);
  EXPECT_EQ(bytes_of(b)[kSize - 1], 0x5a);
  bytes_of(b)[0] = 0x11;
  EXPECT_EQ(bytes_of(a)[0], 0x11);
}

TEST(WindowsSharedMemoryTest, ReadOnlyObjectsMapReadOnly) {
  const std::string name = unique_name();
  const windows_shared_memory shm(create_only, name.c_str(), read_write, kSize);
  const mapped_region writer(shm, read_write, 0, kSize);
  bytes_of(writer)[5] = 5;

  const windows_shared_memory reader(open_only, name.c_str(), read_only);
  EXPECT_EQ(reader.get_mode(), read_only);
  const mapped_region view(reader, read_only, 0, kSize);
  EXPECT_EQ(bytes_of(view)[5], 5);
  EXPECT_EQ(error_or_none([&] { mapped_region(reader, read_write); }), security_error);

  // A creator that asks for read_only gets a read-only handle as well.
  const windows_shared_memory created(create_only, unique_name().c_str(), read_only, kSize);
  EXPECT_EQ(error_or_none([&] { mapped_region(created, read_write); }), security_error);
  EXPECT_EQ(error_or_none([&] { mapped_region(created, read_only); }), no_error);
}

TEST(WindowsSharedMemoryTest, CopyOnWriteOfAReadOnlyObjectStaysPrivate) {
  const std::string name = unique_name();
  const windows_shared_memory shm(create_only, name.c_str(), read_write, kSize);
  const mapped_region writer(shm, read_write, 0, kSize);
  const windows_shared_memory reader(open_only, name.c_str(), read_only);
  const mapped_region copy(reader, copy_on_write, 0, kSize);
  bytes_of(copy)[0] = 7;
  EXPECT_EQ(bytes_of(writer)[0], 0);
}

TEST(WindowsSharedMemoryTest, RegionsOutliveTheirObject) {
  const std::string name = unique_name();
  const windows_shared_memory keeper(create_only, name.c_str(), read_write, kSize);
  const mapped_region view(keeper, read_only, 0, kSize);
  mapped_region region;
  {
    const windows_shared_memory shm(open_only, name.c_str(), read_write);
    region = mapped_region(shm, read_write, 0, kSize);
  }
  bytes_of(region)[0] = 3;
  EXPECT_EQ(bytes_of(view)[0], 3);
}

TEST(WindowsSharedMemoryTest, VanishesWhenTheLastHandleAndRegionAreGone) {
  const std::string name = unique_name();
  {
    const windows_shared_memory shm(create_only, name.c_str(), read_write, kSize);
    const mapped_region region(shm, read_write, 0, kSize);
    bytes_of(region)[0] = 3;
    EXPECT_TRUE(exists(name));
  }
  EXPECT_FALSE(exists(name));
  // The name is free again: creating it gives new, zeroed memory.
  const windows_shared_memory fresh(create_only, name.c_str(), read_write, kSize);
  const mapped_region view(fresh, read_only, 0, kSize);
  EXPECT_EQ(bytes_of(view)[0], 0);
}

TEST(WindowsSharedMemoryTest, BadArgumentsThrowTheDocumentedErrors) {
  const std::string name = unique_name();
  EXPECT_EQ(error_or_none([&] { windows_shared_memory(create_only, name.c_str(), read_write, 0); }),
            size_error);
  EXPECT_EQ(error_or_none(
                [&] { windows_shared_memory(create_only, name.c_str(), copy_on_write, kSize); }),
            mode_error);
  EXPECT_EQ(error_or_none([&] { windows_shared_memory(open_only, name.c_str(), invalid_mode); }),
            mode_error);
  EXPECT_EQ(error_or_none([&] { windows_shared_memory(create_only, "", read_write, kSize); }),
            path_error);
  EXPECT_EQ(error_or_none([&] { windows_shared_memory(open_only, nullptr, read_write); }),
            path_error);
  EXPECT_EQ(
      error_or_none([&] { windows_shared_memory(create_only, "bad\xff", read_write, kSize); }),
      path_error);
  // None of the failures above left an object behind.
  EXPECT_FALSE(exists(name));
}

TEST(WindowsSharedMemoryTest, UnrestrictedPermissionsCreateAnOpenableObject) {
  const std::string name = unique_name();
  permissions everyone;
  everyone.set_unrestricted();
  const windows_shared_memory shm(create_only, name.c_str(), read_write, kSize, everyone);
  const windows_shared_memory opened(open_only, name.c_str(), read_write);
  EXPECT_EQ(error_or_none([&] { mapped_region(opened, read_write); }), no_error);
}

TEST(WindowsSharedMemoryTest, MoveAndSwapTransferTheSharedMemory) {
  const std::string first = unique_name();
  const std::string second = unique_name();
  windows_shared_memory source(create_only, first.c_str(), read_write, kSize);
  void* const handle = source.get_mapping_handle().handle;
  windows_shared_memory moved(std::move(source));
  EXPECT_EQ(moved.get_mapping_handle().handle, handle);
  EXPECT_STREQ(moved.get_name(), first.c_str());
  EXPECT_EQ(source.get_mapping_handle().handle, nullptr);
  EXPECT_STREQ(source.get_name(), "");

  windows_shared_memory other(create_only, second.c_str(), read_only, kSize);
  moved.swap(other);
  EXPECT_STREQ(moved.get_name(), second.c_str());
  EXPECT_EQ(moved.get_mode(), read_only);
  EXPECT_STREQ(other.get_name(), first.c_str());
  EXPECT_EQ(other.get_mode(), read_write);

  source = std::move(other);
  EXPECT_STREQ(source.get_name(), first.c_str());
  EXPECT_EQ(other.get_mapping_handle().handle, nullptr);
  // Move assignment closed nothing that is still in use: the memory is there.
  EXPECT_TRUE(exists(first));
}

// Runs this test binary with "--child NAME" and returns its exit code.
DWORD run_child(const std::string& name) {
  wchar_t path[MAX_PATH];
  const DWORD length = GetModuleFileNameW(nullptr, path, MAX_PATH);
  if (length == 0 || length == MAX_PATH) {
    ADD_FAILURE() << "GetModuleFileNameW failed: " << GetLastError();
    return ~DWORD{0};
  }
  std::wstring command = L"\"" + std::wstring(path) + L"\" --child ";
  command.append(name.begin(), name.end());  // Test names are ASCII.
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  PROCESS_INFORMATION process{};
  // No console: the child prints nothing, and wine then starts no console host.
  if (!CreateProcessW(path, &command[0], nullptr, nullptr, FALSE, CREATE_NO_WINDOW, nullptr,
                      nullptr, &startup, &process)) {
    ADD_FAILURE() << "CreateProcessW failed: " << GetLastError();
    return ~DWORD{0};
  }
  DWORD code = ~DWORD{0};
  // Generous: the child needs well under a second; a stuck child fails the
  // test instead of hanging it.
  if (WaitForSingleObject(process.hProcess, 120 * 1000) == WAIT_OBJECT_0) {
    GetExitCodeProcess(process.hProcess, &code);
  } else {
    ADD_FAILURE() << "the child did not end within 120 s";
    TerminateProcess(process.hProcess, code);
  }
  CloseHandle(process.hThread);
  CloseHandle(process.hProcess);
  return code;
}

TEST(WindowsSharedMemoryTest, ChildProcessOpensByName) {
  const std::string name = unique_name();
  const windows_shared_memory shm(create_only, name.c_str(), read_write, kSize);
  const mapped_region region(shm, read_write, 0, kSize);
  std::memset(region.get_address(), 1, kSize - 1);
  EXPECT_EQ(run_child(name), 0u);
  EXPECT_EQ(bytes_of(region)[kSize - 1], 2);
}

// The child of ChildProcessOpensByName. Exit codes: 0 success, 1 the bytes
// were not the parent's, 2 an exception.
int child_main(const char* name) {
  try {
    const windows_shared_memory shm(open_only, name, read_write);
    const mapped_region region(shm, read_write, 0, kSize);
    for (std::size_t i = 0; i + 1 < kSize; ++i) {
      if (bytes_of(region)[i] != 1) return 1;
    }
    bytes_of(region)[kSize - 1] = 2;
    return 0;
  } catch (const interprocess_exception&) {
    return 2;
  }
}

}  // namespace
}  // namespace refipc

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--child") == 0) return refipc::child_main(argv[2]);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
