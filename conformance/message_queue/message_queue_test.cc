// Conformance tests of message_queue: the manual's "Message Queue" section and
// the reference of ipc/message_queue.hpp, plus the project's requirements for
// processes that die while using a queue.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
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

class MessageQueue : public ipc_test::ConformanceTest {
 protected:
  std::string queue_name() {
    return unique_resource(
        [](const std::string& name) { ipc::message_queue::remove(name.c_str()); });
  }
};
class MessageQueueMultiProcess : public MessageQueue {};
class MessageQueueDeadPeer : public MessageQueue {};

// The payload of the multi-process tests.
struct Tagged {
  std::uint32_t producer;
  std::uint32_t seq;
};

void send_int(ipc::message_queue& mq, int value, unsigned int priority) {
  mq.send(&value, sizeof value, priority);
}

// Receives one int-sized message at once (the queue must not be empty).
std::pair<int, unsigned int> take_int(ipc::message_queue& mq) {
  int value = -1;
  std::size_t size = 0;
  unsigned int priority = 0;
  EXPECT_TRUE(mq.try_receive(&value, sizeof value, size, priority));
  EXPECT_EQ(size, sizeof value);
  return {value, priority};
}

TEST_F(MessageQueue, CreateOnlyCreatesAnEmptyQueueWithItsLimits) {
  IPC_SPEC("message_queue.create_only.creates", "message_queue.get_num_msg.counts");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 7, 33);
  EXPECT_EQ(mq.get_max_msg(), 7u);
  EXPECT_EQ(mq.get_max_msg_size(), 33u);
  EXPECT_EQ(mq.get_num_msg(), 0u);
}

TEST_F(MessageQueue, CreateOnlyThrowsWhenTheQueueExists) {
  IPC_SPEC("message_queue.create_only.exists_throws");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 4, sizeof(int));
  send_int(mq, 42, 0);
  EXPECT_THROW(ipc::message_queue(ipc::create_only, name.c_str(), 8, 64),
               ipc::interprocess_exception);
  EXPECT_EQ(mq.get_num_msg(), 1u);
  EXPECT_EQ(mq.get_max_msg(), 4u);
  EXPECT_EQ(take_int(mq).first, 42);
}

TEST_F(MessageQueue, OpenOrCreateCreatesThenOpensIgnoringTheLimits) {
  IPC_SPEC("message_queue.open_or_create.either");
  const std::string name = queue_name();
  ipc::message_queue created(ipc::open_or_create, name.c_str(), 3, sizeof(int));
  EXPECT_EQ(created.get_max_msg(), 3u);
  EXPECT_EQ(created.get_max_msg_size(), sizeof(int));
  send_int(created, 5, 1);
  ipc::message_queue opened(ipc::open_or_create, name.c_str(), 100, 1000);
  EXPECT_EQ(opened.get_max_msg(), 3u);
  EXPECT_EQ(opened.get_max_msg_size(), sizeof(int));
  EXPECT_EQ(opened.get_num_msg(), 1u);
  EXPECT_EQ(take_int(opened), std::make_pair(5, 1u));
}

TEST_F(MessageQueue, OpenOnlySharesTheQueue) {
  IPC_SPEC("message_queue.open_only.opens", "message_queue.get_num_msg.counts");
  const std::string name = queue_name();
  ipc::message_queue created(ipc::create_only, name.c_str(), 5, sizeof(int));
  ipc::message_queue opened(ipc::open_only, name.c_str());
  EXPECT_EQ(opened.get_max_msg(), 5u);
  EXPECT_EQ(opened.get_max_msg_size(), sizeof(int));
  send_int(created, 1, 0);
  send_int(opened, 2, 0);
  EXPECT_EQ(created.get_num_msg(), 2u);
  EXPECT_EQ(opened.get_num_msg(), 2u);
  EXPECT_EQ(take_int(opened).first, 1);
  EXPECT_EQ(take_int(created).first, 2);
  EXPECT_EQ(opened.get_num_msg(), 0u);
}

TEST_F(MessageQueue, OpenOnlyThrowsWithoutAQueue) {
  IPC_SPEC("message_queue.open_only.missing_throws");
  const std::string name = queue_name();
  EXPECT_THROW(ipc::message_queue(ipc::open_only, name.c_str()), ipc::interprocess_exception);
}

