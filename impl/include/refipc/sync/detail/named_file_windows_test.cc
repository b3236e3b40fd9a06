// The directory of refipc's named objects on Windows: the names it refuses
// and the files remove() sweeps (drafts of ended creators, removed objects
// nobody maps). Windows only.
#include "refipc/sync/detail/named_file_windows.hpp"

#include <windows.h>

#include <random>
#include <string>

#include "gtest/gtest.h"

namespace refipc {
namespace sync_detail {
namespace {

class NamedFileTest : public ::testing::Test {
 protected:
  const std::string name_ = std::string("refipc_nf_") +
                            ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
                            std::to_string(std::random_device()());
  const std::wstring path_ = named_file_path(name_.c_str());
};

bool make_file(const std::wstring& path) {
  const HANDLE file = CreateFileW(path.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                                  FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) return false;
  CloseHandle(file);
  return true;
}

bool exists(const std::wstring& path) {
  return GetFileAttributesW(path.c_str()) != INVALID_FILE_ATTRIBUTES;
}

TEST(NamedFileNames, TheSuffixesOfRefipcsOwnFilesAndTrailingDotsAreRefused) {
  for (const char* bad :
       {"a.new", "a.NEW", ".new", "a.1.2.new", "a.removed", "a.Removed", "a.", "a ", "/a.new"}) {
    EXPECT_EQ(check_named_file(bad), named_file_status::malformed) << bad;
  }
  for (const char* good : {"a.newer", "new", "removed", "a.ne", "a.b", "/a"}) {
    EXPECT_EQ(check_named_file(good), named_file_status::valid) << good;
  }
}

TEST(NamedFileNames, NamesDifferingInCaseHaveDifferentFiles) {
  EXPECT_NE(named_file_path("Name"), named_file_path("name"));
  EXPECT_NE(named_file_path("^name"), named_file_path("Name"));
  EXPECT_EQ(named_file_path("/Name"), named_file_path("Name"));
  // The limit holds for the file's name: capitals count twice.
  EXPECT_EQ(check_named_file(std::string(kMaxNamedFile, 'a').c_str()), named_file_status::valid);
  EXPECT_EQ(check_named_file(std::string(kMaxNamedFile / 2 + 1, 'A').c_str()),
            named_file_status::too_long);
}

TEST_F(NamedFileTest, RemoveDeletesTheDraftsOfEndedCreatorsOnly) {
  ASSERT_FALSE(path_.empty());
  // No process has this id (above any Windows process id).
  const std::wstring orphan = path_ + L".4294967290.0.new";
  const std::wstring own = path_ + L"." + std::to_wstring(GetCurrentProcessId()) + L".0.new";
  ASSERT_TRUE(make_file(orphan));
  ASSERT_TRUE(make_file(own));
  EXPECT_FALSE(remove_named_file(name_.c_str()));  // there is no object, only drafts
  EXPECT_FALSE(exists(orphan));
  EXPECT_TRUE(exists(own));
  EXPECT_TRUE(DeleteFileW(own.c_str()));
}

TEST_F(NamedFileTest, RemoveDeletesRemovedObjectsNobodyMaps) {
  ASSERT_FALSE(path_.empty());
  ASSERT_TRUE(make_file(path_));
  EXPECT_TRUE(remove_named_file(name_.c_str()));
  EXPECT_FALSE(exists(path_));
  // Renamed aside, then deleted by the same call's sweep.
  WIN32_FIND_DATAW found;
  const HANDLE search = FindFirstFileW((path_ + L"*").c_str(), &found);
  EXPECT_EQ(search, INVALID_HANDLE_VALUE);
  if (search != INVALID_HANDLE_VALUE) FindClose(search);
}

}  // namespace
}  // namespace sync_detail
}  // namespace refipc
