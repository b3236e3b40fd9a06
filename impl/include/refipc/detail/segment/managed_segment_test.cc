// Unit tests of the managed segments' shared front end: the preamble's
// readiness protocol, the stores, read-only refusal and default permissions.
#include "refipc/detail/segment/managed_segment.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <new>
#include <string>

#include "gtest/gtest.h"
#include "refipc/managed_mapped_file.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/shared_memory_object.hpp"
#include "refipc/sync/testing/robust_lists.hpp"

namespace refipc {
namespace segment_detail {
namespace {

using clock = std::chrono::steady_clock;

std::string unique(const char* tag) {
  return std::string("refipc_ms_") + tag + "_" + std::to_string(getpid()) + "_" +
         std::to_string(clock::now().time_since_epoch().count());
}

// A process id that names no process: a child that has exited and been reaped.
std::int32_t dead_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  return static_cast<std::int32_t>(pid);
}

error_code_t code_of_wait(const segment_preamble& p, clock::duration budget) {
  try {
    wait_until_ready(&p, "test", clock::now() + budget);
  } catch (const interprocess_exception& e) {
    return e.get_error_code();
  }
  return no_error;
}

TEST(SegmentPreambleTest, ReadyAfterEndOfInitialisation) {
  segment_preamble p{};
  begin_initialisation(&p);
  EXPECT_EQ(p.state.load(), static_cast<std::uint32_t>(kInitialising));
  EXPECT_EQ(p.creator_pid, static_cast<std::int32_t>(getpid()));
  end_initialisation(&p);
  EXPECT_EQ(code_of_wait(p, std::chrono::seconds(1)), no_error);
}

TEST(SegmentPreambleTest, DeadCreatorIsReportedBeforeTheDeadline) {
  segment_preamble p{};
  p.creator_pid = dead_pid();
  p.state.store(kInitialising);
  const auto start = clock::now();
  EXPECT_EQ(code_of_wait(p, std::chrono::seconds(60)), corrupted_error);
  EXPECT_LT(clock::now() - start, std::chrono::seconds(30));
}

TEST(SegmentPreambleTest, BlankSegmentTimesOut) {
  segment_preamble p{};
  EXPECT_EQ(code_of_wait(p, std::chrono::milliseconds(20)), corrupted_error);
}

TEST(SegmentPreambleTest, UnknownStateOrMagicIsRejected) {
  segment_preamble p{};
  p.state.store(7);
  EXPECT_EQ(code_of_wait(p, std::chrono::seconds(60)), corrupted_error);
  p.state.store(kReady);
  p.magic = 42;
  EXPECT_EQ(code_of_wait(p, std::chrono::seconds(60)), corrupted_error);
}

TEST(SegmentPreambleTest, BackOffStopsAtTheDeadline) {
  unsigned round = 0;
  EXPECT_TRUE(back_off(round, clock::now() + std::chrono::seconds(5)));
  EXPECT_EQ(round, 1u);
  EXPECT_FALSE(back_off(round, clock::now() - std::chrono::seconds(1)));
}

// A shared memory object laid out as if its creator died while building it.
TEST(ManagedSegmentTest, OpeningAHalfBuiltSegmentOfADeadCreatorFails) {
  const std::string name = unique("dead");
  remove_shared_memory_on_destroy cleanup(name.c_str());
  {
    shared_memory_object shm(create_only, name.c_str(), read_write, 0600);
    shm.truncate(64 * 1024);
    mapped_region region(shm, read_write);
    auto* p = static_cast<segment_preamble*>(region.get_address());
    p->creator_pid = dead_pid();
    p->state.store(kInitialising);
  }
  try {
    managed_shared_memory segment(open_only, name.c_str());
    FAIL() << "opened a half-built segment";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), corrupted_error);
    EXPECT_NE(std::strstr(e.what(), "creator"), nullptr) << e.what();
  }
}

