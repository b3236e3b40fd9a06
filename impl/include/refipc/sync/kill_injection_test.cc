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
// The named forms share these implementations (named_recursive_mutex,
// named_condition and the named sharable/upgradable mutexes wrap the same
// objects in a named shared memory object) and have their own owner-death
// tests next to them. barrier is left out: a dead participant leaves the
// next round incomplete for good (documented), and wait() has no deadline.
//
// Short form: kDefaultRounds rounds per primitive. Long form: set
// REFIPC_KILL_ROUNDS (for example 2000); the counts are printed.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
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

#include "refipc/exceptions.hpp"
#include "refipc/sync/interprocess_condition.hpp"
#include "refipc/sync/interprocess_condition_any.hpp"
#include "refipc/sync/interprocess_mutex.hpp"
#include "refipc/sync/interprocess_recursive_mutex.hpp"
#include "refipc/sync/interprocess_sharable_mutex.hpp"
#include "refipc/sync/interprocess_upgradable_mutex.hpp"
#include "refipc/sync/scoped_lock.hpp"

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

int rounds() {
  const char* text = std::getenv("REFIPC_KILL_ROUNDS");
  return text ? std::atoi(text) : kDefaultRounds;
}

std::chrono::steady_clock::time_point in(std::chrono::steady_clock::duration d) {
  return std::chrono::steady_clock::now() + d;
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  std::_Exit(failed);
}

// Waits for `pid` at most kBound, SIGKILLs it after. Its status, or -1 when it
// had to be killed.
int bounded_wait(pid_t pid) {
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  const auto deadline = in(kBound);
  int status = 0;
  for (;;) {
    if (waitpid(pid, &status, WNOHANG) == pid) break;
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      status = -1;
      break;
    }
    // Without pidfd_open, look again every 10 ms.
    pollfd fd{pidfd, POLLIN, 0};
    poll(&fd, pidfd >= 0 ? 1 : 0, pidfd >= 0 ? static_cast<int>(left.count()) : 10);
  }
  if (pidfd >= 0) close(pidfd);
  return status;
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
  const int total = rounds();
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

// --- recursive mutex ---

struct recursive_state {
  interprocess_recursive_mutex m;
  guarded data;
};

void recursive_victim(recursive_state& s, std::atomic<std::uint64_t>& progress) {
  const auto loop = [&](unsigned seed) {
    std::mt19937 rng(seed);
    for (;;) {
      switch (rng() % 3) {
        case 0:
          s.m.lock();
          break;
        case 1:
          while (!s.m.try_lock()) std::this_thread::yield();
          break;
        default:
          while (!s.m.try_lock_for(std::chrono::microseconds(rng() % 200))) {
          }
      }
      const int depth = 1 + static_cast<int>(rng() % 3);
      for (int d = 1; d < depth; ++d) s.m.lock();
      s.data.write();
      for (int d = 0; d < depth; ++d) s.m.unlock();
      progress.fetch_add(1, std::memory_order_relaxed);
    }
  };
  std::thread other(loop, 1u);
  loop(2u);
}

int recursive_check(recursive_state& s) {
  int result = clean;
  try {
    if (!s.m.timed_lock(in(kWait))) fail("recursive mutex: timed out on a mutex no one holds");
    if (!s.data.whole()) fail("recursive mutex: damaged data and no owner death reported");
  } catch (const owner_dead_exception&) {
    // Held once now; the data may be half written: repair, then declare it.
    s.data.b.store(s.data.a.load());
    s.m.consistent();
    result = owner_died;
  }
  // Usable, recursively, by this process and another thread.
  s.m.lock();
  s.data.write();
  s.m.unlock();
  s.m.unlock();
  std::thread other([&] {
    if (!s.m.try_lock_for(kWait)) fail("recursive mutex: not released");
    s.m.unlock();
  });
  other.join();
  return result;
}

TEST(SyncKillInjection, RecursiveMutex) {
  const auto counts = campaign<recursive_state>(recursive_victim, recursive_check);
  for (const auto& [o, n] : counts) EXPECT_TRUE(o == clean || o == owner_died) << o;
}

