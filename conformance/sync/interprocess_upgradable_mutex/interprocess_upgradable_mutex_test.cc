// Conformance tests of interprocess_upgradable_mutex: the manual's
// "Upgradable Mutexes" and "Upgradable Mutex Operations" sections and the
// interprocess_upgradable_mutex reference.
#include <atomic>
#include <chrono>
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
using Mutex = ipc::interprocess_upgradable_mutex;

class InterprocessUpgradableMutex : public ipc_test::ConformanceTest {};
class InterprocessUpgradableMutexMultiProcess : public ipc_test::ConformanceTest {};

// Which ownerships another owner could take now, probed with the try forms
// (each success is released at once). The mutex records no owner per thread,
// so probing from the owning thread sees what any other thread would.
struct Available {
  bool exclusive;
  bool upgradable;
  bool sharable;
};

Available probe(Mutex& m) {
  Available a{};
  if ((a.exclusive = m.try_lock())) m.unlock();
  if ((a.upgradable = m.try_lock_upgradable())) m.unlock_upgradable();
  if ((a.sharable = m.try_lock_sharable())) m.unlock_sharable();
  return a;
}

// The states of Table 5 ("Locking Possibilities"), as seen by others.
bool is_free(Mutex& m) {
  const auto a = probe(m);
  return a.exclusive && a.upgradable && a.sharable;
}
bool is_exclusive(Mutex& m) {
  const auto a = probe(m);
  return !a.exclusive && !a.upgradable && !a.sharable;
}
bool is_upgradable(Mutex& m) {  // held upgradable (and maybe sharable)
  const auto a = probe(m);
  return !a.exclusive && !a.upgradable && a.sharable;
}
bool is_sharable_only(Mutex& m) {
  const auto a = probe(m);
  return !a.exclusive && a.upgradable && a.sharable;
}

TEST_F(InterprocessUpgradableMutex, ExclusiveOwnershipExcludesEveryOtherOwner) {
  IPC_SPEC("interprocess_upgradable_mutex.exclusive", "interprocess_upgradable_mutex.try_forms");
  Mutex m;
  EXPECT_TRUE(is_free(m));
  m.lock();
  EXPECT_TRUE(is_exclusive(m));
  m.unlock();
  ASSERT_TRUE(m.try_lock());
  EXPECT_TRUE(is_exclusive(m));
  m.unlock();
  EXPECT_TRUE(is_free(m));
}

TEST_F(InterprocessUpgradableMutex, ManySharableOwnersAndOneUpgradableCoexist) {
  IPC_SPEC("interprocess_upgradable_mutex.sharable", "interprocess_upgradable_mutex.upgradable",
           "interprocess_upgradable_mutex.try_forms");
  Mutex m;
  m.lock_sharable();
  ASSERT_TRUE(m.try_lock_sharable());
  EXPECT_TRUE(is_sharable_only(m));
  m.lock_upgradable();
  EXPECT_TRUE(is_upgradable(m));
  EXPECT_FALSE(m.try_lock_upgradable());
  m.unlock_sharable();
  m.unlock_sharable();
  EXPECT_TRUE(is_upgradable(m));
  m.unlock_upgradable();
  EXPECT_TRUE(is_free(m));
  ASSERT_TRUE(m.try_lock_upgradable());
  EXPECT_TRUE(is_upgradable(m));
  m.unlock_upgradable();
}

