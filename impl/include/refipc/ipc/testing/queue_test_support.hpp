// What the message queue's unit tests share: a queue name unique to the
// test (a random part: pids repeat inside Bazel's sandboxes), removed before
// and after, and the message they send. Test-only.
#ifndef REFIPC_IPC_TESTING_QUEUE_TEST_SUPPORT_HPP_
#define REFIPC_IPC_TESTING_QUEUE_TEST_SUPPORT_HPP_

#include <cstdint>
#include <random>
#include <string>

#include "refipc/ipc/message_queue.hpp"

namespace refipc {
namespace testing {

struct QueueName {
  explicit QueueName(const char* tag)
      : name(std::string("refipc_mq_test_") + tag + "_" + std::to_string(std::random_device()())) {
    message_queue::remove(name.c_str());
  }
  QueueName(const QueueName&) = delete;
  QueueName& operator=(const QueueName&) = delete;
  ~QueueName() { message_queue::remove(name.c_str()); }
  std::string name;
};

struct Message {
  std::uint32_t producer;
  std::uint32_t seq;
};

}  // namespace testing
}  // namespace refipc

#endif  // REFIPC_IPC_TESTING_QUEUE_TEST_SUPPORT_HPP_
