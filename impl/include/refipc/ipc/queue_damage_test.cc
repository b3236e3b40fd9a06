// A message queue whose shared bytes are damaged: every operation either
// works or throws corrupted_error, try_ operations return at once, timed ones
// by their deadline, and nothing crashes. Each operation runs in a forked
// child that the test waits for with a bounded poll(), so a hang or a crash
// is reported instead of stopping the test.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "refipc/exceptions.hpp"
#include "refipc/ipc/message_queue.hpp"
#include "refipc/ipc/queue_layout.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/shared_memory_object.hpp"
#include "refipc/sync/detail/wait_backend.hpp"

namespace {

using namespace std::chrono;
using refipc::message_queue;
using refipc::ipc_detail::queue_header;

constexpr std::size_t kMaxMsg = 8;
constexpr std::size_t kMsgSize = 16;
// The lock word's offset in a robust_lock (docs/layout.md).
constexpr std::size_t kWordInLock = 0;
// A thread id that never exists: above the kernel's PID_MAX_LIMIT (2^22).
constexpr std::uint32_t kVanishedTid = 0x3fffffff;

// Far beyond what any operation may take (the try_ patience is 20 ms, the
// timed deadlines below 10 ms), so only a hang trips it, even on a loaded
// machine under a sanitizer.
constexpr milliseconds kWatchdog{5000};

std::string unique_name(const char* tag) {
  std::random_device random;
  return std::string("refipc_qdamage_") + tag + "_" + std::to_string(getpid()) + "_" +
         std::to_string(random());
}

// A queue holding messages in the receivers' run and heap and one not yet
// sorted, mapped a second time so that the test can damage its bytes.
class DamagedQueue {
 public:
  explicit DamagedQueue(const char* tag)
      : name_(unique_name(tag)),
        queue_(refipc::create_only, name_.c_str(), kMaxMsg, kMsgSize),
        shm_(refipc::open_only, name_.c_str(), refipc::read_write),
        region_(shm_, refipc::read_write) {}
  ~DamagedQueue() { message_queue::remove(name_.c_str()); }

  // Priorities 1, 1, 5, 3 sorted by a receive of the 5 (run: 1, 1; heap: 3),
  // then a 2 sent and not sorted yet.
  void fill() {
    char message[kMsgSize] = {};
    for (unsigned int priority : {1, 1, 5, 3}) {
      ASSERT_TRUE(queue_.try_send(message, sizeof message, priority));
    }
    std::size_t size = 0;
    unsigned int priority = 0;
    ASSERT_TRUE(queue_.try_receive(message, sizeof message, size, priority));
    ASSERT_EQ(priority, 5u);
    ASSERT_TRUE(queue_.try_send(message, sizeof message, 2));
  }