TEST_F(MessageQueue, QueuesCreatedWithPermissionsAreUsable) {
  IPC_SPEC("message_queue.permissions.accepted");
  const std::string first = queue_name();
  const std::string second = queue_name();
  ipc::permissions owner_only(0600);
  ipc::message_queue a(ipc::create_only, first.c_str(), 2, sizeof(int), owner_only);
  ipc::permissions unrestricted;
  unrestricted.set_unrestricted();
  ipc::message_queue b(ipc::open_or_create, second.c_str(), 2, sizeof(int), unrestricted);
  ipc::message_queue a2(ipc::open_only, first.c_str());
  ipc::message_queue b2(ipc::open_only, second.c_str());
  send_int(a, 10, 0);
  send_int(b, 20, 0);
  EXPECT_EQ(take_int(a2).first, 10);
  EXPECT_EQ(take_int(b2).first, 20);
}

TEST_F(MessageQueue, DestroyingAHandleKeepsTheQueueAndItsMessages) {
  IPC_SPEC("message_queue.destructor.keeps_queue");
  const std::string name = queue_name();
  ipc::message_queue other(ipc::open_or_create, name.c_str(), 4, sizeof(int));
  {
    ipc::message_queue mq(ipc::open_only, name.c_str());
    send_int(mq, 7, 0);
  }
  send_int(other, 8, 0);
  ipc::message_queue reopened(ipc::open_only, name.c_str());
  EXPECT_EQ(reopened.get_num_msg(), 2u);
  EXPECT_EQ(take_int(reopened).first, 7);
  EXPECT_EQ(take_int(other).first, 8);
}

TEST_F(MessageQueue, RemoveDeletesTheQueue) {
  IPC_SPEC("message_queue.remove.removes");
  const std::string name = queue_name();
  { ipc::message_queue mq(ipc::create_only, name.c_str(), 1, 1); }
  EXPECT_TRUE(ipc::message_queue::remove(name.c_str()));
  EXPECT_THROW(ipc::message_queue(ipc::open_only, name.c_str()), ipc::interprocess_exception);
  EXPECT_FALSE(ipc::message_queue::remove(name.c_str()));
}

TEST_F(MessageQueue, TrySendFailsOnAFullQueue) {
  IPC_SPEC("message_queue.try_send.result", "message_queue.get_num_msg.counts");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 2, sizeof(int));
  int value = 1;
  EXPECT_TRUE(mq.try_send(&value, sizeof value, 0));
  value = 2;
  EXPECT_TRUE(mq.try_send(&value, sizeof value, 0));
  value = 3;
  EXPECT_FALSE(mq.try_send(&value, sizeof value, 9));
  EXPECT_EQ(mq.get_num_msg(), 2u);
  EXPECT_EQ(take_int(mq).first, 1);
  EXPECT_EQ(take_int(mq).first, 2);
}

TEST_F(MessageQueue, TimedSendTimesOutOnAFullQueue) {
  IPC_SPEC("message_queue.timed_send.result", "deadlines.chrono");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 1, sizeof(int));
  int value = 1;
  // With room, even a deadline in the past sends.
  EXPECT_TRUE(mq.timed_send(&value, sizeof value, 0, system_clock::now() - seconds(1)));
  value = 2;
  const auto deadline = system_clock::now() + milliseconds(150);
  EXPECT_FALSE(mq.timed_send(&value, sizeof value, 0, deadline));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  EXPECT_EQ(mq.get_num_msg(), 1u);
  EXPECT_EQ(take_int(mq).first, 1);
}

TEST_F(MessageQueue, TryReceiveFailsOnAnEmptyQueue) {
  IPC_SPEC("message_queue.try_receive.result");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 2, sizeof(int));
  int value = -1;
  std::size_t size = 99;
  unsigned int priority = 99;
  EXPECT_FALSE(mq.try_receive(&value, sizeof value, size, priority));
  send_int(mq, 4, 2);
  EXPECT_TRUE(mq.try_receive(&value, sizeof value, size, priority));
  EXPECT_EQ(value, 4);
  EXPECT_FALSE(mq.try_receive(&value, sizeof value, size, priority));
}

