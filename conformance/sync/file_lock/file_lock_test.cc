// Conformance tests of file_lock: the manual's "File Locks" section and the
// file_lock reference. Locks are only checked between processes: the manual
// leaves two file_locks of one file in one process, and threads, unspecified.
#include <signal.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using namespace std::chrono;

// The signal that kills a child abruptly: Windows has no SIGKILL, and the
// harness's Child::kill ends a child with TerminateProcess whatever the signal.
#ifdef _WIN32
constexpr int kKillSignal = SIGTERM;
#else
constexpr int kKillSignal = SIGKILL;
#endif

class FileLock : public ipc_test::ConformanceTest {
 protected:
  // An existing file holding `contents`, removed when the test ends.
  std::string existing_file(const std::string& contents = "") {
    const std::string path = unique_file_path();
    std::ofstream(path) << contents;
    return path;
  }
};
class FileLockMultiProcess : public FileLock {};

// args: path, "exclusive" or "sharable", to-parent pipe, from-parent pipe.
// Locks, says "locked", waits for "release" (or to be killed), unlocks and
// says "unlocked".
IPC_CHILD_ROLE(file_lock_holder) {
  ipc::file_lock lock(args.at(0).c_str());
  const bool exclusive = args.at(1) == "exclusive";
  auto to_parent = ipc_test::Pipe::from_arg(args.at(2));
  auto from_parent = ipc_test::Pipe::from_arg(args.at(3));
  exclusive ? lock.lock() : lock.lock_sharable();
  to_parent.send("locked");
  IPC_CHILD_CHECK(from_parent.receive() == "release");
  exclusive ? lock.unlock() : lock.unlock_sharable();
  to_parent.send("unlocked");
}

// args: path, "exclusive" or "sharable", to-parent pipe. Reports whether the
// lock is free for it ("taken") or not ("busy").
IPC_CHILD_ROLE(file_lock_prober) {
  ipc::file_lock lock(args.at(0).c_str());
  auto to_parent = ipc_test::Pipe::from_arg(args.at(2));
  if (args.at(1) == "exclusive") {
    const bool taken = lock.try_lock();
    if (taken) lock.unlock();
    to_parent.send(taken ? "taken" : "busy");
  } else {
    const bool taken = lock.try_lock_sharable();
    if (taken) lock.unlock_sharable();
    to_parent.send(taken ? "taken" : "busy");
  }
}

std::string probe(const std::string& path, const char* kind) {
  ipc_test::Pipe to_parent;
  auto child = ipc_test::spawn_role("file_lock_prober", {path, kind, to_parent.arg()});
  std::string answer = to_parent.receive();
  IPC_EXPECT_CHILD_OK(child.wait());
  return answer;
}

// A child holding the lock of `path` until release() (or its death).
class Holder {
 public:
  Holder(const std::string& path, const char* kind)
      : child_(ipc_test::spawn_role("file_lock_holder",
                                    {path, kind, to_parent_.arg(), from_parent_.arg()})) {
    locked_ = to_parent_.receive() == "locked";
  }
  bool locked() const { return locked_; }
  void release() { from_parent_.send("release"); }
  std::string next() { return to_parent_.receive(); }
  ipc_test::Child& child() { return child_; }

 private:
  ipc_test::Pipe to_parent_, from_parent_;
  ipc_test::Child child_;
  bool locked_ = false;
};

template <class F>
void expect_times_out(F attempt) {
  const auto deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(attempt(deadline));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
}

TEST_F(FileLock, OpensAnExistingFileWithoutChangingIt) {
  IPC_SPEC("file_lock.ctor.existing_file");
  const std::string path = existing_file("contents");
  {
    ipc::file_lock lock(path.c_str());
    lock.lock();
    lock.unlock();
  }
  std::ifstream in(path);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "contents");
}

TEST_F(FileLock, MissingFileThrows) {
  IPC_SPEC("file_lock.ctor.existing_file");
  const std::string path = unique_file_path("missing");
  try {
    ipc::file_lock lock(path.c_str());
    FAIL() << "a lock of a missing file was opened";
  } catch (const ipc::interprocess_exception&) {
  }
  std::ifstream in(path);
  EXPECT_FALSE(in.good()) << "the file was created";
}

TEST_F(FileLock, DefaultConstructedRefersToNoFileUntilAssigned) {
  IPC_SPEC("file_lock.ctor.existing_file", "file_lock.move.transfers");
  const std::string path = existing_file();
  ipc::file_lock lock;
  lock = ipc::file_lock(path.c_str());
  EXPECT_TRUE(lock.try_lock());
  lock.unlock();
}

