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
constexpr std::uint32_t kInitialised = 0x4d510003;  // "MQ", layout 3

// How long an opener waits for a creator that is still initialising.
constexpr std::chrono::seconds kOpenPatience{10};

// Positions number the sends modulo 2^32, so live messages must be fewer
// than 2^31 for the wrap-around comparison of positions to hold.
constexpr std::size_t kMaxMessages = std::size_t{1} << 30;

// Position of a new queue's first send: close to the wrap, so that every
// queue crosses it early instead of after four billion messages.
constexpr std::uint32_t kFirstPosition = 0xffffff00u;

// Sizes travel in 32 bits.
constexpr std::size_t kMaxMessageSize = std::numeric_limits<std::uint32_t>::max();

constexpr std::size_t kLine = 64;

// How many free slots a sender that found the queue full waits for, for a
// moment, before it goes on (see send()).
constexpr std::uint32_t kSendBatch = 64;

// How many sends ahead a sender asks for the slot it will fill.
constexpr std::uint32_t kPrefetchAhead = 3;

constexpr std::size_t round_up(std::size_t n) { return (n + kLine - 1) / kLine * kLine; }

// Asks for a cache line in the state a store needs, so the store that follows
// does not wait for the other side's copy to be invalidated. GCC emits a read
// prefetch for __builtin_prefetch(p, 1) unless built for a CPU with PRFCHW;
// x86 CPUs without it execute PREFETCHW as a no-op.
inline void prefetch_for_write(const void* p) {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("prefetchw %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p, 1);
#endif
}

// A ring entry's first word: the position it was written for (its tag) and
// a slot. A tag equal to the position being looked at is what publishes an
// entry, so the entry itself, not a counter in another cache line, tells
// the other side that something happened.
std::uint64_t tagged(std::uint32_t position, std::uint32_t slot) {
  return position | std::uint64_t{slot} << 32;
}
std::uint32_t tag_of(std::uint64_t word) { return static_cast<std::uint32_t>(word); }
std::uint32_t slot_of(std::uint64_t word) { return static_cast<std::uint32_t>(word >> 32); }

// An entry of the sent ring: a filled slot, published by its first word.
struct sent_entry {
  std::atomic<std::uint64_t> published;
  std::uint32_t priority;
  std::uint32_t size;
};

// An entry of the free ring: a slot handed back, published by its word.
struct free_entry {
  std::atomic<std::uint64_t> published;
};

// What a sender records of its message beside the slot, read only to
// rebuild the receivers' state (see repair_receivers()).
struct slot_meta {
  std::uint32_t priority;
  std::uint32_t position;  // of the send, which orders equal priorities
  std::uint32_t size;
};

// A message as the receivers keep it, in their run or their heap.
struct message_ref {
  std::uint32_t priority;
  std::uint32_t slot;
  std::uint32_t position;
  std::uint32_t size;
};

// Whether message a is received before message b: higher priority first,
// then the earlier send.
bool precedes(const message_ref& a, const message_ref& b) {
  return a.priority != b.priority ? a.priority > b.priority
                                  : static_cast<std::int32_t>(a.position - b.position) < 0;
}

}  // namespace

// Offsets of the arrays that follow the header; all fit in the mapping.
struct layout {
  std::uint64_t ring_mask = 0;  // ring length (a power of two >= max_msg) - 1
  std::uint64_t sent_ring = 0;
  std::uint64_t free_ring = 0;
  std::uint64_t run = 0;
  std::uint64_t heap = 0;
  std::uint64_t meta = 0;
  std::uint64_t slots = 0;
  std::uint64_t stride = 0;
  std::uint64_t total = 0;
};

