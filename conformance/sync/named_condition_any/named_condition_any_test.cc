// Conformance tests of named_condition_any: the manual's "Conditions" with any
// kind of lock, on a condition found by name ("Named And Anonymous
// Synchronization Mechanisms").
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
using Condition = ipc::named_condition_any;
using Mutex = ipc::named_upgradable_mutex;

class NamedConditionAny : public ipc_test::ConformanceTest {};
class NamedConditionAnyMultiProcess : public ipc_test::ConformanceTest {};

// A one-item buffer in shared memory, guarded by the named mutex.
struct Slot {
  long value = 0;
  bool full = false;
  bool ready = false;
};

constexpr long kItems = 200;

// args: slot name, mutex name, "full" condition, "empty" condition. Puts
// 1..kItems into the slot one at a time, under exclusive ownership.
IPC_CHILD_ROLE(named_condition_any_producer) {
  Opened<Slot> slot(args.at(0));
  Mutex mutex(ipc::open_only, args.at(1).c_str());
  Condition full(ipc::open_only, args.at(2).c_str());
  Condition empty(ipc::open_only, args.at(3).c_str());
  for (long i = 1; i <= kItems; ++i) {
    ipc::scoped_lock<Mutex> lock(mutex);
    empty.wait(lock, [&] { return !slot->full; });
    IPC_CHILD_CHECK(lock.owns());
    slot->value = i;
    slot->full = true;
    full.notify_one();
  }
}

// args: slot name, mutex name, condition, pipe to the parent. Says "waiting"
// while holding sharable ownership, then waits with its sharable_lock until
// `ready`: the parent's exclusive lock succeeds only once every reader waits.
IPC_CHILD_ROLE(named_condition_any_reader) {
  Opened<Slot> slot(args.at(0));
  Mutex mutex(ipc::open_only, args.at(1).c_str());
  Condition condition(ipc::open_only, args.at(2).c_str());
  auto to_parent = ipc_test::Pipe::from_arg(args.at(3));
  ipc::sharable_lock<Mutex> lock(mutex);
  to_parent.send("waiting");
  condition.wait(lock, [&] { return slot->ready; });
  IPC_CHILD_CHECK(lock.owns());
}

TEST_F(NamedConditionAny, CreateOnlyCreatesOnceAndOpenOnlyOpensIt) {
  IPC_SPEC("named_condition_any.create_only.creates", "named_condition_any.open_only.opens");
  ipc_test::expect_create_only_rules<Condition>(unique_resource(remove_named<Condition>));
  ipc_test::expect_open_only_rules<Condition>(unique_resource(remove_named<Condition>));
}

TEST_F(NamedConditionAny, OpenOrCreateCreatesOrOpens) {
  IPC_SPEC("named_condition_any.open_or_create.either");
  ipc_test::expect_open_or_create_rules<Condition>(unique_resource(remove_named<Condition>));
}

TEST_F(NamedConditionAny, PersistsUntilRemoved) {
  IPC_SPEC("named_condition_any.remove.erases");
  ipc_test::expect_remove_rules<Condition>(unique_resource(remove_named<Condition>));
}

TEST_F(NamedConditionAny, InvalidNamesThrow) {
  IPC_SPEC("named_condition_any.name.invalid_throws");
  ipc_test::expect_invalid_names_throw<Condition>();
}

TEST_F(NamedConditionAny, TimedWaitsWithASharableLockTimeOutHoldingIt) {
  IPC_SPEC("named_condition_any.timed", "deadlines.chrono");
  Mutex mutex(ipc::create_only, unique_resource(remove_named<Mutex>).c_str());
  Condition condition(ipc::create_only, unique_resource(remove_named<Condition>).c_str());
  ipc::sharable_lock<Mutex> lock(mutex);
  auto deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(condition.timed_wait(lock, deadline));
  auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  EXPECT_TRUE(lock.owns());
  EXPECT_FALSE(mutex.try_lock());  // Sharable ownership is held again.
  deadline = system_clock::now() + milliseconds(50);
  EXPECT_EQ(condition.wait_until(lock, deadline), ipc::cv_status::timeout);
  EXPECT_GE(system_clock::now(), deadline);
  EXPECT_FALSE(
      condition.timed_wait(lock, system_clock::now() + milliseconds(20), [] { return false; }));
  EXPECT_EQ(condition.wait_for(lock, milliseconds(20)), ipc::cv_status::timeout);
  EXPECT_FALSE(condition.wait_for(lock, milliseconds(20), [] { return false; }));
  EXPECT_TRUE(lock.owns());
}

TEST_F(NamedConditionAnyMultiProcess, ProducerAndConsumerPassEveryItem) {
  IPC_SPEC("named_condition_any.wait.notify", "named_condition_any.open_only.opens");
  const std::string slot_name = unique_resource(remove_shared_memory);
  const std::string mutex_name = unique_resource(remove_named<Mutex>);
  const std::string full_name = unique_resource(remove_named<Condition>);
  const std::string empty_name = unique_resource(remove_named<Condition>);
  Placed<Slot> slot(slot_name);
  Mutex mutex(ipc::create_only, mutex_name.c_str());
  Condition full(ipc::create_only, full_name.c_str());
  Condition empty(ipc::create_only, empty_name.c_str());
  auto producer = ipc_test::spawn_role("named_condition_any_producer",
                                       {slot_name, mutex_name, full_name, empty_name});
  for (long expected = 1; expected <= kItems; ++expected) {
    ipc::scoped_lock<Mutex> lock(mutex);
    full.wait(lock, [&] { return slot->full; });
    ASSERT_TRUE(lock.owns());
    ASSERT_EQ(slot->value, expected);
    slot->full = false;
    empty.notify_one();
  }
  IPC_EXPECT_CHILD_OK(producer.wait());
}

TEST_F(NamedConditionAnyMultiProcess, NotifyAllWakesSharableWaitersOfEveryProcess) {
  IPC_SPEC("named_condition_any.notify_all.wakes_all", "named_condition_any.wait.notify");
  const std::string slot_name = unique_resource(remove_shared_memory);
  const std::string mutex_name = unique_resource(remove_named<Mutex>);
  const std::string condition_name = unique_resource(remove_named<Condition>);
  Placed<Slot> slot(slot_name);
  Mutex mutex(ipc::create_only, mutex_name.c_str());
  Condition condition(ipc::create_only, condition_name.c_str());
  constexpr int kReaders = 3;
  ipc_test::Pipe to_parent;
  std::vector<ipc_test::Child> readers;
  for (int i = 0; i < kReaders; ++i) {
    readers.push_back(ipc_test::spawn_role(
        "named_condition_any_reader", {slot_name, mutex_name, condition_name, to_parent.arg()}));
  }
  for (int i = 0; i < kReaders; ++i) ASSERT_EQ(to_parent.receive(), "waiting");
  {
    ipc::scoped_lock<Mutex> lock(mutex);  // Every reader now waits.
    slot->ready = true;
  }
  condition.notify_all();
  for (auto& reader : readers) IPC_EXPECT_CHILD_OK(reader.wait());
}

}  // namespace
