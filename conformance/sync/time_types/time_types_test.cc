// Conformance tests of the time types the timed functions take: the manual's
// boost::posix_time::ptime form everywhere it documents a timed function, and
// Boost 1.81's boost::chrono time points and durations.
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include "boost/chrono/chrono.hpp"
#include "boost/date_time/posix_time/posix_time_types.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

namespace pt = boost::posix_time;

class TimeTypes : public ipc_test::ConformanceTest {
 protected:
  std::string sync_name(bool (*remove)(const char*)) {
    return unique_resource([remove](const std::string& name) { remove(name.c_str()); });
  }
};

// The manual's way of building a deadline.
pt::ptime in_ms(long ms) { return pt::microsec_clock::universal_time() + pt::milliseconds(ms); }

constexpr long kWaitMs = 60;

// Runs `hold` (which takes a resource and returns when it holds it) on a
// thread that keeps holding it until the returned guard ends.
class HeldElsewhere {
 public:
  HeldElsewhere(std::function<void()> take, std::function<void()> give_back)
      : thread_([this, take, give_back] {
          take();
          held_.set_value();
          release_.get_future().wait();
          give_back();
        }) {
    held_.get_future().wait();
  }
  ~HeldElsewhere() {
    release_.set_value();
    thread_.join();
  }

 private:
  std::promise<void> held_;
  std::promise<void> release_;
  std::thread thread_;
};

// Calls `timed` with a deadline kWaitMs ahead; expects false, not before the
// deadline (measured on the clock the deadline was taken from).
template <class Timed>
void expect_times_out(Timed timed) {
  const pt::ptime deadline = in_ms(kWaitMs);
  EXPECT_FALSE(timed(deadline));
  EXPECT_GE(pt::microsec_clock::universal_time(), deadline);
}

template <class Mutex>
void check_mutex_with_ptime(Mutex& mutex) {
  ASSERT_TRUE(mutex.timed_lock(in_ms(10000)));
  mutex.unlock();
  HeldElsewhere holder([&] { mutex.lock(); }, [&] { mutex.unlock(); });
  expect_times_out([&](const pt::ptime& at) { return mutex.timed_lock(at); });
}

TEST_F(TimeTypes, MutexesTakePtimeDeadlines) {
  IPC_SPEC("time_types.ptime.mutexes");
  ipc::interprocess_mutex mutex;
  check_mutex_with_ptime(mutex);
  ipc::interprocess_recursive_mutex recursive;
  check_mutex_with_ptime(recursive);
  const std::string name = sync_name(&ipc::named_mutex::remove);
  ipc::named_mutex named(ipc::create_only, name.c_str());
  check_mutex_with_ptime(named);
}

TEST_F(TimeTypes, SharableAndUpgradableMutexesTakePtimeDeadlines) {
  IPC_SPEC("time_types.ptime.sharable");
  ipc::interprocess_upgradable_mutex mutex;
  ASSERT_TRUE(mutex.timed_lock_sharable(in_ms(10000)));
  mutex.unlock_sharable();
  ASSERT_TRUE(mutex.timed_lock_upgradable(in_ms(10000)));
  mutex.unlock_upgradable();
  HeldElsewhere holder([&] { mutex.lock(); }, [&] { mutex.unlock(); });
  expect_times_out([&](const pt::ptime& at) { return mutex.timed_lock_sharable(at); });
  expect_times_out([&](const pt::ptime& at) { return mutex.timed_lock_upgradable(at); });
  ipc::interprocess_sharable_mutex sharable;
  ASSERT_TRUE(sharable.timed_lock_sharable(in_ms(10000)));
  sharable.unlock_sharable();
}

TEST_F(TimeTypes, SemaphoresTakePtimeDeadlines) {
  IPC_SPEC("time_types.ptime.semaphore");
  ipc::interprocess_semaphore semaphore(1);
  ASSERT_TRUE(semaphore.timed_wait(in_ms(10000)));
  expect_times_out([&](const pt::ptime& at) { return semaphore.timed_wait(at); });
  const std::string name = sync_name(&ipc::named_semaphore::remove);
  ipc::named_semaphore named(ipc::create_only, name.c_str(), 1);
  ASSERT_TRUE(named.timed_wait(in_ms(10000)));
  expect_times_out([&](const pt::ptime& at) { return named.timed_wait(at); });
}