TEST_F(MessageQueue, TimedReceiveTimesOutOnAnEmptyQueue) {
  IPC_SPEC("message_queue.timed_receive.result", "deadlines.chrono");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 2, sizeof(int));
  int value = -1;
  std::size_t size = 0;
  unsigned int priority = 0;
  const auto deadline = system_clock::now() + milliseconds(150);
  EXPECT_FALSE(mq.timed_receive(&value, sizeof value, size, priority, deadline));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  send_int(mq, 6, 3);
  EXPECT_TRUE(
      mq.timed_receive(&value, sizeof value, size, priority, system_clock::now() - seconds(1)));
  EXPECT_EQ(value, 6);
  EXPECT_EQ(priority, 3u);
}

TEST_F(MessageQueue, TimedOperationsTakeSteadyClockDeadlines) {
  IPC_SPEC("message_queue.timed.steady_clock", "deadlines.chrono");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 1, sizeof(int));
  int value = -1;
  std::size_t size = 0;
  unsigned int priority = 0;
  auto deadline = steady_clock::now() + milliseconds(150);
  EXPECT_FALSE(mq.timed_receive(&value, sizeof value, size, priority, deadline));
  EXPECT_GE(steady_clock::now(), deadline);
  value = 11;
  EXPECT_TRUE(mq.timed_send(&value, sizeof value, 0, steady_clock::now() + seconds(10)));
  deadline = steady_clock::now() + milliseconds(150);
  EXPECT_FALSE(mq.timed_send(&value, sizeof value, 0, deadline));
  const auto returned = steady_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  value = -1;
  EXPECT_TRUE(mq.timed_receive(&value, sizeof value, size, priority, steady_clock::now()));
  EXPECT_EQ(value, 11);
}

TEST_F(MessageQueue, ReceiveReportsTheBytesSizeAndPriority) {
  IPC_SPEC("message_queue.receive.reports");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 3, 64);
  const std::string text = "seventeen bytes!!";
  mq.send(text.data(), text.size(), 12);
  char buffer[64] = {};
  std::size_t size = 0;
  unsigned int priority = 0;
  mq.receive(buffer, sizeof buffer, size, priority);
  EXPECT_EQ(size, text.size());
  EXPECT_EQ(priority, 12u);
  EXPECT_EQ(std::string(buffer, size), text);
}

TEST_F(MessageQueue, HigherPrioritiesAreReceivedFirst) {
  IPC_SPEC("message_queue.order.priority");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 8, sizeof(int));
  const unsigned int priorities[] = {3, 0, 7, 1, 4294967295u, 5, 2};
  for (unsigned int p : priorities) send_int(mq, static_cast<int>(p % 1000), p);
  std::vector<unsigned int> expected(std::begin(priorities), std::end(priorities));
  std::sort(expected.rbegin(), expected.rend());
  for (unsigned int p : expected) {
    const auto [value, priority] = take_int(mq);
    EXPECT_EQ(priority, p);
    EXPECT_EQ(value, static_cast<int>(p % 1000));
  }
}

TEST_F(MessageQueue, EqualPrioritiesKeepTheirSendingOrder) {
  IPC_SPEC("message_queue.order.fifo_within_priority", "message_queue.order.priority");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 64, sizeof(int));
  // Interleave three priorities; refill while draining so the order must hold
  // across wrap-arounds of any internal storage.
  std::map<unsigned int, int> next_sent, next_received;
  int sent = 0;
  for (; sent < 60; ++sent) {
    const unsigned int p = (sent * 7) % 3;
    send_int(mq, next_sent[p]++, p);
  }
  for (int round = 0; round < 200; ++round) {
    const auto [value, priority] = take_int(mq);
    // Nothing of a higher priority may be waiting.
    for (unsigned int higher = priority + 1; higher < 3; ++higher) {
      EXPECT_EQ(next_received[higher], next_sent[higher]) << "round " << round;
    }
    EXPECT_EQ(value, next_received[priority]++) << "priority " << priority;
    const unsigned int p = (sent++ * 7) % 3;
    send_int(mq, next_sent[p]++, p);
  }
}

TEST_F(MessageQueue, ZeroLengthMessagesAreSentAndReceived) {
  IPC_SPEC("message_queue.message.zero_length", "deadlines.chrono");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 4, 8);
  char byte = 'x';
  mq.send(&byte, 0, 1);
  EXPECT_TRUE(mq.try_send(&byte, 0, 2));
  EXPECT_TRUE(mq.timed_send(&byte, 0, 0, system_clock::now() + seconds(5)));
  EXPECT_EQ(mq.get_num_msg(), 3u);
  char buffer[8];
  std::size_t size = 99;
  unsigned int priority = 0;
  mq.receive(buffer, sizeof buffer, size, priority);
  EXPECT_EQ(size, 0u);
  EXPECT_EQ(priority, 2u);
  size = 99;
  EXPECT_TRUE(mq.try_receive(buffer, sizeof buffer, size, priority));
  EXPECT_EQ(size, 0u);
  EXPECT_EQ(priority, 1u);
  size = 99;
  EXPECT_TRUE(
      mq.timed_receive(buffer, sizeof buffer, size, priority, system_clock::now() + seconds(5)));
  EXPECT_EQ(size, 0u);
  EXPECT_EQ(mq.get_num_msg(), 0u);
}