// Senders and receivers each have their own mutex and state; they meet only
// through two rings of tagged entries:
//
//  - Send number p (its position) takes the slot named by free ring entry p
//    and publishes it as sent ring entry p.
//  - A receive hands its slot back as the next free ring entry, numbered by
//    `freed` (which starts at max_msg: every slot is free at creation).
//
// Every operation commits with one store, that of its entry's tag. So a
// slot is free if it is named by a free ring entry between positions `sent`
// and `freed`, and holds a message otherwise, and a process that dies
// anywhere leaves a state the survivors can use: a counter left one short
// of its side's last published entry is moved past it by the next owner of
// that side's mutex. Receivers move the sent entries into a run of
// non-increasing priority (a FIFO) or, when an entry would break it, into a
// heap, so a queue whose messages share one priority never touches the
// heap; whoever takes the receive mutex after its owner died rebuilds the
// run and heap from the slots (see repair_receivers()). Positions and ring
// indices count modulo 2^32.
//
// Reading the sent ring where senders are writing moves its cache line
// between CPUs on every message, so a receiver that already holds messages
// looks for new ones only when one could precede them. Senders raise
// `priority_bound` to their message's priority after the commit, and
// receivers reset it to 0 before they look at the ring again, so it is at
// least the priority of every entry after `sorted` whose send has returned
// (see sort_new_entries()).
struct queue_header {
  std::atomic<std::uint32_t> initialised{0};
  std::uint64_t max_msg = 0;
  std::uint64_t max_msg_size = 0;
  layout places;

  // Each side's mutex and state has a cache line of its own.
  alignas(kLine) interprocess_mutex send_mutex;
  std::atomic<std::uint32_t> sent{0};  // written under send_mutex

  alignas(kLine) interprocess_mutex receive_mutex;
  std::atomic<std::uint32_t> freed{0};  // written under receive_mutex
  // Under receive_mutex: sent entries before `sorted` are in the run
  // [run_head, run_tail), in the heap, or received.
  std::uint32_t sorted = 0;
  std::uint32_t run_head = 0;
  std::uint32_t run_tail = 0;
  std::uint32_t run_priority = 0;  // of the run's last entry
  std::uint32_t heap_size = 0;

  // Raised by senders, lowered by receivers.
  alignas(kLine) std::atomic<std::uint32_t> priority_bound{0};

  // Futex gates (see open_gate() and await()).
  alignas(kLine) futex_word not_empty{0};
  alignas(kLine) futex_word not_full{0};

  char* base() { return reinterpret_cast<char*>(this); }
  std::uint32_t mask() const { return static_cast<std::uint32_t>(places.ring_mask); }
  sent_entry& sent_at(std::uint32_t position) {
    return reinterpret_cast<sent_entry*>(base() + places.sent_ring)[position & mask()];
  }
  free_entry& free_at(std::uint32_t position) {
    return reinterpret_cast<free_entry*>(base() + places.free_ring)[position & mask()];
  }
  message_ref& run_at(std::uint32_t index) {
    return reinterpret_cast<message_ref*>(base() + places.run)[index & mask()];
  }
  message_ref* heap() { return reinterpret_cast<message_ref*>(base() + places.heap); }
  slot_meta& meta(std::uint32_t i) { return reinterpret_cast<slot_meta*>(base() + places.meta)[i]; }
  char* slot(std::uint32_t i) { return base() + places.slots + i * places.stride; }

  // Whether sent ring entry `position` is published, and free ring entry
  // `position`.
  bool sent_published(std::uint32_t position) {
    return tag_of(sent_at(position).published.load(std::memory_order_acquire)) == position;
  }
  bool free_published(std::uint32_t position) {
    return tag_of(free_at(position).published.load(std::memory_order_acquire)) == position;
  }

  // For waiters, which hold no mutex: a position noted under the mutex can
  // be taken, and its entry overwritten a lap later, by other processes
  // before the waiter registers at the gate, so they look at the live
  // counters. Either may run one short of its side's last commit (see
  // first_unpublished()); the waiter then finds out under the mutex.
  bool has_room() { return free_published(sent.load(std::memory_order_acquire)); }
  bool has_messages() {
    // Both only grow: `freed` read first can only make the count too high.
    const std::uint32_t freed_now = freed.load(std::memory_order_acquire);
    return freed_now - sent.load(std::memory_order_acquire) < max_msg;
  }
};