// --- condition and condition_any ---

template <class Condition>
struct condition_state {
  interprocess_mutex m;
  Condition c;
  std::uint32_t seq = 0;  // under m
};

template <class Condition>
void condition_victim(condition_state<Condition>& s, std::atomic<std::uint64_t>& progress) {
  // One thread waits (briefly, so it is killed asleep as well as awake), the
  // other notifies.
  std::thread waiter([&] {
    std::mt19937 rng(3);
    for (;;) {
      scoped_lock<interprocess_mutex> lock(s.m);
      const std::uint32_t seen = s.seq;
      s.c.timed_wait(lock, in(std::chrono::microseconds(rng() % 500)),
                     [&] { return s.seq != seen; });
      progress.fetch_add(1, std::memory_order_relaxed);
    }
  });
  for (unsigned n = 0;; ++n) {
    {
      scoped_lock<interprocess_mutex> lock(s.m);
      ++s.seq;
      if (n % 2 == 0) s.c.notify_one();
    }
    if (n % 2 == 1) s.c.notify_all();
    progress.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::yield();
  }
}

template <class Condition>
int condition_check(condition_state<Condition>& s) {
  int result = clean;
  try {
    if (!s.m.timed_lock(in(kWait))) fail("condition: its mutex is stuck");
  } catch (const owner_dead_exception&) {
    s.m.consistent();
    result = owner_died;
  }
  s.m.unlock();
  // Hand-offs: a live waiter must be woken by each kind of notification.
  for (int n = 0; n < 20; ++n) {
    std::atomic<bool> ready{false};  // set under the mutex, before waiting
    std::thread waiter([&] {
      scoped_lock<interprocess_mutex> lock(s.m);
      const std::uint32_t seen = s.seq;
      ready.store(true);
      if (!s.c.timed_wait(lock, in(kWait), [&] { return s.seq != seen; })) {
        fail("condition: a live waiter was not woken");
      }
    });
    while (!ready.load()) std::this_thread::yield();
    {
      // Taken only once the waiter is inside its wait.
      scoped_lock<interprocess_mutex> lock(s.m);
      ++s.seq;
      if (n % 2 == 0) s.c.notify_one();
    }
    if (n % 2 == 1) s.c.notify_all();
    waiter.join();
  }
  return result;
}

TEST(SyncKillInjection, Condition) {
  const auto counts = campaign<condition_state<interprocess_condition>>(
      condition_victim<interprocess_condition>, condition_check<interprocess_condition>);
  for (const auto& [o, n] : counts) EXPECT_TRUE(o == clean || o == owner_died) << o;
}

TEST(SyncKillInjection, ConditionAny) {
  const auto counts = campaign<condition_state<interprocess_condition_any>>(
      condition_victim<interprocess_condition_any>, condition_check<interprocess_condition_any>);
  for (const auto& [o, n] : counts) EXPECT_TRUE(o == clean || o == owner_died) << o;
}

// --- sharable and upgradable mutexes, in their transitions ---

template <class Mutex>
constexpr bool kUpgradable = std::is_same_v<Mutex, interprocess_upgradable_mutex>;

template <class Mutex>
struct rw_state {
  Mutex m;
  guarded data;
};