  unsigned char* bytes() { return static_cast<unsigned char*>(region_.get_address()); }
  template <class T>
  T& at(std::size_t offset) {
    return *reinterpret_cast<T*>(bytes() + offset);
  }
  message_queue& queue() { return queue_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  message_queue queue_;
  refipc::shared_memory_object shm_;
  refipc::mapped_region region_;
};

// How an operation ended: 'T' or 'F' as it returned, 'C' corrupted_error,
// 'E' any other error; the runner adds 'H' (no answer in time) and 'X' (the
// child died).
using Op = std::function<bool()>;

char outcome_of(const Op& op) {
  try {
    return op() ? 'T' : 'F';
  } catch (const refipc::interprocess_exception& e) {
    return e.get_error_code() == refipc::corrupted_error ? 'C' : 'E';
  } catch (...) {
    return 'E';
  }
}

// Runs `ops` one after the other in a forked child, which writes one outcome
// per operation; waits at most kWatchdog for each. The child is killed if it
// does not answer.
std::string run_in_child(const std::vector<Op>& ops) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    for (const Op& op : ops) {
      const char c = outcome_of(op);
      if (write(fds[1], &c, 1) != 1) _exit(1);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string outcomes;
  while (outcomes.size() < ops.size()) {
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(kWatchdog.count()));
    if (ready < 0 && errno == EINTR) continue;
    char c = 0;
    if (ready == 0) {
      kill(pid, SIGKILL);
      outcomes += 'H';
      break;
    }
    if (read(fds[0], &c, 1) != 1) {
      outcomes += 'X';
      break;
    }
    outcomes += c;
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return outcomes;
}

// Every operation of the API once through `q`'s open handle and once
// through a handle opened after the damage.
std::vector<Op> every_operation(DamagedQueue& q) {
  // A queue opened after the damage may have another (consistent) maximum
  // message size: messages and buffers follow it.
  const auto send = [](message_queue& mq, int how) {
    const std::vector<char> message(std::min<std::size_t>(kMsgSize, mq.get_max_msg_size()));
    if (how == 0) return mq.try_send(message.data(), message.size(), 4);
    return mq.timed_send(message.data(), message.size(), 4, milliseconds(10));
  };
  const auto receive = [](message_queue& mq, int how) {
    std::vector<char> buffer(mq.get_max_msg_size());
    std::size_t size = 0;
    unsigned int priority = 0;
    if (how == 0) return mq.try_receive(buffer.data(), buffer.size(), size, priority);
    return mq.timed_receive(buffer.data(), buffer.size(), size, priority, milliseconds(10));
  };
  std::vector<Op> ops;
  for (int how : {0, 1}) {
    ops.push_back([&, how] { return send(q.queue(), how); });
    ops.push_back([&, how] { return receive(q.queue(), how); });
  }
  ops.push_back([&] { return q.queue().get_num_msg() <= q.queue().get_max_msg(); });
  ops.push_back([&] {
    message_queue reopened(refipc::open_only, q.name().c_str());
    receive(reopened, 0);
    send(reopened, 0);
    return true;
  });
  return ops;
}

// Each outcome worked ('T', 'F') or reported the damage ('C').
bool worked_or_reported(const std::string& outcomes, std::size_t count) {
  return outcomes.size() == count && outcomes.find_first_not_of("TFC") == std::string::npos;
}

TEST(QueueDamage, EveryHeaderByteFlippedWorksOrReportsCorruption) {
  int reported = 0;
  for (std::size_t offset = 0; offset < sizeof(queue_header); ++offset) {
    for (unsigned char flip : {0xff, 0x01}) {
      DamagedQueue q("flip");
      q.fill();
      q.bytes()[offset] ^= flip;
      const std::vector<Op> ops = every_operation(q);
      const std::string outcomes = run_in_child(ops);
      EXPECT_TRUE(worked_or_reported(outcomes, ops.size()))
          << "byte " << offset << " ^ " << int{flip} << ": " << outcomes;
      if (outcomes.find('C') != std::string::npos) ++reported;
    }
  }
  // The counters, the geometry and the lock words are among the bytes.
  EXPECT_GT(reported, 0);
}

// A lock word naming a thread that does not exist: before the fix, try_send
// and try_receive slept on it forever.
TEST(QueueDamage, LockWordOfAVanishedThreadIsReportedByEveryOperation) {
  for (std::size_t lock :
       {offsetof(queue_header, send_mutex), offsetof(queue_header, receive_mutex)}) {
    DamagedQueue q("vanished");
    q.fill();
    q.at<std::uint32_t>(lock + kWordInLock) = kVanishedTid;
    char buffer[kMsgSize] = {};
    std::size_t size = 0;
    unsigned int priority = 0;
    message_queue& mq = q.queue();
    const std::vector<Op> ops = {
        [&] { return mq.try_send(buffer, sizeof buffer, 0); },
        [&] { return mq.try_receive(buffer, sizeof buffer, size, priority); },
        [&] { return mq.timed_send(buffer, sizeof buffer, 0, milliseconds(100)); },
        [&] { return mq.timed_receive(buffer, sizeof buffer, size, priority, milliseconds(100)); },
        [&] { return mq.send(buffer, sizeof buffer, 0), true; },
        [&] { return mq.receive(buffer, sizeof buffer, size, priority), true; },
    };
    // The side whose lock is damaged reports it; the other side works.
    const bool send_side = lock == offsetof(queue_header, send_mutex);
    EXPECT_EQ(run_in_child(ops), send_side ? "CTCTCT" : "TCTCTC");
  }
}

// A lock word naming a live thread (the test's, while the child operates):
// try_ operations return false instead of sleeping, timed ones return false
// at their deadline.
TEST(QueueDamage, LockWordOfALiveThreadFailsTryAndTimedOperations) {
  DamagedQueue q("live");
  q.fill();
  // This process (the operations run in a child) as the owner, in the wait
  // backend's word: its id as a thread id, or its pid and a thread token.
  const auto live = static_cast<std::uint32_t>(getpid());
  for (const std::size_t lock :
       {offsetof(queue_header, send_mutex), offsetof(queue_header, receive_mutex)}) {
    if (refipc::sync_detail::kFutexBackend) {
      q.at<std::uint32_t>(lock + kWordInLock) = live;
    } else {
      q.at<std::uint64_t>(lock + kWordInLock) = std::uint64_t{live} << 32 | 1;
    }
  }
  char buffer[kMsgSize] = {};
  std::size_t size = 0;
  unsigned int priority = 0;
  message_queue& mq = q.queue();
  EXPECT_EQ(run_in_child({
                [&] { return mq.try_send(buffer, sizeof buffer, 0); },
                [&] { return mq.try_receive(buffer, sizeof buffer, size, priority); },
                [&] { return mq.timed_send(buffer, sizeof buffer, 0, milliseconds(100)); },
                [&] {
                  return mq.timed_receive(buffer, sizeof buffer, size, priority, milliseconds(100));
                },
            }),
            "FFFF");
}

// The geometry in the header (array offsets, ring size, slot stride, message
// limits) rewritten to point far outside the mapping after the queue was
// opened: an open handle computes every address from the copy it validated
// at open, so its operations go on as before (under ASan a single access
// through the damaged offsets would be reported), while a new opener refuses
// the queue.
TEST(QueueDamage, GeometryRewrittenAfterOpenIsNeverReadAgain) {
  DamagedQueue q("geometry");
  q.fill();  // holds 1, 1, 3 and 2
  for (std::size_t field = offsetof(queue_header, max_msg);
       field < offsetof(queue_header, places) + sizeof(refipc::ipc_detail::layout);
       field += sizeof(std::uint64_t)) {
    q.at<std::uint64_t>(field) = std::uint64_t{1} << 40;
  }
  char message[kMsgSize] = {};
  ASSERT_TRUE(q.queue().try_send(message, sizeof message, 4));
  std::vector<unsigned int> received;
  std::size_t size = 0;
  unsigned int priority = 0;
  while (q.queue().try_receive(message, sizeof message, size, priority)) {
    received.push_back(priority);
  }
  EXPECT_EQ(received, (std::vector<unsigned int>{4, 3, 2, 1, 1}));
  EXPECT_EQ(q.queue().get_max_msg(), kMaxMsg);
  try {
    message_queue(refipc::open_only, q.name().c_str());
    ADD_FAILURE() << "a queue with a damaged geometry was opened";
  } catch (const refipc::interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), refipc::corrupted_error);
  }
}

