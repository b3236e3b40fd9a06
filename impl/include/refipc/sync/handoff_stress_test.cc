// Hand-off stress tests of every futex protocol of refipc's synchronization
// primitives, anonymous and named: a waiter that times out on an available
// resource missed a wake-up (see refipc/sync/testing/handoff.hpp). Short form
// by default; the long form runs each case for REFIPC_STRESS_SECONDS
// (docs/design.md, "Stress tests").
//
// Each builder takes the holder's and the waiter's view of the primitive:
// the same object for the anonymous primitives, two objects opened from one
// name (two mappings) for the named ones.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <type_traits>

#include "refipc/sync/interprocess_condition.hpp"
#include "refipc/sync/interprocess_condition_any.hpp"
#include "refipc/sync/interprocess_mutex.hpp"
#include "refipc/sync/interprocess_recursive_mutex.hpp"
#include "refipc/sync/interprocess_semaphore.hpp"
#include "refipc/sync/interprocess_sharable_mutex.hpp"
#include "refipc/sync/interprocess_upgradable_mutex.hpp"
#include "refipc/sync/named_condition.hpp"
#include "refipc/sync/named_condition_any.hpp"
#include "refipc/sync/named_mutex.hpp"
#include "refipc/sync/named_recursive_mutex.hpp"
#include "refipc/sync/named_semaphore.hpp"
#include "refipc/sync/named_sharable_mutex.hpp"
#include "refipc/sync/named_upgradable_mutex.hpp"
#include "refipc/sync/scoped_lock.hpp"
#include "refipc/sync/sharable_lock.hpp"
#include "refipc/sync/testing/handoff.hpp"
#include "refipc/sync/testing/robust_lists.hpp"

