#include "refipc/ipc/queue_core.hpp"

#include <errno.h>
#include <sys/file.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>

#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/spin.hpp"
#include "refipc/sync/interprocess_mutex.hpp"

namespace refipc {
namespace ipc_detail {

using sync_detail::deadline;
using sync_detail::futex_word;

namespace {

// Written last by the creator; a different value means "not initialised".
constexpr std::uint32_t kInitialised = 0x4d510001;  // "MQ", layout 1

// How long an opener waits for a creator that is still initialising.
constexpr std::chrono::seconds kOpenPatience{10};

enum : std::uint32_t { kSlotFree = 0, kSlotReady = 1 };

constexpr std::size_t kLine = 64;
constexpr std::size_t round_up(std::size_t n) { return (n + kLine - 1) / kLine * kLine; }

// A message slot: its state word commits a send (free -> ready) or a receive
// (ready -> free); the other fields are meaningful while it is ready.
struct slot_head {
  std::atomic<std::uint32_t> state;
  std::uint32_t priority;
  std::uint64_t seq;
  std::uint64_t size;
};

// The heap orders ready slots by priority (higher first), then by sending
// order; it carries both keys so that sifting does not touch the slots.
struct heap_entry {
  std::uint32_t priority;
  std::uint32_t slot;
  std::uint64_t seq;
};

bool before(const heap_entry& a, const heap_entry& b) {
  return a.priority != b.priority ? a.priority > b.priority : a.seq < b.seq;
}

}  // namespace

// Offsets of the arrays that follow the header; all fit in the mapping.
struct layout {
  std::size_t heap = 0;
  std::size_t free_stack = 0;
  std::size_t slots = 0;
  std::size_t stride = 0;
  std::size_t total = 0;
};

struct queue_header {
  std::atomic<std::uint32_t> initialised{0};
  std::uint64_t max_msg = 0;
  std::uint64_t max_msg_size = 0;
  layout places;
  interprocess_mutex mutex;
  // Protected by `mutex`; derived from the slot states (see repair()).
  std::uint64_t next_seq = 0;
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> free_count{0};
  // Futex gates (see open_gate() and sleep_on()).
  futex_word not_empty{0};
  futex_word not_full{0};

  char* base() { return reinterpret_cast<char*>(this); }
  heap_entry* heap() { return reinterpret_cast<heap_entry*>(base() + places.heap); }
  std::uint32_t* free_stack() {
    return reinterpret_cast<std::uint32_t*>(base() + places.free_stack);
  }
  slot_head& slot(std::uint32_t i) {
    return *reinterpret_cast<slot_head*>(base() + places.slots + i * places.stride);
  }
  static char* data(slot_head& s) { return reinterpret_cast<char*>(&s + 1); }
};

namespace {

bool compute_layout(std::size_t max_num_msg, std::size_t max_msg_size, layout& out) {
  constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max() / 4;
  if (max_num_msg > std::numeric_limits<std::uint32_t>::max() || max_msg_size > kMax) return false;
  out.stride = round_up(sizeof(slot_head) + max_msg_size);
  out.heap = round_up(sizeof(queue_header));
  out.free_stack = out.heap + round_up(max_num_msg * sizeof(heap_entry));
  out.slots = out.free_stack + round_up(max_num_msg * sizeof(std::uint32_t));
  if (max_num_msg != 0 && out.stride > (kMax - out.slots) / max_num_msg) return false;
  out.total = out.slots + max_num_msg * out.stride;
  return true;
}

void heap_push(queue_header& h, const heap_entry& e) {
  heap_entry* heap = h.heap();
  std::size_t i = h.count.load(std::memory_order_relaxed);
  h.count.store(i + 1, std::memory_order_relaxed);
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!before(e, heap[parent])) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = e;
}

void heap_pop(queue_header& h) {
  heap_entry* heap = h.heap();
  const std::size_t n = h.count.load(std::memory_order_relaxed) - 1;
  h.count.store(n, std::memory_order_relaxed);
  const heap_entry last = heap[n];
  std::size_t i = 0;
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && before(heap[child + 1], heap[child])) ++child;
    if (!before(heap[child], last)) break;
    heap[i] = heap[child];
    i = child;
  }
  if (n > 0) heap[i] = last;
}

void push_free(queue_header& h, std::uint32_t slot) {
  const std::uint64_t n = h.free_count.load(std::memory_order_relaxed);
  h.free_stack()[n] = slot;
  h.free_count.store(n + 1, std::memory_order_relaxed);
}