namespace {

bool compute_layout(std::size_t max_num_msg, std::size_t max_msg_size, layout& out) {
  constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max() / 4;
  if (max_num_msg > kMaxMessages || max_msg_size > kMaxMessageSize) return false;
  std::size_t ring = 1;
  while (ring < max_num_msg) ring *= 2;
  out.ring_mask = ring - 1;
  out.stride = round_up(max_msg_size);
  out.sent_ring = round_up(sizeof(queue_header));
  out.free_ring = out.sent_ring + round_up(ring * sizeof(sent_entry));
  out.run = out.free_ring + round_up(ring * sizeof(free_entry));
  out.heap = out.run + round_up(ring * sizeof(message_ref));
  out.meta = out.heap + round_up(max_num_msg * sizeof(message_ref));
  out.slots = out.meta + round_up(max_num_msg * sizeof(slot_meta));
  if (max_num_msg != 0 && out.stride > (kMax - out.slots) / max_num_msg) return false;
  out.total = out.slots + max_num_msg * out.stride;
  return true;
}

[[noreturn]] void throw_error(error_code_t code, const char* context) {
  throw interprocess_exception(error_info(code), context);
}

[[noreturn]] void throw_corrupted() {
  throw_error(corrupted_error, "message_queue: the queue's shared state is damaged");
}

// --- the receivers' heap (under receive_mutex) ---------------------------

void heap_push(queue_header& h, const message_ref& e) {
  message_ref* heap = h.heap();
  std::uint32_t i = h.heap_size++;
  while (i > 0) {
    const std::uint32_t parent = (i - 1) / 2;
    if (!precedes(e, heap[parent])) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = e;
}

void heap_pop(queue_header& h) {
  message_ref* heap = h.heap();
  const std::uint32_t n = --h.heap_size;
  const message_ref last = heap[n];
  std::uint32_t i = 0;
  for (;;) {
    std::uint32_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && precedes(heap[child + 1], heap[child])) ++child;
    if (!precedes(heap[child], last)) break;
    heap[i] = heap[child];
    i = child;
  }
  if (n > 0) heap[i] = last;
}

// Moves the entries published since the last look into the run or the heap.
void sort_published(queue_header& h) {
  for (;; ++h.sorted) {
    const sent_entry& e = h.sent_at(h.sorted);
    const std::uint64_t word = e.published.load(std::memory_order_acquire);
    if (tag_of(word) != h.sorted) return;
    if (h.run_tail - h.run_head + h.heap_size >= h.max_msg) throw_corrupted();
    const message_ref m{e.priority, slot_of(word), h.sorted, e.size};
    if (h.run_head != h.run_tail && m.priority > h.run_priority) {
      heap_push(h, m);
    } else {
      h.run_at(h.run_tail++) = m;
      h.run_priority = m.priority;
    }
  }
}

// The message to receive next, or null; `from_run` tells where it is.
const message_ref* next_message(queue_header& h, bool& from_run) {
  const bool in_run = h.run_head != h.run_tail;
  if (!in_run && h.heap_size == 0) return nullptr;
  from_run = in_run && (h.heap_size == 0 || precedes(h.run_at(h.run_head), h.heap()[0]));
  return from_run ? &h.run_at(h.run_head) : &h.heap()[0];
}

// Makes the run and heap hold every message sent before this call that could
// be received before `best` (the next message, if any). A sender whose
// commit this second look misses reads the reset bound and raises it (see
// raise_bound()): its commit (a seq_cst exchange) comes before its seq_cst
// load of the bound, and the fence orders the reset before the second look's
// acquire loads. Without the fence those loads could be satisfied before the
// reset is visible (store buffering, allowed by the C++ model and by RCpc
// acquire loads), and both sides would miss each other.
void sort_new_entries(queue_header& h, const message_ref* best) {
  const std::uint32_t bound = h.priority_bound.load(std::memory_order_seq_cst);
  if (best != nullptr && bound <= best->priority) return;
  sort_published(h);
  if (bound == 0) return;
  h.priority_bound.store(0, std::memory_order_seq_cst);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  sort_published(h);
}

// After a commit of a message of priority `priority`.
void raise_bound(queue_header& h, std::uint32_t priority) {
  if (priority > h.priority_bound.load(std::memory_order_seq_cst)) {
    h.priority_bound.store(priority, std::memory_order_seq_cst);
  }
}

// --- gates -----------------------------------------------------------------

// A gate word: bit 0 says a waiter registered on it, bit 1 says a waiter
// sleeps (or is about to) in the kernel, and the other bits are a
// generation that openers advance.
constexpr std::uint32_t kWaiting = 1;
constexpr std::uint32_t kSleeping = 2;
constexpr std::uint32_t kGenerationMask = ~(kWaiting | kSleeping);
constexpr std::uint32_t kGenerationStep = 4;

// After a commit that a waiter on `gate` may wait for: opens the gate if
// someone registered, with a system call only if someone sleeps. Commits
// are sequentially consistent exchanges, so with the fence in await() either
// the waiter sees the commit or this load sees its registration.
void open_gate(futex_word& gate) {
  std::uint32_t g = gate.load(std::memory_order_seq_cst);
  while ((g & kWaiting) != 0) {
    if (gate.compare_exchange_weak(g, (g & kGenerationMask) + kGenerationStep,
                                   std::memory_order_relaxed)) {
      if ((g & kSleeping) != 0) sync_detail::futex_wake(gate, INT_MAX);
      return;
    }
  }
}

// Wakes every waiter on `gate`, registered or not.
void force_open(futex_word& gate) {
  gate.fetch_add(kGenerationStep, std::memory_order_relaxed);
  sync_detail::futex_wake(gate, INT_MAX);
}

// The longest a sleeper sleeps without looking at its counter again: a peer
// that committed and died before opening the gate costs at most this.
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

// Holding no lock: returns true once ready() holds or `gate` opens (the
// caller looks again under its mutex), false when the deadline passes
// first. A peer on another CPU often commits within microseconds, so the
// waiter polls briefly before registering.
template <class Ready>
bool await(futex_word& gate, Ready ready, const deadline* until) {
  if (sync_detail::spin_until(ready)) return true;
  const std::uint32_t generation =
      gate.fetch_or(kWaiting, std::memory_order_seq_cst) & kGenerationMask;
  std::atomic_thread_fence(std::memory_order_seq_cst);
  for (;;) {
    std::uint32_t g = gate.load(std::memory_order_relaxed);
    if ((g & kGenerationMask) != generation || ready()) return true;
    constexpr std::uint32_t kAsleep = kWaiting | kSleeping;
    if ((g & kAsleep) != kAsleep &&
        !gate.compare_exchange_weak(g, g | kAsleep, std::memory_order_relaxed)) {
      continue;
    }
    const deadline slice = next_slice(until);
    if (sync_detail::futex_wait(gate, g | kAsleep, &slice)) continue;
    if (until != nullptr && passed(*until)) return false;
  }
}

// --- locking and repair ----------------------------------------------------

// The first position from `position` on whose entry is not published: a
// side's counter is one short of it when the process that published the
// entry died before advancing the counter.
template <class Published>
std::uint32_t first_unpublished(const queue_header& h, std::uint32_t position,
                                Published published) {
  for (std::uint64_t k = 0; k <= h.places.ring_mask && published(position); ++k) ++position;
  return position;
}

// After a sender died holding send_mutex: `sent` may be one short, and a
// receiver may wait for the gate the dead sender did not open.
void repair_senders(queue_header& h) {
  h.sent.store(first_unpublished(h, h.sent.load(std::memory_order_relaxed),
                                 [&](std::uint32_t p) { return h.sent_published(p); }),
               std::memory_order_relaxed);
  // The dead sender may have committed without raising the bound.
  h.priority_bound.store(std::numeric_limits<std::uint32_t>::max(), std::memory_order_seq_cst);
  force_open(h.not_empty);
}

// Rebuilds the receivers' state after one died holding receive_mutex: every
// slot not named by a free ring entry between the sends and `freed` holds a
// committed message, and goes into the heap (the run starts empty). The heap
// array first serves as a map of slots to mark the free ones.
void repair_receivers(queue_header& h) {
  const std::uint32_t freed =
      first_unpublished(h, h.freed.load(std::memory_order_relaxed),
                        [&](std::uint32_t p) { return h.free_published(p); });
  h.freed.store(freed, std::memory_order_relaxed);
  // Sends published before this point are messages; later ones will be
  // sorted as they come.
  const std::uint32_t sent =
      first_unpublished(h, h.sent.load(std::memory_order_acquire),
                        [&](std::uint32_t p) { return h.sent_published(p); });
  const auto n = static_cast<std::uint32_t>(h.max_msg);
  message_ref* heap = h.heap();
  for (std::uint32_t i = 0; i < n; ++i) heap[i].slot = 0;
  const std::uint32_t free_slots = freed - sent;
  if (free_slots > n) throw_corrupted();
  for (std::uint32_t k = 0; k < free_slots; ++k) {
    const std::uint32_t slot =
        slot_of(h.free_at(sent + k).published.load(std::memory_order_acquire));
    if (slot >= n) throw_corrupted();
    heap[slot].slot = 1;
  }
  h.heap_size = 0;
  std::uint32_t messages = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (heap[i].slot == 0) heap[messages++].position = i;  // messages <= i
  }
  for (std::uint32_t k = 0; k < messages; ++k) {
    const std::uint32_t i = heap[k].position;  // heap_push writes at most index k
    const slot_meta& m = h.meta(i);
    heap_push(h, message_ref{m.priority, i, m.position, m.size});
  }
  h.sorted = sent;
  h.run_head = h.run_tail = 0;
  force_open(h.not_empty);
  force_open(h.not_full);
}

