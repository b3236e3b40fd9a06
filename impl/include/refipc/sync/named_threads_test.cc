// The named primitives used from two handles in two threads of one process:
// what runs on every platform, Windows included (the other named tests
// fork). Every wait is bounded.
#include <atomic>
#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "refipc/exceptions.hpp"
#include "refipc/sync/named_condition.hpp"
#include "refipc/sync/named_mutex.hpp"
#include "refipc/sync/named_semaphore.hpp"
#include "refipc/sync/scoped_lock.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

std::string unique_name(const char* tag) {
  return std::string("refipc_named_threads_") + tag + "_" + std::to_string(std::random_device()());
}

// Removes the name when the test ends, passed or not.
struct removed_at_end {
  explicit removed_at_end(bool (*remove)(const char*), std::string name)
      : remove_(remove), name(std::move(name)) {}
  ~removed_at_end() { remove_(name.c_str()); }
  bool (*remove_)(const char*);
  const std::string name;
};

TEST(NamedThreadsTest, MutexExcludesAcrossHandlesAndOutlivesThem) {
  const removed_at_end n(&named_mutex::remove, unique_name("mutex"));
  {
    named_mutex a(create_only, n.name.c_str());
    named_mutex b(open_only, n.name.c_str());
    a.lock();
    bool taken = true;
    std::thread other([&] { taken = b.timed_lock(steady_clock::now() + milliseconds(50)); });
    other.join();
    EXPECT_FALSE(taken);
    a.unlock();
    std::thread again([&] {
      taken = b.timed_lock(steady_clock::now() + seconds(30));
      if (taken) b.unlock();
    });
    again.join();
    EXPECT_TRUE(taken);
  }
  named_mutex reopened(open_only, n.name.c_str());
  EXPECT_TRUE(reopened.try_lock());
  reopened.unlock();
}

TEST(NamedThreadsTest, SemaphoreKeepsItsCountWithoutHandles) {
  const removed_at_end n(&named_semaphore::remove, unique_name("persist"));
  named_semaphore(create_only, n.name.c_str(), 2).wait();
  named_semaphore reopened(open_only, n.name.c_str());
  EXPECT_TRUE(reopened.try_wait());
  EXPECT_FALSE(reopened.try_wait());
}

TEST(NamedThreadsTest, SemaphoreHandsUnitsToAnotherHandle) {
  const removed_at_end n(&named_semaphore::remove, unique_name("semaphore"));
  named_semaphore producer(create_only, n.name.c_str(), 0);
  named_semaphore consumer(open_only, n.name.c_str());
  bool got = false;
  std::thread waiter([&] { got = consumer.timed_wait(steady_clock::now() + seconds(30)); });
  producer.post();
  waiter.join();
  EXPECT_TRUE(got);
  EXPECT_FALSE(consumer.try_wait());
}

TEST(NamedThreadsTest, ConditionWakesAWaiterOfAnotherHandle) {
  const removed_at_end m(&named_mutex::remove, unique_name("cond_mutex"));
  const removed_at_end c(&named_condition::remove, unique_name("cond"));
  named_mutex mutex(create_only, m.name.c_str());
  named_condition cond(create_only, c.name.c_str());
  // Atomic although guarded by the mutex: the two handles map the mutex at
  // two addresses, which ThreadSanitizer does not know to be one.
  std::atomic<bool> ready{false};
  bool woken = false;
  std::thread waiter([&] {
    named_mutex my_mutex(open_only, m.name.c_str());
    named_condition my_cond(open_only, c.name.c_str());
    scoped_lock<named_mutex> lock(my_mutex);
    woken =
        my_cond.timed_wait(lock, steady_clock::now() + seconds(30), [&] { return ready.load(); });
  });
  {
    scoped_lock<named_mutex> lock(mutex);
    ready = true;
  }
  cond.notify_all();
  waiter.join();
  EXPECT_TRUE(woken);
}

}  // namespace
}  // namespace refipc
