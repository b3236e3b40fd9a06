// A full /dev/shm: every kind of object refipc creates, created until the
// space runs out, must fail with out_of_space_error, never with a signal
// (SIGBUS from a write to an unreserved page), and must leave no
// half-created object behind. Runs in a forked child with its own mount
// namespace and a small tmpfs on /dev/shm.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "impl/failure_model/child.hpp"
#include "impl/failure_model/objects.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/ipc/message_queue.hpp"

namespace refipc_failure_model {
namespace {

// 16 pages: a few objects of each kind fit.
constexpr char kTmpfsOptions[] = "size=64k";
constexpr int kMostObjects = 1000;

bool write_file(const char* path, const std::string& text) {
  const int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  return ok;
}

// Gives this process a private mount namespace (through a user namespace
// when it lacks the privilege) with a small, empty tmpfs on /dev/shm.
// Returns an empty string, or why it cannot.
std::string enter_small_shm() {
  const uid_t uid = getuid();
  const gid_t gid = getgid();
  if (unshare(CLONE_NEWNS) != 0) {
    const int first = errno;
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
      return std::string("unshare(CLONE_NEWNS) failed (") + std::strerror(first) +
             ") and so did unshare(CLONE_NEWUSER | CLONE_NEWNS) (" + std::strerror(errno) + ")";
    }
    // Map our own ids, so that files we create have an owner.
    if (!write_file("/proc/self/setgroups", "deny") ||
        !write_file("/proc/self/uid_map", std::to_string(uid) + " " + std::to_string(uid) + " 1") ||
        !write_file("/proc/self/gid_map", std::to_string(gid) + " " + std::to_string(gid) + " 1")) {
      return std::string("cannot map ids in the new user namespace: ") + std::strerror(errno);
    }
  }
  // Keep the mount below out of the parent's namespace.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return std::string("cannot make mounts private: ") + std::strerror(errno);
  }
  if (mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, kTmpfsOptions) != 0) {
    return std::string("cannot mount a tmpfs on /dev/shm: ") + std::strerror(errno);
  }
  return "";
}

// Creates objects of `kind` until the space runs out; checks the error and
// that only the objects whose creation returned are left, then removes them.
void fill_with(const object_kind& kind, creation how, std::string& report) {
  const std::string what =
      kind.label + (how == creation::create_only ? " create_only" : " open_or_create");
  std::vector<std::string> created;
  bool ran_out = false;
  std::string failed_name;
  for (int i = 0; i < kMostObjects && !ran_out; ++i) {
    const std::string name = "fill_" + std::to_string(i);
    try {
      kind.create(name.c_str(), how, refipc::permissions());
      created.push_back(name);
    } catch (const refipc::interprocess_exception& e) {
      ran_out = true;
      failed_name = name;
      note(report, e.get_error_code() == refipc::out_of_space_error,
           what + ": creation failed with error code " + std::to_string(e.get_error_code()) + " (" +
               e.what() + "), not out_of_space_error");
    }
  }
  note(report, ran_out,
       what + ": " + std::to_string(kMostObjects) + " objects fit in " + kTmpfsOptions);
  note(report, !created.empty(), what + ": not even one object fits in " + kTmpfsOptions);
  if (!created.empty()) {
    // An existing object opens on a full store, also through open_or_create.
    try {
      kind.open(created.front().c_str());
      kind.create(created.front().c_str(), creation::open_or_create, refipc::permissions());
    } catch (const std::exception& e) {
      note(report, false, what + ": cannot open an existing object on a full store: " + e.what());
    }
  }

  std::vector<std::string> left = shm_directory_names();
  std::sort(left.begin(), left.end());
  std::vector<std::string> expected = created;
  if (kind.failed_growth_keeps_empty_object && ran_out) {
    long long size = -1;
    unsigned mode = 0;
    note(report, shm_object_status(failed_name, size, mode) && size == 0,
         what + ": the object whose growth failed is not left empty");
    expected.push_back(failed_name);
  }
  std::sort(expected.begin(), expected.end());
  std::string listing;
  for (const std::string& name : left) listing += " " + name;
  note(report, left == expected, what + ": /dev/shm holds" + listing + " after the failure");
  for (const std::string& name : expected) kind.remove(name.c_str());
  note(report, shm_directory_names().empty(), what + ": objects remain after removing them all");
}

int fill_every_kind(std::string& report) {
  const std::string why_not = enter_small_shm();
  if (!why_not.empty()) {
    report = why_not;
    return kSkipped;
  }
  for (const object_kind& kind : every_kind()) {
    fill_with(kind, creation::create_only, report);
    fill_with(kind, creation::open_or_create, report);
  }
  // One queue larger than the whole store.
  try {
    refipc::message_queue big(refipc::create_only, "big", 64, 4096);
    note(report, false, "a 256 KiB queue was created in " + std::string(kTmpfsOptions));
  } catch (const refipc::interprocess_exception& e) {
    note(report, e.get_error_code() == refipc::out_of_space_error,
         std::string("a queue larger than the store: ") + e.what());
  }
  note(report, shm_directory_names().empty(), "the queue larger than the store left an object");
  return report.empty() ? 0 : 1;
}

TEST(FullBackingStore, EveryKindOfObjectFailsWithOutOfSpaceAndLeavesNothing) {
  const child_outcome outcome = run_in_child(fill_every_kind, 120);
  if (outcome.exited && outcome.code == kSkipped) GTEST_SKIP() << outcome.report;
  ASSERT_TRUE(outcome.exited) << "the child was killed by signal " << outcome.signal << " ("
                              << strsignal(outcome.signal) << ")\n"
                              << outcome.report;
  EXPECT_EQ(outcome.code, 0) << outcome.report;
}

}  // namespace
}  // namespace refipc_failure_model
