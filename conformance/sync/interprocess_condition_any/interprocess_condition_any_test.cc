// Conformance tests of interprocess_condition_any: a condition variable of
// the manual's "Conditions" section that takes any kind of lock.
#include <chrono>
#include <string>
#include <thread>
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
using Mutex = ipc::interprocess_upgradable_mutex;

class InterprocessConditionAny : public ipc_test::ConformanceTest {};
class InterprocessConditionAnyMultiProcess : public ipc_test::ConformanceTest {};

// Bound for waits that a correct implementation ends long before.
system_clock::time_point generous() { return system_clock::now() + seconds(60); }

struct Shared {
  Mutex mutex;
  ipc::interprocess_condition_any cond;
  bool ready = false;
};

// The multi-process test comes first: later tests start threads, and
// processes are forked before any thread exists.
// Waits with a sharable lock until `ready` is set.
IPC_CHILD_ROLE(condition_any_reader) {
  Opened<Shared> opened(args.at(0));
  ipc::sharable_lock<Mutex> lock(opened->mutex);
  opened->cond.wait(lock, [&] { return opened->ready; });
  IPC_CHILD_CHECK(lock.owns());
}

TEST_F(InterprocessConditionAnyMultiProcess, NotifiesWaitersOfOtherProcesses) {
  IPC_SPEC("interprocess_condition_any.process_shared", "interprocess_condition_any.notify_all");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Shared> shared(name);
  std::vector<ipc_test::Child> readers;
  for (int i = 0; i < 2; ++i)
    readers.push_back(ipc_test::spawn_role("condition_any_reader", {name}));
  {
    ipc::scoped_lock<Mutex> lock(shared->mutex);
    shared->ready = true;
  }
  shared->cond.notify_all();
  for (auto& r : readers) IPC_EXPECT_CHILD_OK(r.wait());
}

TEST_F(InterprocessConditionAny, WaitsWithSharableAndUpgradableLocks) {
  IPC_SPEC("interprocess_condition_any.any_lock", "interprocess_condition_any.notify_all");
  Shared s;
  bool reader_owned = false;
  bool upgrader_owned = false;
  std::thread reader([&] {
    ipc::sharable_lock<Mutex> lock(s.mutex);
    s.cond.wait(lock, [&] { return s.ready; });
    reader_owned = lock.owns();
  });
  std::thread upgrader([&] {
    ipc::upgradable_lock<Mutex> lock(s.mutex);
    while (!s.ready) s.cond.wait(lock);
    upgrader_owned = lock.owns();
  });
  {
    ipc::scoped_lock<Mutex> lock(s.mutex);
    s.ready = true;
    s.cond.notify_all();
  }
  reader.join();
  upgrader.join();
  EXPECT_TRUE(reader_owned);
  EXPECT_TRUE(upgrader_owned);
  EXPECT_TRUE(s.mutex.try_lock());
  s.mutex.unlock();
}

// Consumers wait for tokens; notify_one with one token lets exactly one
// through, notify_all with the rest lets the others through.
TEST_F(InterprocessConditionAny, NotifyOneWakesAWaiterAndNotifyAllTheRest) {
  IPC_SPEC("interprocess_condition_any.notify_one", "interprocess_condition_any.notify_all",
           "interprocess_condition_any.any_lock", "deadlines.chrono");
  constexpr int kWaiters = 3;
  Mutex mutex;
  ipc::interprocess_condition_any tokens_cond, progress_cond;
  int waiting = 0, tokens = 0, consumed = 0;
  std::vector<std::thread> consumers;
  for (int i = 0; i < kWaiters; ++i) {
    consumers.emplace_back([&] {
      ipc::scoped_lock<Mutex> lock(mutex);
      ++waiting;
      progress_cond.notify_all();
      tokens_cond.wait(lock, [&] { return tokens > 0; });
      --tokens;
      ++consumed;
      progress_cond.notify_all();
    });
  }
  {
    ipc::scoped_lock<Mutex> lock(mutex);
    ASSERT_TRUE(progress_cond.wait_until(lock, generous(), [&] { return waiting == kWaiters; }));
    tokens = 1;
    tokens_cond.notify_one();
    ASSERT_TRUE(progress_cond.wait_until(lock, generous(), [&] { return consumed == 1; }));
    EXPECT_EQ(tokens, 0);
    tokens = kWaiters - 1;
    tokens_cond.notify_all();
    ASSERT_TRUE(progress_cond.wait_until(lock, generous(), [&] { return consumed == kWaiters; }));
  }
  for (auto& t : consumers) t.join();
}

TEST_F(InterprocessConditionAny, TimedWaitsReturnNotBeforeTheDeadline) {
  IPC_SPEC("interprocess_condition_any.timed", "interprocess_condition_any.any_lock",
           "deadlines.chrono");
  Mutex mutex;
  ipc::interprocess_condition_any cond;
  ipc::sharable_lock<Mutex> lock(mutex);
  auto deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(cond.timed_wait(lock, deadline));
  EXPECT_GE(system_clock::now(), deadline);
  deadline = system_clock::now() + milliseconds(100);
  EXPECT_EQ(cond.wait_until(lock, deadline), ipc::cv_status::timeout);
  EXPECT_GE(system_clock::now(), deadline);
  deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(cond.wait_until(lock, deadline, [] { return false; }));
  EXPECT_GE(system_clock::now(), deadline);
  deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(cond.timed_wait(lock, deadline, [] { return false; }));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  const auto start = steady_clock::now();
  EXPECT_EQ(cond.wait_for(lock, milliseconds(100)), ipc::cv_status::timeout);
  EXPECT_FALSE(cond.wait_for(lock, milliseconds(100), [] { return false; }));
  EXPECT_GE(steady_clock::now() - start, milliseconds(200));
  EXPECT_TRUE(cond.wait_for(lock, milliseconds(100), [] { return true; }));
  EXPECT_TRUE(cond.wait_until(lock, system_clock::now(), [] { return true; }));
  EXPECT_TRUE(lock.owns());
  EXPECT_FALSE(mutex.try_lock());  // the lock holds the mutex again
}

}  // namespace