namespace refipc {
namespace {

using testing::across;
using testing::handoff;
using testing::handoff_result;
using testing::shared_object;
using testing::stress_clock;

void expect_no_lost_wakeup(const handoff_result& r) {
  EXPECT_FALSE(r.stuck) << r.error;
  EXPECT_GT(r.rounds, 0u);
  EXPECT_EQ(r.lost, 0u) << "waits timed out on an available resource";
}

// --- mutexes ---------------------------------------------------------------

template <class Mutex>
bool try_and_give_back(Mutex& m) {
  if (!m.try_lock()) return false;
  m.unlock();
  return true;
}

template <class Mutex>
handoff exclusive_handoff(Mutex& held, Mutex& awaited) {
  handoff h;
  h.hold = [&held] { held.lock(); };
  h.release = [&held] { held.unlock(); };
  h.acquire = [&awaited](stress_clock::time_point until) { return awaited.timed_lock(until); };
  h.give_back = [&awaited] { awaited.unlock(); };
  h.available = [&awaited] { return try_and_give_back(awaited); };
  return h;
}

// Held twice: only the second unlock releases it.
template <class Mutex>
handoff recursive_handoff(Mutex& held, Mutex& awaited) {
  handoff h = exclusive_handoff(held, awaited);
  h.hold = [&held] {
    held.lock();
    held.lock();
  };
  h.release = [&held] {
    held.unlock();
    held.unlock();
  };
  return h;
}

// --- semaphores ------------------------------------------------------------

template <class Semaphore>
handoff semaphore_handoff(Semaphore& posted, Semaphore& awaited) {
  handoff h;
  h.hold = [] {};  // the count is 0
  h.release = [&posted] { posted.post(); };
  h.acquire = [&awaited](stress_clock::time_point until) { return awaited.timed_wait(until); };
  h.give_back = [] {};
  h.available = [&awaited] { return awaited.try_wait(); };
  return h;
}

// --- conditions ------------------------------------------------------------

// The waiter waits under its lock until `value` reaches the round's
// `target`; the holder sets it under the mutex and notifies, alternating
// notify_one after the unlock and notify_all under the mutex.
// The fields are atomic (relaxed) only for ThreadSanitizer, which cannot
// tell that the two mappings of a named mutex are one mutex.
struct predicate {
  std::atomic<std::uint64_t> target{0};  // written by the holder between rounds
  std::atomic<std::uint64_t> value{0};   // under the mutex
};

template <class WaiterLock, class Mutex, class Condition>
handoff condition_handoff(Mutex& held, Condition& notified, Mutex& awaited, Condition& waited,
                          predicate& p) {
  handoff h;
  h.hold = [&p] { p.target.store(p.target.load(std::memory_order_relaxed) + 1); };
  h.release = [&held, &notified, &p] {
    scoped_lock<Mutex> lock(held);
    const std::uint64_t target = p.target.load(std::memory_order_relaxed);
    p.value.store(target, std::memory_order_relaxed);
    if (target % 2 == 0) {
      notified.notify_all();
      return;
    }
    lock.unlock();
    notified.notify_one();
  };
  h.acquire = [&awaited, &waited, &p](stress_clock::time_point until) {
    WaiterLock lock(awaited);
    while (p.value.load(std::memory_order_relaxed) != p.target.load(std::memory_order_relaxed)) {
      if (!waited.timed_wait(lock, until)) return false;
    }
    return true;
  };
  h.give_back = [] {};
  h.available = [&awaited, &p] {
    WaiterLock lock(awaited);
    return p.value.load(std::memory_order_relaxed) == p.target.load(std::memory_order_relaxed);
  };
  return h;
}

// --- sharable and upgradable mutexes ---------------------------------------

template <class Mutex>
constexpr bool kUpgradable = std::is_same_v<Mutex, interprocess_upgradable_mutex> ||
                             std::is_same_v<Mutex, named_upgradable_mutex>;

// What the waiter asks for.
enum class wants { sharable, upgradable, exclusive, promotion };

template <class Mutex>
void want(handoff& h, Mutex& m, wants what) {
  switch (what) {
    case wants::sharable:
      h.acquire = [&m](stress_clock::time_point t) { return m.timed_lock_sharable(t); };
      h.give_back = [&m] { m.unlock_sharable(); };
      h.available = [&m] {
        if (!m.try_lock_sharable()) return false;
        m.unlock_sharable();
        return true;
      };
      return;
    case wants::exclusive:
      h.acquire = [&m](stress_clock::time_point t) { return m.timed_lock(t); };
      h.give_back = [&m] { m.unlock(); };
      h.available = [&m] { return try_and_give_back(m); };
      return;
    case wants::upgradable:
      if constexpr (kUpgradable<Mutex>) {
        h.acquire = [&m](stress_clock::time_point t) { return m.timed_lock_upgradable(t); };
        h.give_back = [&m] { m.unlock_upgradable(); };
        h.available = [&m] {
          if (!m.try_lock_upgradable()) return false;
          m.unlock_upgradable();
          return true;
        };
      }
      return;
    case wants::promotion:
      // Upgradable beside the holder's sharable ownership, then promoted.
      if constexpr (kUpgradable<Mutex>) {
        h.acquire = [&m](stress_clock::time_point t) {
          m.lock_upgradable();
          if (m.timed_unlock_upgradable_and_lock(t)) return true;
          m.unlock_upgradable();
          return false;
        };
        h.give_back = [&m] { m.unlock(); };
        h.available = [&m] { return try_and_give_back(m); };
      }
      return;
  }
}

// The holder's side of a transition that lets a waiter in: what it holds,
// how it lets go (maybe keeping a weaker ownership), and what it releases
// after the waiter's round.
enum class holds { exclusive, sharable, upgradable };
enum class lets_go {
  unlock,
  unlock_sharable,
  unlock_upgradable,
  unlock_and_lock_sharable,
  unlock_and_lock_upgradable,
  unlock_upgradable_and_lock_sharable
};

struct transition {
  const char* name;
  holds holding;
  lets_go release;
  wants waiter;
  bool upgradable_only;
};

const transition kTransitions[] = {
    {"unlock -> lock_sharable", holds::exclusive, lets_go::unlock, wants::sharable, false},
    {"unlock -> lock", holds::exclusive, lets_go::unlock, wants::exclusive, false},
    {"unlock_sharable -> lock", holds::sharable, lets_go::unlock_sharable, wants::exclusive, false},
    {"unlock -> lock_upgradable", holds::exclusive, lets_go::unlock, wants::upgradable, true},
    {"unlock_sharable -> unlock_upgradable_and_lock", holds::sharable, lets_go::unlock_sharable,
     wants::promotion, true},
    {"unlock_upgradable -> lock", holds::upgradable, lets_go::unlock_upgradable, wants::exclusive,
     true},
    {"unlock_upgradable -> lock_upgradable", holds::upgradable, lets_go::unlock_upgradable,
     wants::upgradable, true},
    {"unlock_and_lock_sharable -> lock_sharable", holds::exclusive,
     lets_go::unlock_and_lock_sharable, wants::sharable, true},
    {"unlock_and_lock_upgradable -> lock_sharable", holds::exclusive,
     lets_go::unlock_and_lock_upgradable, wants::sharable, true},
    {"unlock_upgradable_and_lock_sharable -> lock_upgradable", holds::upgradable,
     lets_go::unlock_upgradable_and_lock_sharable, wants::upgradable, true},
};

template <class Mutex>
handoff transition_handoff(Mutex& held, Mutex& awaited, const transition& t) {
  handoff h;
  h.hold = [&held, &t] {
    switch (t.holding) {
      case holds::exclusive:
        return held.lock();
      case holds::sharable:
        return held.lock_sharable();
      case holds::upgradable:
        if constexpr (kUpgradable<Mutex>) held.lock_upgradable();
        return;
    }
  };
  h.release = [&held, &t] {
    switch (t.release) {
      case lets_go::unlock:
        return held.unlock();
      case lets_go::unlock_sharable:
        return held.unlock_sharable();
      default:
        break;
    }
    if constexpr (kUpgradable<Mutex>) {
      switch (t.release) {
        case lets_go::unlock_upgradable:
          return held.unlock_upgradable();
        case lets_go::unlock_and_lock_sharable:
          return held.unlock_and_lock_sharable();
        case lets_go::unlock_and_lock_upgradable:
          return held.unlock_and_lock_upgradable();
        case lets_go::unlock_upgradable_and_lock_sharable:
          return held.unlock_upgradable_and_lock_sharable();
        default:
          return;
      }
    }
  };
  h.finish = [&held, &t] {
    if (t.release == lets_go::unlock_and_lock_sharable ||
        t.release == lets_go::unlock_upgradable_and_lock_sharable) {
      held.unlock_sharable();
    }
    if constexpr (kUpgradable<Mutex>) {
      if (t.release == lets_go::unlock_and_lock_upgradable) held.unlock_upgradable();
    }
  };
  want(h, awaited, t.waiter);
  return h;
}

// Runs every transition the mutex type has; `make` gives a fresh pair of
// views for each.
template <class Mutex, class Make>
void every_transition(const std::string& kind, Make make, across mode) {
  for (const transition& t : kTransitions) {
    if (t.upgradable_only && !kUpgradable<Mutex>) continue;
    auto views = make();
    expect_no_lost_wakeup(testing::run_handoffs(
        kind + ": " + t.name, transition_handoff(views->first, views->second, t), mode));
  }
}

// --- the anonymous primitives ----------------------------------------------

TEST(HandoffStress, Mutex) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  shared_object<interprocess_mutex> m;
  expect_no_lost_wakeup(testing::run_handoffs("mutex", exclusive_handoff(*m, *m), across::threads));
}

TEST(HandoffStress, MutexAcrossProcesses) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  shared_object<interprocess_mutex> m;
  expect_no_lost_wakeup(
      testing::run_handoffs("mutex", exclusive_handoff(*m, *m), across::processes));
}

