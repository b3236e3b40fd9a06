#include "refipc/shared_memory_object.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

// A name unique to the running test, process and run; the object is removed
// when the guard goes out of scope.
class UniqueName {
 public:
  UniqueName() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::random_device random;
    name_ = std::string("refipc_") + test->test_suite_name() + "_" + test->name() + "_" +
            std::to_string(getpid()) + "_" + std::to_string(random());
  }
  UniqueName(const UniqueName&) = delete;
  UniqueName& operator=(const UniqueName&) = delete;
  ~UniqueName() { shared_memory_object::remove(name_.c_str()); }

  const char* c_str() const { return name_.c_str(); }
  std::string dev_shm_path() const { return "/dev/shm/" + name_; }

 private:
  std::string name_;
};

bool exists(const UniqueName& name) {
  struct stat st;
  return stat(name.dev_shm_path().c_str(), &st) == 0;
}

int permission_bits(const UniqueName& name) {
  struct stat st;
  if (stat(name.dev_shm_path().c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

offset_t size_of(const shared_memory_object& shm) {
  offset_t size = -1;
  EXPECT_TRUE(shm.get_size(size));
  return size;
}

bool is_open_descriptor(int fd) { return fcntl(fd, F_GETFD) != -1; }

// Sets the process umask for the lifetime of the guard.
class ScopedUmask {
 public:
  explicit ScopedUmask(::mode_t mask) : previous_(umask(mask)) {}
  ~ScopedUmask() { umask(previous_); }

 private:
  ::mode_t previous_;
};

// Runs `body(i)` for i in [0, count) in child processes that start together,
// and returns how many of them succeeded. Call before starting any thread.
int run_in_children(int count, const std::function<bool(int)>& body) {
  int gate[2];
  if (pipe(gate) != 0) return 0;
  std::vector<pid_t> children;
  for (int i = 0; i < count; ++i) {
    const pid_t pid = fork();
    if (pid == 0) {
      close(gate[1]);
      char byte;
      while (read(gate[0], &byte, 1) < 0 && errno == EINTR) {
      }
      bool ok = false;
      try {
        ok = body(i);
      } catch (...) {
      }
      _exit(ok ? 0 : 1);
    }
    if (pid > 0) children.push_back(pid);
  }
  close(gate[0]);
  close(gate[1]);  // End of file on the pipe releases every child at once.
  int succeeded = 0;
  for (const pid_t pid : children) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++succeeded;
  }
  return succeeded;
}

template <class Action>
interprocess_exception thrown_by(Action action) {
  try {
    action();
  } catch (const interprocess_exception& e) {
    return e;
  }
  ADD_FAILURE() << "no interprocess_exception was thrown";
  return interprocess_exception("nothing thrown");
}

TEST(SharedMemoryObjectTest, DefaultConstructedIsEmpty) {
  const shared_memory_object shm;
  EXPECT_STREQ(shm.get_name(), "");
  EXPECT_EQ(shm.get_mode(), read_only);
  EXPECT_EQ(shm.get_mapping_handle().handle, -1);
  EXPECT_TRUE(shm.get_mapping_handle().is_shm);
  offset_t size = 123;
  EXPECT_FALSE(shm.get_size(size));
  EXPECT_EQ(size, 123);
}

TEST(SharedMemoryObjectTest, CreateOnlyMakesAnEmptyObject) {
  const UniqueName name;
  const shared_memory_object shm(create_only, name.c_str(), read_write);
  EXPECT_TRUE(exists(name));
  EXPECT_STREQ(shm.get_name(), name.c_str());
  EXPECT_EQ(shm.get_mode(), read_write);
  EXPECT_GE(shm.get_mapping_handle().handle, 0);
  EXPECT_TRUE(shm.get_mapping_handle().is_shm);
  EXPECT_EQ(size_of(shm), 0);
}

TEST(SharedMemoryObjectTest, CreateOnlyFailsIfTheNameExists) {
  const UniqueName name;
  shared_memory_object first(create_only, name.c_str(), read_write);
  first.truncate(64);
  const interprocess_exception e =
      thrown_by([&] { shared_memory_object(create_only, name.c_str(), read_write); });
  EXPECT_EQ(e.get_error_code(), already_exists_error);
  EXPECT_EQ(e.get_native_error(), EEXIST);
  EXPECT_NE(std::string(e.what()).find(name.c_str()), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find(std::strerror(EEXIST)), std::string::npos) << e.what();
  // The existing object is untouched.
  EXPECT_TRUE(exists(name));
  EXPECT_EQ(size_of(first), 64);
}

TEST(SharedMemoryObjectTest, OpenOnlyFailsIfTheNameIsMissing) {
  const UniqueName name;
  for (const mode_t mode : {read_only, read_write}) {
    const interprocess_exception e =
        thrown_by([&] { shared_memory_object(open_only, name.c_str(), mode); });
    EXPECT_EQ(e.get_error_code(), not_found_error);
    EXPECT_EQ(e.get_native_error(), ENOENT);
    EXPECT_NE(std::string(e.what()).find(name.c_str()), std::string::npos) << e.what();
  }
  EXPECT_FALSE(exists(name));
}

TEST(SharedMemoryObjectTest, OpenOnlyOpensAnExistingObject) {
  const UniqueName name;
  shared_memory_object creator(create_only, name.c_str(), read_write);
  creator.truncate(4096);
  const shared_memory_object reader(open_only, name.c_str(), read_only);
  EXPECT_EQ(reader.get_mode(), read_only);
  EXPECT_STREQ(reader.get_name(), name.c_str());
  EXPECT_EQ(size_of(reader), 4096);
  shared_memory_object writer(open_only, name.c_str(), read_write);
  writer.truncate(100);
  EXPECT_EQ(size_of(reader), 100);
}

TEST(SharedMemoryObjectTest, OpenOrCreateCreatesThenOpens) {
  const UniqueName name;
  shared_memory_object first(open_or_create, name.c_str(), read_write);
  EXPECT_TRUE(exists(name));
  EXPECT_EQ(size_of(first), 0);
  first.truncate(300);
  const shared_memory_object second(open_or_create, name.c_str(), read_only);
  EXPECT_EQ(second.get_mode(), read_only);
  EXPECT_EQ(size_of(second), 300);
}

TEST(SharedMemoryObjectTest, LeadingSlashNamesTheSameObject) {
  const UniqueName name;
  shared_memory_object plain(create_only, name.c_str(), read_write);
  plain.truncate(10);
  const std::string slashed = std::string("/") + name.c_str();
  const shared_memory_object opened(open_only, slashed.c_str(), read_only);
  EXPECT_STREQ(opened.get_name(), slashed.c_str());
  EXPECT_EQ(size_of(opened), 10);
  EXPECT_TRUE(shared_memory_object::remove(slashed.c_str()));
  EXPECT_FALSE(exists(name));
}

TEST(SharedMemoryObjectTest, InvalidNamesAreRejectedWithoutSystemCalls) {
  const std::string too_long(NAME_MAX + 1, 'n');
  const struct {
    const char* name;
    error_code_t code;
  } cases[] = {
      {nullptr, invalid_argument},    {"", invalid_argument},
      {"/", invalid_argument},        {"//double", invalid_argument},
      {"a/b", invalid_argument},      {".", invalid_argument},
      {"..", invalid_argument},       {"trailing/", invalid_argument},
      {too_long.c_str(), path_error},
  };
  for (const auto& c : cases) {
    const std::vector<std::function<void()>> constructors = {
        [&] { shared_memory_object(create_only, c.name, read_write); },
        [&] { shared_memory_object(open_or_create, c.name, read_write); },
        [&] { shared_memory_object(open_only, c.name, read_only); },
    };
    for (const auto& construct : constructors) {
      const interprocess_exception e = thrown_by(construct);
      EXPECT_EQ(e.get_error_code(), c.code) << (c.name ? c.name : "(null)");
      EXPECT_EQ(e.get_native_error(), 0) << (c.name ? c.name : "(null)");
    }
    EXPECT_FALSE(shared_memory_object::remove(c.name));
  }
}

TEST(SharedMemoryObjectTest, LongestValidNameWorks) {
  std::random_device random;
  std::string name = "refipc_longest_" + std::to_string(getpid()) + "_" + std::to_string(random());
  name.resize(NAME_MAX, 'x');
  const remove_shared_memory_on_destroy remover(name.c_str());
  const shared_memory_object shm(create_only, name.c_str(), read_write);
  EXPECT_STREQ(shm.get_name(), name.c_str());
}

TEST(SharedMemoryObjectTest, ModeMustBeReadOnlyOrReadWrite) {
  const UniqueName name;
  for (const mode_t mode : {copy_on_write, read_private, invalid_mode, static_cast<mode_t>(42)}) {
    for (const auto& construct : std::vector<std::function<void()>>{
             [&] { shared_memory_object(create_only, name.c_str(), mode); },
             [&] { shared_memory_object(open_or_create, name.c_str(), mode); },
             [&] { shared_memory_object(open_only, name.c_str(), mode); },
         }) {
      const interprocess_exception e = thrown_by(construct);
      EXPECT_EQ(e.get_error_code(), mode_error) << mode;
      EXPECT_EQ(e.get_native_error(), 0) << mode;
    }
  }
  EXPECT_FALSE(exists(name));
}

TEST(SharedMemoryObjectTest, RemoveDeletesOnlyTheName) {
  const UniqueName name;
  shared_memory_object shm(create_only, name.c_str(), read_write);
  EXPECT_TRUE(shared_memory_object::remove(name.c_str()));
  EXPECT_FALSE(exists(name));
  EXPECT_FALSE(shared_memory_object::remove(name.c_str()));
  // The open descriptor keeps working; the name can be reused.
  shm.truncate(50);
  EXPECT_EQ(size_of(shm), 50);
  const shared_memory_object recreated(create_only, name.c_str(), read_write);
  EXPECT_EQ(size_of(recreated), 0);
}

TEST(SharedMemoryObjectTest, TruncateGrowsAndShrinks) {
  const UniqueName name;
  shared_memory_object shm(create_only, name.c_str(), read_write);
  shm.truncate(10000);
  EXPECT_EQ(size_of(shm), 10000);
  shm.truncate(10);
  EXPECT_EQ(size_of(shm), 10);
  shm.truncate(0);
  EXPECT_EQ(size_of(shm), 0);
}

TEST(SharedMemoryObjectTest, TruncateOfReadOnlyObjectThrowsModeError) {
  const UniqueName name;
  shared_memory_object creator(create_only, name.c_str(), read_write);
  creator.truncate(8);
  shared_memory_object reader(open_only, name.c_str(), read_only);
  const interprocess_exception e = thrown_by([&] { reader.truncate(16); });
  EXPECT_EQ(e.get_error_code(), mode_error);
  EXPECT_NE(std::string(e.what()).find(name.c_str()), std::string::npos) << e.what();
  EXPECT_EQ(size_of(creator), 8);
}

TEST(SharedMemoryObjectTest, TruncateToNegativeSizeThrowsInvalidArgument) {
  const UniqueName name;
  shared_memory_object shm(create_only, name.c_str(), read_write);
  const interprocess_exception e = thrown_by([&] { shm.truncate(-1); });
  EXPECT_EQ(e.get_error_code(), invalid_argument);
  EXPECT_EQ(e.get_native_error(), EINVAL);
}

TEST(SharedMemoryObjectTest, TruncateOfEmptyObjectThrows) {
  shared_memory_object shm;
  const interprocess_exception e = thrown_by([&] { shm.truncate(1); });
  EXPECT_EQ(e.get_native_error(), EBADF);
  EXPECT_EQ(e.get_error_code(), system_error);
}

TEST(SharedMemoryObjectTest, ExplicitPermissionsAreExactDespiteTheUmask) {
  const ScopedUmask mask(0077);
  const UniqueName defaulted, unrestricted, custom, opened_or_created;
  const shared_memory_object a(create_only, defaulted.c_str(), read_write);
  EXPECT_EQ(permission_bits(defaulted), 0600);  // owner-only, which umask 077 keeps
  permissions all;
  all.set_unrestricted();
  const shared_memory_object b(create_only, unrestricted.c_str(), read_write, all);
  EXPECT_EQ(permission_bits(unrestricted), 0666);
  const shared_memory_object c(create_only, custom.c_str(), read_only, 0640);
  EXPECT_EQ(permission_bits(custom), 0640);
  const shared_memory_object d(open_or_create, opened_or_created.c_str(), read_write, 0660);
  EXPECT_EQ(permission_bits(opened_or_created), 0660);
}

TEST(SharedMemoryObjectTest, OpeningKeepsExistingPermissions) {
  const UniqueName name;
  const shared_memory_object creator(create_only, name.c_str(), read_write, 0600);
  const shared_memory_object opener(open_or_create, name.c_str(), read_write, 0666);
  EXPECT_EQ(permission_bits(name), 0600);
}

TEST(SharedMemoryObjectTest, OpeningWithoutAccessThrowsSecurityError) {
  if (geteuid() == 0) GTEST_SKIP() << "root bypasses permission checks";
  const UniqueName name;
  const shared_memory_object creator(create_only, name.c_str(), read_write, 0400);
  const interprocess_exception e =
      thrown_by([&] { shared_memory_object(open_only, name.c_str(), read_write); });
  EXPECT_EQ(e.get_error_code(), security_error);
  EXPECT_EQ(e.get_native_error(), EACCES);
}

TEST(SharedMemoryObjectTest, DescriptorsAreCloseOnExec) {
  const UniqueName name;
  const shared_memory_object created(create_only, name.c_str(), read_write);
  const shared_memory_object opened(open_only, name.c_str(), read_only);
  const shared_memory_object either(open_or_create, name.c_str(), read_only);
  for (const auto* shm : {&created, &opened, &either}) {
    const int flags = fcntl(shm->get_mapping_handle().handle, F_GETFD);
    ASSERT_NE(flags, -1);
    EXPECT_TRUE(flags & FD_CLOEXEC);
  }
}

TEST(SharedMemoryObjectTest, DestructionClosesTheDescriptorButKeepsTheObject) {
  const UniqueName name;
  int fd = -1;
  {
    const shared_memory_object shm(create_only, name.c_str(), read_write);
    fd = shm.get_mapping_handle().handle;
    EXPECT_TRUE(is_open_descriptor(fd));
  }
  EXPECT_FALSE(is_open_descriptor(fd));
  EXPECT_TRUE(exists(name));
}

TEST(SharedMemoryObjectTest, MoveConstructionTransfersOwnership) {
  const UniqueName name;
  shared_memory_object source(create_only, name.c_str(), read_write);
  const int fd = source.get_mapping_handle().handle;
  const shared_memory_object target(std::move(source));
  EXPECT_EQ(target.get_mapping_handle().handle, fd);
  EXPECT_STREQ(target.get_name(), name.c_str());
  EXPECT_EQ(target.get_mode(), read_write);
  EXPECT_EQ(source.get_mapping_handle().handle, -1);  // NOLINT(bugprone-use-after-move)
  EXPECT_STREQ(source.get_name(), "");
  EXPECT_EQ(source.get_mode(), read_only);
}

TEST(SharedMemoryObjectTest, MoveAssignmentClosesThePreviousDescriptor) {
  const UniqueName first_name, second_name;
  shared_memory_object first(create_only, first_name.c_str(), read_write);
  shared_memory_object second(create_only, second_name.c_str(), read_only);
  const int first_fd = first.get_mapping_handle().handle;
  const int second_fd = second.get_mapping_handle().handle;
  first = std::move(second);
  EXPECT_FALSE(is_open_descriptor(first_fd));
  EXPECT_EQ(first.get_mapping_handle().handle, second_fd);
  EXPECT_STREQ(first.get_name(), second_name.c_str());
  EXPECT_EQ(first.get_mode(), read_only);
  EXPECT_EQ(second.get_mapping_handle().handle, -1);  // NOLINT(bugprone-use-after-move)
}

TEST(SharedMemoryObjectTest, SwapExchangesEverything) {
  const UniqueName name;
  shared_memory_object a(create_only, name.c_str(), read_write);
  shared_memory_object b;
  const int fd = a.get_mapping_handle().handle;
  a.swap(b);
  EXPECT_EQ(a.get_mapping_handle().handle, -1);
  EXPECT_STREQ(a.get_name(), "");
  EXPECT_EQ(b.get_mapping_handle().handle, fd);
  EXPECT_STREQ(b.get_name(), name.c_str());
  EXPECT_EQ(b.get_mode(), read_write);
}

TEST(RemoveSharedMemoryOnDestroyTest, RemovesWhenDestroyed) {
  const UniqueName name;
  {
    const remove_shared_memory_on_destroy remover(name.c_str());
    const shared_memory_object shm(create_only, name.c_str(), read_write);
    EXPECT_TRUE(exists(name));
  }
  EXPECT_FALSE(exists(name));
}

TEST(RemoveSharedMemoryOnDestroyTest, ToleratesMissingAndNullNames) {
  const UniqueName name;
  { const remove_shared_memory_on_destroy missing(name.c_str()); }
  { const remove_shared_memory_on_destroy null(nullptr); }
  EXPECT_FALSE(exists(name));
}

TEST(SharedMemoryObjectTest, ConcurrentOpenOrCreateAllSucceedWithExactPermissions) {
  const UniqueName name;
  const ScopedUmask mask(0077);
  constexpr int kProcesses = 6;
  const int succeeded = run_in_children(kProcesses, [&](int) {
    shared_memory_object shm(open_or_create, name.c_str(), read_write, 0666);
    return shm.get_mode() == read_write;
  });
  EXPECT_EQ(succeeded, kProcesses);
  EXPECT_EQ(permission_bits(name), 0666);
}

TEST(SharedMemoryObjectTest, OpenOrCreateSurvivesConcurrentRemoval) {
  const UniqueName name;
  constexpr int kProcesses = 4;
  constexpr int kRounds = 300;
  const int succeeded = run_in_children(kProcesses, [&](int index) {
    for (int round = 0; round < kRounds; ++round) {
      if (index == 0) {
        shared_memory_object::remove(name.c_str());
      } else {
        const shared_memory_object shm(open_or_create, name.c_str(), read_write);
      }
    }
    return true;
  });
  EXPECT_EQ(succeeded, kProcesses);
}

}  // namespace
}  // namespace refipc
