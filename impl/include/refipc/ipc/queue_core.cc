#include "refipc/ipc/queue_core.hpp"

#include <time.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>

#include "refipc/exceptions.hpp"
#include "refipc/ipc/queue_layout.hpp"
#include "refipc/ipc/queue_store.hpp"
#include "refipc/sync/detail/robust_lock.hpp"
#include "refipc/sync/detail/spin.hpp"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {
namespace ipc_detail {

using sync_detail::clock_now;
using sync_detail::deadline;
using sync_detail::earlier;
using sync_detail::futex_word;
using sync_detail::robust_lock;

namespace {

// Written last by the creator; a different value means "not initialised".
// "MQ", the layout version (4: glibc-shaped robust locks) and the pointer
// width of the creator, whose robust locks are laid out for it. The version's
// top bit names the portable wait backend, whose locks hold other words
// (docs/layout.md).
constexpr std::uint32_t kPortableWait = 0x80;
constexpr std::uint32_t kLayoutVersion = 4 | (sync_detail::kFutexBackend ? 0 : kPortableWait);
constexpr std::uint32_t kInitialised = 0x4d510000 | (sizeof(void*) << 8) | kLayoutVersion;

// Positions number the sends modulo 2^32, so live messages must be fewer
// than 2^31 for the wrap-around comparison of positions to hold.
constexpr std::size_t kMaxMessages = std::size_t{1} << 30;

// Position of a new queue's first send: close to the wrap, so that every
// queue crosses it early instead of after four billion messages.
constexpr std::uint32_t kFirstPosition = 0xffffff00u;

// Sizes travel in 32 bits.
constexpr std::size_t kMaxMessageSize = std::numeric_limits<std::uint32_t>::max();

// How many free slots a sender that found the queue full waits for, for a
// moment, before it goes on (see send()).
constexpr std::uint32_t kSendBatch = 64;

// How many sends ahead a sender asks for the slot it will fill.
constexpr std::uint32_t kPrefetchAhead = 3;

constexpr std::uint64_t round_up(std::uint64_t n) { return (n + kLine - 1) / kLine * kLine; }

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

// Whether message a is received before message b: higher priority first,
// then the earlier send.
bool precedes(const message_ref& a, const message_ref& b) {
  return a.priority != b.priority ? a.priority > b.priority
                                  : static_cast<std::int32_t>(a.position - b.position) < 0;
}

}  // namespace

namespace {

// In 64-bit arithmetic: the sizes may come from the header, where a 32-bit
// process must not truncate them, and the offsets must not wrap its size_t.
bool compute_layout(std::uint64_t max_num_msg, std::uint64_t max_msg_size, layout& out) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::size_t>::max() / 4;
  if (max_num_msg > kMaxMessages || max_msg_size > kMaxMessageSize) return false;
  std::uint64_t ring = 1;
  while (ring < max_num_msg) ring *= 2;
  out.ring_mask = ring - 1;
  out.stride = round_up(max_msg_size);
  out.sent_ring = round_up(sizeof(queue_header));
  out.free_ring = out.sent_ring + round_up(ring * sizeof(sent_entry));
  out.run = out.free_ring + round_up(ring * sizeof(free_entry));
  out.heap = out.run + round_up(ring * sizeof(message_ref));
  out.meta = out.heap + round_up(max_num_msg * sizeof(message_ref));
  out.slots = out.meta + round_up(max_num_msg * sizeof(slot_meta));
  if (out.slots > kMax) return false;
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

void heap_push(const queue_view& q, const message_ref& e) {
  queue_header& h = q.h();
  message_ref* heap = q.heap();
  std::uint32_t i = h.heap_size++;
  while (i > 0) {
    const std::uint32_t parent = (i - 1) / 2;
    if (!precedes(e, heap[parent])) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = e;
}

void heap_pop(const queue_view& q) {
  queue_header& h = q.h();
  message_ref* heap = q.heap();
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
void sort_published(const queue_view& q) {
  queue_header& h = q.h();
  for (;; ++h.sorted) {
    const sent_entry& e = q.sent_at(h.sorted);
    const std::uint64_t word = e.published.load(std::memory_order_acquire);
    if (tag_of(word) != h.sorted) return;
    if (h.run_tail - h.run_head + h.heap_size >= q.max_msg) throw_corrupted();
    const message_ref m{e.priority, slot_of(word), h.sorted, e.size};
    if (h.run_head != h.run_tail && m.priority > h.run_priority) {
      heap_push(q, m);
    } else {
      q.run_at(h.run_tail++) = m;
      h.run_priority = m.priority;
    }
  }
}

// Under receive_mutex: the receivers' counts are in range, and every slot is
// either named by a free entry from `sorted` on or holds a sorted message
// not yet received. A counter one short of its last commit is repaired
// before (by the next owner of the mutex its writer died holding).
void check_receivers(const queue_view& q) {
  queue_header& h = q.h();
  const std::uint32_t run = h.run_tail - h.run_head;
  if (run > q.max_msg || h.heap_size > q.max_msg ||
      h.freed.load(std::memory_order_relaxed) - h.sorted + run + h.heap_size != q.max_msg) {
    throw_corrupted();
  }
}

// Under receive_mutex, with no message to receive: every entry the senders'
// counter says was published gets sorted, and no more than one beyond it (a
// sender between its commit and its counter's store).
void sort_all_sent(const queue_view& q) {
  queue_header& h = q.h();
  const std::uint32_t before = h.sent.load(std::memory_order_acquire);
  sort_published(q);
  const std::uint32_t after = h.sent.load(std::memory_order_acquire);
  if (static_cast<std::int32_t>(before - h.sorted) > 0 ||
      static_cast<std::int32_t>(h.sorted - after) > 1) {
    throw_corrupted();
  }
}

// The message to receive next, or null; `from_run` tells where it is.
const message_ref* next_message(const queue_view& q, bool& from_run) {
  queue_header& h = q.h();
  const bool in_run = h.run_head != h.run_tail;
  if (!in_run && h.heap_size == 0) return nullptr;
  from_run = in_run && (h.heap_size == 0 || precedes(q.run_at(h.run_head), q.heap()[0]));
  return from_run ? &q.run_at(h.run_head) : &q.heap()[0];
}

// Makes the run and heap hold every message sent before this call that could
// be received before `best` (the next message, if any). A sender whose
// commit this second look misses reads the reset bound and raises it (see
// raise_bound()). The sender's commit (a release store) is followed by its
// release of send_mutex (a seq_cst exchange) and then its seq_cst load of
// the bound; after the reset, the receiver reads send_mutex's word
// (seq_cst). If that read sees the sender's release or a later change (all
// read-modify-writes, so in its release sequence), the commit happens before
// the second look; if it sees an earlier value, it precedes the release in
// the total order, and so does the reset, which the sender's load then sees.
// docs/design.md has the whole argument.
void sort_new_entries(const queue_view& q, const message_ref* best) {
  queue_header& h = q.h();
  const std::uint32_t bound = h.priority_bound.load(std::memory_order_seq_cst);
  if (best != nullptr && bound <= best->priority) return;
  sort_published(q);
  if (bound == 0) return;
  h.priority_bound.store(0, std::memory_order_seq_cst);
  h.send_mutex.observe();
  sort_published(q);
}

// After a commit of a message of priority `priority` and the release of
// send_mutex that follows it: raises the bound to `priority` unless it is
// there already (senders hold no mutex here, hence the compare-exchange).
void raise_bound(const queue_view& q, std::uint32_t priority) {
  queue_header& h = q.h();
  std::uint32_t bound = h.priority_bound.load(std::memory_order_seq_cst);
  while (priority > bound &&
         !h.priority_bound.compare_exchange_weak(bound, priority, std::memory_order_seq_cst)) {
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

// After a commit that a waiter on `gate` may wait for, and the release of the
// committer's mutex (a seq_cst exchange): opens the gate if someone
// registered, with a system call only if someone sleeps. With the waiter's
// read of that mutex's word in await(), either the waiter sees the commit or
// this load sees its registration.
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
constexpr long kSleepSliceMs = 1000;

bool passed(const deadline& d) { return !earlier(clock_now(d.realtime), d.at); }

// The earlier of `until` (if any) and `slice_ms` from now, on until's clock.
deadline next_slice(const deadline* until, long slice_ms) {
  constexpr long kNanosPerSecond = 1000000000;
  deadline slice;
  slice.realtime = until != nullptr && until->realtime;
  slice.at = clock_now(slice.realtime);
  slice.at.tv_sec += slice_ms / 1000;
  slice.at.tv_nsec += slice_ms % 1000 * 1000000;
  if (slice.at.tv_nsec >= kNanosPerSecond) {
    ++slice.at.tv_sec;
    slice.at.tv_nsec -= kNanosPerSecond;
  }
  if (until != nullptr && earlier(until->at, slice.at)) slice = *until;
  return slice;
}

// Holding no lock: returns true once ready() holds or `gate` opens (the
// caller looks again under its mutex), false when the deadline passes
// first. `committers` is the mutex under which the awaited commits are made.
// A peer on another CPU often commits within microseconds, so the waiter
// polls briefly before registering.
//
// Committers publish with a release store and then release their mutex with
// a seq_cst exchange before they look at the gate (open_gate()). The read of
// that mutex's word after the registration either sees a release that
// followed a commit (or a later change: every change of the word is a
// read-modify-write, in the release's release sequence), and then ready()
// sees the commit, or precedes that release in the total order, and then
// so does the registration, which the committer's seq_cst load of the gate
// sees (docs/design.md).
template <class Ready>
bool await(futex_word& gate, const robust_lock& committers, Ready ready, const deadline* until) {
  if (sync_detail::spin_until(&gate, ready)) return true;
  const std::uint32_t generation =
      gate.fetch_or(kWaiting, std::memory_order_seq_cst) & kGenerationMask;
  committers.observe();
  for (;;) {
    std::uint32_t g = gate.load(std::memory_order_relaxed);
    if ((g & kGenerationMask) != generation || ready()) return true;
    constexpr std::uint32_t kAsleep = kWaiting | kSleeping;
    if ((g & kAsleep) != kAsleep &&
        !gate.compare_exchange_weak(g, g | kAsleep, std::memory_order_relaxed)) {
      continue;
    }
    const deadline slice = next_slice(until, kSleepSliceMs);
    if (sync_detail::futex_wait(gate, g | kAsleep, &slice)) continue;
    if (until != nullptr && passed(*until)) return false;
  }
}

// --- locking and repair ----------------------------------------------------

// The first position from `position` on whose entry is not published: a
// side's counter is one short of it when the process that published the
// entry died before advancing the counter.
template <class Published>
std::uint32_t first_unpublished(const queue_view& q, std::uint32_t position, Published published) {
  for (std::uint64_t k = 0; k <= q.places.ring_mask && published(position); ++k) ++position;
  return position;
}

// After a sender died holding send_mutex: `sent` may be one short, and a
// receiver may wait for the gate the dead sender did not open.
void repair_senders(const queue_view& q) {
  queue_header& h = q.h();
  h.sent.store(first_unpublished(q, h.sent.load(std::memory_order_relaxed),
                                 [&](std::uint32_t p) { return q.sent_published(p); }),
               std::memory_order_relaxed);
  // The dead sender may have committed without raising the bound.
  h.priority_bound.store(std::numeric_limits<std::uint32_t>::max(), std::memory_order_seq_cst);
  force_open(h.not_empty);
}

// Rebuilds the receivers' state after one died holding receive_mutex: every
// slot not named by a free ring entry between the sends and `freed` holds a
// committed message, and goes into the heap (the run starts empty). The heap
// array first serves as a map of slots to mark the free ones.
void repair_receivers(const queue_view& q) {
  queue_header& h = q.h();
  const std::uint32_t freed =
      first_unpublished(q, h.freed.load(std::memory_order_relaxed),
                        [&](std::uint32_t p) { return q.free_published(p); });
  h.freed.store(freed, std::memory_order_relaxed);
  // Sends published before this point are messages; later ones will be
  // sorted as they come.
  const std::uint32_t sent =
      first_unpublished(q, h.sent.load(std::memory_order_acquire),
                        [&](std::uint32_t p) { return q.sent_published(p); });
  const auto n = static_cast<std::uint32_t>(q.max_msg);
  message_ref* heap = q.heap();
  for (std::uint32_t i = 0; i < n; ++i) heap[i].slot = 0;
  const std::uint32_t free_slots = freed - sent;
  if (free_slots > n) throw_corrupted();
  for (std::uint32_t k = 0; k < free_slots; ++k) {
    const std::uint32_t slot =
        slot_of(q.free_at(sent + k).published.load(std::memory_order_acquire));
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
    const slot_meta& m = q.meta(i);
    heap_push(q, message_ref{m.priority, i, m.position, m.size});
  }
  h.sorted = sent;
  h.run_head = h.run_tail = 0;
  force_open(h.not_empty);
  force_open(h.not_full);
}

// How long a try_ operation waits for a side's mutex held by a live thread:
// a peer in the middle of an operation (a copy of at most max_msg_size bytes)
// is done long before, unless it is stopped or the lock word is damaged.
constexpr auto kTryPatience = std::chrono::milliseconds(20);

// How often a waiter for a side's mutex looks whether its owner still exists.
constexpr long kLockSliceMs = 50;

// Goes on from a first attempt at `mutex` that returned `r` without taking
// it or found its owner dead: see lock().
bool lock_contended(const queue_view& q, robust_lock& mutex, void (*repair)(const queue_view&),
                    sync_detail::robust_thread& self, const deadline* until, bool try_only,
                    robust_lock::result r) {
  deadline patience;
  for (bool first = true;; first = false) {
    switch (r) {
      case robust_lock::result::acquired:
        return true;
      case robust_lock::result::owner_died:
        try {
          repair(q);
        } catch (...) {
          mutex.release(self);  // not consistent: the next owner is told too
          throw;
        }
        mutex.mark_consistent();
        return true;
      case robust_lock::result::held_by_caller:
        throw_corrupted();
      case robust_lock::result::busy:
        break;
    }
    if (first) {
      if (try_only) {
        patience = sync_detail::deadline_after(kTryPatience);
        until = &patience;
      }
    } else {
      if (mutex.names_impossible_owner()) throw_corrupted();
      if (until != nullptr && passed(*until)) return false;
    }
    const deadline slice = next_slice(until, kLockSliceMs);
    r = mutex.acquire(self, &slice, false);
  }
}

// Takes `mutex` for `self`, repairing after a dead owner: forever when
// `until` is null, or until the deadline, or with `try_only` at most
// kTryPatience. Waits in slices, so that a lock word naming an impossible
// owner or the caller (which holds no queue mutex here) is reported as
// corrupted_error instead of sleeping forever. The first attempt does not
// wait and is all an uncontended lock costs: no clock reading, no call.
inline bool lock(const queue_view& q, robust_lock& mutex, void (*repair)(const queue_view&),
                 sync_detail::robust_thread& self, const deadline* until, bool try_only) {
  const robust_lock::result r = mutex.acquire(self, nullptr, true);
  return r == robust_lock::result::acquired ||
         lock_contended(q, mutex, repair, self, until, try_only, r);
}

// Releases on scope exit unless released already.
class holding {
 public:
  holding(robust_lock& m, sync_detail::robust_thread& self) : m_(&m), self_(self) {}
  holding(const holding&) = delete;
  holding& operator=(const holding&) = delete;
  ~holding() {
    if (m_ != nullptr) m_->release(self_);
  }
  void unlock() {
    m_->release(self_);
    m_ = nullptr;
  }

 private:
  robust_lock* m_;
  sync_detail::robust_thread& self_;
};

}  // namespace

queue_core::queue_core(create_only_t, const char* name, std::size_t max_num_msg,
                       std::size_t max_msg_size, const permissions& perm) {
  create(name, max_num_msg, max_msg_size, perm);
}

queue_core::queue_core(open_or_create_t, const char* name, std::size_t max_num_msg,
                       std::size_t max_msg_size, const permissions& perm) {
  // Another process may create or remove the object between the two tries.
  // Opening first spares reserving a whole queue only to find the name taken.
  for (int attempt = 0;; ++attempt) {
    try {
      open(name);
      return;
    } catch (const interprocess_exception& e) {
      if (e.get_error_code() != not_found_error) throw;
    }
    try {
      create(name, max_num_msg, max_msg_size, perm);
      return;
    } catch (const interprocess_exception& e) {
      if (e.get_error_code() != already_exists_error || attempt == 100) throw;
    }
  }
}

queue_core::queue_core(open_only_t, const char* name) { open(name); }

// The queue is built complete before its name appears (see queue_store.hpp):
// openers never see it half built, never wait, and take no lock that
// another user could hold.
void queue_core::create(const char* name, std::size_t max_num_msg, std::size_t max_msg_size,
                        const permissions& perm) {
  check_queue_name(name);
  // Checked again when publishing; this spares reserving a doomed queue.
  if (queue_store_exists(name)) {
    throw_error(already_exists_error, "message_queue: cannot create the queue: it already exists");
  }
  layout places;
  if (!compute_layout(max_num_msg, max_msg_size, places)) {
    throw_error(size_error, "message_queue: the queue would not fit in memory");
  }
  queue_view view{nullptr, places, max_num_msg, max_msg_size};
  region_ = create_queue_store(name, places.total, perm, [&](void* base) {
    auto* h = new (base) queue_header;
    h->max_msg = max_num_msg;
    h->max_msg_size = max_msg_size;
    h->places = places;
    view.header = h;
    const auto n = static_cast<std::uint32_t>(max_num_msg);
    const auto ring = static_cast<std::uint32_t>(places.ring_mask + 1);
    // Every slot free; every other entry stale (tagged one lap earlier).
    for (std::uint32_t k = 0; k < ring; ++k) {
      const std::uint32_t position = kFirstPosition + k;
      new (&view.free_at(position))
          free_entry{{k < n ? tagged(position, k) : tagged(position - ring, 0)}};
      new (&view.sent_at(position)) sent_entry{{tagged(position - ring, 0)}, 0, 0};
    }
    h->sent.store(kFirstPosition, std::memory_order_relaxed);
    h->freed.store(kFirstPosition + n, std::memory_order_relaxed);
    h->sorted = kFirstPosition;
    h->initialised.store(kInitialised, std::memory_order_release);
  });
  view_ = view;
}

void queue_core::open(const char* name) {
  check_queue_name(name);
  std::uint64_t size = 0;
  mapped_region region = open_queue_store(name, size);
  // Queues are published complete (see create()): anything else under the
  // name is refused at once.
  bool ready = false;
  if (size >= sizeof(queue_header)) {
    auto* h = static_cast<queue_header*>(region.get_address());
    // Read once: the view keeps these copies, checked against the mapping.
    queue_view view{h, layout(), h->max_msg, h->max_msg_size};
    ready = h->initialised.load(std::memory_order_acquire) == kInitialised &&
            compute_layout(view.max_msg, view.max_msg_size, view.places) &&
            std::memcmp(&view.places, &h->places, sizeof view.places) == 0 &&
            view.places.total <= size;
    if (ready) view_ = view;
  }
  if (!ready) {
    const std::uint32_t word =
        size < sizeof(std::uint32_t)
            ? 0
            : static_cast<queue_header*>(region.get_address())->initialised.load();
    if ((word ^ kInitialised) == kPortableWait) {
      throw_error(corrupted_error,
                  "message_queue: the queue was created with the other wait backend (futex or "
                  "portable)");
    }
    if ((word & 0xffff00ffu) == (kInitialised & 0xffff00ffu)) {
      throw_error(corrupted_error,
                  "message_queue: the queue was created by a process of another pointer width");
    }
    throw_error(corrupted_error, "message_queue: not a message queue");
  }
  region_ = std::move(region);
}

bool queue_core::send(const void* buffer, std::size_t size, unsigned int priority,
                      const deadline* until, bool try_only) {
  const queue_view& q = view_;
  queue_header& h = q.h();
  if (size > q.max_msg_size) {
    throw_error(size_error, "message_queue: message larger than the maximum message size");
  }
  sync_detail::robust_thread& self = sync_detail::registered_thread();
  if (!lock(q, h.send_mutex, repair_senders, self, until, try_only)) return false;
  // A spin that saw the free entry of position `spun_for` published.
  bool spun = false;
  std::uint32_t spun_for = 0;
  for (bool late = false;;) {
    holding locked(h.send_mutex, self);
    const std::uint32_t sent = h.sent.load(std::memory_order_relaxed);
    // Its entry is published by the send that advances `sent` past it.
    if (q.sent_published(sent)) throw_corrupted();
    std::uint64_t free_word = q.free_at(sent).published.load(std::memory_order_acquire);
    if (tag_of(free_word) != sent) {
      // Full, unless a receive committed since: read its counter, then the
      // entry again. A slot counted free (or seen by the spin below, entries
      // being published in order) is published.
      const std::uint32_t freed = h.freed.load(std::memory_order_acquire);
      free_word = q.free_at(sent).published.load(std::memory_order_acquire);
      const auto room = static_cast<std::int32_t>(freed - sent);
      if (tag_of(free_word) != sent && (room < -1 || room > 0 || (spun && spun_for == sent))) {
        throw_corrupted();
      }
    }
    if (tag_of(free_word) == sent) {
      const std::uint32_t i = slot_of(free_word);
      if (i >= q.max_msg) throw_corrupted();
      const auto size32 = static_cast<std::uint32_t>(size);
      q.meta(i) = slot_meta{priority, sent, size32};
      // A slot's line was last read by a receiver on another CPU, and the
      // commit below waits until every earlier store owns its line: ask now
      // for the slot a later send will fill, when it is free already.
      const std::uint32_t later = sent + kPrefetchAhead;
      const std::uint64_t next = q.free_at(later).published.load(std::memory_order_relaxed);
      if (tag_of(next) == later && slot_of(next) < q.max_msg) {
        prefetch_for_write(q.slot(slot_of(next)));
      }
      if (size != 0) std::memcpy(q.slot(i), buffer, size);
      // Likewise for the line of sent entries that follows this one.
      prefetch_for_write(&q.sent_at(sent + kLine / sizeof(sent_entry)));
      sent_entry& e = q.sent_at(sent);
      e.priority = priority;
      e.size = size32;
      e.published.store(tagged(sent, i), std::memory_order_release);  // committed
      h.sent.store(sent + 1, std::memory_order_release);
      // The release is the seq_cst exchange that raise_bound() and
      // open_gate() rely on (see await()).
      locked.unlock();
      raise_bound(q, priority);
      open_gate(h.not_empty);
      return true;
    }
    locked.unlock();
    if (try_only || late) return false;
    // A sender that waits for every single slot keeps in step with the
    // receivers, paying their cache misses one message at a time; waiting
    // briefly for a batch of slots lets it run ahead with them.
    const std::uint32_t batch = q.max_msg < 2 * kSendBatch ? 1 : kSendBatch;
    spun = sync_detail::spin_until(&h.sent, [&] { return q.free_published(sent + batch - 1); });
    spun_for = sent;
    if (!spun) {
      late = !await(
                 h.not_full, h.receive_mutex, [&] { return q.has_room(); }, until) ||
             (until != nullptr && passed(*until));
    }
    if (!lock(q, h.send_mutex, repair_senders, self, until, false)) return false;
  }
}

bool queue_core::receive(void* buffer, std::size_t buffer_size, std::size_t& recvd_size,
                         unsigned int& priority, const deadline* until, bool try_only) {
  const queue_view& q = view_;
  queue_header& h = q.h();
  if (buffer_size < q.max_msg_size) {
    throw_error(size_error, "message_queue: receive buffer smaller than the maximum message size");
  }
  sync_detail::robust_thread& self = sync_detail::registered_thread();
  if (!lock(q, h.receive_mutex, repair_receivers, self, until, try_only)) return false;
  for (bool late = false;;) {
    holding locked(h.receive_mutex, self);
    check_receivers(q);
    bool from_run = false;
    sort_new_entries(q, next_message(q, from_run));
    const message_ref* first = next_message(q, from_run);
    if (first == nullptr) {
      sort_all_sent(q);
      first = next_message(q, from_run);
    }
    if (first != nullptr) {
      const message_ref m = *first;
      if (m.slot >= q.max_msg || m.size > q.max_msg_size) throw_corrupted();
      // The next message in the run is likely the next one received: start
      // fetching its bytes from the sender's cache while this one is copied
      // (send() does the same for the slot it fills next).
      if (from_run && h.run_tail - h.run_head > 1) {
        const std::uint32_t following = q.run_at(h.run_head + 1).slot;
        if (following < q.max_msg) __builtin_prefetch(q.slot(following));
      }
      const std::uint32_t freed = h.freed.load(std::memory_order_relaxed);
      // Its entry is published by the receive that advances `freed` past it.
      if (q.free_published(freed)) throw_corrupted();
      if (m.size != 0) std::memcpy(buffer, q.slot(m.slot), m.size);
      q.free_at(freed).published.store(tagged(freed, m.slot),
                                       std::memory_order_release);  // committed
      h.freed.store(freed + 1, std::memory_order_release);
      if (from_run) {
        ++h.run_head;
      } else {
        heap_pop(q);
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
               h.not_empty, h.send_mutex,
               [&] { return q.sent_published(next) || q.has_messages(); }, until) ||
           (until != nullptr && passed(*until));
    if (!lock(q, h.receive_mutex, repair_receivers, self, until, false)) return false;
  }
}

std::size_t queue_core::max_msg() const noexcept { return view_.max_msg; }

std::size_t queue_core::max_msg_size() const noexcept { return view_.max_msg_size; }

// Exact when no operation is under way; otherwise a value the count had
// during the call.
std::size_t queue_core::num_msg() const noexcept {
  if (view_.header == nullptr) return 0;
  const queue_header& h = view_.h();
  const std::uint32_t sent = h.sent.load(std::memory_order_acquire);
  const std::uint32_t freed = h.freed.load(std::memory_order_acquire);
  const std::int64_t free_slots = static_cast<std::int32_t>(freed - sent);
  const std::uint64_t max_msg = view_.max_msg;
  if (free_slots <= 0) return max_msg;
  return free_slots >= static_cast<std::int64_t>(max_msg) ? 0 : max_msg - free_slots;
}

bool queue_core::remove(const char* name) noexcept { return remove_queue_store(name); }

}  // namespace ipc_detail
}  // namespace refipc