TEST_F(InterprocessUpgradableMutex, TimedFormsSucceedWhenTheOwnershipIsAvailable) {
  IPC_SPEC("interprocess_upgradable_mutex.timed_forms", "deadlines.chrono");
  Mutex m;
  const auto later = system_clock::now() + seconds(10);
  ASSERT_TRUE(m.timed_lock(system_clock::now() + seconds(10)));
  m.unlock();
  ASSERT_TRUE(m.try_lock_until(later));
  m.unlock();
  ASSERT_TRUE(m.try_lock_for(seconds(10)));
  m.unlock();
  ASSERT_TRUE(m.timed_lock_upgradable(later));
  ASSERT_TRUE(m.timed_lock_sharable(system_clock::now() + seconds(10)));
  ASSERT_TRUE(m.try_lock_shared_until(later));
  ASSERT_TRUE(m.try_lock_shared_for(seconds(10)));
  EXPECT_TRUE(is_upgradable(m));
  m.unlock_sharable();
  m.unlock_sharable();
  m.unlock_sharable();
  m.unlock_upgradable();
  // A deadline already in the past still takes an available ownership.
  ASSERT_TRUE(m.timed_lock(system_clock::now() - seconds(1)));
  m.unlock();
}

// Each timed form (with system_clock deadlines: the manual predates
// std::chrono, see docs/boost-deviations.md) against an ownership that excludes it: false, not
// before the deadline, and nothing is left held.
TEST_F(InterprocessUpgradableMutex, TimedFormsTimeOutNotBeforeTheDeadline) {
  IPC_SPEC("interprocess_upgradable_mutex.timed_forms", "deadlines.chrono");
  Mutex m;
  const auto expect_timeout = [](auto attempt, auto now, auto deadline, const char* what) {
    EXPECT_FALSE(attempt(deadline)) << what;
    const auto returned = now();
    EXPECT_GE(returned, deadline) << what;
    EXPECT_LT(returned, deadline + seconds(20)) << what;
  };
  const auto system_in = [] { return system_clock::now() + milliseconds(100); };
  m.lock_sharable();
  expect_timeout([&](auto t) { return m.timed_lock(t); }, system_clock::now, system_in(),
                 "timed_lock, system clock");
  expect_timeout([&](auto t) { return m.try_lock_until(t); }, system_clock::now, system_in(),
                 "try_lock_until");
  const auto start = steady_clock::now();
  EXPECT_FALSE(m.try_lock_for(milliseconds(100)));
  EXPECT_GE(steady_clock::now() - start, milliseconds(100));
  m.unlock_sharable();
  EXPECT_TRUE(is_free(m));

  m.lock_upgradable();
  expect_timeout([&](auto t) { return m.timed_lock_upgradable(t); }, system_clock::now, system_in(),
                 "timed_lock_upgradable");
  m.unlock_upgradable();
  m.lock();
  expect_timeout([&](auto t) { return m.timed_lock_sharable(t); }, system_clock::now, system_in(),
                 "timed_lock_sharable");
  expect_timeout([&](auto t) { return m.try_lock_shared_until(t); }, system_clock::now, system_in(),
                 "try_lock_shared_until");
  const auto start2 = steady_clock::now();
  EXPECT_FALSE(m.try_lock_shared_for(milliseconds(100)));
  EXPECT_GE(steady_clock::now() - start2, milliseconds(100));
  m.unlock();
  EXPECT_TRUE(is_free(m));
}

// Table 6 ("Transition Possibilities"), demotions: immediate, and the new
// ownership is in place.
TEST_F(InterprocessUpgradableMutex, DemotionsTradeOwnershipWithoutBlocking) {
  IPC_SPEC("interprocess_upgradable_mutex.demotions");
  Mutex m;
  m.lock();
  m.unlock_and_lock_upgradable();
  EXPECT_TRUE(is_upgradable(m));
  m.unlock_upgradable_and_lock_sharable();
  EXPECT_TRUE(is_sharable_only(m));
  m.unlock_sharable();
  EXPECT_TRUE(is_free(m));
  m.lock();
  m.unlock_and_lock_sharable();
  EXPECT_TRUE(is_sharable_only(m));
  m.unlock_sharable();
  EXPECT_TRUE(is_free(m));
}

