// rw_lock's release/wait protocol on a simulated x86-TSO machine (see
// tso_futex.hpp): for each release that may let a waiter in, the waiter's
// acquisition is interrupted by the whole release before each of its steps
// in turn, and while it sleeps. The waiter must then get the lock, and never
// sleep through the release. This is the store-buffer lost wake-up the
// hand-off stress test cannot reproduce on every machine: a release by a
// plain store followed by a load of the sleeper count (rw_lock before
// 3494a6b) fails here at once; a seq_cst read-modify-write passes.
//
// The test compiles rw_lock.cc itself against the simulated futex_word, so
// the code under test is the library's, unchanged.
#include "refipc/sync/detail/tso/tso_futex.hpp"
// Must follow tso_futex.hpp.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "impl/include/refipc/sync/detail/rw_lock.cc"

namespace refipc {
namespace sync_detail {
namespace {

struct scenario {
  std::string name;
  std::function<void(rw_lock&)> hold;          // by thread 0, before
  std::function<void(rw_lock&)> waiter_holds;  // by thread 1, before
  std::function<bool(rw_lock&)> acquire;       // by thread 1, interrupted
  std::function<void(rw_lock&)> release;       // by thread 0, the interruption
};

const deadline kDeadline{};

std::vector<scenario> scenarios() {
  const auto none = [](rw_lock&) {};
  return {
      {"unlock wakes a reader", [](rw_lock& l) { l.lock(); }, none,
       [](rw_lock& l) { return l.lock_sharable_until(kDeadline); }, [](rw_lock& l) { l.unlock(); }},
      {"unlock wakes a writer", [](rw_lock& l) { l.lock(); }, none,
       [](rw_lock& l) { return l.lock_until(kDeadline); }, [](rw_lock& l) { l.unlock(); }},
      {"unlock wakes an upgrader", [](rw_lock& l) { l.lock(); }, none,
       [](rw_lock& l) { return l.lock_upgradable_until(kDeadline); },
       [](rw_lock& l) { l.unlock(); }},
      {"unlock_sharable wakes a writer", [](rw_lock& l) { l.lock_sharable(); }, none,
       [](rw_lock& l) { return l.lock_until(kDeadline); }, [](rw_lock& l) { l.unlock_sharable(); }},
      {"unlock_upgradable wakes an upgrader", [](rw_lock& l) { l.lock_upgradable(); }, none,
       [](rw_lock& l) { return l.lock_upgradable_until(kDeadline); },
       [](rw_lock& l) { l.unlock_upgradable(); }},
      {"unlock_upgradable wakes a writer", [](rw_lock& l) { l.lock_upgradable(); }, none,
       [](rw_lock& l) { return l.lock_until(kDeadline); },
       [](rw_lock& l) { l.unlock_upgradable(); }},
      {"unlock_and_lock_sharable wakes a reader", [](rw_lock& l) { l.lock(); }, none,
       [](rw_lock& l) { return l.lock_sharable_until(kDeadline); },
       [](rw_lock& l) { l.unlock_and_lock_sharable(); }},
      {"unlock_and_lock_upgradable wakes a reader", [](rw_lock& l) { l.lock(); }, none,
       [](rw_lock& l) { return l.lock_sharable_until(kDeadline); },
       [](rw_lock& l) { l.unlock_and_lock_upgradable(); }},
      {"unlock_upgradable_and_lock_sharable wakes an upgrader",
       [](rw_lock& l) { l.lock_upgradable(); }, none,
       [](rw_lock& l) { return l.lock_upgradable_until(kDeadline); },
       [](rw_lock& l) { l.unlock_upgradable_and_lock_sharable(); }},
      {"unlock_sharable wakes a promotion", [](rw_lock& l) { l.lock_sharable(); },
       [](rw_lock& l) { l.lock_upgradable(); },
       [](rw_lock& l) { return l.unlock_upgradable_and_lock_until(kDeadline); },
       [](rw_lock& l) { l.unlock_sharable(); }},
  };
}

TEST(RwLockTso, NoReleaseIsSleptThrough) {
  tso_machine& m = tso_machine::get();
  for (const scenario& s : scenarios()) {
    int points = 0;
    for (int inject_at = 1;; ++inject_at) {
      rw_lock lock;
      m.run_as(0, [&] { s.hold(lock); });
      m.run_as(1, [&] { s.waiter_holds(lock); });
      m.settle();
      m.arm([&] { s.release(lock); }, inject_at);
      const bool acquired = s.acquire(lock);
      m.settle();
      EXPECT_TRUE(m.released()) << s.name;
      EXPECT_FALSE(m.stranded()) << s.name << ": release before step " << inject_at
                                 << " of the waiter's " << m.steps() << " (or while it slept)"
                                 << " was slept through";
      EXPECT_TRUE(acquired) << s.name << ", release before step " << inject_at;
      ++points;
      // The last run's release came while the waiter slept or after its
      // last step: every point has been tried.
      if (inject_at > m.steps()) break;
    }
    EXPECT_GE(points, 3) << s.name;  // the waiter looked, counted itself and slept
  }
}

}  // namespace
}  // namespace sync_detail
}  // namespace refipc