TEST_F(MessageQueue, MessagesLargerThanTheMaximumThrow) {
  IPC_SPEC("message_queue.send.too_large_throws", "deadlines.chrono");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 4, 8);
  char data[9] = {};
  EXPECT_NO_THROW(mq.send(data, 8, 0));
  EXPECT_THROW(mq.send(data, 9, 0), ipc::interprocess_exception);
  EXPECT_THROW(mq.try_send(data, 9, 0), ipc::interprocess_exception);
  EXPECT_THROW(mq.timed_send(data, 9, 0, system_clock::now() + seconds(5)),
               ipc::interprocess_exception);
  EXPECT_EQ(mq.get_num_msg(), 1u);
}

TEST_F(MessageQueue, ReceiveBuffersSmallerThanTheMaximumThrow) {
  IPC_SPEC("message_queue.receive.small_buffer_throws", "deadlines.chrono");
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 4, 8);
  // The message itself would fit: the buffer is checked against the maximum.
  const char data[2] = {'a', 'b'};
  mq.send(data, sizeof data, 0);
  char buffer[7];
  std::size_t size = 0;
  unsigned int priority = 0;
  EXPECT_THROW(mq.receive(buffer, sizeof buffer, size, priority), ipc::interprocess_exception);
  EXPECT_THROW(mq.try_receive(buffer, sizeof buffer, size, priority), ipc::interprocess_exception);
  EXPECT_THROW(
      mq.timed_receive(buffer, sizeof buffer, size, priority, system_clock::now() + seconds(5)),
      ipc::interprocess_exception);
  EXPECT_EQ(mq.get_num_msg(), 1u);
}

// The manual's data-base example: a managed segment of kDbSize bytes holding
// named arrays "block<k>" of kDbBlock values k * kDbBlock + j, sent through a
// one-message queue in fragments of at most kDbFragment bytes.
constexpr std::size_t kDbSize = 65536;
constexpr std::size_t kDbBlock = 100;
constexpr std::size_t kDbFragment = 100;

std::string db_block_name(std::size_t k) { return "block" + std::to_string(k); }

// Gathers the segment from the queue, opens the copy as an external buffer
// and checks that it holds exactly the args.at(1) blocks.
IPC_CHILD_ROLE(mq_db_receiver) {
  ipc::message_queue mq(ipc::open_only, args.at(0).c_str());
  const std::size_t blocks = std::stoul(args.at(1));
  std::vector<std::max_align_t> buffer((kDbSize + sizeof(std::max_align_t) - 1) /
                                       sizeof(std::max_align_t));
  char* bytes = reinterpret_cast<char*>(buffer.data());
  std::size_t total = 0;
  while (total < kDbSize) {
    char fragment[kDbFragment];
    std::size_t size = 0;
    unsigned int priority = 0;
    mq.receive(fragment, sizeof fragment, size, priority);
    IPC_CHILD_CHECK_MSG(size > 0 && total + size <= kDbSize, "fragment of " << size << " bytes");
    std::memcpy(bytes + total, fragment, size);
    total += size;
  }
  ipc::managed_external_buffer copy(ipc::open_only, bytes, kDbSize);
  IPC_CHILD_CHECK(copy.get_num_named_objects() == blocks);
  for (std::size_t k = 0; k < blocks; ++k) {
    const std::pair<std::size_t*, std::size_t> found =
        copy.find<std::size_t>(db_block_name(k).c_str());
    IPC_CHILD_CHECK_MSG(found.first != nullptr && found.second == kDbBlock, "block " << k);
    for (std::size_t j = 0; j < kDbBlock; ++j) {
      IPC_CHILD_CHECK_MSG(found.first[j] == k * kDbBlock + j, "block " << k << " value " << j);
    }
  }
  IPC_CHILD_CHECK(copy.find<std::size_t>(db_block_name(blocks).c_str()).first == nullptr);
}

