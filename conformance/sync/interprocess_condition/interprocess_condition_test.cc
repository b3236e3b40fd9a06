// Conformance tests of interprocess_condition: the manual's "Conditions"
// section and the interprocess_condition reference.
#include <chrono>
#include <string>
#include <vector>

#include "conformance/common/placed.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using ipc_test::Opened;
using ipc_test::Placed;
using ipc_test::remove_shared_memory;

using namespace std::chrono;

class InterprocessCondition : public ipc_test::ConformanceTest {};
class InterprocessConditionMultiProcess : public ipc_test::ConformanceTest {};

using Lock = ipc::scoped_lock<ipc::interprocess_mutex>;

// The manual's one-slot message queue: the sender waits until the slot is
// empty, the receiver until it is full.
struct Queue {
  ipc::interprocess_mutex mutex;
  ipc::interprocess_condition empty;
  ipc::interprocess_condition full;
  bool message_in = false;
  int message = 0;
  int waiting = 0;  // processes inside a wait on `full`
  int woken = 0;
};

constexpr int kMessages = 300;

IPC_CHILD_ROLE(condition_receiver) {
  Opened<Queue> queue(args.at(0));
  for (int i = 0; i < kMessages; ++i) {
    Lock lock(queue->mutex);
    while (!queue->message_in) queue->full.wait(lock);
    IPC_CHILD_CHECK_MSG(queue->message == i, "received " << queue->message << " instead of " << i);
    queue->message_in = false;
    queue->empty.notify_one();
  }
}

// Waits on `full` until message_in, counting itself in `waiting` and
// `woken`; with "timed", through timed_wait with a far deadline.
IPC_CHILD_ROLE(condition_sleeper) {
  Opened<Queue> queue(args.at(0));
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  Lock lock(queue->mutex);
  ++queue->waiting;
  to_parent.send("waiting");
  if (args.size() > 2 && args[2] == "timed") {
    while (!queue->message_in) {
      IPC_CHILD_CHECK(queue->full.timed_wait(lock, system_clock::now() + seconds(60)));
    }
  } else {
    queue->full.wait(lock, [&] { return queue->message_in; });
  }
  IPC_CHILD_CHECK(lock.owns());
  ++queue->woken;
}

TEST_F(InterprocessConditionMultiProcess, ProducerAndConsumerInTwoProcesses) {
  IPC_SPEC("interprocess_condition.cross_process", "interprocess_condition.wait.notify_one",
           "interprocess_condition.wait.releases_and_reacquires");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Queue> queue(name);
  auto child = ipc_test::spawn_role("condition_receiver", {name});
  for (int i = 0; i < kMessages; ++i) {
    Lock lock(queue->mutex);
    while (queue->message_in) queue->empty.wait(lock);
    EXPECT_TRUE(lock.owns());
    queue->message = i;
    queue->message_in = true;
    queue->full.notify_one();
  }
  IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_FALSE(queue->message_in);
}

TEST_F(InterprocessConditionMultiProcess, NotifyAllWakesEveryWaitingProcess) {
  IPC_SPEC("interprocess_condition.wait.notify_all", "interprocess_condition.wait.predicate",
           "interprocess_condition.wait.releases_and_reacquires", "deadlines.chrono");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Queue> queue(name);
  constexpr int kSleepers = 3;
  ipc_test::Pipe to_parent;
  std::vector<ipc_test::Child> children;
  for (int i = 0; i < kSleepers; ++i) {
    children.push_back(ipc_test::spawn_role("condition_sleeper", {name, to_parent.arg()}));
  }
  for (int i = 0; i < kSleepers; ++i) ASSERT_EQ(to_parent.receive(), "waiting");
  {
    // Each sleeper said "waiting" while holding the mutex, so once it is
    // ours they are all inside wait().
    Lock lock(queue->mutex);
    EXPECT_EQ(queue->waiting, kSleepers);
    queue->message_in = true;
    queue->full.notify_all();
  }
  for (auto& child : children) IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_EQ(queue->woken, kSleepers);
}

TEST_F(InterprocessCondition, NotifyWithoutWaitersHasNoEffect) {
  IPC_SPEC("interprocess_condition.notify.no_waiters", "deadlines.chrono");
  Queue queue;
  queue.full.notify_one();
  queue.full.notify_all();
  // An earlier notification does not end a later wait.
  Lock lock(queue.mutex);
  EXPECT_FALSE(queue.full.timed_wait(lock, system_clock::now() + milliseconds(50)));
}

TEST_F(InterprocessCondition, PredicateAlreadyTrueDoesNotBlock) {
  IPC_SPEC("interprocess_condition.wait.predicate", "interprocess_condition.timed_wait.predicate",
           "deadlines.chrono");
  Queue queue;
  Lock lock(queue.mutex);
  int calls = 0;
  queue.full.wait(lock, [&] { return ++calls > 0; });
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(queue.full.timed_wait(lock, system_clock::now() + seconds(60), [] { return true; }));
  EXPECT_TRUE(lock.owns());
}

TEST_F(InterprocessCondition, TimedWaitTimesOutAndRelocks) {
  IPC_SPEC("interprocess_condition.timed_wait.timeout",
           "interprocess_condition.timed_wait.predicate", "deadlines.chrono");
  Queue queue;
  Lock lock(queue.mutex);
  auto deadline = system_clock::now() + milliseconds(150);
  EXPECT_FALSE(queue.full.timed_wait(lock, deadline));
  auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  EXPECT_TRUE(lock.owns());
  EXPECT_FALSE(queue.mutex.try_lock());

  deadline = system_clock::now() + milliseconds(150);
  EXPECT_FALSE(queue.full.timed_wait(lock, deadline, [&] { return queue.message_in; }));
  returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  EXPECT_TRUE(lock.owns());
}

TEST_F(InterprocessConditionMultiProcess, TimedWaitReturnsTrueWhenNotified) {
  IPC_SPEC("interprocess_condition.timed_wait.notified", "interprocess_condition.cross_process",
           "deadlines.chrono");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Queue> queue(name);
  ipc_test::Pipe to_parent;
  auto child = ipc_test::spawn_role("condition_sleeper", {name, to_parent.arg(), "timed"});
  ASSERT_EQ(to_parent.receive(), "waiting");
  {
    Lock lock(queue->mutex);
    queue->message_in = true;
    queue->full.notify_one();
  }
  IPC_EXPECT_CHILD_OK(child.wait());
  Lock lock(queue->mutex);
  EXPECT_EQ(queue->woken, 1);
}

}  // namespace
