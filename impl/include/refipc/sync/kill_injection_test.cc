// Kill injection on the synchronization primitives in shared memory: a
// victim process (two threads) loops over a primitive's operations and is
// SIGKILLed at a random point; a fresh process then uses the primitive. The
// contract (docs/using-refipc.md, "Failure model"): the survivor never hangs
// (every wait here is bounded, and a 30 s watchdog kills a checker that
// hangs anyway) and never sees damaged data without being told:
// - recursive mutex: the next owner either gets it normally, with the data
//   the dead owner guarded whole, or gets owner_dead_exception, after which
//   consistent() makes it usable again;
// - condition, condition_any: after the mutex is recovered, notify_one and
//   notify_all still wake a live waiter (a dead waiter or notifier strands
//   nobody that waits afterwards);
// - sharable and upgradable mutexes: an owner's death is not detected, so the
//   lock may stay held, but only in a state the dead threads could hold, and
//   whenever a survivor gets in, the guarded data is whole; timed waits on a
//   lock held by the dead return false in time.
// The named forms (named_recursive_mutex, named_condition and
// named_condition_any with named_mutex, named_sharable_mutex,
// named_upgradable_mutex) run the same campaigns, each process opening them
// by name. barrier has its own campaign (barrier_kill_test): a dead
// participant leaves its round incomplete for good, so the survivors block.
//
// Short form: kDefaultRounds rounds per primitive. Long form: set
// REFIPC_KILL_ROUNDS (for example 2000); the counts are printed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <type_traits>

#include "refipc/exceptions.hpp"
#include "refipc/sync/interprocess_condition.hpp"
#include "refipc/sync/interprocess_condition_any.hpp"
#include "refipc/sync/interprocess_mutex.hpp"
#include "refipc/sync/interprocess_recursive_mutex.hpp"
#include "refipc/sync/interprocess_sharable_mutex.hpp"
#include "refipc/sync/interprocess_upgradable_mutex.hpp"
#include "refipc/sync/named_condition.hpp"
#include "refipc/sync/named_condition_any.hpp"
#include "refipc/sync/named_mutex.hpp"
#include "refipc/sync/named_recursive_mutex.hpp"
#include "refipc/sync/named_sharable_mutex.hpp"
#include "refipc/sync/named_upgradable_mutex.hpp"
#include "refipc/sync/scoped_lock.hpp"
#include "refipc/sync/testing/child_wait.hpp"
#include "refipc/sync/testing/kill_rounds.hpp"