// A gate word: bit 0 says a waiter registered on it (set under the mutex),
// bit 1 says a waiter sleeps (or is about to) in the kernel, and the other
// bits are a generation that only openers, under the mutex, advance.
constexpr std::uint32_t kWaiting = 1;
constexpr std::uint32_t kSleeping = 2;
constexpr std::uint32_t kGenerationMask = ~(kWaiting | kSleeping);
constexpr std::uint32_t kGenerationStep = 4;

// With the mutex held: opens `gate` if a waiter registered on it, and says
// whether one sleeps, in which case the caller wakes the sleepers with
// wake_gate() after unlocking. A waiter that only polls the gate costs no
// system call. An opener that dies before waking leaves the generation
// changed, which sleepers notice within a sleep slice (see sleep_on()).
bool open_gate(futex_word& gate) {
  const std::uint32_t g = gate.load(std::memory_order_relaxed);
  if ((g & kWaiting) == 0) return false;
  const std::uint32_t was =
      gate.exchange((g & kGenerationMask) + kGenerationStep, std::memory_order_relaxed);
  return (was & kSleeping) != 0;
}

void wake_gate(futex_word& gate) { sync_detail::futex_wake(gate, INT_MAX); }

// Rebuilds the derived state from the slot states after an owner died.
void repair(queue_header& h) {
  h.count.store(0, std::memory_order_relaxed);
  h.free_count.store(0, std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < h.max_msg; ++i) {
    slot_head& s = h.slot(i);
    if (s.state.load(std::memory_order_relaxed) == kSlotReady) {
      heap_push(h, heap_entry{s.priority, i, s.seq});
      if (s.seq >= h.next_seq) h.next_seq = s.seq + 1;
    } else {
      s.state.store(kSlotFree, std::memory_order_relaxed);
      push_free(h, i);
    }
  }
  // A sleeper may have missed the wake-up of the process that died.
  h.not_empty.fetch_or(kWaiting | kSleeping, std::memory_order_relaxed);
  h.not_full.fetch_or(kWaiting | kSleeping, std::memory_order_relaxed);
  if (open_gate(h.not_empty)) wake_gate(h.not_empty);
  if (open_gate(h.not_full)) wake_gate(h.not_full);
}

// Takes the mutex (until the deadline, if any), repairing after a dead owner.
bool lock(queue_header& h, const deadline* until) {
  using namespace std::chrono;
  try {
    if (until == nullptr) {
      h.mutex.lock();
      return true;
    }
    const auto since_epoch = seconds(until->at.tv_sec) + nanoseconds(until->at.tv_nsec);
    const bool locked = until->realtime ? h.mutex.timed_lock(system_clock::time_point(
                                              duration_cast<system_clock::duration>(since_epoch)))
                                        : h.mutex.timed_lock(steady_clock::time_point(
                                              duration_cast<steady_clock::duration>(since_epoch)));
    if (!locked) return false;
  } catch (const owner_dead_exception&) {
    repair(h);
    h.mutex.consistent();
  }
  return true;
}

class unlock_on_exit {
 public:
  explicit unlock_on_exit(queue_header& h) : h_(&h) {}
  unlock_on_exit(const unlock_on_exit&) = delete;
  unlock_on_exit& operator=(const unlock_on_exit&) = delete;
  ~unlock_on_exit() {
    if (h_ != nullptr) h_->mutex.unlock();
  }
  void release() { h_ = nullptr; }
  void now() {
    h_->mutex.unlock();
    h_ = nullptr;
  }

 private:
  queue_header* h_;
};

enum class waited { relocked, relocked_late, not_locked };

// The longest a sleeper sleeps without looking at its gate again.
constexpr long kSleepSliceSeconds = 1;

bool earlier(const timespec& a, const timespec& b) {
  return a.tv_sec != b.tv_sec ? a.tv_sec < b.tv_sec : a.tv_nsec < b.tv_nsec;
}

bool passed(const deadline& d) {
  timespec now;
  clock_gettime(d.realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, &now);
  return !earlier(now, d.at);
}

// The earlier of `until` (if any) and one slice from now, on until's clock.
deadline next_slice(const deadline* until) {
  deadline slice;
  slice.realtime = until != nullptr && until->realtime;
  clock_gettime(slice.realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, &slice.at);
  slice.at.tv_sec += kSleepSliceSeconds;
  if (until != nullptr && earlier(until->at, slice.at)) slice = *until;
  return slice;
}