// Takes `mutex` (until the deadline, if any), repairing after a dead owner.
bool lock(queue_header& h, interprocess_mutex& mutex, void (*repair)(queue_header&),
          const deadline* until) {
  using namespace std::chrono;
  try {
    if (until == nullptr) {
      mutex.lock();
      return true;
    }
    const auto since_epoch = seconds(until->at.tv_sec) + nanoseconds(until->at.tv_nsec);
    return until->realtime
               ? mutex.timed_lock(
                     system_clock::time_point(duration_cast<system_clock::duration>(since_epoch)))
               : mutex.timed_lock(
                     steady_clock::time_point(duration_cast<steady_clock::duration>(since_epoch)));
  } catch (const owner_dead_exception&) {
    try {
      repair(h);
    } catch (...) {
      mutex.unlock();  // not consistent: the next owner is told too
      throw;
    }
    mutex.consistent();
  }
  return true;
}

// Unlocks on scope exit unless released.
class holding {
 public:
  explicit holding(interprocess_mutex& m) : m_(&m) {}
  holding(const holding&) = delete;
  holding& operator=(const holding&) = delete;
  ~holding() {
    if (m_ != nullptr) m_->unlock();
  }
  void unlock() {
    m_->unlock();
    m_ = nullptr;
  }

 private:
  interprocess_mutex* m_;
};

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
    const auto n = static_cast<std::uint32_t>(max_num_msg);
    const auto ring = static_cast<std::uint32_t>(places.ring_mask + 1);
    // Every slot free; every other entry stale (tagged one lap earlier).
    for (std::uint32_t k = 0; k < ring; ++k) {
      const std::uint32_t position = kFirstPosition + k;
      new (&h->free_at(position))
          free_entry{{k < n ? tagged(position, k) : tagged(position - ring, 0)}};
      new (&h->sent_at(position)) sent_entry{{tagged(position - ring, 0)}, 0, 0};
    }
    h->sent.store(kFirstPosition, std::memory_order_relaxed);
    h->freed.store(kFirstPosition + n, std::memory_order_relaxed);
    h->sorted = kFirstPosition;
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
  if (!lock(h, h.send_mutex, repair_senders, until)) return false;
  for (bool late = false;;) {
    holding locked(h.send_mutex);
    const std::uint32_t sent = h.sent.load(std::memory_order_relaxed);
    const std::uint64_t free_word = h.free_at(sent).published.load(std::memory_order_acquire);
    if (tag_of(free_word) == sent) {
      const std::uint32_t i = slot_of(free_word);
      if (i >= h.max_msg) throw_corrupted();
      const auto size32 = static_cast<std::uint32_t>(size);
      h.meta(i) = slot_meta{priority, sent, size32};
      // A slot's line was last read by a receiver on another CPU, and the
      // commit below waits until every earlier store owns its line: ask now
      // for the slot a later send will fill, when it is free already.
      const std::uint32_t later = sent + kPrefetchAhead;
      const std::uint64_t next = h.free_at(later).published.load(std::memory_order_relaxed);
      if (tag_of(next) == later && slot_of(next) < h.max_msg) {
        prefetch_for_write(h.slot(slot_of(next)));
      }
      if (size != 0) std::memcpy(h.slot(i), buffer, size);
      // Likewise for the line of sent entries that follows this one.
      prefetch_for_write(&h.sent_at(sent + kLine / sizeof(sent_entry)));
      sent_entry& e = h.sent_at(sent);
      e.priority = priority;
      e.size = size32;
      e.published.exchange(tagged(sent, i), std::memory_order_seq_cst);  // committed
      h.sent.store(sent + 1, std::memory_order_relaxed);
      raise_bound(h, priority);
      locked.unlock();
      open_gate(h.not_empty);
      return true;
    }
    locked.unlock();
    if (try_only || late) return false;
    // A sender that waits for every single slot keeps in step with the
    // receivers, paying their cache misses one message at a time; waiting
    // briefly for a batch of slots lets it run ahead with them.
    const std::uint32_t batch = h.max_msg < 2 * kSendBatch ? 1 : kSendBatch;
    if (sync_detail::spin_until([&] { return h.free_published(sent + batch - 1); })) {
      if (!lock(h, h.send_mutex, repair_senders, until)) return false;
      continue;
    }
    late = !await(
        h.not_full, [&] { return h.has_room(); }, until);
    if (!lock(h, h.send_mutex, repair_senders, until)) return false;
  }
}