namespace refipc {
namespace {

constexpr int kDefaultRounds = 40;
constexpr auto kBound = std::chrono::seconds(30);         // the watchdog
constexpr auto kWait = std::chrono::seconds(5);           // a checker's wait
constexpr auto kHeldWait = std::chrono::milliseconds(5);  // on a lock held by the dead

// A checker's exit codes; the round's outcome when it is not `failed`.
enum outcome { clean = 0, failed = 1, owner_died = 2, held_shared = 3, held_exclusive = 4 };

const char* outcome_name(int o) {
  switch (o) {
    case clean:
      return "clean";
    case owner_died:
      return "owner death reported";
    case held_shared:
      return "left held sharable";
    case held_exclusive:
      return "left held exclusively";
    default:
      return "?";
  }
}

std::chrono::steady_clock::time_point in(std::chrono::steady_clock::duration d) {
  return std::chrono::steady_clock::now() + d;
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  std::_Exit(failed);
}

int bounded_wait(pid_t pid) {
  return testing::wait_child_for(pid,
                                 std::chrono::duration_cast<std::chrono::milliseconds>(kBound));
}

// One page of anonymous shared memory: survives in every forked process.
struct shared_page {
  shared_page()
      : bytes(mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)) {}
  ~shared_page() { munmap(bytes, 4096); }
  void* bytes;
};

// Two words that a writer changes under the lock; whole when equal.
struct guarded {
  void write() {
    const std::uint32_t next = a.load(std::memory_order_relaxed) + 1;
    a.store(next, std::memory_order_relaxed);
    b.store(next, std::memory_order_relaxed);
  }
  bool whole() const {
    return a.load(std::memory_order_relaxed) == b.load(std::memory_order_relaxed);
  }
  std::atomic<std::uint32_t> a{0}, b{0};
};

// Runs the campaign: per round a fresh `State` in shared memory, a victim
// running `victim(state, progress)` (never returns) killed after a random
// number of operations, then `check(state)` in two fresh processes in turn.
// Returns the outcome counts.
template <class State>
std::map<int, int> campaign(const std::function<void(State&, std::atomic<std::uint64_t>&)>& victim,
                            const std::function<int(State&)>& check) {
  static_assert(sizeof(State) + 64 <= 4096, "fits the page");
  shared_page page;
  auto& progress = *static_cast<std::atomic<std::uint64_t>*>(page.bytes);
  void* place = static_cast<char*>(page.bytes) + 64;
  std::mt19937 rng(std::random_device{}());
  std::map<int, int> counts;
  const int total = testing::kill_rounds(kDefaultRounds);
  for (int round = 0; round < total; ++round) {
    progress.store(0);
    State* state = new (place) State;
    const std::uint64_t target = 1 + rng() % 2000;
    const pid_t pid = fork();
    if (pid == 0) {
      victim(*state, progress);
      std::_Exit(failed);
    }
    const auto deadline = in(kBound);
    while (progress.load(std::memory_order_relaxed) < target &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "round " << round << ": the victim ended by itself, status " << status;
    EXPECT_GE(progress.load(), target) << "round " << round << ": the victim stalled";
    if (::testing::Test::HasFailure()) return counts;
    int first = -1;
    for (int pass = 0; pass < 2; ++pass) {
      const pid_t checker = fork();
      if (checker == 0) std::_Exit(check(*state));
      const int st = bounded_wait(checker);
      EXPECT_NE(st, -1) << "round " << round << ", checker " << pass << " hung";
      const int code = st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
      EXPECT_TRUE(code != -1 && code != failed)
          << "round " << round << ", checker " << pass << ": status " << st;
      if (::testing::Test::HasFailure()) return counts;
      if (pass == 0) {
        first = code;
      } else {
        // A recovered owner death leaves the primitive clean for the next.
        EXPECT_EQ(code, first == owner_died ? clean : first) << "round " << round;
      }
    }
    ++counts[first];
    state->~State();
  }
  std::printf("%d rounds:", total);
  for (const auto& [o, n] : counts) std::printf(" %d %s;", n, outcome_name(o));
  std::printf("\n");
  return counts;
}

// A round's named objects (the primitive, and the mutex of a named
// condition): created afresh in the parent, opened by name in every process,
// removed at the end of the round. The data they guard is in the page.
template <class Primary, class Mutex = void>
struct named_state {
  named_state() {
    static const unsigned base = std::random_device{}();
    static unsigned serial = 0;
    std::snprintf(name, sizeof name, "refipc_kill_%d_%u_%u", static_cast<int>(getpid()), base,
                  serial++);
    std::snprintf(mutex_name, sizeof mutex_name, "%s_m", name);
    Primary::remove(name);
    Primary(create_only, name);
    if constexpr (!std::is_void_v<Mutex>) {
      Mutex::remove(mutex_name);
      Mutex(create_only, mutex_name);
    }
  }
  ~named_state() {
    Primary::remove(name);
    if constexpr (!std::is_void_v<Mutex>) Mutex::remove(mutex_name);
  }
  guarded data;
  std::uint32_t seq = 0;
  char name[48];
  char mutex_name[52];
};

// --- recursive mutex ---

template <class Mutex>
[[noreturn]] void recursive_victim(Mutex& m, guarded& data, std::atomic<std::uint64_t>& progress) {
  const auto loop = [&](unsigned seed) {
    std::mt19937 rng(seed);
    for (;;) {
      switch (rng() % 3) {
        case 0:
          m.lock();
          break;
        case 1:
          while (!m.try_lock()) std::this_thread::yield();
          break;
        default:
          while (!m.try_lock_for(std::chrono::microseconds(rng() % 200))) {
          }
      }
      const int depth = 1 + static_cast<int>(rng() % 3);
      for (int d = 1; d < depth; ++d) m.lock();
      data.write();
      for (int d = 0; d < depth; ++d) m.unlock();
      progress.fetch_add(1, std::memory_order_relaxed);
    }
  };
  std::thread other(loop, 1u);
  loop(2u);
  std::abort();  // not reached
}

template <class Mutex>
int recursive_check(Mutex& m, guarded& data) {
  int result = clean;
  try {
    if (!m.timed_lock(in(kWait))) fail("recursive mutex: timed out on a mutex no one holds");
    if (!data.whole()) fail("recursive mutex: damaged data and no owner death reported");
  } catch (const owner_dead_exception&) {
    // Held once now; the data may be half written: repair, then declare it.
    data.b.store(data.a.load());
    m.consistent();
    result = owner_died;
  }
  // Usable, recursively, by this process and another thread.
  m.lock();
  data.write();
  m.unlock();
  m.unlock();
  std::thread other([&] {
    if (!m.try_lock_for(kWait)) fail("recursive mutex: not released");
    m.unlock();
  });
  other.join();
  return result;
}

struct recursive_state {
  interprocess_recursive_mutex m;
  guarded data;
};

TEST(SyncKillInjection, RecursiveMutex) {
  const auto counts = campaign<recursive_state>(
      [](recursive_state& s, auto& progress) { recursive_victim(s.m, s.data, progress); },
      [](recursive_state& s) { return recursive_check(s.m, s.data); });
  for (const auto& [o, n] : counts) EXPECT_TRUE(o == clean || o == owner_died) << o;
}

TEST(SyncKillInjection, NamedRecursiveMutex) {
  const auto counts = campaign<named_state<named_recursive_mutex>>(
      [](named_state<named_recursive_mutex>& s, auto& progress) {
        named_recursive_mutex m(open_only, s.name);
        recursive_victim(m, s.data, progress);
      },
      [](named_state<named_recursive_mutex>& s) {
        named_recursive_mutex m(open_only, s.name);
        return recursive_check(m, s.data);
      });
  for (const auto& [o, n] : counts) EXPECT_TRUE(o == clean || o == owner_died) << o;
}

// --- condition and condition_any ---

template <class Mutex, class Condition>
[[noreturn]] void condition_victim(Mutex& m, Condition& c, std::uint32_t& seq,
                                   std::atomic<std::uint64_t>& progress) {
  // One thread waits (briefly, so it is killed asleep as well as awake), the
  // other notifies.
  std::thread waiter([&] {
    std::mt19937 rng(3);
    for (;;) {
      scoped_lock<Mutex> lock(m);
      const std::uint32_t seen = seq;
      c.timed_wait(lock, in(std::chrono::microseconds(rng() % 500)), [&] { return seq != seen; });
      progress.fetch_add(1, std::memory_order_relaxed);
    }
  });
  for (unsigned n = 0;; ++n) {
    {
      scoped_lock<Mutex> lock(m);
      ++seq;
      if (n % 2 == 0) c.notify_one();
    }
    if (n % 2 == 1) c.notify_all();
    progress.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::yield();
  }
}

template <class Mutex, class Condition>
int condition_check(Mutex& m, Condition& c, std::uint32_t& seq) {
  int result = clean;
  try {
    if (!m.timed_lock(in(kWait))) fail("condition: its mutex is stuck");
  } catch (const owner_dead_exception&) {
    m.consistent();
    result = owner_died;
  }
  m.unlock();
  // Hand-offs: a live waiter must be woken by each kind of notification.
  for (int n = 0; n < 20; ++n) {
    std::atomic<bool> ready{false};  // set under the mutex, before waiting
    std::thread waiter([&] {
      scoped_lock<Mutex> lock(m);
      const std::uint32_t seen = seq;
      ready.store(true);
      if (!c.timed_wait(lock, in(kWait), [&] { return seq != seen; })) {
        fail("condition: a live waiter was not woken");
      }
    });
    while (!ready.load()) std::this_thread::yield();
    {
      // Taken only once the waiter is inside its wait.
      scoped_lock<Mutex> lock(m);
      ++seq;
      if (n % 2 == 0) c.notify_one();
    }
    if (n % 2 == 1) c.notify_all();
    waiter.join();
  }
  return result;
}

template <class Condition>
struct condition_state {
  interprocess_mutex m;
  Condition c;
  std::uint32_t seq = 0;  // under m
};

template <class Condition>
void in_place_condition() {
  const auto counts = campaign<condition_state<Condition>>(
      [](condition_state<Condition>& s, auto& progress) {
        condition_victim(s.m, s.c, s.seq, progress);
      },
      [](condition_state<Condition>& s) { return condition_check(s.m, s.c, s.seq); });
  for (const auto& [o, n] : counts) EXPECT_TRUE(o == clean || o == owner_died) << o;
}

template <class Condition>
void named_condition_campaign() {
  using state = named_state<Condition, named_mutex>;
  const auto counts = campaign<state>(
      [](state& s, auto& progress) {
        named_mutex m(open_only, s.mutex_name);
        Condition c(open_only, s.name);
        condition_victim(m, c, s.seq, progress);
      },
      [](state& s) {
        named_mutex m(open_only, s.mutex_name);
        Condition c(open_only, s.name);
        return condition_check(m, c, s.seq);
      });
  for (const auto& [o, n] : counts) EXPECT_TRUE(o == clean || o == owner_died) << o;
}

TEST(SyncKillInjection, Condition) { in_place_condition<interprocess_condition>(); }
TEST(SyncKillInjection, ConditionAny) { in_place_condition<interprocess_condition_any>(); }
TEST(SyncKillInjection, NamedCondition) { named_condition_campaign<named_condition>(); }
TEST(SyncKillInjection, NamedConditionAny) { named_condition_campaign<named_condition_any>(); }

// --- sharable and upgradable mutexes, in their transitions ---

template <class Mutex>
constexpr bool kUpgradable = std::is_same_v<Mutex, interprocess_upgradable_mutex> ||
                             std::is_same_v<Mutex, named_upgradable_mutex>;

// One step of a victim thread: takes the lock in some way, possibly changes
// kind on the way, and releases it.
template <class Mutex>
void rw_step(Mutex& m, guarded& data, std::mt19937& rng) {
  const auto soon = [&] { return in(std::chrono::microseconds(rng() % 300)); };
  switch (rng() % (kUpgradable<Mutex> ? 8 : 4)) {
    case 0:  // exclusive
      m.lock();
      data.write();
      m.unlock();
      break;
    case 1:  // timed exclusive
      if (!m.timed_lock(soon())) break;
      data.write();
      m.unlock();
      break;
    case 2:  // sharable
      m.lock_sharable();
      m.unlock_sharable();
      break;
    case 3:  // timed sharable
      if (m.timed_lock_sharable(soon())) m.unlock_sharable();
      break;
    default:
      if constexpr (kUpgradable<Mutex>) {
        switch (rng() % 5) {
          case 0:  // upgradable, promoted, written, demoted, released
            m.lock_upgradable();
            m.unlock_upgradable_and_lock();
            data.write();
            m.unlock_and_lock_upgradable();
            m.unlock_upgradable();
            break;
          case 1:  // timed promotion, or sharable on failure
            if (!m.timed_lock_upgradable(soon())) break;
            if (m.timed_unlock_upgradable_and_lock(soon())) {
              data.write();
              m.unlock();
            } else {
              m.unlock_upgradable_and_lock_sharable();
              m.unlock_sharable();
            }
            break;
          case 2:  // sharable, tried promotions
            m.lock_sharable();
            if (m.try_unlock_sharable_and_lock()) {
              data.write();
              m.unlock();
            } else if (m.try_unlock_sharable_and_lock_upgradable()) {
              m.unlock_upgradable();
            } else {
              m.unlock_sharable();
            }
            break;
          case 3:  // exclusive, downgraded to sharable
            m.lock();
            data.write();
            m.unlock_and_lock_sharable();
            m.unlock_sharable();
            break;
          default:  // tried upgradable promotion
            if (!m.try_lock_upgradable()) break;
            if (m.try_unlock_upgradable_and_lock()) {
              data.write();
              m.unlock();
            } else {
              m.unlock_upgradable();
            }
        }
      }
  }
}

template <class Mutex>
[[noreturn]] void rw_victim(Mutex& m, guarded& data, std::atomic<std::uint64_t>& progress) {
  const auto loop = [&](unsigned seed) {
    std::mt19937 rng(seed);
    for (;;) {
      rw_step(m, data, rng);
      progress.fetch_add(1, std::memory_order_relaxed);
    }
  };
  std::thread other(loop, 5u);
  loop(6u);
  std::abort();  // not reached
}

template <class Mutex>
int rw_check(Mutex& m, guarded& data) {
  // Free: whoever takes it sees whole data.
  if (m.timed_lock(in(kHeldWait))) {
    if (!data.whole()) fail("rw mutex: free, but the data is half written");
    data.write();
    m.unlock();
    if (!m.timed_lock_sharable(in(kWait))) fail("rw mutex: not released");
    m.unlock_sharable();
    return clean;
  }
  // Held by the dead. Readers can enter only if no dead thread was writing.
  if (m.timed_lock_sharable(in(kHeldWait))) {
    if (!data.whole()) fail("rw mutex: readable, but the data is half written");
    m.unlock_sharable();
    if (m.try_lock()) fail("rw mutex: a reader's release freed a lock the dead hold");
    return held_shared;
  }
  // Held exclusively (or by a dead thread waiting to get it): every attempt
  // fails, in time.
  if (m.try_lock_sharable()) fail("rw mutex: try_lock_sharable disagrees with its timed form");
  if constexpr (kUpgradable<Mutex>) {
    if (m.timed_lock_upgradable(in(kHeldWait))) {
      fail("rw mutex: upgradable entered beside an exclusive owner");
    }
  }
  return held_exclusive;
}

template <class Mutex>
struct rw_state {
  Mutex m;
  guarded data;
};

template <class Mutex>
void in_place_rw() {
  campaign<rw_state<Mutex>>(
      [](rw_state<Mutex>& s, auto& progress) { rw_victim(s.m, s.data, progress); },
      [](rw_state<Mutex>& s) { return rw_check(s.m, s.data); });
}

template <class Mutex>
void named_rw() {
  campaign<named_state<Mutex>>(
      [](named_state<Mutex>& s, auto& progress) {
        Mutex m(open_only, s.name);
        rw_victim(m, s.data, progress);
      },
      [](named_state<Mutex>& s) {
        Mutex m(open_only, s.name);
        return rw_check(m, s.data);
      });
}

TEST(SyncKillInjection, SharableMutex) { in_place_rw<interprocess_sharable_mutex>(); }
TEST(SyncKillInjection, UpgradableMutex) { in_place_rw<interprocess_upgradable_mutex>(); }
TEST(SyncKillInjection, NamedSharableMutex) { named_rw<named_sharable_mutex>(); }
TEST(SyncKillInjection, NamedUpgradableMutex) { named_rw<named_upgradable_mutex>(); }

}  // namespace
}  // namespace refipc