TEST_F(InterprocessUpgradableMutex, UpgradablePromotionWithoutReaders) {
  IPC_SPEC("interprocess_upgradable_mutex.promote_upgradable",
           "interprocess_upgradable_mutex.try_promote_upgradable", "deadlines.chrono");
  Mutex m;
  m.lock_upgradable();
  m.unlock_upgradable_and_lock();
  EXPECT_TRUE(is_exclusive(m));
  m.unlock();
  m.lock_upgradable();
  ASSERT_TRUE(m.try_unlock_upgradable_and_lock());
  EXPECT_TRUE(is_exclusive(m));
  m.unlock();
  m.lock_upgradable();
  ASSERT_TRUE(m.timed_unlock_upgradable_and_lock(system_clock::now() + seconds(10)));
  EXPECT_TRUE(is_exclusive(m));
  m.unlock();
  EXPECT_TRUE(is_free(m));
}

TEST_F(InterprocessUpgradableMutex, FailedUpgradablePromotionsKeepUpgradableOwnership) {
  IPC_SPEC("interprocess_upgradable_mutex.try_promote_upgradable",
           "interprocess_upgradable_mutex.timed_forms", "deadlines.chrono");
  Mutex m;
  m.lock_sharable();  // a reader that stays
  m.lock_upgradable();
  EXPECT_FALSE(m.try_unlock_upgradable_and_lock());
  EXPECT_TRUE(is_upgradable(m));
  const auto deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(m.timed_unlock_upgradable_and_lock(deadline));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
  EXPECT_TRUE(is_upgradable(m));
  m.unlock_sharable();
  ASSERT_TRUE(m.try_unlock_upgradable_and_lock());
  m.unlock();
}

TEST_F(InterprocessUpgradableMutex, SharablePromotionsOnlySucceedWhenAllowed) {
  IPC_SPEC("interprocess_upgradable_mutex.try_promote_sharable");
  Mutex m;
  // Sole owner: both promotions succeed.
  m.lock_sharable();
  ASSERT_TRUE(m.try_unlock_sharable_and_lock());
  EXPECT_TRUE(is_exclusive(m));
  m.unlock_and_lock_sharable();
  ASSERT_TRUE(m.try_unlock_sharable_and_lock_upgradable());
  EXPECT_TRUE(is_upgradable(m));
  m.unlock_upgradable();
  // Another reader: exclusive is refused, upgradable is granted.
  m.lock_sharable();
  m.lock_sharable();
  EXPECT_FALSE(m.try_unlock_sharable_and_lock());
  EXPECT_TRUE(is_sharable_only(m));
  ASSERT_TRUE(m.try_unlock_sharable_and_lock_upgradable());
  EXPECT_TRUE(is_upgradable(m));
  // An upgradable owner: both are refused and the reader stays a reader.
  m.lock_sharable();
  EXPECT_FALSE(m.try_unlock_sharable_and_lock_upgradable());
  EXPECT_FALSE(m.try_unlock_sharable_and_lock());
  m.unlock_upgradable();
  EXPECT_TRUE(is_sharable_only(m));
  m.unlock_sharable();
  m.unlock_sharable();
  EXPECT_TRUE(is_free(m));
}

// ---------------------------------------------------------------------------
// Several processes.

// The data of the multi-process tests, in shared memory.
struct Shared {
  Mutex mutex;
  static constexpr int kSlots = 32;
  long slots[kSlots] = {};  // all equal whenever no writer is inside
  std::atomic<int> readers_inside{0};
  std::atomic<int> writers_inside{0};
  std::atomic<int> violations{0};
  std::atomic<int> torn_reads{0};
  std::atomic<long> reads{0};
};

void check_readers_alone(Shared& s) {
  if (s.writers_inside.load() != 0) ++s.violations;
}

void read(Shared& s) {
  ipc::sharable_lock<Mutex> lock(s.mutex);
  ++s.readers_inside;
  check_readers_alone(s);
  const long first = s.slots[0];
  for (long v : s.slots) {
    if (v != first) ++s.torn_reads;
  }
  ++s.reads;
  --s.readers_inside;
}

// Called with exclusive ownership: writes the next value slot by slot.
void write(Shared& s) {
  if (++s.writers_inside != 1 || s.readers_inside.load() != 0) ++s.violations;
  const long next = s.slots[0] + 1;
  for (long& v : s.slots) v = next;
  --s.writers_inside;
}