// One step of a victim thread: takes the lock in some way, possibly changes
// kind on the way, and releases it.
template <class Mutex>
void rw_step(rw_state<Mutex>& s, std::mt19937& rng) {
  const auto soon = [&] { return in(std::chrono::microseconds(rng() % 300)); };
  switch (rng() % (kUpgradable<Mutex> ? 8 : 4)) {
    case 0:  // exclusive
      s.m.lock();
      s.data.write();
      s.m.unlock();
      break;
    case 1:  // timed exclusive
      if (!s.m.timed_lock(soon())) break;
      s.data.write();
      s.m.unlock();
      break;
    case 2:  // sharable
      s.m.lock_sharable();
      s.m.unlock_sharable();
      break;
    case 3:  // timed sharable
      if (s.m.timed_lock_sharable(soon())) s.m.unlock_sharable();
      break;
    default:
      if constexpr (kUpgradable<Mutex>) {
        switch (rng() % 5) {
          case 0:  // upgradable, promoted, written, demoted, released
            s.m.lock_upgradable();
            s.m.unlock_upgradable_and_lock();
            s.data.write();
            s.m.unlock_and_lock_upgradable();
            s.m.unlock_upgradable();
            break;
          case 1:  // timed promotion, or sharable on failure
            if (!s.m.timed_lock_upgradable(soon())) break;
            if (s.m.timed_unlock_upgradable_and_lock(soon())) {
              s.data.write();
              s.m.unlock();
            } else {
              s.m.unlock_upgradable_and_lock_sharable();
              s.m.unlock_sharable();
            }
            break;
          case 2:  // sharable, tried promotions
            s.m.lock_sharable();
            if (s.m.try_unlock_sharable_and_lock()) {
              s.data.write();
              s.m.unlock();
            } else if (s.m.try_unlock_sharable_and_lock_upgradable()) {
              s.m.unlock_upgradable();
            } else {
              s.m.unlock_sharable();
            }
            break;
          case 3:  // exclusive, downgraded to sharable
            s.m.lock();
            s.data.write();
            s.m.unlock_and_lock_sharable();
            s.m.unlock_sharable();
            break;
          default:  // tried upgradable promotion
            if (!s.m.try_lock_upgradable()) break;
            if (s.m.try_unlock_upgradable_and_lock()) {
              s.data.write();
              s.m.unlock();
            } else {
              s.m.unlock_upgradable();
            }
        }
      }
  }
}

template <class Mutex>
void rw_victim(rw_state<Mutex>& s, std::atomic<std::uint64_t>& progress) {
  const auto loop = [&](unsigned seed) {
    std::mt19937 rng(seed);
    for (;;) {
      rw_step(s, rng);
      progress.fetch_add(1, std::memory_order_relaxed);
    }
  };
  std::thread other(loop, 5u);
  loop(6u);
}

template <class Mutex>
int rw_check(rw_state<Mutex>& s) {
  // Free: whoever takes it sees whole data.
  if (s.m.timed_lock(in(kHeldWait))) {
    if (!s.data.whole()) fail("rw mutex: free, but the data is half written");
    s.data.write();
    s.m.unlock();
    if (!s.m.timed_lock_sharable(in(kWait))) fail("rw mutex: not released");
    s.m.unlock_sharable();
    return clean;
  }
  // Held by the dead. Readers can enter only if no dead thread was writing.
  if (s.m.timed_lock_sharable(in(kHeldWait))) {
    if (!s.data.whole()) fail("rw mutex: readable, but the data is half written");
    s.m.unlock_sharable();
    if (s.m.try_lock()) fail("rw mutex: a reader's release freed a lock the dead hold");
    return held_shared;
  }
  // Held exclusively (or by a dead thread waiting to get it): every attempt
  // fails, in time.
  if (s.m.try_lock_sharable()) fail("rw mutex: try_lock_sharable disagrees with its timed form");
  if constexpr (kUpgradable<Mutex>) {
    if (s.m.timed_lock_upgradable(in(kHeldWait))) {
      fail("rw mutex: upgradable entered beside an exclusive owner");
    }
  }
  return held_exclusive;
}

TEST(SyncKillInjection, SharableMutex) {
  campaign<rw_state<interprocess_sharable_mutex>>(rw_victim<interprocess_sharable_mutex>,
                                                  rw_check<interprocess_sharable_mutex>);
}

TEST(SyncKillInjection, UpgradableMutex) {
  campaign<rw_state<interprocess_upgradable_mutex>>(rw_victim<interprocess_upgradable_mutex>,
                                                    rw_check<interprocess_upgradable_mutex>);
}

}  // namespace
}  // namespace refipc
