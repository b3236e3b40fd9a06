// Survival of peers killed in mid-operation: forked producers and a consumer
// SIGKILLed while they run flat out (POSIX only: fork, SIGKILL).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "refipc/exceptions.hpp"
#include "refipc/ipc/message_queue.hpp"
#include "refipc/ipc/testing/queue_test_support.hpp"

namespace {

using refipc::message_queue;

using refipc::testing::Message;
using refipc::testing::QueueName;

// Shared with the forked peers of the kill test.
struct Ledger {
  static constexpr int kProducers = 2;
  static constexpr int kLog = 1 << 20;
  std::atomic<std::int64_t> acked[kProducers];  // last seq whose send returned
  std::atomic<std::int64_t> logged;
  Message log[kLog];  // what the consumer received, in order
};

// Messages are large, so that copying them under the queue's mutex takes most
// of the peers' time and most kills land there.
constexpr std::size_t kBig = 1 << 20;

[[noreturn]] void produce(const char* name, Ledger& ledger, std::uint32_t id) {
  message_queue mq(refipc::open_only, name);
  std::vector<char> big(kBig, 'x');
  for (std::uint32_t seq = 0;; ++seq) {
    const Message m{id, seq};
    std::memcpy(big.data(), &m, sizeof m);
    mq.send(big.data(), big.size(), seq % 3);
    ledger.acked[id].store(seq);
  }
}

[[noreturn]] void consume(const char* name, Ledger& ledger, int progress_fd) {
  message_queue mq(refipc::open_only, name);
  std::vector<char> big(kBig);
  for (;;) {
    Message m{};
    std::size_t size = 0;
    unsigned int priority = 0;
    mq.receive(big.data(), big.size(), size, priority);
    std::memcpy(&m, big.data(), sizeof m);
    const std::int64_t n = ledger.logged.load();
    if (n == Ledger::kLog) _exit(3);
    ledger.log[n] = m;
    ledger.logged.store(n + 1);
    if (n == 200) {
      const char byte = 'p';
      if (write(progress_fd, &byte, 1) != 1) _exit(4);
    }
  }
}

// Peers are SIGKILLed while they send and receive as fast as they can, so
// most kills land inside an operation. The survivor then finds every
// acknowledged message exactly once, at most one more per producer (sent,
// killed before acknowledging), and at most one missing (taken by the killed
// consumer before it could log it).
TEST(MessageQueue, PeersKilledMidOperationLeaveTheQueueUsable) {
  QueueName q("kill");
  void* memory =
      mmap(nullptr, sizeof(Ledger), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(memory, MAP_FAILED);
  auto* ledger = static_cast<Ledger*>(memory);
  for (int round = 0; round < 10; ++round) {
    message_queue::remove(q.name.c_str());
    message_queue mq(refipc::create_only, q.name.c_str(), 4, kBig);
    new (ledger) Ledger{};
    for (auto& a : ledger->acked) a.store(-1);
    int progress[2];
    ASSERT_EQ(pipe(progress), 0);
    pid_t pids[Ledger::kProducers + 1];
    for (int p = 0; p < Ledger::kProducers; ++p) {
      pids[p] = fork();
      if (pids[p] == 0) produce(q.name.c_str(), *ledger, p);
    }
    pids[Ledger::kProducers] = fork();
    if (pids[Ledger::kProducers] == 0) consume(q.name.c_str(), *ledger, progress[1]);
    char byte = 0;
    ASSERT_EQ(read(progress[0], &byte, 1), 1);
    for (pid_t pid : pids) kill(pid, SIGKILL);
    for (pid_t pid : pids) {
      int status = 0;
      ASSERT_EQ(waitpid(pid, &status, 0), pid);
      EXPECT_TRUE(WIFSIGNALED(status)) << "round " << round;
    }
    close(progress[0]);
    close(progress[1]);

    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    const auto note = [&](const Message& m) {
      EXPECT_TRUE(seen.insert({m.producer, m.seq}).second)
          << "duplicate " << m.producer << "/" << m.seq << " in round " << round;
    };
    for (std::int64_t i = 0; i < ledger->logged.load(); ++i) note(ledger->log[i]);
    std::vector<char> big(kBig);
    Message m{};
    std::size_t size = 0;
    unsigned int priority = 0;
    while (mq.try_receive(big.data(), big.size(), size, priority)) {
      ASSERT_EQ(size, kBig);
      std::memcpy(&m, big.data(), sizeof m);
      note(m);
    }
    int missing = 0;
    for (std::uint32_t p = 0; p < Ledger::kProducers; ++p) {
      const std::int64_t acked = ledger->acked[p].load();
      for (std::int64_t s = 0; s <= acked; ++s) {
        if (seen.count({p, static_cast<std::uint32_t>(s)}) == 0) ++missing;
      }
      for (const auto& [producer, seq] : seen) {
        if (producer == p) {
          EXPECT_LE(seq, acked + 1) << "round " << round;
        }
      }
    }
    EXPECT_LE(missing, 1) << "round " << round;
    EXPECT_EQ(mq.get_num_msg(), 0u);
    // Still usable, all the way to full and back.
    for (std::uint32_t i = 0; i < 4; ++i) ASSERT_TRUE(mq.try_send(&m, sizeof m, i));
    EXPECT_FALSE(mq.try_send(&m, sizeof m, 0));
    for (unsigned int i = 4; i-- > 0;) {
      ASSERT_TRUE(mq.try_receive(big.data(), big.size(), size, priority));
      EXPECT_EQ(priority, i);
    }
  }
  munmap(memory, sizeof(Ledger));
}

}  // namespace
