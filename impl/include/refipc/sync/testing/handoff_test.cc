// The hand-off loop itself: it must count a resource that never wakes its
// waiter as lost wake-ups, and a correct one as none.
#include "refipc/sync/testing/handoff.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace refipc {
namespace testing {
namespace {

using namespace std::chrono_literals;

// A flag whose waiter checks once and then sleeps until its deadline: every
// release that comes after the check is a lost wake-up.
struct deaf_flag {
  std::atomic<bool> set{false};
};

handoff deaf_handoff(deaf_flag& f) {
  handoff h;
  h.hold = [&f] { f.set.store(false); };
  h.release = [&f] { f.set.store(true); };
  h.acquire = [&f](stress_clock::time_point until) {
    if (f.set.load()) return true;
    std::this_thread::sleep_until(until);
    return false;
  };
  h.give_back = [] {};
  h.available = [&f] { return f.set.load(); };
  return h;
}

TEST(Handoff, CountsAWaiterThatIsNeverWokenAsLost) {
  shared_object<deaf_flag> f;
  const handoff_result r = run_handoffs("deaf flag", deaf_handoff(*f), across::threads, 20ms);
  EXPECT_FALSE(r.stuck) << r.error;
  EXPECT_GT(r.lost, 0u);
  EXPECT_LE(r.lost + r.late, r.rounds);  // a release before the check is no loss
}

TEST(Handoff, CountsLostWakeUpsInAForkedWaiter) {
  shared_object<deaf_flag> f;
  const handoff_result r = run_handoffs("deaf flag", deaf_handoff(*f), across::processes, 20ms);
  EXPECT_FALSE(r.stuck) << r.error;
  EXPECT_GT(r.lost, 0u);
}

TEST(Handoff, CountsNothingForACorrectProtocol) {
  std::mutex m;
  std::condition_variable cv;
  bool busy = false;
  handoff h;
  h.hold = [&] {
    std::lock_guard<std::mutex> g(m);
    busy = true;
  };
  h.release = [&] {
    {
      std::lock_guard<std::mutex> g(m);
      busy = false;
    }
    cv.notify_one();
  };
  h.acquire = [&](stress_clock::time_point until) {
    std::unique_lock<std::mutex> g(m);
    return cv.wait_until(g, until, [&] { return !busy; });
  };
  h.give_back = [] {};
  h.available = [&] {
    std::lock_guard<std::mutex> g(m);
    return !busy;
  };
  const handoff_result r = run_handoffs("std::condition_variable", h, across::threads);
  EXPECT_FALSE(r.stuck) << r.error;
  EXPECT_GT(r.rounds, 0u);
  EXPECT_EQ(r.lost, 0u);
}

TEST(Handoff, ReportsAPeerThatThrows) {
  deaf_flag f;
  handoff h = deaf_handoff(f);
  h.acquire = [](stress_clock::time_point) -> bool { throw std::runtime_error("boom"); };
  const handoff_result r = run_handoffs("throwing waiter", h, across::threads, 20ms);
  EXPECT_TRUE(r.stuck);
  EXPECT_NE(r.error.find("boom"), std::string::npos);
}

}  // namespace
}  // namespace testing
}  // namespace refipc