// A lock word naming the caller, which holds no lock of the queue.
TEST(QueueDamage, LockWordOfTheCallerIsReported) {
  DamagedQueue q("caller");
  q.fill();
  char buffer[kMsgSize] = {};
  message_queue& mq = q.queue();
  EXPECT_EQ(run_in_child({[&] {
              q.at<std::uint32_t>(offsetof(queue_header, send_mutex) + kWordInLock) =
                  static_cast<std::uint32_t>(syscall(SYS_gettid));
              return mq.send(buffer, sizeof buffer, 0), true;
            }}),
            "C");
}

// Receives until the queue is empty (false) or more than it can hold (true).
Op drain(message_queue& mq, bool timed) {
  return [&mq, timed] {
    char buffer[kMsgSize];
    std::size_t size = 0;
    unsigned int priority = 0;
    for (std::size_t i = 0; i <= kMaxMsg; ++i) {
      const bool got =
          timed ? mq.timed_receive(buffer, sizeof buffer, size, priority, milliseconds(100))
                : mq.try_receive(buffer, sizeof buffer, size, priority);
      if (!got) return false;
    }
    return true;
  };
}

// A damaged `sorted` counter: before the fix, timed_receive(100 ms) spun at
// full speed and never returned, and receive() spun forever.
TEST(QueueDamage, DamagedSortedCounterIsReportedInTime) {
  for (std::uint32_t damage : {1u, 1000u, 0x80000000u, 0xffffffffu}) {
    DamagedQueue q("sorted");
    q.fill();
    q.at<std::uint32_t>(offsetof(queue_header, sorted)) += damage;
    message_queue& mq = q.queue();
    char buffer[kMsgSize];
    std::size_t size = 0;
    unsigned int priority = 0;
    EXPECT_EQ(run_in_child({
                  drain(mq, true),
                  [&] { return mq.receive(buffer, sizeof buffer, size, priority), true; },
              }),
              "CC")
        << "sorted + " << damage;
  }
}

// Damaged counters of either side: reported, never a hang or a crash.
TEST(QueueDamage, DamagedCountersAreReported) {
  for (std::size_t counter : {offsetof(queue_header, sent), offsetof(queue_header, freed)}) {
    for (std::uint32_t damage : {3u, 0x10000u, 0xfffffffdu}) {
      DamagedQueue q("counter");
      q.fill();
      q.at<std::uint32_t>(counter) += damage;
      message_queue& mq = q.queue();
      char buffer[kMsgSize] = {};
      std::size_t size = 0;
      unsigned int priority = 0;
      // Fill to the brim, then drain: one side or the other sees the damage.
      const std::string outcomes = run_in_child({
          [&] {
            for (std::size_t i = 0; i <= kMaxMsg; ++i) {
              if (!mq.try_send(buffer, sizeof buffer, 0)) return false;
            }
            return true;
          },
          drain(mq, false),
          [&] { return mq.receive(buffer, sizeof buffer, size, priority), true; },
      });
      EXPECT_TRUE(worked_or_reported(outcomes, 3)) << outcomes;
      EXPECT_NE(outcomes.find('C'), std::string::npos)
          << "counter at " << counter << " + " << damage << ": " << outcomes;
    }
  }
}

// A damaged heap size: before the fix, a SEGV in heap_pop.
TEST(QueueDamage, DamagedHeapSizeIsReported) {
  for (std::uint32_t size_value : {0u, 2u, 9u, 0x7fffffffu, 0xffffffffu}) {
    DamagedQueue q("heap");
    q.fill();
    q.at<std::uint32_t>(offsetof(queue_header, heap_size)) = size_value;
    EXPECT_EQ(run_in_child({drain(q.queue(), false)}), "C") << "heap_size " << size_value;
  }
}

}  // namespace