// With the mutex held: waits until `gate` is opened or the deadline passes,
// then takes the mutex again. The waiter polls the gate briefly (a peer on
// another CPU often opens it within microseconds) before it marks itself
// sleeping and sleeps in slices, so that a gate opened by a process that died
// before waking anyone is noticed.
waited sleep_on(queue_header& h, futex_word& gate, const deadline* until) {
  const std::uint32_t generation =
      gate.fetch_or(kWaiting, std::memory_order_relaxed) & kGenerationMask;
  h.mutex.unlock();
  const auto opened = [&] {
    return (gate.load(std::memory_order_relaxed) & kGenerationMask) != generation;
  };
  bool in_time = true;
  if (!sync_detail::spin_until(opened)) {
    for (;;) {
      std::uint32_t g = gate.load(std::memory_order_relaxed);
      if ((g & kGenerationMask) != generation) break;
      if ((g & kSleeping) == 0 &&
          !gate.compare_exchange_weak(g, g | kSleeping, std::memory_order_relaxed)) {
        continue;
      }
      const deadline slice = next_slice(until);
      if (sync_detail::futex_wait(gate, g | kSleeping, &slice)) continue;
      if (until != nullptr && passed(*until)) {
        in_time = false;
        break;
      }
    }
  }
  if (!lock(h, until)) return waited::not_locked;
  return in_time ? waited::relocked : waited::relocked_late;
}

[[noreturn]] void throw_error(error_code_t code, const char* context) {
  throw interprocess_exception(error_info(code), context);
}

}  // namespace

queue_core::queue_core(create_only_t, const char* name, std::size_t max_num_msg,
                       std::size_t max_msg_size, const permissions& perm) {
  create(name, max_num_msg, max_msg_size, perm);
}

queue_core::queue_core(open_or_create_t, const char* name, std::size_t max_num_msg,
                       std::size_t max_msg_size, const permissions& perm) {
  // Another process may create or remove the object between the two tries.
  for (int attempt = 0;; ++attempt) {
    try {
      create(name, max_num_msg, max_msg_size, perm);
      return;
    } catch (const interprocess_exception& e) {
      if (e.get_error_code() != already_exists_error) throw;
    }
    try {
      open(name);
      return;
    } catch (const interprocess_exception& e) {
      if (e.get_error_code() != not_found_error || attempt == 100) throw;
    }
  }
}

queue_core::queue_core(open_only_t, const char* name) { open(name); }

void queue_core::create(const char* name, std::size_t max_num_msg, std::size_t max_msg_size,
                        const permissions& perm) {
  layout places;
  const bool fits = compute_layout(max_num_msg, max_msg_size, places);
  shared_memory_object shm(create_only, name, read_write, perm);
  // Openers take a shared lock before reading the header, so they see either
  // a finished queue or, if this process dies first, a header never marked
  // initialised.
  const int fd = shm.get_mapping_handle().handle;
  try {
    if (!fits) throw_error(size_error, "message_queue: the queue would not fit in memory");
    if (flock(fd, LOCK_EX) != 0) throw interprocess_exception(error_info(errno));
    shm.truncate(static_cast<offset_t>(places.total));
    mapped_region region(shm, read_write);
    auto* h = new (region.get_address()) queue_header;
    h->max_msg = max_num_msg;
    h->max_msg_size = max_msg_size;
    h->places = places;
    for (std::uint32_t i = 0; i < max_num_msg; ++i) {
      new (&h->slot(i)) slot_head{{kSlotFree}, 0, 0, 0};
      h->free_stack()[i] = static_cast<std::uint32_t>(max_num_msg - 1 - i);
    }
    h->free_count.store(max_num_msg, std::memory_order_relaxed);
    h->initialised.store(kInitialised, std::memory_order_release);
    region_ = std::move(region);
    header_ = h;
  } catch (...) {
    shared_memory_object::remove(name);
    throw;
  }
  flock(fd, LOCK_UN);
  shm_ = std::move(shm);
}