TEST(ManagedSegmentTest, ReadOnlySegmentRefusesWritesAndFindsWithoutLocking) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  const std::string name = unique("ro");
  remove_shared_memory_on_destroy cleanup(name.c_str());
  {
    managed_shared_memory segment(create_only, name.c_str(), 64 * 1024);
    segment.construct<int>("answer")(42);
  }
  managed_shared_memory ro(open_read_only, name.c_str());
  auto found = ro.find<int>("answer");
  ASSERT_NE(found.first, nullptr);
  EXPECT_EQ(*found.first, 42);
  auto code_of = [](auto&& op) {
    try {
      op();
    } catch (const interprocess_exception& e) {
      return e.get_error_code();
    }
    return no_error;
  };
  EXPECT_EQ(code_of([&] { ro.allocate(16); }), mode_error);
  EXPECT_EQ(code_of([&] { ro.construct<int>("other")(1); }), mode_error);
  EXPECT_EQ(code_of([&] { ro.destroy<int>("answer"); }), mode_error);
  EXPECT_EQ(code_of([&] { ro.check_sanity(); }), mode_error);
  EXPECT_EQ(*found.first, 42);
}

TEST(ManagedSegmentTest, NewSegmentsAreOwnerOnlyUnlessPermissionsAreGiven) {
  const std::string file = ::testing::TempDir() + unique("perm");
  {
    managed_mapped_file segment(create_only, file.c_str(), 64 * 1024);
    struct stat st;
    ASSERT_EQ(stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
  file_mapping::remove(file.c_str());
  {
    managed_mapped_file segment(create_only, file.c_str(), 64 * 1024, nullptr, 0640);
    struct stat st;
    ASSERT_EQ(stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
  }
  file_mapping::remove(file.c_str());
}

TEST(ManagedSegmentTest, FailedCreationLeavesNothingBehind) {
  const std::string file = ::testing::TempDir() + unique("small");
  EXPECT_THROW(managed_mapped_file(create_only, file.c_str(), 100), interprocess_exception);
  struct stat st;
  EXPECT_NE(stat(file.c_str(), &st), 0);
}

TEST(ManagedSegmentTest, OpenOrCreateWithATinySizeStillOpensAnExistingSegment) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  const std::string name = unique("tiny");
  remove_shared_memory_on_destroy cleanup(name.c_str());
  managed_shared_memory creator(create_only, name.c_str(), 64 * 1024);
  creator.construct<int>("x")(3);
  managed_shared_memory opener(open_or_create, name.c_str(), 1);
  EXPECT_EQ(*opener.find<int>("x").first, 3);
  const std::string missing = unique("tiny_missing");
  try {
    managed_shared_memory none(open_or_create, missing.c_str(), 1);
    FAIL() << "created a segment of 1 byte";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), size_error);
  }
  EXPECT_FALSE(shared_memory_object::remove(missing.c_str()));
}

TEST(ManagedSegmentTest, GrowOfAMissingOrForeignStoreFails) {
  const std::string name = unique("grow");
  remove_shared_memory_on_destroy cleanup(name.c_str());
  EXPECT_FALSE(managed_shared_memory::grow(name.c_str(), 4096));
  EXPECT_FALSE(managed_shared_memory::shrink_to_fit(name.c_str()));
  {
    shared_memory_object shm(create_only, name.c_str(), read_write, 0600);
    shm.truncate(64 * 1024);
  }
  EXPECT_FALSE(managed_shared_memory::grow(name.c_str(), 4096));
  EXPECT_FALSE(managed_shared_memory::shrink_to_fit(name.c_str()));
  shared_memory_object shm(open_only, name.c_str(), read_only);
  offset_t size = 0;
  ASSERT_TRUE(shm.get_size(size));
  EXPECT_EQ(size, 64 * 1024);
}

TEST(ManagedSegmentTest, TheSegmentManagerFollowsThePreamble) {
  const std::string name = unique("layout");
  remove_shared_memory_on_destroy cleanup(name.c_str());
  managed_shared_memory segment(create_only, name.c_str(), 64 * 1024);
  EXPECT_EQ(static_cast<char*>(static_cast<void*>(segment.get_segment_manager())) -
                static_cast<char*>(segment.get_address()),
            static_cast<std::ptrdiff_t>(segment_preamble::kBytes));
  EXPECT_EQ(segment.get_size(), 64u * 1024);
  const auto* p = static_cast<const segment_preamble*>(segment.get_address());
  EXPECT_EQ(p->state.load(), static_cast<std::uint32_t>(kReady));
  EXPECT_EQ(p->magic, segment_preamble::kMagic);
}

}  // namespace
}  // namespace segment_detail
}  // namespace refipc
