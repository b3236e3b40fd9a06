// refipc-specific behaviour of message_queue: duration timeouts, refusal of
// objects that are not queues, impossible sizes, overtaken waiters and
// receive order against a model. Threads only, so it runs on Windows too;
// queue_kill_test.cc has the peers killed in mid-operation.
#include "refipc/ipc/message_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "refipc/exceptions.hpp"
#include "refipc/ipc/queue_store.hpp"
#include "refipc/ipc/testing/queue_test_support.hpp"

namespace {

using namespace std::chrono;
using refipc::message_queue;

using refipc::testing::Message;
using refipc::testing::QueueName;

TEST(MessageQueue, DurationTimeoutsWaitAtLeastTheSpan) {
  QueueName q("duration");
  message_queue mq(refipc::create_only, q.name.c_str(), 1, sizeof(Message));
  Message m{1, 2};
  std::size_t size = 0;
  unsigned int priority = 0;
  auto start = steady_clock::now();
  EXPECT_FALSE(mq.timed_receive(&m, sizeof m, size, priority, milliseconds(50)));
  EXPECT_GE(steady_clock::now() - start, milliseconds(50));
  ASSERT_TRUE(mq.timed_send(&m, sizeof m, 0, milliseconds(50)));
  start = steady_clock::now();
  EXPECT_FALSE(mq.timed_send(&m, sizeof m, 0, milliseconds(50)));
  EXPECT_GE(steady_clock::now() - start, milliseconds(50));
  EXPECT_TRUE(mq.timed_receive(&m, sizeof m, size, priority, milliseconds(50)));
  EXPECT_EQ(size, sizeof m);
}

TEST(MessageQueue, OpeningAHalfCreatedQueueFailsAtOnce) {
  QueueName q("half");
  // An object of the name that is not a queue: zeros, as a creator that
  // wrote nothing would have left if queues were not published complete.
  refipc::ipc_detail::create_queue_store(q.name.c_str(), 65536, refipc::permissions(),
                                         [](void*) {});
  const auto start = steady_clock::now();
  try {
    message_queue mq(refipc::open_only, q.name.c_str());
    FAIL() << "opened a queue that was never initialised";
  } catch (const refipc::interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), refipc::corrupted_error);
  }
  EXPECT_LT(steady_clock::now() - start, seconds(5));
  EXPECT_THROW(message_queue(refipc::open_or_create, q.name.c_str(), 1, 1),
               refipc::interprocess_exception);
}

TEST(MessageQueue, CreateOnlyOfATakenNameFailsBeforeReservingAndKeepsTheQueue) {
  QueueName q("taken");
  message_queue first(refipc::create_only, q.name.c_str(), 2, 8);
  try {
    // Far more than any store holds: refused for the name, not the size.
    message_queue second(refipc::create_only, q.name.c_str(), std::size_t{1} << 30, 1 << 20);
    FAIL() << "created a queue over an existing one";
  } catch (const refipc::interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), refipc::already_exists_error);
  }
  const char byte = 'q';
  EXPECT_TRUE(first.try_send(&byte, 1, 0));
  message_queue opened(refipc::open_only, q.name.c_str());
  EXPECT_EQ(opened.get_num_msg(), 1u);
}

TEST(MessageQueue, OpenOrCreateIgnoresImpossibleSizesOfAnExistingQueue) {
  QueueName q("ignored");
  message_queue created(refipc::create_only, q.name.c_str(), 3, 5);
  message_queue opened(refipc::open_or_create, q.name.c_str(), ~std::size_t{0}, ~std::size_t{0});
  EXPECT_EQ(opened.get_max_msg(), 3u);
  EXPECT_EQ(opened.get_max_msg_size(), 5u);
}

TEST(MessageQueue, ImpossibleSizesThrowSizeErrorAndLeaveNothing) {
  QueueName q("huge");
  try {
    message_queue mq(refipc::create_only, q.name.c_str(), ~std::size_t{0} >> 8, 1 << 20);
    FAIL() << "created an impossible queue";
  } catch (const refipc::interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), refipc::size_error);
  }
  EXPECT_FALSE(message_queue::remove(q.name.c_str()));
  // Message sizes travel in 32 bits (a 32-bit size_t cannot ask for more).
  if constexpr (sizeof(std::size_t) > 4) {
    try {
      message_queue mq(refipc::create_only, q.name.c_str(), 1,
                       static_cast<std::size_t>(std::uint64_t{1} << 32));
      FAIL() << "created a queue of messages over 4 GiB";
    } catch (const refipc::interprocess_exception& e) {
      EXPECT_EQ(e.get_error_code(), refipc::size_error);
    }
    EXPECT_FALSE(message_queue::remove(q.name.c_str()));
  }
}

