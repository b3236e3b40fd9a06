// A creator process SIGKILLed at a random point of building a
// managed_shared_memory or managed_mapped_file; then another process opens
// the segment (open_only, then open_or_create). The documented outcome
// (docs/using-refipc.md, "open_or_create with racing processes" and
// "Failure model: a creator that dies"): never a hang; the opener either
// finds nothing (open_only: not_found_error; open_or_create then creates
// it), or a complete segment, or an interprocess_exception with
// corrupted_error naming the segment and why: at once when the header names
// the dead creator (a creator stamps the store with its id before it
// reserves the store's space), after the 10 s initialisation timeout when
// the creator died before stamping it.
//
// Short form: kDefaultRounds rounds per kind of segment. Long form: set
// REFIPC_KILL_ROUNDS (for example 300); the counts are printed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <thread>

#include "refipc/detail/segment/segment_preamble.hpp"
#include "refipc/managed_mapped_file.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/shared_memory_object.hpp"
#include "refipc/sync/testing/child_wait.hpp"
#include "refipc/sync/testing/kill_rounds.hpp"

namespace refipc {
namespace {

constexpr int kDefaultRounds = 3;
constexpr std::size_t kSegmentBytes = 1024 * 1024;
constexpr auto kBound = std::chrono::seconds(30);  // the watchdog
// The opener's own limit: the initialisation timeout and some slack.
constexpr auto kOpenLimit = std::chrono::seconds(15);

// An opener's exit codes.
enum outcome {
  absent = 0,        // nothing there (open_only)
  complete = 1,      // a usable segment
  dead_creator = 2,  // corrupted_error: the header names a dead creator
  never_ready = 3,   // corrupted_error after the timeout (empty or unmarked)
  failed = 4,
};

const char* outcome_name(int o) {
  switch (o) {
    case absent:
      return "absent";
    case complete:
      return "complete";
    case dead_creator:
      return "dead creator reported";
    case never_ready:
      return "reported after the timeout";
    default:
      return "?";
  }
}

int bounded_wait(pid_t pid) {
  return testing::wait_child_for(pid,
                                 std::chrono::duration_cast<std::chrono::milliseconds>(kBound));
}

struct shm_kind {
  using managed = managed_shared_memory;
  static std::string name(const std::string& tag) { return tag; }
  // Creates the store `n` as a creator does; called in a child that is then
  // killed, so the object is never destroyed.
  static int create_store(const std::string& n) {
    auto* shm = new shared_memory_object(create_only, n.c_str(), read_write);
    return shm->get_mapping_handle().handle;
  }
  static void remove(const std::string& n) { shared_memory_object::remove(n.c_str()); }
};

struct file_kind {
  using managed = managed_mapped_file;
  static std::string name(const std::string& tag) {
    const char* dir = std::getenv("TEST_TMPDIR");
    return std::string(dir ? dir : "/tmp") + "/" + tag;
  }
  static int create_store(const std::string& n) {
    return open(n.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
  }
  static void remove(const std::string& n) { std::remove(n.c_str()); }
};

// Opens `name` as `Kind` in this process (open_only, or open_or_create) and
// classifies what it found; a usable segment is also used.
template <class Kind>
int open_and_classify(const std::string& name, bool or_create) {
  const auto start = std::chrono::steady_clock::now();
  try {
    typename Kind::managed m =
        or_create ? typename Kind::managed(open_or_create, name.c_str(), kSegmentBytes)
                  : typename Kind::managed(open_only, name.c_str());
    if (!m.check_sanity()) return failed;
    int* p = m.template find_or_construct<int>("probe")(7);
    if (*p != 7 || !m.check_sanity()) return failed;
    return complete;
  } catch (const interprocess_exception& e) {
    const auto took = std::chrono::steady_clock::now() - start;
    if (took > kOpenLimit) {
      std::fprintf(stderr, "answered after %lld ms\n",
                   static_cast<long long>(
                       std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
      return failed;
    }
    if (e.get_error_code() == not_found_error && !or_create) return absent;
    if (e.get_error_code() != corrupted_error || !std::strstr(e.what(), name.c_str())) {
      std::fprintf(stderr, "unexpected: code %d, \"%s\"\n", static_cast<int>(e.get_error_code()),
                   e.what());
      return failed;
    }
    return std::strstr(e.what(), "creator ended") ? dead_creator : never_ready;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unexpected exception: %s\n", e.what());
    return failed;
  }
}

template <class Kind>
int classify_in_child(const std::string& name, bool or_create) {
  const pid_t pid = fork();
  if (pid == 0) std::_Exit(open_and_classify<Kind>(name, or_create));
  const int status = bounded_wait(pid);
  if (status == -1) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

// A creator process: tells `ready` it starts, creates `name`, reports how
// long that took (microseconds) on `ready` and waits to be killed.
template <class Kind>
[[noreturn]] void creator(const std::string& name, int ready) {
  const char start = 's';
  if (write(ready, &start, 1) != 1) std::_Exit(1);
  const auto t0 = std::chrono::steady_clock::now();
  typename Kind::managed m(create_only, name.c_str(), kSegmentBytes);
  const long took = static_cast<long>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count());
  if (write(ready, &took, sizeof took) != sizeof took) std::_Exit(1);
  for (;;) pause();
}
template <class Kind>
class DeadCreator : public ::testing::Test {};

using Kinds = ::testing::Types<shm_kind, file_kind>;
TYPED_TEST_SUITE(DeadCreator, Kinds);

// Leaves what a creator killed while reserving its store leaves behind: the
// store `name`, stamped with the dead creator's id and `size` bytes long
// (0: the reservation had not changed the size yet).
template <class Kind>
void leave_stamped_store(const std::string& name, std::size_t size) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = Kind::create_store(name);
    if (fd < 0 || segment_detail::stamp_creator(fd) != 0) std::_Exit(1);
    if (size > 0 && ftruncate(fd, static_cast<off_t>(size)) != 0) std::_Exit(1);
    raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the creator could not stamp its store: " << status;
}

TYPED_TEST(DeadCreator, ACreatorKilledWhileReservingIsReportedAtOnce) {
  using Kind = TypeParam;
  std::mt19937 rng(std::random_device{}());
  for (const std::size_t size : {std::size_t{0}, kSegmentBytes}) {
    const std::string name = Kind::name("refipc_reserving_creator_" + std::to_string(getpid()) +
                                        "_" + std::to_string(rng()));
    leave_stamped_store<Kind>(name, size);
    // Not "it is empty" or "not initialised in time": those come only after
    // the initialisation timeout.
    EXPECT_EQ(open_and_classify<Kind>(name, false), dead_creator) << "size " << size;
    EXPECT_EQ(open_and_classify<Kind>(name, true), dead_creator) << "size " << size;
    Kind::remove(name);
  }
}

// A store smaller than any segment whose preamble says the segment is
// ready (damaged, or another program's bytes) is refused at once, not after
// the initialisation timeout: a creator reserves the whole size before it
// publishes ready.
TYPED_TEST(DeadCreator, ASmallStoreThatSaysReadyIsRefusedAtOnce) {
  using Kind = TypeParam;
  std::mt19937 rng(std::random_device{}());
  const std::string name =
      Kind::name("refipc_small_ready_" + std::to_string(getpid()) + "_" + std::to_string(rng()));
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = Kind::create_store(name);
    std::uint32_t words[64] = {segment_detail::kReady, static_cast<std::uint32_t>(getpid())};
    std::_Exit(fd >= 0 && pwrite(fd, words, sizeof words, 0) == sizeof words ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  for (const bool or_create : {false, true}) {
    try {
      if (or_create) {
        typename Kind::managed m(open_or_create, name.c_str(), kSegmentBytes);
      } else {
        typename Kind::managed m(open_only, name.c_str());
      }
      ADD_FAILURE() << "a 256-byte store opened as a segment";
    } catch (const interprocess_exception& e) {
      EXPECT_EQ(e.get_error_code(), corrupted_error);
      // Not "it was not initialised in time", the message of the timeout.
      EXPECT_NE(std::strstr(e.what(), "it is too small to hold a managed segment"), nullptr)
          << e.what();
    }
  }
  Kind::remove(name);
}

TYPED_TEST(DeadCreator, OpenersNeverHangAndGetTheDocumentedOutcome) {
  using Kind = TypeParam;
  std::mt19937 rng(std::random_device{}());
  const std::string name =
      Kind::name("refipc_dead_creator_" + std::to_string(getpid()) + "_" + std::to_string(rng()));
  Kind::remove(name);
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  // Kills land within the time one creation takes (measured first), from
  // the moment the creator starts.
  long span = 0;
  std::map<int, int> counts;
  const int total = testing::kill_rounds(kDefaultRounds);
  for (int round = -1; round < total; ++round) {
    const pid_t pid = fork();
    if (pid == 0) creator<Kind>(name, ready[1]);
    char start = 0;
    ASSERT_EQ(read(ready[0], &start, 1), 1);
    const long delay = span > 0 ? static_cast<long>(rng() % static_cast<unsigned long>(span)) : 0;
    if (round < 0) {
      ASSERT_EQ(read(ready[0], &span, sizeof span), static_cast<ssize_t>(sizeof span));
      span += span / 10 + 1;
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(delay));
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "round " << round << ": creator status " << status;
    if (round < 0) {
      Kind::remove(name);
      continue;
    }
    // A creator that finished wrote its time; drop it.
    pollfd fd{ready[0], POLLIN, 0};
    long ignored;
    if (poll(&fd, 1, 0) == 1) {
      ASSERT_GT(read(ready[0], &ignored, sizeof ignored), 0);
    }

    const int first = classify_in_child<Kind>(name, false);
    ASSERT_NE(first, -1) << "round " << round << " (killed after " << delay
                         << " us): open_only hung";
    ASSERT_TRUE(first == absent || first == complete || first == dead_creator ||
                first == never_ready)
        << "round " << round << " (killed after " << delay << " us): outcome " << first;
    // open_or_create: creates what was absent, opens what was complete, and
    // reports a half-built segment as open_only did.
    const int second = classify_in_child<Kind>(name, true);
    ASSERT_NE(second, -1) << "round " << round << ": open_or_create hung";
    ASSERT_EQ(second, first == absent ? complete : first) << "round " << round;
    ++counts[first];
    Kind::remove(name);
  }
  close(ready[0]);
  close(ready[1]);
  std::printf("%d rounds (kill within %ld us of the creator's start):", total, span);
  for (const auto& [o, n] : counts) std::printf(" %d %s;", n, outcome_name(o));
  std::printf("\n");
}

}  // namespace
}  // namespace refipc