TEST(HandoffStress, RecursiveMutex) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  shared_object<interprocess_recursive_mutex> m;
  expect_no_lost_wakeup(
      testing::run_handoffs("recursive mutex", recursive_handoff(*m, *m), across::threads));
}

TEST(HandoffStress, Semaphore) {
  shared_object<interprocess_semaphore> s(0);
  expect_no_lost_wakeup(
      testing::run_handoffs("semaphore", semaphore_handoff(*s, *s), across::threads));
}

TEST(HandoffStress, SemaphoreAcrossProcesses) {
  shared_object<interprocess_semaphore> s(0);
  expect_no_lost_wakeup(
      testing::run_handoffs("semaphore", semaphore_handoff(*s, *s), across::processes));
}

struct condition_state {
  interprocess_mutex mutex;
  interprocess_condition condition;
  predicate p;
};

handoff condition_state_handoff(condition_state& st) {
  return condition_handoff<scoped_lock<interprocess_mutex>>(st.mutex, st.condition, st.mutex,
                                                            st.condition, st.p);
}

TEST(HandoffStress, Condition) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  shared_object<condition_state> st;
  expect_no_lost_wakeup(
      testing::run_handoffs("condition", condition_state_handoff(*st), across::threads));
}

TEST(HandoffStress, ConditionAcrossProcesses) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  shared_object<condition_state> st;
  expect_no_lost_wakeup(
      testing::run_handoffs("condition", condition_state_handoff(*st), across::processes));
}

// condition_any, its waiter under a sharable lock.
TEST(HandoffStress, ConditionAnyWithSharableLock) {
  struct state {
    interprocess_upgradable_mutex mutex;
    interprocess_condition_any condition;
    predicate p;
  };
  shared_object<state> st;
  expect_no_lost_wakeup(
      testing::run_handoffs("condition_any",
                            condition_handoff<sharable_lock<interprocess_upgradable_mutex>>(
                                st->mutex, st->condition, st->mutex, st->condition, st->p),
                            across::threads));
}

// Both views of an anonymous mutex: the same object.
template <class Mutex>
struct anonymous_views {
  shared_object<Mutex> object;
  Mutex& first = *object;
  Mutex& second = *object;
};

TEST(HandoffStress, SharableMutexEveryTransition) {
  every_transition<interprocess_sharable_mutex>(
      "sharable mutex",
      [] { return std::make_unique<anonymous_views<interprocess_sharable_mutex>>(); },
      across::threads);
}

TEST(HandoffStress, UpgradableMutexEveryTransition) {
  every_transition<interprocess_upgradable_mutex>(
      "upgradable mutex",
      [] { return std::make_unique<anonymous_views<interprocess_upgradable_mutex>>(); },
      across::threads);
}

