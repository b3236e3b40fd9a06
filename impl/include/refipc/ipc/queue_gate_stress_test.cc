// Hand-off stress tests of the message queue's gates (not_empty and
// not_full; see refipc/sync/testing/handoff.hpp and docs/design.md). A
// waiter re-checks at least once a second even if it misses a wake-up (the
// sleep slice), so the waiter's patience here is shorter than a slice: a
// missed wake-up shows as a timeout, not as a one-second delay.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>

#include "refipc/ipc/message_queue.hpp"
#include "refipc/sync/testing/handoff.hpp"

namespace refipc {
namespace {

using namespace std::chrono_literals;
using testing::across;
using testing::handoff;
using testing::handoff_result;
using testing::stress_clock;

constexpr auto kPatience = 900ms;  // < the one-second sleep slice

void expect_no_lost_wakeup(const handoff_result& r) {
  EXPECT_FALSE(r.stuck) << r.error;
  EXPECT_GT(r.rounds, 0u);
  EXPECT_EQ(r.lost, 0u) << "waits timed out although the queue was ready";
}

// The holder's and the waiter's view of one queue (two mappings), removed at
// the end.
struct queue_views {
  explicit queue_views(std::size_t max_msg)
      : name("refipc_gate_stress_" + std::to_string(getpid()) + "_" +
             std::to_string(std::random_device()())),
        holder(create_only, name.c_str(), max_msg, sizeof(std::uint64_t)),
        waiter(open_only, name.c_str()) {}
  ~queue_views() { message_queue::remove(name.c_str()); }

  std::string name;
  message_queue holder;
  message_queue waiter;
};

bool try_take(message_queue& q) {
  std::uint64_t m = 0;
  message_queue::size_type size = 0;
  unsigned int priority = 0;
  return q.try_receive(&m, sizeof m, size, priority);
}

void take(message_queue& q) {
  std::uint64_t m = 0;
  message_queue::size_type size = 0;
  unsigned int priority = 0;
  q.receive(&m, sizeof m, size, priority);
}

void put(message_queue& q) {
  const std::uint64_t m = 42;
  q.send(&m, sizeof m, 0);
}

// not_empty: the waiter receives from an empty queue; the holder sends.
handoff receive_handoff(queue_views& v) {
  handoff h;
  h.hold = [] {};  // the queue is empty
  h.release = [&v] { put(v.holder); };
  h.acquire = [&v](stress_clock::time_point until) {
    std::uint64_t m = 0;
    message_queue::size_type size = 0;
    unsigned int priority = 0;
    return v.waiter.timed_receive(&m, sizeof m, size, priority, until);
  };
  h.give_back = [] {};
  h.available = [&v] { return try_take(v.waiter); };
  return h;
}

// not_full: the waiter sends to a full queue of one message; the holder
// receives. The waiter takes its message back after each round.
handoff send_handoff(queue_views& v) {
  handoff h;
  h.hold = [&v] { put(v.holder); };
  h.release = [&v] { take(v.holder); };
  h.acquire = [&v](stress_clock::time_point until) {
    const std::uint64_t m = 7;
    return v.waiter.timed_send(&m, sizeof m, 0, until);
  };
  h.give_back = [&v] { take(v.waiter); };
  h.available = [&v] {
    const std::uint64_t m = 7;
    if (!v.waiter.try_send(&m, sizeof m, 0)) return false;
    take(v.waiter);
    return true;
  };
  return h;
}

TEST(QueueGateStress, NotEmpty) {
  queue_views v(4);
  expect_no_lost_wakeup(testing::run_handoffs("queue not_empty gate", receive_handoff(v),
                                              across::threads, kPatience));
}

TEST(QueueGateStress, NotEmptyAcrossProcesses) {
  queue_views v(4);
  expect_no_lost_wakeup(testing::run_handoffs("queue not_empty gate", receive_handoff(v),
                                              across::processes, kPatience));
}

TEST(QueueGateStress, NotFull) {
  queue_views v(1);
  expect_no_lost_wakeup(
      testing::run_handoffs("queue not_full gate", send_handoff(v), across::threads, kPatience));
}

TEST(QueueGateStress, NotFullAcrossProcesses) {
  queue_views v(1);
  expect_no_lost_wakeup(
      testing::run_handoffs("queue not_full gate", send_handoff(v), across::processes, kPatience));
}

}  // namespace
}  // namespace refipc
