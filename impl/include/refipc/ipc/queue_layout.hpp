// The shared layout of a message queue: the header at the start of its shared
// memory object, and the entries of the arrays that follow it. Every field is
// fixed-width except the two robust locks, laid out as glibc's robust mutexes
// for the process's pointer width: the version word records that width, and
// an opener of the other width is refused. The static_asserts below pin the
// 64-bit layout recorded in docs/layout.md. Not part of the API.
//
// Everything here is read from memory that other processes (or a damaged
// object) may have written anything into: queue_core.cc checks every count,
// index and size against the geometry it validated when the queue was opened
// (its queue_view) before using it, and never reads the geometry here again.
#ifndef REFIPC_IPC_QUEUE_LAYOUT_HPP_
#define REFIPC_IPC_QUEUE_LAYOUT_HPP_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "refipc/sync/detail/futex.hpp"
#include "refipc/sync/detail/robust_lock.hpp"

namespace refipc {
namespace ipc_detail {

constexpr std::size_t kLine = 64;

// A ring entry's first word: the position it was written for (its tag) and
// a slot. A tag equal to the position being looked at is what publishes an
// entry, so the entry itself, not a counter in another cache line, tells
// the other side that something happened.
inline std::uint64_t tagged(std::uint32_t position, std::uint32_t slot) {
  return position | std::uint64_t{slot} << 32;
}
inline std::uint32_t tag_of(std::uint64_t word) { return static_cast<std::uint32_t>(word); }
inline std::uint32_t slot_of(std::uint64_t word) { return static_cast<std::uint32_t>(word >> 32); }

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

// The header at offset 0 of the queue's shared memory object.
//
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
  alignas(8) std::uint64_t max_msg = 0;
  std::uint64_t max_msg_size = 0;
  layout places;

  // Each side's mutex and state has a cache line of its own.
  alignas(kLine) sync_detail::robust_lock send_mutex;
  std::atomic<std::uint32_t> sent{0};  // written under send_mutex

  alignas(kLine) sync_detail::robust_lock receive_mutex;
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
  alignas(kLine) sync_detail::futex_word not_empty{0};
  alignas(kLine) sync_detail::futex_word not_full{0};
};

static_assert(sizeof(sent_entry) == 16 && alignof(sent_entry) == 8, "sent_entry layout");
static_assert(sizeof(free_entry) == 8 && alignof(free_entry) == 8, "free_entry layout");
static_assert(sizeof(slot_meta) == 12, "slot_meta layout");
static_assert(sizeof(message_ref) == 16, "message_ref layout");
static_assert(sizeof(layout) == 72 && offsetof(layout, ring_mask) == 0 &&
                  offsetof(layout, sent_ring) == 8 && offsetof(layout, free_ring) == 16 &&
                  offsetof(layout, run) == 24 && offsetof(layout, heap) == 32 &&
                  offsetof(layout, meta) == 40 && offsetof(layout, slots) == 48 &&
                  offsetof(layout, stride) == 56 && offsetof(layout, total) == 64,
              "layout layout");
static_assert(std::is_standard_layout<queue_header>::value, "offsetof needs a standard layout");
static_assert(sizeof(queue_header) == 448 && alignof(queue_header) == kLine, "queue_header size");
// The robust locks take 40 bytes in a 64-bit process and 24 in a 32-bit one
// (the version word records the width); the fields after each follow it.
constexpr std::size_t kLockBytes = sizeof(sync_detail::robust_lock);
static_assert(offsetof(queue_header, initialised) == 0 && offsetof(queue_header, max_msg) == 8 &&
                  offsetof(queue_header, max_msg_size) == 16 &&
                  offsetof(queue_header, places) == 24 &&
                  offsetof(queue_header, send_mutex) == 128 &&
                  offsetof(queue_header, sent) == 128 + kLockBytes &&
                  offsetof(queue_header, receive_mutex) == 192 &&
                  offsetof(queue_header, freed) == 192 + kLockBytes &&
                  offsetof(queue_header, sorted) == 196 + kLockBytes &&
                  offsetof(queue_header, run_head) == 200 + kLockBytes &&
                  offsetof(queue_header, run_tail) == 204 + kLockBytes &&
                  offsetof(queue_header, run_priority) == 208 + kLockBytes &&
                  offsetof(queue_header, heap_size) == 212 + kLockBytes &&
                  offsetof(queue_header, priority_bound) == 256 &&
                  offsetof(queue_header, not_empty) == 320 &&
                  offsetof(queue_header, not_full) == 384,
              "queue_header offsets (docs/layout.md)");

// A process's view of a queue: the header in shared memory and the geometry
// this process validated against its own mapping when it opened or created
// the queue. Every address an operation computes comes from this private
// copy, and every index is masked or checked against it, so bytes a peer
// damages later (the header's copy of the geometry included) can make an
// operation fail with corrupted_error or misorder messages, but never make
// it touch memory outside the mapping.
struct queue_view {
  queue_header* header = nullptr;
  layout places;
  std::uint64_t max_msg = 0;
  std::uint64_t max_msg_size = 0;

  queue_header& h() const { return *header; }
  char* base() const { return reinterpret_cast<char*>(header); }
  std::uint32_t mask() const { return static_cast<std::uint32_t>(places.ring_mask); }
  sent_entry& sent_at(std::uint32_t position) const {
    return reinterpret_cast<sent_entry*>(base() + places.sent_ring)[position & mask()];
  }
  free_entry& free_at(std::uint32_t position) const {
    return reinterpret_cast<free_entry*>(base() + places.free_ring)[position & mask()];
  }
  message_ref& run_at(std::uint32_t index) const {
    return reinterpret_cast<message_ref*>(base() + places.run)[index & mask()];
  }
  message_ref* heap() const { return reinterpret_cast<message_ref*>(base() + places.heap); }
  slot_meta& meta(std::uint32_t i) const {
    return reinterpret_cast<slot_meta*>(base() + places.meta)[i];
  }
  char* slot(std::uint32_t i) const { return base() + places.slots + i * places.stride; }

  // Whether sent ring entry `position` is published, and free ring entry
  // `position`.
  bool sent_published(std::uint32_t position) const {
    return tag_of(sent_at(position).published.load(std::memory_order_acquire)) == position;
  }
  bool free_published(std::uint32_t position) const {
    return tag_of(free_at(position).published.load(std::memory_order_acquire)) == position;
  }

  // For waiters, which hold no mutex: a position noted under the mutex can
  // be taken, and its entry overwritten a lap later, by other processes
  // before the waiter registers at the gate, so they look at the live
  // counters. Either may run one short of its side's last commit (see
  // first_unpublished()); the waiter then finds out under the mutex.
  bool has_room() const { return free_published(header->sent.load(std::memory_order_acquire)); }
  bool has_messages() const {
    // Both only grow: `freed` read first can only make the count too high.
    const std::uint32_t freed_now = header->freed.load(std::memory_order_acquire);
    return freed_now - header->sent.load(std::memory_order_acquire) < max_msg;
  }
};

}  // namespace ipc_detail
}  // namespace refipc

#endif  // REFIPC_IPC_QUEUE_LAYOUT_HPP_