TEST_F(MessageQueueMultiProcess, AManagedSegmentSentInFragmentsIsRebuiltByTheReceiver) {
  IPC_SPEC("message_queue.multi_process.serialized_buffer", "message_queue.send.blocks_when_full",
           "deadlines.chrono");
  ipc::managed_heap_memory db(kDbSize);
  ASSERT_EQ(db.get_size(), kDbSize);
  // Fill the segment until it is full, as the manual's example does.
  std::size_t blocks = 0;
  for (;; ++blocks) {
    std::size_t* values =
        db.construct<std::size_t>(db_block_name(blocks).c_str(), std::nothrow)[kDbBlock](0);
    if (values == nullptr) break;
    for (std::size_t j = 0; j < kDbBlock; ++j) values[j] = blocks * kDbBlock + j;
  }
  ASSERT_GT(blocks, 10u);

  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 1, kDbFragment);
  auto child = ipc_test::spawn_role("mq_db_receiver", {name, std::to_string(blocks)});
  const char* bytes = static_cast<const char*>(db.get_address());
  for (std::size_t sent = 0; sent < kDbSize; sent += kDbFragment) {
    mq.send(bytes + sent, std::min(kDbFragment, kDbSize - sent), 0);
  }
  IPC_EXPECT_CHILD_OK(child.wait());
}

// Sends "b" to a full queue (announcing it first), then reports "sent".
IPC_CHILD_ROLE(mq_blocked_sender) {
  ipc::message_queue mq(ipc::open_only, args.at(0).c_str());
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  to_parent.send("sending");
  const char b = 'b';
  if (args.at(2) == "timed") {
    IPC_CHILD_CHECK(mq.timed_send(&b, 1, 0, system_clock::now() + seconds(60)));
  } else {
    mq.send(&b, 1, 0);
  }
  to_parent.send("sent");
}

TEST_F(MessageQueueMultiProcess, SendWaitsForRoomInAFullQueue) {
  IPC_SPEC("message_queue.send.blocks_when_full", "message_queue.timed_send.result",
           "message_queue.open_only.opens", "deadlines.chrono");
  for (const char* mode : {"blocking", "timed"}) {
    const std::string name = queue_name();
    ipc::message_queue mq(ipc::create_only, name.c_str(), 1, 1);
    const char a = 'a';
    mq.send(&a, 1, 0);
    ipc_test::Pipe to_parent;
    auto child = ipc_test::spawn_role("mq_blocked_sender", {name, to_parent.arg(), mode});
    ASSERT_EQ(to_parent.receive(), "sending");
    // Whether or not the child is already waiting, its message cannot have
    // replaced or overtaken 'a'.
    char got = 0;
    std::size_t size = 0;
    unsigned int priority = 0;
    mq.receive(&got, 1, size, priority);
    EXPECT_EQ(got, 'a') << mode;
    ASSERT_EQ(to_parent.receive(), "sent");
    mq.receive(&got, 1, size, priority);
    EXPECT_EQ(got, 'b') << mode;
    IPC_EXPECT_CHILD_OK(child.wait());
  }
}

// Receives one message from an empty queue and checks it is "hello".
IPC_CHILD_ROLE(mq_blocked_receiver) {
  ipc::message_queue mq(ipc::open_only, args.at(0).c_str());
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  to_parent.send("receiving");
  char buffer[16] = {};
  std::size_t size = 0;
  unsigned int priority = 0;
  if (args.at(2) == "timed") {
    IPC_CHILD_CHECK(
        mq.timed_receive(buffer, sizeof buffer, size, priority, system_clock::now() + seconds(60)));
  } else {
    mq.receive(buffer, sizeof buffer, size, priority);
  }
  IPC_CHILD_CHECK_MSG(std::string(buffer, size) == "hello", "got " << std::string(buffer, size));
  IPC_CHILD_CHECK(priority == 4);
}

TEST_F(MessageQueueMultiProcess, ReceiveWaitsForAMessage) {
  IPC_SPEC("message_queue.receive.blocks_when_empty", "message_queue.timed_receive.result",
           "deadlines.chrono");
  for (const char* mode : {"blocking", "timed"}) {
    const std::string name = queue_name();
    ipc::message_queue mq(ipc::create_only, name.c_str(), 2, 16);
    ipc_test::Pipe to_parent;
    auto child = ipc_test::spawn_role("mq_blocked_receiver", {name, to_parent.arg(), mode});
    ASSERT_EQ(to_parent.receive(), "receiving");
    mq.send("hello", 5, 4);
    IPC_EXPECT_CHILD_OK(child.wait());
    EXPECT_EQ(mq.get_num_msg(), 0u) << mode;
  }
}