TEST_F(TimeTypes, ConditionsTakePtimeDeadlines) {
  IPC_SPEC("time_types.ptime.condition");
  ipc::interprocess_mutex mutex;
  ipc::interprocess_condition condition;
  ipc::scoped_lock<ipc::interprocess_mutex> lock(mutex);
  expect_times_out([&](const pt::ptime& at) { return condition.timed_wait(lock, at); });
  EXPECT_TRUE(lock.owns());
  expect_times_out(
      [&](const pt::ptime& at) { return condition.timed_wait(lock, at, [] { return false; }); });
  EXPECT_TRUE(lock.owns());

  const std::string mutex_name = sync_name(&ipc::named_mutex::remove);
  const std::string condition_name = sync_name(&ipc::named_condition::remove);
  ipc::named_mutex named_mutex(ipc::create_only, mutex_name.c_str());
  ipc::named_condition named_condition(ipc::create_only, condition_name.c_str());
  ipc::scoped_lock<ipc::named_mutex> named_lock(named_mutex);
  expect_times_out([&](const pt::ptime& at) { return named_condition.timed_wait(named_lock, at); });
  EXPECT_TRUE(named_lock.owns());
}

TEST_F(TimeTypes, LockTypesTakePtimeDeadlines) {
  IPC_SPEC("time_types.ptime.locks");
  ipc::interprocess_upgradable_mutex mutex;
  {
    ipc::scoped_lock<ipc::interprocess_upgradable_mutex> lock(mutex, in_ms(10000));
    EXPECT_TRUE(lock.owns());
  }
  {
    ipc::sharable_lock<ipc::interprocess_upgradable_mutex> lock(mutex, in_ms(10000));
    EXPECT_TRUE(lock.owns());
  }
  {
    ipc::upgradable_lock<ipc::interprocess_upgradable_mutex> lock(mutex, in_ms(10000));
    EXPECT_TRUE(lock.owns());
  }
  {
    ipc::scoped_lock<ipc::interprocess_upgradable_mutex> lock(mutex, ipc::defer_lock);
    EXPECT_TRUE(lock.timed_lock(in_ms(10000)));
  }
  HeldElsewhere holder([&] { mutex.lock(); }, [&] { mutex.unlock(); });
  const pt::ptime deadline = in_ms(kWaitMs);
  ipc::scoped_lock<ipc::interprocess_upgradable_mutex> blocked(mutex, deadline);
  EXPECT_FALSE(blocked.owns());
  EXPECT_GE(pt::microsec_clock::universal_time(), deadline);
  ipc::sharable_lock<ipc::interprocess_upgradable_mutex> blocked_sharable(mutex, in_ms(kWaitMs));
  EXPECT_FALSE(blocked_sharable.owns());
}

TEST_F(TimeTypes, MessageQueueTakesPtimeDeadlines) {
  IPC_SPEC("time_types.ptime.message_queue");
  const std::string name = sync_name(&ipc::message_queue::remove);
  ipc::message_queue queue(ipc::create_only, name.c_str(), 1, sizeof(int));
  int value = 7;
  ASSERT_TRUE(queue.timed_send(&value, sizeof value, 0, in_ms(10000)));
  expect_times_out(
      [&](const pt::ptime& at) { return queue.timed_send(&value, sizeof value, 0, at); });
  int received = 0;
  ipc::message_queue::size_type size = 0;
  unsigned int priority = 0;
  ASSERT_TRUE(queue.timed_receive(&received, sizeof received, size, priority, in_ms(10000)));
  EXPECT_EQ(received, 7);
  expect_times_out([&](const pt::ptime& at) {
    return queue.timed_receive(&received, sizeof received, size, priority, at);
  });
}

TEST_F(TimeTypes, BoostChronoTimePoints) {
  IPC_SPEC("time_types.boost_chrono");
  ipc::interprocess_mutex mutex;
  ASSERT_TRUE(mutex.timed_lock(boost::chrono::steady_clock::now() + boost::chrono::seconds(10)));
  mutex.unlock();
  ASSERT_TRUE(mutex.timed_lock(boost::chrono::system_clock::now() + boost::chrono::seconds(10)));
  mutex.unlock();
  HeldElsewhere holder([&] { mutex.lock(); }, [&] { mutex.unlock(); });
  const auto deadline = boost::chrono::system_clock::now() + boost::chrono::milliseconds(kWaitMs);
  EXPECT_FALSE(mutex.timed_lock(deadline));
  EXPECT_GE(boost::chrono::system_clock::now(), deadline);
}

TEST_F(TimeTypes, DurationsOfBothChronoLibraries) {
  IPC_SPEC("time_types.durations");
  ipc::interprocess_mutex mutex;
  ASSERT_TRUE(mutex.try_lock_for(std::chrono::seconds(10)));
  mutex.unlock();
  ASSERT_TRUE(mutex.try_lock_for(boost::chrono::seconds(10)));
  mutex.unlock();
  HeldElsewhere holder([&] { mutex.lock(); }, [&] { mutex.unlock(); });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(mutex.try_lock_for(boost::chrono::milliseconds(kWaitMs)));
  EXPECT_FALSE(mutex.try_lock_for(std::chrono::milliseconds(kWaitMs)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2 * kWaitMs));
}

}  // namespace
