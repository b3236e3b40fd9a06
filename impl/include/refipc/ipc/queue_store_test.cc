// The queue's store on every platform (a POSIX shared memory object, or a
// file on Windows): names, publication of complete queues only, the
// namespace shared with the named primitives, removal, and the refusal of
// objects that are not queues of this build. Threads only, so it runs on
// Windows too.
#include "refipc/ipc/queue_store.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

#include "refipc/exceptions.hpp"
#include "refipc/ipc/message_queue.hpp"
#include "refipc/ipc/queue_layout.hpp"
#include "refipc/sync/named_mutex.hpp"

namespace refipc {
namespace ipc_detail {
namespace {

template <class Attempt>
error_code_t code_of(Attempt attempt) {
  try {
    attempt();
  } catch (const interprocess_exception& e) {
    return e.get_error_code();
  }
  return no_error;
}

// The message of what `attempt` throws, empty if it throws nothing.
template <class Attempt>
std::string message_of(Attempt attempt) {
  try {
    attempt();
  } catch (const interprocess_exception& e) {
    return e.what();
  }
  return std::string();
}

class QueueStoreTest : public ::testing::Test {
 protected:
  void TearDown() override { message_queue::remove(name_.c_str()); }
  const char* name() const { return name_.c_str(); }

 private:
  const std::string name_ = std::string("refipc_qstore_") +
                            ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
                            std::to_string(std::random_device()());
};

TEST_F(QueueStoreTest, TheNameAppearsOnlyOnceTheQueueIsBuilt) {
  bool looked = false;
  const mapped_region region = create_queue_store(name(), 4096, permissions(), [&](void* base) {
    static_cast<char*>(base)[4095] = 'z';
    looked = true;
    EXPECT_FALSE(queue_store_exists(name()));
    EXPECT_EQ(code_of([&] { message_queue(open_only, name()); }), not_found_error);
  });
  EXPECT_TRUE(looked);
  EXPECT_TRUE(queue_store_exists(name()));
  std::uint64_t size = 0;
  const mapped_region opened = open_queue_store(name(), size);
  EXPECT_EQ(size, 4096u);
  EXPECT_EQ(static_cast<const char*>(opened.get_address())[4095], 'z');
}

TEST_F(QueueStoreTest, ABuildThatThrowsLeavesNothing) {
  EXPECT_THROW(create_queue_store(name(), 4096, permissions(),
                                  [](void*) { throw std::runtime_error("build failed"); }),
               std::runtime_error);
  EXPECT_FALSE(queue_store_exists(name()));
  std::uint64_t size = 0;
  EXPECT_EQ(code_of([&] { open_queue_store(name(), size); }), not_found_error);
  EXPECT_FALSE(remove_queue_store(name()));
  // The name is free for a real queue.
  message_queue mq(create_only, name(), 1, 1);
  EXPECT_EQ(mq.get_max_msg(), 1u);
}

TEST_F(QueueStoreTest, ACreatorLosingTheRaceForTheNameGetsAlreadyExists) {
  EXPECT_EQ(code_of([&] {
              create_queue_store(name(), 4096, permissions(),
                                 [&](void*) { message_queue(create_only, name(), 1, 1); });
            }),
            already_exists_error);
  // The winner's queue is intact.
  message_queue mq(open_only, name());
  EXPECT_EQ(mq.get_max_msg(), 1u);
}

// Queues and named primitives share one namespace (on POSIX shm_open's; on
// Windows the directory of refipc's named objects): an object of either kind
// takes the name from the other, and is refused as the other kind.
TEST_F(QueueStoreTest, QueuesShareTheNamedPrimitivesNamespace) {
  {
    named_mutex mutex(create_only, name());
    EXPECT_EQ(code_of([&] { message_queue(create_only, name(), 1, 1); }), already_exists_error);
    EXPECT_EQ(code_of([&] { message_queue(open_only, name()); }), corrupted_error);
    EXPECT_EQ(code_of([&] { message_queue(open_or_create, name(), 1, 1); }), corrupted_error);
    EXPECT_NE(message_of([&] { message_queue(open_only, name()); }).find("not a message queue"),
              std::string::npos);
  }
  EXPECT_TRUE(message_queue::remove(name()));
  message_queue mq(create_only, name(), 1, 1);
  EXPECT_EQ(code_of([&] { named_mutex(open_only, name()); }), corrupted_error);
  EXPECT_EQ(code_of([&] { named_mutex(create_only, name()); }), already_exists_error);
  EXPECT_TRUE(named_mutex::remove(name()));
  EXPECT_EQ(code_of([&] { message_queue(open_only, name()); }), not_found_error);
}

TEST_F(QueueStoreTest, ARemovedQueueStaysUsableAndItsNameIsFreeAtOnce) {
  message_queue created(create_only, name(), 2, 1);
  message_queue opened(open_only, name());
  EXPECT_TRUE(message_queue::remove(name()));
  EXPECT_FALSE(message_queue::remove(name()));
  EXPECT_EQ(code_of([&] { message_queue(open_only, name()); }), not_found_error);
  message_queue fresh(create_only, name(), 3, 1);
  const char byte = 'r';
  ASSERT_TRUE(created.try_send(&byte, 1, 0));
  char got = 0;
  std::size_t size = 0;
  unsigned int priority = 0;
  ASSERT_TRUE(opened.try_receive(&got, 1, size, priority));
  EXPECT_EQ(got, 'r');
  EXPECT_FALSE(fresh.try_receive(&got, 1, size, priority));
  EXPECT_EQ(fresh.get_max_msg(), 3u);
}

// The version word records the wait backend and the pointer width of the
// creator, whose robust locks are laid out for both (docs/layout.md): an
// opener of another build refuses the queue and says why.
TEST_F(QueueStoreTest, AQueueOfAnotherBuildIsRefusedByName) {
  const message_queue created(create_only, name(), 2, 8);
  std::uint64_t size = 0;
  const mapped_region region = open_queue_store(name(), size);
  ASSERT_GE(size, sizeof(queue_header));
  auto& word = static_cast<queue_header*>(region.get_address())->initialised;
  const std::uint32_t good = word.load();
  const struct {
    std::uint32_t flip;
    const char* reason;
  } others[] = {
      {0x80, "other wait backend"},                        // the version's top bit
      {(4 ^ 8) << 8, "process of another pointer width"},  // 32-bit vs 64-bit
  };
  for (const auto& other : others) {
    word.store(good ^ other.flip);
    const std::string message = message_of([&] { message_queue(open_only, name()); });
    EXPECT_NE(message.find(other.reason), std::string::npos) << message;
    EXPECT_EQ(code_of([&] { message_queue(open_only, name()); }), corrupted_error);
  }
  word.store(good);
  EXPECT_EQ(message_queue(open_only, name()).get_max_msg(), 2u);
}

TEST_F(QueueStoreTest, BadNamesAreRefusedBeforeAnythingIsCreated) {
  const std::string too_long(300, 'n');
  for (const char* bad : {"", "/", "a/b", ".", ".."}) {
    EXPECT_EQ(code_of([&] { message_queue(create_only, bad, 1, 1); }), invalid_argument) << bad;
    EXPECT_EQ(code_of([&] { message_queue(open_only, bad); }), invalid_argument) << bad;
    EXPECT_FALSE(message_queue::remove(bad)) << bad;
  }
#ifdef _WIN32
  // As the named primitives on Windows: no character Windows refuses in a
  // file name, no trailing '.', no suffix of refipc's own files.
  for (const char* bad : {"a\\b", "a:b", "a*b", "a?b", "a<b", "a|b", "a.", "a.new", "a.removed"}) {
    EXPECT_EQ(code_of([&] { message_queue(create_only, bad, 1, 1); }), invalid_argument) << bad;
  }
#endif
  EXPECT_EQ(code_of([&] { message_queue(create_only, too_long.c_str(), 1, 1); }), path_error);
  EXPECT_EQ(code_of([&] { message_queue(open_only, too_long.c_str()); }), path_error);
  // A leading '/' is allowed and names the same queue.
  message_queue mq(create_only, name(), 1, 1);
  EXPECT_EQ(message_queue(open_only, ("/" + std::string(name())).c_str()).get_max_msg(), 1u);
}

}  // namespace
}  // namespace ipc_detail
}  // namespace refipc