// Waiters on a one-message queue are overtaken: the position a waiter noted
// when it found the queue full (or empty) is taken, and its ring entry
// overwritten, by others before it sleeps. It must still see the room (or
// the message) that appears later, also when nothing else happens after
// it, as at the end of each of many short rounds here. A waiter that
// misses it stalls until the deadline, and its timed operation fails.
TEST(MessageQueue, OvertakenWaitersStillSeeLaterRoomAndMessages) {
  QueueName q("overtaken");
  message_queue mq(refipc::create_only, q.name.c_str(), 1, sizeof(Message));
  constexpr std::uint32_t kPeers = 2;
  constexpr std::uint32_t kCount = 4;
  std::atomic<bool> stalled{false};
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
  for (int round = 0; round < 2000 && !stalled; ++round) {
    std::vector<std::vector<Message>> received(kPeers);
    std::vector<std::thread> peers;
    for (std::uint32_t id = 0; id < kPeers; ++id) {
      peers.emplace_back([&, id] {
        for (std::uint32_t seq = 0; seq < kCount && !stalled; ++seq) {
          const Message m{id, round * kCount + seq};
          if (!mq.timed_send(&m, sizeof m, 0, seconds(5))) stalled = true;
        }
      });
      peers.emplace_back([&, id] {
        for (std::uint32_t n = 0; n < kCount && !stalled; ++n) {
          Message m{};
          std::size_t size = 0;
          unsigned int priority = 0;
          if (!mq.timed_receive(&m, sizeof m, size, priority, seconds(5))) {
            stalled = true;
          } else {
            received[id].push_back(m);
          }
        }
      });
    }
    for (auto& peer : peers) peer.join();
    for (const auto& list : received) {
      for (const Message& m : list) EXPECT_TRUE(seen.insert({m.producer, m.seq}).second);
    }
  }
  ASSERT_FALSE(stalled) << "a waiter missed the room or message it waited for";
  EXPECT_EQ(seen.size(), std::size_t{kPeers} * kCount * 2000);
}

// Random sends and receives with few priorities, so that runs of equal and
// of rising priority alternate, checked against a simple model; far more
// sends than the 2^8 positions a new queue has before the wrap.
TEST(MessageQueue, ReceiveOrderMatchesAModel) {
  QueueName q("model");
  constexpr std::size_t kDepth = 8;
  message_queue mq(refipc::create_only, q.name.c_str(), kDepth, sizeof(std::uint32_t));
  std::vector<std::pair<unsigned int, std::uint32_t>> model;  // (priority, id), oldest first
  std::mt19937 random(12345);
  std::uint32_t next_id = 0;
  for (int step = 0; step < 20000; ++step) {
    if (random() % 2 == 0) {
      const unsigned int priority = random() % 4;
      const std::uint32_t id = next_id;
      EXPECT_EQ(mq.try_send(&id, sizeof id, priority), model.size() < kDepth);
      if (model.size() < kDepth) {
        model.emplace_back(priority, id);
        ++next_id;
      }
    } else {
      std::uint32_t id = 0;
      std::size_t size = 0;
      unsigned int priority = 0;
      const bool received = mq.try_receive(&id, sizeof id, size, priority);
      ASSERT_EQ(received, !model.empty());
      if (!received) continue;
      auto best = model.begin();
      for (auto it = model.begin(); it != model.end(); ++it) {
        if (it->first > best->first) best = it;
      }
      ASSERT_EQ(size, sizeof id);
      ASSERT_EQ(priority, best->first) << "step " << step;
      ASSERT_EQ(id, best->second) << "step " << step;
      model.erase(best);
    }
    ASSERT_EQ(mq.get_num_msg(), model.size());
  }
  EXPECT_GT(next_id, 1000u);
}

}  // namespace
