// A hand-off stress loop that detects lost wake-ups. A holder makes a
// resource busy, lets a waiter block on it with a bounded wait, and makes it
// available; a waiter whose bounded wait times out although the resource was
// made available long before its deadline missed a wake-up. Run as two
// threads or as a parent and a forked child. See docs/design.md ("Stress
// tests") for the short and the long form.
#ifndef REFIPC_SYNC_TESTING_HANDOFF_HPP_
#define REFIPC_SYNC_TESTING_HANDOFF_HPP_

#include <sys/mman.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <new>
#include <string>
#include <utility>

namespace refipc {
namespace testing {

using stress_clock = std::chrono::steady_clock;

// One protocol under test. Every function runs in one role; `finish` may be
// empty.
struct handoff {
  std::function<void()> hold;     // holder: makes the resource busy
  std::function<void()> release;  // holder: makes it available to the waiter
  // Waiter: waits for the resource until the deadline; true when it got it.
  // On false it must hold nothing it took for the attempt.
  std::function<bool(stress_clock::time_point)> acquire;
  std::function<void()> give_back;  // waiter: after acquire() returned true
  // Waiter, after a timeout and the holder's release: whether the resource
  // is available (taking and giving back as the probe needs; a semaphore
  // unit is taken for good).
  std::function<bool()> available;
  std::function<void()> finish;  // holder: after the waiter's round
};

enum class across { threads, processes };

struct handoff_result {
  std::uint64_t rounds = 0;
  // Timeouts with the resource available long before the deadline.
  std::uint64_t lost = 0;
  // Timeouts with the release too close to the deadline to tell (an
  // overloaded machine); not failures.
  std::uint64_t late = 0;
  // The peer stopped answering (crashed, or a lost wake-up in a wait with
  // no deadline); the loop was abandoned.
  bool stuck = false;
  // What a role function threw, if anything (the loop then stopped).
  std::string error;
};

// How long each stress test runs: the short form (about a second, at most
// kShortRounds hand-offs) unless REFIPC_STRESS_SECONDS is set, then that
// many seconds with no limit on hand-offs.
struct stress_budget {
  stress_clock::duration time;
  std::uint64_t max_rounds;
  bool long_form;
};
stress_budget budget();

// Runs `h` for the budget. `bound` is the waiter's patience per round; a
// timeout counts as lost when the release ended more than bound / 2 before
// the deadline. The objects `h` uses must live in memory shared with a
// forked child for across::processes (see shared_object). Prints a summary
// line under `name`.
handoff_result run_handoffs(const std::string& name, const handoff& h, across mode,
                            std::chrono::milliseconds bound = std::chrono::seconds(2));

// Spins, then yields, until ready() holds or `until` passes.
bool await(const std::function<bool()>& ready, stress_clock::time_point until);

// A T in an anonymous shared mapping, so that a forked child shares it.
template <class T>
class shared_object {
 public:
  template <class... Args>
  explicit shared_object(Args&&... args) {
    void* memory =
        mmap(nullptr, sizeof(T), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    object_ = new (memory) T(std::forward<Args>(args)...);
  }
  shared_object(const shared_object&) = delete;
  shared_object& operator=(const shared_object&) = delete;
  ~shared_object() {
    object_->~T();
    munmap(object_, sizeof(T));
  }
  T& operator*() const { return *object_; }
  T* operator->() const { return object_; }

 private:
  T* object_;
};

}  // namespace testing
}  // namespace refipc

#endif  // REFIPC_SYNC_TESTING_HANDOFF_HPP_