constexpr std::uint32_t kPriorities = 3;

IPC_CHILD_ROLE(mq_producer) {
  ipc::message_queue mq(ipc::open_only, args.at(0).c_str());
  const auto id = static_cast<std::uint32_t>(std::stoul(args.at(1)));
  const auto count = static_cast<std::uint32_t>(std::stoul(args.at(2)));
  for (std::uint32_t seq = 0; seq < count; ++seq) {
    const Tagged m{id, seq};
    mq.send(&m, sizeof m, (seq * 7 + id) % kPriorities + 1);
  }
}

// Receives until an empty message (priority 0, below every data message),
// checks the order per producer and priority, and reports what it received
// as one line of "producer:seq" pairs.
IPC_CHILD_ROLE(mq_consumer) {
  ipc::message_queue mq(ipc::open_only, args.at(0).c_str());
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  std::map<std::pair<std::uint32_t, unsigned int>, std::int64_t> last;
  std::ostringstream report;
  for (;;) {
    Tagged m{};
    std::size_t size = 0;
    unsigned int priority = 0;
    mq.receive(&m, sizeof m, size, priority);
    if (size == 0) break;
    IPC_CHILD_CHECK(size == sizeof m);
    IPC_CHILD_CHECK(priority == (m.seq * 7 + m.producer) % kPriorities + 1);
    auto& previous = last.try_emplace({m.producer, priority}, -1).first->second;
    IPC_CHILD_CHECK_MSG(previous < m.seq, "producer " << m.producer << " priority " << priority
                                                      << ": " << m.seq << " after " << previous);
    previous = m.seq;
    report << m.producer << ':' << m.seq << ' ';
  }
  to_parent.send(report.str());
}

TEST_F(MessageQueueMultiProcess, ProducersAndConsumersExchangeEveryMessageOnce) {
  IPC_SPEC("message_queue.multi_process.exchange", "message_queue.open_only.opens",
           "message_queue.order.fifo_within_priority");
  constexpr int kProducers = 3;
  constexpr int kConsumers = 3;
  constexpr std::uint32_t kCount = 1500;
  const std::string name = queue_name();
  ipc::message_queue mq(ipc::create_only, name.c_str(), 16, sizeof(Tagged));
  std::vector<ipc_test::Pipe> reports(kConsumers);
  std::vector<ipc_test::Child> consumers, producers;
  for (int c = 0; c < kConsumers; ++c) {
    consumers.push_back(ipc_test::spawn_role("mq_consumer", {name, reports[c].arg()}));
  }
  for (int p = 0; p < kProducers; ++p) {
    producers.push_back(
        ipc_test::spawn_role("mq_producer", {name, std::to_string(p), std::to_string(kCount)}));
  }
  for (auto& producer : producers) IPC_ASSERT_CHILD_OK(producer.wait());
  for (int c = 0; c < kConsumers; ++c) mq.send("", 0, 0);
  std::multiset<std::pair<std::uint32_t, std::uint32_t>> received;
  for (auto& report : reports) {
    std::istringstream in(report.receive());
    std::string pair;
    while (in >> pair) {
      const auto colon = pair.find(':');
      received.insert({static_cast<std::uint32_t>(std::stoul(pair.substr(0, colon))),
                       static_cast<std::uint32_t>(std::stoul(pair.substr(colon + 1)))});
    }
  }
  for (auto& consumer : consumers) IPC_EXPECT_CHILD_OK(consumer.wait());
  std::multiset<std::pair<std::uint32_t, std::uint32_t>> sent;
  for (std::uint32_t p = 0; p < kProducers; ++p) {
    for (std::uint32_t s = 0; s < kCount; ++s) sent.insert({p, s});
  }
  EXPECT_EQ(received.size(), sent.size());
  EXPECT_TRUE(received == sent) << "messages lost or duplicated";
  EXPECT_EQ(mq.get_num_msg(), 0u);
}

