// A local user who can open an object for reading can flock(2) it. That must
// neither block nor fail the owner's opening and creation of any kind of
// object: refipc's initialisation takes no lock another user can take (see
// refipc/detail/shm_file.hpp). The owner's operations run in a child bounded
// by SIGALRM; the attacker is another process.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"
#include "impl/failure_model/child.hpp"
#include "impl/failure_model/objects.hpp"

namespace refipc_failure_model {
namespace {

// Readable by others, as the attacker needs.
const refipc::permissions kReadableByAll(0644);
constexpr unsigned kBoundSeconds = 5;
constexpr int kRaceRounds = 30;

// A process that opens /dev/shm/<name> read-only as soon as it exists, takes
// flock(LOCK_EX) on it and holds it until release().
class Attacker {
 public:
  explicit Attacker(const std::string& name) {
    int ready[2];
    int hold[2];
    if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(hold, O_CLOEXEC) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      close(ready[0]);
      close(hold[1]);
      const std::string path = "/dev/shm/" + name;
      char byte = 's';
      if (write(ready[1], &byte, 1) != 1) _exit(2);
      int fd;
      while ((fd = open(path.c_str(), O_RDONLY | O_CLOEXEC)) < 0) {
      }
      if (flock(fd, LOCK_EX) != 0) _exit(3);
      byte = 'h';
      if (write(ready[1], &byte, 1) != 1) _exit(2);
      while (read(hold[0], &byte, 1) > 0) {
      }
      _exit(0);
    }
    close(ready[1]);
    close(hold[0]);
    ready_ = ready[0];
    hold_ = hold[1];
    char byte = 0;
    started_ = pid_ > 0 && read(ready_, &byte, 1) == 1;
  }
  Attacker(const Attacker&) = delete;
  Attacker& operator=(const Attacker&) = delete;
  ~Attacker() {
    close(hold_);
    close(ready_);
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  bool started() const { return started_; }
  // Waits until the lock is held.
  bool holding() {
    char byte = 0;
    return read(ready_, &byte, 1) == 1 && byte == 'h';
  }

 private:
  pid_t pid_ = -1;
  int ready_ = -1;
  int hold_ = -1;
  bool started_ = false;
};

std::string unique_name(const object_kind& kind, const std::string& tag) {
  return "refipc_hostile_lock_" + kind.label + "_" + tag + "_" + std::to_string(getpid());
}

void expect_bounded_success(const child_outcome& outcome, const std::string& what) {
  EXPECT_TRUE(outcome.exited) << what << ": killed by signal " << outcome.signal
                              << (outcome.signal == SIGALRM ? " (blocked past the bound)" : "");
  EXPECT_EQ(outcome.code, 0) << what << ": " << outcome.report;
}

TEST(HostileLock, AHeldFlockDoesNotBlockOrFailOpening) {
  for (const object_kind& kind : every_kind()) {
    const std::string name = unique_name(kind, "open");
    kind.remove(name.c_str());
    kind.create(name.c_str(), creation::create_only, kReadableByAll);
    Attacker attacker(name);
    ASSERT_TRUE(attacker.started());
    ASSERT_TRUE(attacker.holding());
    const child_outcome outcome = run_in_child(
        [&](std::string&) {
          for (int i = 0; i < 3; ++i) kind.open(name.c_str());
          kind.create(name.c_str(), creation::open_or_create, kReadableByAll);
          return 0;
        },
        kBoundSeconds);
    expect_bounded_success(outcome, kind.label);
    kind.remove(name.c_str());
  }
}

// The attacker takes the lock the moment the name appears, which once made
// a creator that locks after creating block for good.
TEST(HostileLock, AFlockTakenAsSoonAsTheNameAppearsDoesNotBlockCreation) {
  for (const object_kind& kind : every_kind()) {
    for (int round = 0; round < kRaceRounds; ++round) {
      const std::string name = unique_name(kind, "race" + std::to_string(round));
      kind.remove(name.c_str());
      Attacker attacker(name);
      ASSERT_TRUE(attacker.started());
      const child_outcome outcome = run_in_child(
          [&](std::string&) {
            kind.create(name.c_str(), creation::create_only, kReadableByAll);
            kind.open(name.c_str());
            return 0;
          },
          kBoundSeconds);
      expect_bounded_success(outcome, kind.label + " round " + std::to_string(round));
      EXPECT_TRUE(attacker.holding()) << kind.label << ": the attacker never got the lock";
      const child_outcome reopened = run_in_child(
          [&](std::string&) {
            kind.open(name.c_str());
            return 0;
          },
          kBoundSeconds);
      expect_bounded_success(reopened, kind.label + " reopened under the lock");
      kind.remove(name.c_str());
      if (HasFailure()) return;
    }
  }
}

}  // namespace
}  // namespace refipc_failure_model