TEST_F(FileLockMultiProcess, ExclusiveOwnerExcludesEveryOtherLock) {
  IPC_SPEC("file_lock.lock.exclusive", "file_lock.try_lock.result", "file_lock.timed_lock.result",
           "file_lock.sharable.excluded_by_exclusive", "deadlines.chrono");
  const std::string path = existing_file();
  ipc::file_lock lock(path.c_str());
  Holder holder(path, "exclusive");
  ASSERT_TRUE(holder.locked());
  EXPECT_FALSE(lock.try_lock());
  EXPECT_FALSE(lock.try_lock_sharable());
  expect_times_out([&](auto deadline) { return lock.timed_lock(deadline); });
  expect_times_out([&](auto deadline) { return lock.timed_lock_sharable(deadline); });
  holder.release();
  // lock() returns once the child has unlocked, so "unlocked" is on its way.
  lock.lock();
  EXPECT_EQ(holder.next(), "unlocked");
  EXPECT_EQ(probe(path, "sharable"), "busy");
  lock.unlock();
  EXPECT_EQ(probe(path, "exclusive"), "taken");
  EXPECT_TRUE(lock.timed_lock(system_clock::now() + seconds(10)));
  lock.unlock();
  IPC_EXPECT_CHILD_OK(holder.child().wait());
}

TEST_F(FileLockMultiProcess, LockSharableWaitsForTheExclusiveOwner) {
  IPC_SPEC("file_lock.sharable.excluded_by_exclusive", "file_lock.sharable.shared");
  const std::string path = existing_file();
  ipc::file_lock lock(path.c_str());
  Holder holder(path, "exclusive");
  ASSERT_TRUE(holder.locked());
  holder.release();
  lock.lock_sharable();
  EXPECT_EQ(holder.next(), "unlocked");
  EXPECT_EQ(probe(path, "sharable"), "taken");
  EXPECT_EQ(probe(path, "exclusive"), "busy");
  lock.unlock_sharable();
  IPC_EXPECT_CHILD_OK(holder.child().wait());
}

TEST_F(FileLockMultiProcess, SharableOwnersCoexistAndExcludeExclusive) {
  IPC_SPEC("file_lock.sharable.shared", "file_lock.try_lock.result", "file_lock.timed_lock.result",
           "deadlines.chrono");
  const std::string path = existing_file();
  ipc::file_lock lock(path.c_str());
  Holder holder(path, "sharable");
  ASSERT_TRUE(holder.locked());
  ASSERT_TRUE(lock.try_lock_sharable());
  EXPECT_EQ(probe(path, "sharable"), "taken");
  lock.unlock_sharable();
  EXPECT_TRUE(lock.timed_lock_sharable(system_clock::now() + seconds(10)));
  lock.unlock_sharable();
  EXPECT_FALSE(lock.try_lock());
  expect_times_out([&](auto deadline) { return lock.timed_lock(deadline); });
  holder.release();
  lock.lock();
  EXPECT_EQ(holder.next(), "unlocked");
  lock.unlock();
  IPC_EXPECT_CHILD_OK(holder.child().wait());
}

TEST_F(FileLockMultiProcess, EndOfTheOwningProcessReleasesTheLock) {
  IPC_SPEC("file_lock.process_lifetime");
  const std::string path = existing_file();
  ipc::file_lock lock(path.c_str());
  Holder holder(path, "exclusive");
  ASSERT_TRUE(holder.locked());
  EXPECT_FALSE(lock.try_lock());
  holder.child().kill(kKillSignal);
  const auto result = holder.child().wait();
  EXPECT_EQ(result.signal, kKillSignal);
  EXPECT_TRUE(lock.try_lock());
  lock.unlock();
}

TEST_F(FileLockMultiProcess, ScopedLockHoldsTheFileForItsLifetime) {
  IPC_SPEC("file_lock.scoped_lock");
  const std::string path = existing_file();
  ipc::file_lock lock(path.c_str());
  {
    ipc::scoped_lock<ipc::file_lock> guard(lock);
    EXPECT_TRUE(guard.owns());
    EXPECT_EQ(probe(path, "sharable"), "busy");
  }
  EXPECT_EQ(probe(path, "exclusive"), "taken");
}

TEST_F(FileLockMultiProcess, MoveAndSwapCarryTheHeldLock) {
  IPC_SPEC("file_lock.move.transfers");
  const std::string path = existing_file();
  ipc::file_lock first(path.c_str());
  first.lock();
  ipc::file_lock moved(std::move(first));
  EXPECT_EQ(probe(path, "exclusive"), "busy");
  ipc::file_lock swapped;
  swapped.swap(moved);
  EXPECT_EQ(probe(path, "exclusive"), "busy");
  ipc::file_lock assigned;
  assigned = std::move(swapped);
  EXPECT_EQ(probe(path, "exclusive"), "busy");
  assigned.unlock();
  EXPECT_EQ(probe(path, "exclusive"), "taken");
}

}  // namespace