IPC_CHILD_ROLE(rw_worker) {
  Opened<Shared> opened(args.at(0));
  Shared& s = *opened.operator->();
  const std::string kind = args.at(1);
  const int times = std::stoi(args.at(2));
  for (int i = 0; i < times; ++i) {
    if (kind == "reader") {
      read(s);
    } else if (kind == "writer") {
      ipc::scoped_lock<Mutex> lock(s.mutex);
      write(s);
    } else {  // upgrader: reads, then promotes and writes on every other turn
      ipc::upgradable_lock<Mutex> upgradable(s.mutex);
      check_readers_alone(s);
      const long seen = s.slots[0];
      if (i % 2 == 0) {
        ipc::scoped_lock<Mutex> exclusive(std::move(upgradable));
        // Atomic promotion: no other writer came in between.
        if (s.slots[0] != seen) ++s.violations;
        write(s);
      }
    }
  }
}

TEST_F(InterprocessUpgradableMutexMultiProcess, ReadersAndWritersKeepTheInvariants) {
  IPC_SPEC("interprocess_upgradable_mutex.process_shared",
           "interprocess_upgradable_mutex.exclusive", "interprocess_upgradable_mutex.sharable",
           "interprocess_upgradable_mutex.upgradable",
           "interprocess_upgradable_mutex.promote_upgradable");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Shared> shared(name);
  constexpr int kTimes = 400;
  std::vector<ipc_test::Child> children;
  for (const char* kind : {"reader", "reader", "reader", "writer", "writer", "upgrader"}) {
    children.push_back(ipc_test::spawn_role("rw_worker", {name, kind, std::to_string(kTimes)}));
  }
  for (auto& child : children) IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_EQ(shared->violations.load(), 0);
  EXPECT_EQ(shared->torn_reads.load(), 0);
  EXPECT_EQ(shared->reads.load(), 3L * kTimes);
  EXPECT_EQ(shared->slots[0], 2L * kTimes + kTimes / 2);
  EXPECT_TRUE(is_free(shared->mutex));
}

// Takes the ownership args[1] names, says "held", waits for "release",
// releases, says "released".
IPC_CHILD_ROLE(rw_holder) {
  Opened<Shared> opened(args.at(0));
  Mutex& m = opened->mutex;
  const std::string kind = args.at(1);
  auto to_parent = ipc_test::Pipe::from_arg(args.at(2));
  auto from_parent = ipc_test::Pipe::from_arg(args.at(3));
  if (kind == "exclusive") m.lock();
  if (kind == "sharable") m.lock_sharable();
  if (kind == "upgradable") m.lock_upgradable();
  to_parent.send("held");
  IPC_CHILD_CHECK(from_parent.receive() == "release");
  if (kind == "exclusive") m.unlock();
  if (kind == "sharable") m.unlock_sharable();
  if (kind == "upgradable") m.unlock_upgradable();
  to_parent.send("released");
}

struct Holder {
  ipc_test::Pipe to_parent, from_parent;
  ipc_test::Child child;
  Holder(const std::string& name, const std::string& kind)
      : child(ipc_test::spawn_role("rw_holder", {name, kind, to_parent.arg(), from_parent.arg()})) {
  }
};

TEST_F(InterprocessUpgradableMutexMultiProcess, OwnershipsOfAnotherProcessAreRespected) {
  IPC_SPEC("interprocess_upgradable_mutex.process_shared",
           "interprocess_upgradable_mutex.exclusive", "interprocess_upgradable_mutex.sharable",
           "interprocess_upgradable_mutex.upgradable");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Shared> shared(name);
  Mutex& m = shared->mutex;
  for (const char* kind : {"exclusive", "sharable", "upgradable"}) {
    Holder holder(name, kind);
    ASSERT_EQ(holder.to_parent.receive(), "held");
    const auto seen = probe(m);
    const std::string k = kind;
    EXPECT_FALSE(seen.exclusive) << kind;
    EXPECT_EQ(seen.upgradable, k == "sharable") << kind;
    EXPECT_EQ(seen.sharable, k != "exclusive") << kind;
    holder.from_parent.send("release");
    ASSERT_EQ(holder.to_parent.receive(), "released");
    IPC_EXPECT_CHILD_OK(holder.child.wait());
    EXPECT_TRUE(is_free(m)) << kind;
  }
}

