// Conformance tests of named_condition: the manual's "Named And Anonymous
// Synchronization Mechanisms", "Conditions" and the named_condition
// reference. The waits use scoped_lock<named_mutex>, as the manual does.
#include <chrono>
#include <string>
#include <vector>

#include "conformance/common/named.hpp"
#include "conformance/common/placed.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using ipc_test::Opened;
using ipc_test::Placed;
using ipc_test::remove_named;
using ipc_test::remove_shared_memory;

using namespace std::chrono;

using Lock = ipc::scoped_lock<ipc::named_mutex>;

class NamedCondition : public ipc_test::ConformanceTest {};
class NamedConditionMultiProcess : public ipc_test::ConformanceTest {};

// One-slot buffer in shared memory; the synchronization objects are named.
struct Slot {
  int item = 0;
  bool full = false;
  int waiting = 0;
  int woken = 0;
  bool released = false;
};

// The names of a scenario: data, mutex, and two conditions.
struct Names {
  std::string data, mutex, a, b;
  std::vector<std::string> list() const { return {data, mutex, a, b}; }
};

// args: Names::list(), then the number of items. Fills the slot with
// 1..items, waiting on condition b while it is full and notifying a.
IPC_CHILD_ROLE(named_condition_producer) {
  Opened<Slot> slot(args.at(0));
  ipc::named_mutex mutex(ipc::open_only, args.at(1).c_str());
  ipc::named_condition filled(ipc::open_only, args.at(2).c_str());
  ipc::named_condition emptied(ipc::open_only, args.at(3).c_str());
  for (int i = 1, n = std::stoi(args.at(4)); i <= n; ++i) {
    Lock lock(mutex);
    emptied.wait(lock, [&] { return !slot->full; });
    slot->item = i;
    slot->full = true;
    filled.notify_one();
  }
}

// args: Names::list(). Announces itself on condition b, then waits on a
// until `released`.
IPC_CHILD_ROLE(named_condition_waiter) {
  Opened<Slot> slot(args.at(0));
  ipc::named_mutex mutex(ipc::open_only, args.at(1).c_str());
  ipc::named_condition go(ipc::open_only, args.at(2).c_str());
  ipc::named_condition arrived(ipc::open_only, args.at(3).c_str());
  Lock lock(mutex);
  ++slot->waiting;
  arrived.notify_one();
  go.wait(lock, [&] { return slot->released; });
  IPC_CHILD_CHECK(lock.owns());
  ++slot->woken;
}

// The objects of a scenario, created by the parent.
class Scenario {
 public:
  explicit Scenario(const Names& names)
      : slot_(names.data),
        mutex_(ipc::create_only, names.mutex.c_str()),
        a_(ipc::create_only, names.a.c_str()),
        b_(ipc::create_only, names.b.c_str()) {}
  Slot& slot() { return *slot_; }
  ipc::named_mutex& mutex() { return mutex_; }
  ipc::named_condition& a() { return a_; }
  ipc::named_condition& b() { return b_; }

 private:
  Placed<Slot> slot_;
  ipc::named_mutex mutex_;
  ipc::named_condition a_, b_;
};

class NamedConditionScenario : public NamedConditionMultiProcess {
 protected:
  Names names() {
    return {unique_resource(remove_shared_memory), unique_resource(remove_named<ipc::named_mutex>),
            unique_resource(remove_named<ipc::named_condition>),
            unique_resource(remove_named<ipc::named_condition>)};
  }
};

TEST_F(NamedCondition, CreateOnlyCreatesOnceAndOpenOnlyOpensIt) {
  IPC_SPEC("named_condition.create_only.creates", "named_condition.open_only.opens");
  ipc_test::expect_create_only_rules<ipc::named_condition>(
      unique_resource(remove_named<ipc::named_condition>));
  ipc_test::expect_open_only_rules<ipc::named_condition>(
      unique_resource(remove_named<ipc::named_condition>));
}

TEST_F(NamedCondition, OpenOrCreateCreatesOrOpens) {
  IPC_SPEC("named_condition.open_or_create.either");
  ipc_test::expect_open_or_create_rules<ipc::named_condition>(
      unique_resource(remove_named<ipc::named_condition>));
}

TEST_F(NamedCondition, PersistsUntilRemoved) {
  IPC_SPEC("named_condition.remove.erases");
  ipc_test::expect_remove_rules<ipc::named_condition>(
      unique_resource(remove_named<ipc::named_condition>));
}

TEST_F(NamedCondition, InvalidNamesThrow) {
  IPC_SPEC("named_condition.name.invalid_throws");
  ipc_test::expect_invalid_names_throw<ipc::named_condition>();
}

TEST_F(NamedCondition, TimedWaitWithoutNotificationTimesOutLocked) {
  IPC_SPEC("named_condition.timed_wait.timeout", "deadlines.chrono");
  ipc::named_mutex mutex(ipc::create_only, unique_resource(remove_named<ipc::named_mutex>).c_str());
  ipc::named_condition condition(ipc::create_only,
                                 unique_resource(remove_named<ipc::named_condition>).c_str());
  Lock lock(mutex);
  auto deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(condition.timed_wait(lock, deadline));
  auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  EXPECT_TRUE(lock.owns());
  deadline = system_clock::now() + milliseconds(50);
  EXPECT_FALSE(condition.timed_wait(lock, deadline, [] { return false; }));
  EXPECT_GE(system_clock::now(), deadline);
  EXPECT_TRUE(lock.owns());
  EXPECT_TRUE(condition.timed_wait(lock, system_clock::now() + seconds(10), [] { return true; }));
}

TEST_F(NamedConditionScenario, ProducerAndConsumerInTwoProcesses) {
  IPC_SPEC("named_condition.wait.notify", "named_condition.wait.predicate",
           "named_condition.open_only.opens");
  const Names n = names();
  Scenario s(n);
  constexpr int kItems = 200;
  auto args = n.list();
  args.push_back(std::to_string(kItems));
  auto child = ipc_test::spawn_role("named_condition_producer", args);
  ipc::named_condition& filled = s.a();
  ipc::named_condition& emptied = s.b();
  for (int i = 1; i <= kItems; ++i) {
    Lock lock(s.mutex());
    while (!s.slot().full) filled.wait(lock);
    ASSERT_TRUE(lock.owns());
    ASSERT_EQ(s.slot().item, i);
    s.slot().full = false;
    emptied.notify_one();
  }
  IPC_EXPECT_CHILD_OK(child.wait());
}

TEST_F(NamedConditionScenario, NotifyAllWakesEveryWaitingProcess) {
  IPC_SPEC("named_condition.notify_all.wakes_all", "named_condition.wait.predicate");
  const Names n = names();
  Scenario s(n);
  constexpr int kWaiters = 3;
  std::vector<ipc_test::Child> children;
  for (int i = 0; i < kWaiters; ++i) {
    children.push_back(ipc_test::spawn_role("named_condition_waiter", n.list()));
  }
  {
    Lock lock(s.mutex());
    // Each waiter announces itself with the mutex held and then waits, which
    // releases it: once all have announced, all are waiting.
    s.b().wait(lock, [&] { return s.slot().waiting == kWaiters; });
    s.slot().released = true;
    s.a().notify_all();
  }
  for (auto& child : children) IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_EQ(s.slot().woken, kWaiters);
}

}  // namespace