void queue_core::open(const char* name) {
  shared_memory_object shm(open_only, name, read_write);
  const int fd = shm.get_mapping_handle().handle;
  const auto give_up = std::chrono::steady_clock::now() + kOpenPatience;
  for (;;) {
    if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
      offset_t size = 0;
      shm.get_size(size);
      // Size 0: the creator has not taken its lock yet (or died before).
      if (size != 0) {
        mapped_region region;
        bool ready = false;
        if (static_cast<std::size_t>(size) >= sizeof(queue_header)) {
          region = mapped_region(shm, read_write);
          auto* h = static_cast<queue_header*>(region.get_address());
          layout expected;
          ready = h->initialised.load(std::memory_order_acquire) == kInitialised &&
                  compute_layout(h->max_msg, h->max_msg_size, expected) &&
                  std::memcmp(&expected, &h->places, sizeof expected) == 0 &&
                  expected.total <= static_cast<std::size_t>(size);
          if (ready) header_ = h;
        }
        flock(fd, LOCK_UN);
        if (!ready) {
          throw_error(corrupted_error,
                      "message_queue: not an initialised queue (its creator died while "
                      "creating it, or the object is not a message queue)");
        }
        region_ = std::move(region);
        shm_ = std::move(shm);
        return;
      }
      flock(fd, LOCK_UN);
    } else if (errno != EWOULDBLOCK && errno != EINTR) {
      throw interprocess_exception(error_info(errno));
    }
    if (std::chrono::steady_clock::now() >= give_up) {
      throw_error(corrupted_error, "message_queue: the queue's creator did not finish in time");
    }
    const timespec pause{0, 1000000};
    nanosleep(&pause, nullptr);
  }
}

bool queue_core::send(const void* buffer, std::size_t size, unsigned int priority,
                      const deadline* until, bool try_only) {
  queue_header& h = *header_;
  if (size > h.max_msg_size) {
    throw_error(size_error, "message_queue: message larger than the maximum message size");
  }
  if (!lock(h, until)) return false;
  for (;;) {
    unlock_on_exit unlock(h);
    const std::uint64_t free_count = h.free_count.load(std::memory_order_relaxed);
    if (free_count > 0) {
      const std::uint32_t i = h.free_stack()[free_count - 1];
      slot_head& s = h.slot(i);
      s.priority = priority;
      s.seq = h.next_seq++;
      s.size = size;
      if (size != 0) std::memcpy(queue_header::data(s), buffer, size);
      s.state.store(kSlotReady, std::memory_order_release);  // committed
      h.free_count.store(free_count - 1, std::memory_order_relaxed);
      heap_push(h, heap_entry{priority, i, s.seq});
      const bool wake = open_gate(h.not_empty);
      unlock.now();
      if (wake) wake_gate(h.not_empty);
      return true;
    }
    if (try_only) return false;
    unlock.release();
    const waited w = sleep_on(h, h.not_full, until);
    if (w == waited::not_locked) return false;
    if (w == waited::relocked_late && h.free_count.load(std::memory_order_relaxed) == 0) {
      h.mutex.unlock();
      return false;
    }
  }
}

bool queue_core::receive(void* buffer, std::size_t buffer_size, std::size_t& recvd_size,
                         unsigned int& priority, const deadline* until, bool try_only) {
  queue_header& h = *header_;
  if (buffer_size < h.max_msg_size) {
    throw_error(size_error, "message_queue: receive buffer smaller than the maximum message size");
  }
  if (!lock(h, until)) return false;
  for (;;) {
    unlock_on_exit unlock(h);
    if (h.count.load(std::memory_order_relaxed) > 0) {
      const heap_entry top = h.heap()[0];
      slot_head& s = h.slot(top.slot);
      const std::size_t size = s.size;
      if (size != 0) std::memcpy(buffer, queue_header::data(s), size);
      s.state.store(kSlotFree, std::memory_order_release);  // committed
      heap_pop(h);
      push_free(h, top.slot);
      const bool wake = open_gate(h.not_full);
      unlock.now();
      if (wake) wake_gate(h.not_full);
      recvd_size = size;
      priority = top.priority;
      return true;
    }
    if (try_only) return false;
    unlock.release();
    const waited w = sleep_on(h, h.not_empty, until);
    if (w == waited::not_locked) return false;
    if (w == waited::relocked_late && h.count.load(std::memory_order_relaxed) == 0) {
      h.mutex.unlock();
      return false;
    }
  }
}

std::size_t queue_core::max_msg() const noexcept {
  return header_ != nullptr ? header_->max_msg : 0;
}

std::size_t queue_core::max_msg_size() const noexcept {
  return header_ != nullptr ? header_->max_msg_size : 0;
}

std::size_t queue_core::num_msg() const noexcept {
  if (header_ == nullptr) return 0;
  queue_header& h = *header_;
  lock(h, nullptr);
  const std::size_t n = h.count.load(std::memory_order_relaxed);
  h.mutex.unlock();
  return n;
}

bool queue_core::remove(const char* name) noexcept { return shared_memory_object::remove(name); }

}  // namespace ipc_detail
}  // namespace refipc
