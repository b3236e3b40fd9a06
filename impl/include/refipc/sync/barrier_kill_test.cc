// Kill injection on barrier: three forked participants loop over rounds of a
// barrier in shared memory and one of them, the victim, is SIGKILLed at a
// random point: before its wait() (its arrival not made), inside it, or
// after it returned. The contract (docs/using-refipc.md, "Failure model"): a
// round never completes without all its arrivals, so the survivors block, for
// good, in the first round whose arrival the victim did not make; a round the
// victim left completes for everyone; an arrival made before the death counts
// (the survivors complete that round, then block in the next one). The memory
// of a barrier left so is reusable: a barrier constructed afresh in it works.
//
// barrier::wait() has no deadline, so the participants are processes, and
// every wait of the test has a bound: the survivors are watched through
// counters in shared memory and their state in /proc, then SIGKILLed.
//
// Short form: kDefaultRounds kills. Long form: set REFIPC_KILL_ROUNDS (for
// example 500); the counts are printed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <random>
#include <string>
#include <thread>

#include "refipc/sync/interprocess_barrier.hpp"
#include "refipc/sync/testing/child_wait.hpp"
#include "refipc/sync/testing/handoff.hpp"
#include "refipc/sync/testing/kill_rounds.hpp"

namespace refipc {
namespace {

using namespace std::chrono;

constexpr int kDefaultRounds = 30;
constexpr int kParticipants = 3;
constexpr int kReuseRounds = 5;
constexpr auto kWait = seconds(10);         // for progress the contract promises
constexpr unsigned kPause = 400000;         // a participant's pause, in spins
constexpr auto kStill = milliseconds(200);  // for progress it rules out

// What one participant has done, written by itself only.
struct participant_log {
  std::atomic<std::uint32_t> entering{0};  // about to wait in this round
  std::atomic<std::uint32_t> calling{0};   // calling wait() in this round
  std::atomic<std::uint32_t> returned{0};  // returned from this round
};

struct shared_state {
  alignas(barrier) unsigned char memory[sizeof(barrier)];
  participant_log log[kParticipants];
  std::atomic<int> got_true[kReuseRounds];  // per round of the reuse check
};

// Busy work the optimizer keeps: each step stores to a volatile (a plain
// store: C++20 deprecates ++ on a volatile).
volatile unsigned spin_sink;

void spin(unsigned iterations) {
  for (unsigned i = 0; i < iterations; ++i) spin_sink = i;
}

// A victim's own SIGKILL, at a random point of its pause before (pause 0)
// or after (pause 1) wait() in round `round`; round 0: none.
struct self_kill {
  std::uint32_t round = 0;
  int pause = 0;
};

// A participant: rounds until killed, with random busy pauses on either side
// of wait(). A participant killed from outside is mostly inside wait(), where
// it spends most of its time on a loaded machine; `plan` places kills in the
// pauses.
[[noreturn]] void participate(barrier& b, participant_log& log, unsigned seed, self_kill plan) {
  std::mt19937 rng(seed);
  const auto pause = [&](std::uint32_t r, int which) {
    const unsigned spins = rng() % kPause;
    if (r == plan.round && which == plan.pause) {
      spin(spins / 2);
      kill(getpid(), SIGKILL);
    }
    spin(spins);
  };
  try {
    for (std::uint32_t r = 1;; ++r) {
      log.entering.store(r);
      pause(r, 0);
      log.calling.store(r);
      b.wait();
      log.returned.store(r);
      pause(r, 1);
    }
  } catch (...) {
  }
  std::_Exit(2);
}

// Whether `pid` is asleep (a participant sleeps only inside wait()).
bool asleep(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'S';
}

// Whether the child `pid` still runs; if it ended, reaps it and clears `pid`.
bool alive(pid_t& pid) {
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == 0) return true;
  pid = 0;
  return false;
}

enum where { before_wait, inside_wait, after_wait };
const char* const kWhere[] = {"before wait()", "inside wait()", "after wait()"};

struct tally {
  int kills[3] = {};
  int inside_completed = 0;  // the dead victim's arrival completed its round
};

// A barrier constructed afresh in the memory works for three new processes.
void check_reuse(shared_state& s) {
  barrier& b = *new (s.memory) barrier(kParticipants);
  for (auto& n : s.got_true) n.store(0);
  pid_t pids[kParticipants];
  for (pid_t& pid : pids) {
    pid = fork();
    if (pid == 0) {
      try {
        for (auto& n : s.got_true) {
          if (b.wait()) ++n;
        }
      } catch (...) {
        std::_Exit(2);
      }
      std::_Exit(0);
    }
  }
  for (pid_t pid : pids) {
    const int status = testing::wait_child_for(pid, duration_cast<milliseconds>(kWait));
    EXPECT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "reused barrier: participant status " << status << " (-1: hung)";
  }
  for (int r = 0; r < kReuseRounds; ++r) {
    EXPECT_EQ(s.got_true[r].load(), 1) << "reused barrier, round " << r;
  }
  b.~barrier();
}

// One kill: returns false after a failure.
bool kill_round(shared_state& s, std::mt19937& rng, tally& counts, int round) {
  barrier& b = *new (s.memory) barrier(kParticipants);
  for (auto& log : s.log) {
    log.entering.store(0);
    log.calling.store(0);
    log.returned.store(0);
  }
  const int victim = static_cast<int>(rng() % kParticipants);
  const std::uint32_t target = 1 + rng() % 8;
  // One kill in three from outside, the others by the victim in a pause.
  const int plan = static_cast<int>(rng() % 3);
  self_kill own;
  if (plan < 2) own = {target, plan};
  pid_t pids[kParticipants];
  for (int i = 0; i < kParticipants; ++i) {
    pids[i] = fork();
    if (pids[i] == 0) {
      participate(b, s.log[i], static_cast<unsigned>(round * kParticipants + i),
                  i == victim ? own : self_kill{});
    }
  }
  // SIGKILLs and reaps the participants not reaped yet (pid 0).
  const auto kill_all = [&] {
    for (pid_t& pid : pids) {
      if (pid > 0) testing::wait_child_for(pid, milliseconds(0));
      pid = 0;
    }
  };

  // From outside: once the victim calls wait() in the target round, after a
  // random pause. Where a kill landed is read from the victim's log.
  const participant_log& vl = s.log[victim];
  if (plan == 2) {
    const auto reached_by = steady_clock::now() + kWait;
    while (vl.calling.load() < target && steady_clock::now() < reached_by) {
      std::this_thread::yield();
    }
    spin(rng() % (kPause / 4));
    kill(pids[victim], SIGKILL);
  }
  const int victim_status =
      testing::wait_child_for(pids[victim], duration_cast<milliseconds>(kWait));
  pids[victim] = 0;
  const std::uint32_t e = vl.entering.load(), c = vl.calling.load(), r = vl.returned.load();
  EXPECT_TRUE(victim_status != -1 && WIFSIGNALED(victim_status) &&
              WTERMSIG(victim_status) == SIGKILL)
      << "round " << round << ": the victim ended by itself, status " << victim_status;
  EXPECT_GE(e, target) << "round " << round << ": the participants stalled before the kill";
  where at;
  if (e == r && c == r) {
    at = after_wait;
  } else if (e == r + 1 && c == r) {
    at = before_wait;
  } else if (e == r + 1 && c == e) {
    at = inside_wait;
  } else {
    ADD_FAILURE() << "round " << round << ": victim log " << e << "/" << c << "/" << r;
    at = after_wait;
  }
  if (::testing::Test::HasFailure()) {
    kill_all();
    return false;
  }
  ++counts.kills[at];

  // The survivors settle asleep in the same round, which the victim's death
  // left incomplete. No round the victim did not arrive at ever completes.
  int survivors[kParticipants - 1], n = 0;
  for (int i = 0; i < kParticipants; ++i) {
    if (i != victim) survivors[n++] = i;
  }
  const std::uint32_t no_later_than = at == inside_wait ? e : r;  // last round that may complete
  std::uint32_t blocked = 0;
  const auto settle_by = steady_clock::now() + kWait;
  for (;;) {
    bool settled = true;
    for (int i : survivors) {
      const participant_log& l = s.log[i];
      const std::uint32_t returned = l.returned.load();
      if (returned > no_later_than) {
        ADD_FAILURE() << "round " << round << ": a survivor returned from round " << returned
                      << ", which the dead victim (" << kWhere[at] << " of round " << e
                      << ") did not complete";
        kill_all();
        return false;
      }
      const std::uint32_t in = l.calling.load();
      if (!(l.entering.load() == in && returned + 1 == in && in == s.log[survivors[0]].calling &&
            asleep(pids[i]))) {
        settled = false;
      }
    }
    if (settled) {
      blocked = s.log[survivors[0]].calling.load();
      break;
    }
    if (steady_clock::now() > settle_by) {
      ADD_FAILURE() << "round " << round << ": the survivors did not settle (victim " << kWhere[at]
                    << " of round " << e << "; survivors returned from "
                    << s.log[survivors[0]].returned << " and " << s.log[survivors[1]].returned
                    << ")";
      kill_all();
      return false;
    }
    std::this_thread::yield();
  }
  // Nothing lost: a round the victim left completed for all; an arrival made
  // inside wait() may or may not have counted.
  EXPECT_GE(blocked, r + 1) << "round " << round << ": survivors stuck in a completed round";
  if (at == inside_wait && blocked == e + 1) ++counts.inside_completed;
  // And they stay there.
  const auto still_until = steady_clock::now() + kStill;
  while (steady_clock::now() < still_until && !::testing::Test::HasFailure()) {
    for (int i : survivors) {
      EXPECT_TRUE(s.log[i].returned.load() + 1 == blocked && s.log[i].entering.load() == blocked)
          << "round " << round << ": a survivor left round " << blocked << " after " << kWhere[at]
          << " of round " << e;
    }
    std::this_thread::yield();
  }
  for (int i : survivors) {
    EXPECT_TRUE(alive(pids[i])) << "round " << round << ": a survivor ended by itself";
  }
  kill_all();
  b.~barrier();
  if (::testing::Test::HasFailure()) return false;
  check_reuse(s);
  return !::testing::Test::HasFailure();
}

TEST(SyncKillInjection, Barrier) {
  testing::shared_object<shared_state> s;
  std::mt19937 rng(std::random_device{}());
  tally counts;
  const int total = testing::kill_rounds(kDefaultRounds);
  std::fflush(nullptr);
  for (int round = 0; round < total; ++round) {
    if (!kill_round(*s, rng, counts, round)) return;
  }
  std::printf("%d kills: %d %s; %d %s (%d completed the round, %d left it incomplete); %d %s\n",
              total, counts.kills[before_wait], kWhere[before_wait], counts.kills[inside_wait],
              kWhere[inside_wait], counts.inside_completed,
              counts.kills[inside_wait] - counts.inside_completed, counts.kills[after_wait],
              kWhere[after_wait]);
}

}  // namespace
}  // namespace refipc
