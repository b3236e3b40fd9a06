// Conformance tests of interprocess_semaphore: the manual's "Semaphores"
// section and the interprocess_semaphore reference.
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

class InterprocessSemaphore : public ipc_test::ConformanceTest {};
class InterprocessSemaphoreMultiProcess : public ipc_test::ConformanceTest {};

// The manual's bounded buffer: a binary semaphore as the mutex, and counts of
// empty and stored slots.
struct Buffer {
  static constexpr int kSlots = 10;
  ipc::interprocess_semaphore mutex{1};
  ipc::interprocess_semaphore empty{kSlots};
  ipc::interprocess_semaphore stored{0};
  int items[kSlots] = {};
};

struct Counted {
  ipc::interprocess_semaphore semaphore{0};
};

constexpr int kMessages = 500;

IPC_CHILD_ROLE(semaphore_consumer) {
  Opened<Buffer> buffer(args.at(0));
  for (int i = 0; i < kMessages; ++i) {
    buffer->stored.wait();
    buffer->mutex.wait();
    const int item = buffer->items[i % Buffer::kSlots];
    buffer->mutex.post();
    buffer->empty.post();
    IPC_CHILD_CHECK_MSG(item == i, "received " << item << " instead of " << i);
  }
}

// Waits `count` times, then says "done" and checks that no post is left.
IPC_CHILD_ROLE(semaphore_waiter) {
  Opened<Counted> counted(args.at(0));
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  for (int i = std::stoi(args.at(2)); i > 0; --i) counted->semaphore.wait();
  IPC_CHILD_CHECK(!counted->semaphore.try_wait());
  to_parent.send("done");
}

TEST_F(InterprocessSemaphore, InitialCountAllowsThatManyWaits) {
  IPC_SPEC("interprocess_semaphore.ctor.initial_count", "interprocess_semaphore.try_wait.result");
  ipc::interprocess_semaphore semaphore(3);
  semaphore.wait();
  EXPECT_TRUE(semaphore.try_wait());
  EXPECT_TRUE(semaphore.try_wait());
  EXPECT_FALSE(semaphore.try_wait());
  EXPECT_FALSE(semaphore.try_wait());
  ipc::interprocess_semaphore empty(0);
  EXPECT_FALSE(empty.try_wait());
}

TEST_F(InterprocessSemaphore, EachPostAllowsOneMoreWait) {
  IPC_SPEC("interprocess_semaphore.post.increments", "interprocess_semaphore.wait.blocks");
  ipc::interprocess_semaphore semaphore(0);
  semaphore.post();
  semaphore.post();
  semaphore.wait();
  semaphore.wait();
  EXPECT_FALSE(semaphore.try_wait());
  semaphore.post();
  EXPECT_TRUE(semaphore.try_wait());
}

TEST_F(InterprocessSemaphore, TimedWaitTakesAPositiveCount) {
  IPC_SPEC("interprocess_semaphore.timed_wait.result", "deadlines.chrono");
  ipc::interprocess_semaphore semaphore(1);
  EXPECT_TRUE(semaphore.timed_wait(system_clock::now() + seconds(10)));
  EXPECT_FALSE(semaphore.try_wait());
}

TEST_F(InterprocessSemaphore, TimedWaitOnZeroTimesOutAtTheDeadline) {
  IPC_SPEC("interprocess_semaphore.timed_wait.result", "deadlines.chrono");
  ipc::interprocess_semaphore semaphore(0);
  const auto deadline = system_clock::now() + milliseconds(200);
  EXPECT_FALSE(semaphore.timed_wait(deadline));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  semaphore.post();
  EXPECT_TRUE(semaphore.try_wait());
}

TEST_F(InterprocessSemaphoreMultiProcess, BoundedBufferAcrossProcesses) {
  IPC_SPEC("interprocess_semaphore.cross_process", "interprocess_semaphore.wait.blocks",
           "interprocess_semaphore.post.wakes_waiter");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Buffer> buffer(name);
  auto child = ipc_test::spawn_role("semaphore_consumer", {name});
  for (int i = 0; i < kMessages; ++i) {
    buffer->empty.wait();
    buffer->mutex.wait();
    buffer->items[i % Buffer::kSlots] = i;
    buffer->mutex.post();
    buffer->stored.post();
  }
  IPC_EXPECT_CHILD_OK(child.wait());
  // Every slot is empty again.
  for (int i = 0; i < Buffer::kSlots; ++i) EXPECT_TRUE(buffer->empty.try_wait());
  EXPECT_FALSE(buffer->empty.try_wait());
  EXPECT_FALSE(buffer->stored.try_wait());
}

TEST_F(InterprocessSemaphoreMultiProcess, PostsFromOneProcessCountInAnother) {
  IPC_SPEC("interprocess_semaphore.cross_process", "interprocess_semaphore.post.increments");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Counted> counted(name);
  constexpr int kPosts = 1000;
  ipc_test::Pipe to_parent;
  auto child =
      ipc_test::spawn_role("semaphore_waiter", {name, to_parent.arg(), std::to_string(kPosts)});
  for (int i = 0; i < kPosts; ++i) counted->semaphore.post();
  EXPECT_EQ(to_parent.receive(), "done");
  IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_FALSE(counted->semaphore.try_wait());
}

}  // namespace