bool queue_core::receive(void* buffer, std::size_t buffer_size, std::size_t& recvd_size,
                         unsigned int& priority, const deadline* until, bool try_only) {
  queue_header& h = *header_;
  if (buffer_size < h.max_msg_size) {
    throw_error(size_error, "message_queue: receive buffer smaller than the maximum message size");
  }
  if (!lock(h, h.receive_mutex, repair_receivers, until)) return false;
  for (bool late = false;;) {
    holding locked(h.receive_mutex);
    bool from_run = false;
    sort_new_entries(h, next_message(h, from_run));
    if (const message_ref* first = next_message(h, from_run)) {
      const message_ref m = *first;
      if (m.slot >= h.max_msg || m.size > h.max_msg_size) throw_corrupted();
      // The next message in the run is likely the next one received: start
      // fetching its bytes from the sender's cache while this one is copied
      // (send() does the same for the slot it fills next).
      if (from_run && h.run_tail - h.run_head > 1) {
        __builtin_prefetch(h.slot(h.run_at(h.run_head + 1).slot));
      }
      if (m.size != 0) std::memcpy(buffer, h.slot(m.slot), m.size);
      const std::uint32_t freed = h.freed.load(std::memory_order_relaxed);
      h.free_at(freed).published.exchange(tagged(freed, m.slot),
                                          std::memory_order_seq_cst);  // committed
      h.freed.store(freed + 1, std::memory_order_relaxed);
      if (from_run) {
        ++h.run_head;
      } else {
        heap_pop(h);
      }
      locked.unlock();
      open_gate(h.not_full);
      recvd_size = m.size;
      priority = m.priority;
      return true;
    }
    const std::uint32_t next = h.sorted;
    locked.unlock();
    if (try_only || late) return false;
    late = !await(
        h.not_empty, [&] { return h.sent_published(next) || h.has_messages(); }, until);
    if (!lock(h, h.receive_mutex, repair_receivers, until)) return false;
  }
}

std::size_t queue_core::max_msg() const noexcept {
  return header_ != nullptr ? header_->max_msg : 0;
}

std::size_t queue_core::max_msg_size() const noexcept {
  return header_ != nullptr ? header_->max_msg_size : 0;
}

// Exact when no operation is under way; otherwise a value the count had
// during the call.
std::size_t queue_core::num_msg() const noexcept {
  if (header_ == nullptr) return 0;
  const queue_header& h = *header_;
  const std::uint32_t sent = h.sent.load(std::memory_order_acquire);
  const std::uint32_t freed = h.freed.load(std::memory_order_acquire);
  const std::int64_t free_slots = static_cast<std::int32_t>(freed - sent);
  if (free_slots <= 0) return h.max_msg;
  return free_slots >= static_cast<std::int64_t>(h.max_msg) ? 0 : h.max_msg - free_slots;
}

bool queue_core::remove(const char* name) noexcept { return shared_memory_object::remove(name); }

}  // namespace ipc_detail
}  // namespace refipc
