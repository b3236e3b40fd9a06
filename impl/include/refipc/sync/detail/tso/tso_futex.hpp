// A test double for refipc/sync/detail/futex.hpp: futex_word is a location of
// a simulated two-thread x86-TSO machine, and futex_wait/futex_wake act on
// that machine. Included before a futex user's source (it takes futex.hpp's
// include guard), so the user's unchanged code runs on the simulation.
//
// The machine: each simulated thread has a store buffer. A store weaker than
// seq_cst waits in its thread's buffer and is seen by that thread's own
// loads at once and by the other thread only when the buffer drains; a
// seq_cst store, every read-modify-write and every futex call (a system call
// serialises) drain the buffer first. Buffers drain at no other time, the
// latest the model allows, which is where a release followed by a check of
// the sleepers loses a wake-up. Thread 1 (the waiter) is interrupted before
// one chosen step, or while it sleeps, by the whole of thread 0's release.
#ifndef REFIPC_SYNC_DETAIL_TSO_TSO_FUTEX_HPP_
#define REFIPC_SYNC_DETAIL_TSO_TSO_FUTEX_HPP_
#define REFIPC_SYNC_DETAIL_FUTEX_HPP_  // futex.hpp's guard

#include <time.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace refipc {
namespace sync_detail {

// As in futex.hpp; the simulation has no clock.
struct time64 {
  std::int64_t tv_sec;
  std::int64_t tv_nsec;
};
struct deadline {
  bool realtime = false;
  time64 at{0, 0};
};

class futex_word {
 public:
  futex_word(std::uint32_t value = 0) noexcept : memory_(value) {}
  futex_word(const futex_word&) = delete;
  futex_word& operator=(const futex_word&) = delete;

  std::uint32_t load(std::memory_order = std::memory_order_seq_cst);
  void store(std::uint32_t value, std::memory_order order = std::memory_order_seq_cst);
  bool compare_exchange_weak(std::uint32_t& expected, std::uint32_t desired,
                             std::memory_order = std::memory_order_seq_cst);
  bool compare_exchange_strong(std::uint32_t& expected, std::uint32_t desired,
                               std::memory_order = std::memory_order_seq_cst);
  std::uint32_t fetch_add(std::uint32_t n, std::memory_order = std::memory_order_seq_cst);
  std::uint32_t fetch_sub(std::uint32_t n, std::memory_order = std::memory_order_seq_cst);

 private:
  friend class tso_machine;
  friend bool futex_wait(futex_word&, std::uint32_t, const deadline*) noexcept;
  std::uint32_t memory_;  // the value in memory, as the other thread sees it
};

// Returns false only when the waiter would sleep for good (its deadline is
// then the only way out); records that in tso_machine::stranded().
bool futex_wait(futex_word& word, std::uint32_t expected, const deadline* until) noexcept;
void futex_wake(futex_word& word, int count) noexcept;

class tso_machine {
 public:
  static tso_machine& get();

  // Starts a scenario: thread 0 runs `release` in one go just before thread
  // 1's step number `inject_at` (counted from 1), or when thread 1 goes to
  // sleep if that comes first.
  void arm(std::function<void()> release, int inject_at);
  // Runs `f` as simulated thread `t`, without interruption.
  void run_as(int t, const std::function<void()>& f);
  // Drains both buffers (time passes).
  void settle();

  bool released() const { return released_; }
  bool stranded() const { return stranded_; }
  int steps() const { return steps_; }

 private:
  friend class futex_word;
  friend bool futex_wait(futex_word&, std::uint32_t, const deadline*) noexcept;
  friend void futex_wake(futex_word&, int) noexcept;

  void step();  // before each access or futex call of the current thread
  void release_now();
  void drain(int t);
  std::uint32_t* buffered(futex_word& w);  // the current thread's latest store to w

  int current_ = 0;
  std::vector<std::pair<futex_word*, std::uint32_t>> buffer_[2];
  std::function<void()> release_;
  int inject_at_ = 0;
  int steps_ = 0;
  bool released_ = true;
  bool stranded_ = false;
  const futex_word* asleep_on_ = nullptr;  // thread 1's futex_wait
  bool woken_ = false;
};

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_TSO_TSO_FUTEX_HPP_