// Shared by the peers of the dead-peer test, in a shared memory object.
struct Ledger {
  static constexpr int kProducers = 2;
  static constexpr int kLog = 1 << 16;
  std::atomic<std::int64_t> acked[kProducers];  // last seq whose send returned
  std::atomic<std::int64_t> logged;
  Tagged log[kLog];  // what the consumer received, in order
};

// Messages of the dead-peer test are large, so that copying them (inside
// the queue's critical sections) takes most of the peers' time and most
// kills land there. A Tagged leads each.
constexpr std::size_t kBig = 256 * 1024;

IPC_CHILD_ROLE(mq_endless_producer) {
  Opened<Ledger> ledger(args.at(1));
  ipc::message_queue mq(ipc::open_only, args.at(0).c_str());
  const auto id = static_cast<std::uint32_t>(std::stoul(args.at(2)));
  std::vector<char> big(kBig, 'x');
  for (std::uint32_t seq = 0;; ++seq) {
    const Tagged m{id, seq};
    std::memcpy(big.data(), &m, sizeof m);
    mq.send(big.data(), big.size(), seq % kPriorities);
    ledger->acked[id].store(seq);
  }
}

// Receives and logs until the log is full; says "busy" after kProgress.
IPC_CHILD_ROLE(mq_endless_consumer) {
  constexpr std::int64_t kProgress = 300;
  Opened<Ledger> ledger(args.at(1));
  ipc::message_queue mq(ipc::open_only, args.at(0).c_str());
  auto to_parent = ipc_test::Pipe::from_arg(args.at(2));
  auto from_parent = ipc_test::Pipe::from_arg(args.at(3));
  std::vector<char> big(kBig);
  for (std::int64_t n = 0; n < Ledger::kLog; ++n) {
    Tagged m{};
    std::size_t size = 0;
    unsigned int priority = 0;
    mq.receive(big.data(), big.size(), size, priority);
    std::memcpy(&m, big.data(), sizeof m);
    ledger->log[n] = m;
    ledger->logged.store(n + 1);
    if (n == kProgress) to_parent.send("busy");
  }
  from_parent.receive();  // until killed
}

// Checks, in a fresh process, the queue args.at(0) left by the killed peers
// of the test below with the ledger args.at(1).
IPC_CHILD_ROLE(mq_survivor) {
  Opened<Ledger> shared(args.at(1));
  ipc::message_queue queue(ipc::open_only, args.at(0).c_str());
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
  const auto note = [&](const Tagged& m) {
    IPC_CHILD_CHECK_MSG(seen.insert({m.producer, m.seq}).second,
                        "duplicate " << m.producer << ":" << m.seq);
  };
  for (std::int64_t i = 0; i < shared->logged.load(); ++i) note(shared->log[i]);
  std::vector<char> big(kBig);
  Tagged m{};
  std::size_t size = 0;
  unsigned int priority = 0;
  while (queue.try_receive(big.data(), big.size(), size, priority)) {
    IPC_CHILD_CHECK(size == kBig);
    std::memcpy(&m, big.data(), sizeof m);
    note(m);
  }
  int missing = 0;
  for (std::uint32_t p = 0; p < Ledger::kProducers; ++p) {
    const std::int64_t acked = shared->acked[p].load();
    for (std::int64_t s = 0; s <= acked; ++s) {
      if (seen.count({p, static_cast<std::uint32_t>(s)}) == 0) ++missing;
    }
    for (const auto& [producer, seq] : seen) {
      IPC_CHILD_CHECK_MSG(producer != p || seq <= acked + 1,
                          "never sent: " << producer << ":" << seq);
    }
  }
  IPC_CHILD_CHECK_MSG(missing <= 1, missing << " acknowledged messages lost");
  // Still usable in both directions.
  IPC_CHILD_CHECK(queue.timed_send(&m, sizeof m, 1, steady_clock::now() + seconds(2)));
  IPC_CHILD_CHECK(queue.timed_receive(big.data(), big.size(), size, priority,
                                      steady_clock::now() + seconds(2)));
}

// Child::kill ends the process outright whatever the signal on Windows,
// which has no SIGKILL.
#ifdef _WIN32
constexpr int kKillSignal = SIGTERM;
#else
constexpr int kKillSignal = SIGKILL;
#endif