TEST(HandoffStress, UpgradableMutexAcrossProcesses) {
  anonymous_views<interprocess_upgradable_mutex> v;
  expect_no_lost_wakeup(testing::run_handoffs(
      "upgradable mutex: unlock -> lock_sharable",
      transition_handoff(v.first, v.second, kTransitions[0]), across::processes));
}

// --- the named primitives: two objects opened from one name ----------------

std::string unique_name(const char* what) {
  std::random_device random;
  return std::string("refipc_handoff_") + what + "_" + std::to_string(getpid()) + "_" +
         std::to_string(random());
}

// Removes the name at the end of the test, whatever happens.
template <class Named>
struct removed_at_end {
  std::string name;
  ~removed_at_end() { Named::remove(name.c_str()); }
};

// Both views of a named primitive built from `args`.
template <class Named>
struct named_views {
  template <class... Args>
  named_views(const std::string& name, Args... args)
      : first(create_only, name.c_str(), args...), second(open_only, name.c_str()) {}
  Named first;
  Named second;
};

template <class Named, class... Args>
std::unique_ptr<named_views<Named>> open_named(const removed_at_end<Named>& guard, Args... args) {
  return std::make_unique<named_views<Named>>(guard.name, args...);
}

TEST(HandoffStress, NamedMutex) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  removed_at_end<named_mutex> guard{unique_name("mutex")};
  auto v = open_named(guard);
  expect_no_lost_wakeup(testing::run_handoffs("named mutex", exclusive_handoff(v->first, v->second),
                                              across::threads));
}

TEST(HandoffStress, NamedMutexAcrossProcesses) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  removed_at_end<named_mutex> guard{unique_name("mutex")};
  auto v = open_named(guard);
  expect_no_lost_wakeup(testing::run_handoffs("named mutex", exclusive_handoff(v->first, v->second),
                                              across::processes));
}

TEST(HandoffStress, NamedRecursiveMutex) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  removed_at_end<named_recursive_mutex> guard{unique_name("recursive")};
  auto v = open_named(guard);
  expect_no_lost_wakeup(testing::run_handoffs(
      "named recursive mutex", recursive_handoff(v->first, v->second), across::threads));
}

TEST(HandoffStress, NamedSemaphore) {
  removed_at_end<named_semaphore> guard{unique_name("semaphore")};
  auto v = open_named(guard, 0u);
  expect_no_lost_wakeup(testing::run_handoffs(
      "named semaphore", semaphore_handoff(v->first, v->second), across::threads));
}

TEST(HandoffStress, NamedSemaphoreAcrossProcesses) {
  removed_at_end<named_semaphore> guard{unique_name("semaphore")};
  auto v = open_named(guard, 0u);
  expect_no_lost_wakeup(testing::run_handoffs(
      "named semaphore", semaphore_handoff(v->first, v->second), across::processes));
}

TEST(HandoffStress, NamedCondition) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  removed_at_end<named_mutex> mutex_guard{unique_name("cond_mutex")};
  removed_at_end<named_condition> guard{unique_name("condition")};
  auto m = open_named(mutex_guard);
  auto c = open_named(guard);
  shared_object<predicate> p;
  expect_no_lost_wakeup(testing::run_handoffs(
      "named condition",
      condition_handoff<scoped_lock<named_mutex>>(m->first, c->first, m->second, c->second, *p),
      across::processes));
}

TEST(HandoffStress, NamedConditionAny) {
  removed_at_end<named_sharable_mutex> mutex_guard{unique_name("cond_any_mutex")};
  removed_at_end<named_condition_any> guard{unique_name("condition_any")};
  auto m = open_named(mutex_guard);
  auto c = open_named(guard);
  shared_object<predicate> p;
  expect_no_lost_wakeup(
      testing::run_handoffs("named condition_any",
                            condition_handoff<sharable_lock<named_sharable_mutex>>(
                                m->first, c->first, m->second, c->second, *p),
                            across::threads));
}

TEST(HandoffStress, NamedSharableMutexEveryTransition) {
  removed_at_end<named_sharable_mutex> guard{unique_name("sharable")};
  every_transition<named_sharable_mutex>(
      "named sharable mutex",
      [&] {
        named_sharable_mutex::remove(guard.name.c_str());
        return open_named(guard);
      },
      across::threads);
}

TEST(HandoffStress, NamedUpgradableMutexEveryTransition) {
  removed_at_end<named_upgradable_mutex> guard{unique_name("upgradable")};
  every_transition<named_upgradable_mutex>(
      "named upgradable mutex",
      [&] {
        named_upgradable_mutex::remove(guard.name.c_str());
        return open_named(guard);
      },
      across::threads);
}

}  // namespace
}  // namespace refipc
