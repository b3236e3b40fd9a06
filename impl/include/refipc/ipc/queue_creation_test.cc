// Creating and opening a message_queue: processes racing to open_or_create
// one queue all get the same complete queue, and a creator killed anywhere
// leaves nothing or a complete queue (forked processes: POSIX only). Queues are published complete
// (see refipc/detail/shm_file.hpp), so no opener waits for, or locks against, a creator.
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "refipc/exceptions.hpp"
#include "refipc/ipc/message_queue.hpp"

namespace {

using refipc::message_queue;

constexpr int kRacers = 4;
constexpr int kRounds = 20;
constexpr unsigned kBoundSeconds = 10;

std::string unique_name(const char* tag) {
  return std::string("refipc_mq_creation_") + tag + "_" + std::to_string(getpid());
}

// Racers wait on a pipe, then each open_or_creates the queue and sends its
// number; every message must arrive in the one queue.
TEST(QueueCreation, RacingOpenOrCreateGivesEveryoneTheSameQueue) {
  const std::string name = unique_name("race");
  for (int round = 0; round < kRounds; ++round) {
    message_queue::remove(name.c_str());
    int go[2];
    ASSERT_EQ(pipe(go), 0);
    pid_t pids[kRacers];
    for (int r = 0; r < kRacers; ++r) {
      pids[r] = fork();
      if (pids[r] == 0) {
        alarm(kBoundSeconds);
        close(go[1]);
        char byte = 0;
        while (read(go[0], &byte, 1) > 0) {
        }
        try {
          message_queue mq(refipc::open_or_create, name.c_str(), kRacers, sizeof(std::int32_t));
          const std::int32_t id = r;
          _exit(mq.try_send(&id, sizeof id, 0) ? 0 : 2);
        } catch (const refipc::interprocess_exception&) {
          _exit(3);
        }
      }
    }
    close(go[0]);
    close(go[1]);  // end of file: go
    for (const pid_t pid : pids) {
      int status = 0;
      ASSERT_EQ(waitpid(pid, &status, 0), pid);
      ASSERT_TRUE(WIFEXITED(status)) << "round " << round << ": signal " << WTERMSIG(status);
      EXPECT_EQ(WEXITSTATUS(status), 0) << "round " << round;
    }
    message_queue mq(refipc::open_only, name.c_str());
    EXPECT_EQ(mq.get_max_msg(), static_cast<std::size_t>(kRacers));
    std::set<std::int32_t> ids;
    std::int32_t id = -1;
    std::size_t size = 0;
    unsigned int priority = 0;
    while (mq.try_receive(&id, sizeof id, size, priority)) ids.insert(id);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kRacers)) << "round " << round;
  }
  message_queue::remove(name.c_str());
}

// A creator SIGKILLed at a random point of creating a large queue leaves
// either nothing or a complete queue: opening never finds it half built and
// never waits.
TEST(QueueCreation, ACreatorKilledAnywhereLeavesNothingOrACompleteQueue) {
  const std::string name = unique_name("killed");
  constexpr std::size_t kMessages = 1024;
  constexpr std::size_t kMessageSize = 4096;  // some 4 MiB to reserve and write
  std::mt19937 random(std::random_device{}());
  int complete = 0;
  for (int round = 0; round < kRounds; ++round) {
    message_queue::remove(name.c_str());
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      message_queue mq(refipc::create_only, name.c_str(), kMessages, kMessageSize);
      _exit(0);
    }
    // The kill lands anywhere from before creation starts to after it ends.
    const timespec pause{0, static_cast<long>(random() % 4000000)};
    nanosleep(&pause, nullptr);
    kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    try {
      message_queue mq(refipc::open_only, name.c_str());
      EXPECT_EQ(mq.get_max_msg(), kMessages) << "round " << round;
      const char byte = 'k';
      EXPECT_TRUE(mq.try_send(&byte, 1, 0)) << "round " << round;
      ++complete;
    } catch (const refipc::interprocess_exception& e) {
      EXPECT_EQ(e.get_error_code(), refipc::not_found_error)
          << "round " << round << ": " << e.what();
    }
  }
  message_queue::remove(name.c_str());
  std::printf("%d of %d killed creators had published a complete queue\n", complete, kRounds);
}

}  // namespace