// Two producers and a consumer are SIGKILLed while they run flat out, so the
// kills often land inside queue operations. A fresh process must then find
// every acknowledged message exactly once, within bounded time: at most one
// more per producer (sent, killed before acknowledging) and at most one fewer
// (taken by the consumer, killed before logging it). Every wait is bounded, so
// an implementation left broken by a dead peer fails instead of hanging.
TEST_F(MessageQueueDeadPeer, PeersKilledMidOperationLeaveTheQueueUsable) {
  IPC_SPEC("message_queue.robust.dead_peer", "deadlines.chrono");
  // Optional: whether a kill lands inside a critical section is a matter of
  // timing, so an implementation without the guarantee may pass or fail.
  IPC_REQUIRE_FEATURE("dead_peer_recovery");
  for (int round = 0; round < 3; ++round) {
    const std::string name = queue_name();
    const std::string ledger_name = unique_resource(remove_shared_memory);
    ipc::message_queue mq(ipc::create_only, name.c_str(), 4, kBig);
    Placed<Ledger> ledger(ledger_name);
    for (auto& acked : ledger->acked) acked.store(-1);
    ipc_test::Pipe to_parent, from_parent;
    std::vector<ipc_test::Child> peers;
    for (int p = 0; p < Ledger::kProducers; ++p) {
      peers.push_back(
          ipc_test::spawn_role("mq_endless_producer", {name, ledger_name, std::to_string(p)}));
    }
    peers.push_back(ipc_test::spawn_role("mq_endless_consumer",
                                         {name, ledger_name, to_parent.arg(), from_parent.arg()}));
    ASSERT_EQ(to_parent.receive(), "busy");
    for (auto& peer : peers) peer.kill(kKillSignal);
    for (auto& peer : peers) EXPECT_FALSE(peer.wait().ok());

    auto survivor = ipc_test::spawn_role("mq_survivor", {name, ledger_name});
    const auto result = survivor.wait(seconds(30));
    ASSERT_TRUE(result.ok()) << "round " << round << ": " << result.describe();
  }
}

// Opens the queue args.at(0) (with open_or_create if args.at(1) is "1");
// failing is as good as completing, hanging is not.
IPC_CHILD_ROLE(mq_opener) {
  try {
    if (args.at(1) == "1") {
      ipc::message_queue mq(ipc::open_or_create, args.at(0).c_str(), 1, 1);
    } else {
      ipc::message_queue mq(ipc::open_only, args.at(0).c_str());
    }
  } catch (const ipc::interprocess_exception&) {
  }
}

#ifdef _WIN32
// Says "creating", then creates the queue args.at(0) and waits to be killed:
// the test kills it as soon as it has said so, while it creates the queue
// or after. (Small: a creator killed in the middle may leave its storage
// behind, unnamed.)
IPC_CHILD_ROLE(mq_killed_creator) {
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  auto from_parent = ipc_test::Pipe::from_arg(args.at(2));
  to_parent.send("creating");
  ipc::message_queue mq(ipc::create_only, args.at(0).c_str(), 64, 1024);
  from_parent.receive();  // until killed
}
#else
// A process that creates the queue's shared memory object and dies before
// writing anything in it: what a creator killed early leaves behind (the
// manual's queues live in a shared memory object of the queue's name).
IPC_CHILD_ROLE(mq_dying_creator) {
  ipc::shared_memory_object shm(ipc::create_only, args.at(0).c_str(), ipc::read_write);
  shm.truncate(4096);
}
#endif

TEST_F(MessageQueueDeadPeer, OpeningAQueueWhoseCreatorDiedIsBounded) {
  IPC_SPEC("message_queue.robust.dead_creator");
  const std::string name = queue_name();
#ifdef _WIN32
  // The adapter has no shared_memory_object on Windows to leave a creator's
  // first step behind: the creator is killed while it creates a queue.
  ipc_test::Pipe to_parent, from_parent;
  auto creator =
      ipc_test::spawn_role("mq_killed_creator", {name, to_parent.arg(), from_parent.arg()});
  ASSERT_EQ(to_parent.receive(), "creating");
  creator.kill(kKillSignal);
  EXPECT_FALSE(creator.wait().ok());
#else
  IPC_ASSERT_CHILD_OK(ipc_test::spawn_role("mq_dying_creator", {name}).wait());
#endif
  for (const char* open_or_create : {"0", "1"}) {
    const auto result = ipc_test::spawn_role("mq_opener", {name, open_or_create}).wait(seconds(20));
    EXPECT_TRUE(result.ok()) << (open_or_create[0] == '1' ? "open_or_create: " : "open_only: ")
                             << result.describe();
  }
}

}  // namespace