TEST_F(InterprocessUpgradableMutexMultiProcess, TimedLocksTimeOutAgainstAnotherProcess) {
  IPC_SPEC("interprocess_upgradable_mutex.timed_forms",
           "interprocess_upgradable_mutex.process_shared", "deadlines.chrono");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Shared> shared(name);
  Mutex& m = shared->mutex;
  Holder holder(name, "exclusive");
  ASSERT_EQ(holder.to_parent.receive(), "held");
  const auto deadline = system_clock::now() + milliseconds(200);
  EXPECT_FALSE(m.timed_lock_sharable(deadline));
  EXPECT_GE(system_clock::now(), deadline);
  const auto deadline2 = system_clock::now() + milliseconds(200);
  EXPECT_FALSE(m.timed_lock_upgradable(deadline2));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline2);
  EXPECT_LT(returned, deadline2 + seconds(20));
  holder.from_parent.send("release");
  // Waits for the holder's release, however long it takes.
  ASSERT_TRUE(m.timed_lock(system_clock::now() + seconds(60)));
  m.unlock();
  EXPECT_EQ(holder.to_parent.receive(), "released");
  IPC_EXPECT_CHILD_OK(holder.child.wait());
}

TEST_F(InterprocessUpgradableMutexMultiProcess, PromotionWaitsForTheReadersOfAnotherProcess) {
  IPC_SPEC("interprocess_upgradable_mutex.promote_upgradable");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Shared> shared(name);
  Mutex& m = shared->mutex;
  Holder reader(name, "sharable");
  ASSERT_EQ(reader.to_parent.receive(), "held");
  m.lock_upgradable();
  reader.from_parent.send("release");
  // Returns only once the reader has released, so "released" is on its way.
  m.unlock_upgradable_and_lock();
  EXPECT_EQ(reader.to_parent.receive(), "released");
  EXPECT_TRUE(is_exclusive(m));
  m.unlock();
  IPC_EXPECT_CHILD_OK(reader.child.wait());
}

// Locks exclusively (waiting behind the parent's reader), says "locked".
IPC_CHILD_ROLE(rw_writer_waiting) {
  Opened<Shared> opened(args.at(0));
  auto to_parent = ipc_test::Pipe::from_arg(args.at(1));
  opened->mutex.lock();
  to_parent.send("locked");
  opened->mutex.unlock();
}

TEST_F(InterprocessUpgradableMutexMultiProcess, AWaitingWriterHoldsBackNewReaders) {
  IPC_SPEC("interprocess_upgradable_mutex.writer_not_starved");
  const std::string name = unique_resource(remove_shared_memory);
  Placed<Shared> shared(name);
  Mutex& m = shared->mutex;
  m.lock_sharable();
  ipc_test::Pipe to_parent;
  auto writer = ipc_test::spawn_role("rw_writer_waiting", {name, to_parent.arg()});
  // New readers are admitted until the writer starts waiting, then refused,
  // although only a reader holds the mutex.
  const auto give_up = steady_clock::now() + seconds(60);
  while (m.try_lock_sharable()) {
    m.unlock_sharable();
    ASSERT_LT(steady_clock::now(), give_up) << "readers are still admitted past a waiting writer";
  }
  EXPECT_FALSE(m.try_lock_upgradable());
  m.unlock_sharable();
  EXPECT_EQ(to_parent.receive(), "locked");
  IPC_EXPECT_CHILD_OK(writer.wait());
}

}  // namespace
