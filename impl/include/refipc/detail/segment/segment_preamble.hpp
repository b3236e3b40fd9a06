// The header that managed shared memory, mapped files and XSI segments put
// in front of their segment manager: it says whether the segment is ready,
// so that a process opening it never uses a half-built segment manager.
#ifndef REFIPC_DETAIL_SEGMENT_SEGMENT_PREAMBLE_HPP_
#define REFIPC_DETAIL_SEGMENT_SEGMENT_PREAMBLE_HPP_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "refipc/interprocess_fwd.hpp"

namespace refipc {
namespace segment_detail {

// Lifecycle of a segment, in `state`. A new backing store is zero-filled, so
// a segment whose creator has not started yet reads kBlank.
enum : std::uint32_t {
  kBlank = 0,
  kInitialising = 1,
  kReady = 2,
};

struct segment_preamble {
  static constexpr std::uint64_t kMagic = 0x7265666970634d53ull;  // "refipcMS"
  // Bytes from the start of the segment to its segment manager: the size of
  // the preamble rounded up to a cache line (and any allocation alignment).
  static constexpr std::size_t kBytes = 64;

  // Published last, with a release store (see docs/design.md).
  std::atomic<std::uint32_t> state;
  // The creator's process id, written before state becomes kInitialising, so
  // that an opener can tell a dead creator from a slow one.
  std::int32_t creator_pid;
  // kMagic once ready; lets an opener tell another program's memory apart.
  std::uint64_t magic;
  std::uint64_t reserved[6];
};
static_assert(sizeof(std::atomic<std::uint32_t>) == 4 &&
                  std::atomic<std::uint32_t>::is_always_lock_free,
              "the state word must be a lock-free 32-bit atomic to be shared");
static_assert(sizeof(segment_preamble) == segment_preamble::kBytes, "preamble layout");
static_assert(offsetof(segment_preamble, state) == 0, "preamble layout");
static_assert(offsetof(segment_preamble, creator_pid) == 4, "preamble layout");
static_assert(offsetof(segment_preamble, magic) == 8, "preamble layout");

// How long an opener waits for another process to finish creating a segment
// before it reports that it never became ready.
constexpr std::chrono::seconds kInitialisationTimeout{10};

// Marks `p` (zero-filled, just mapped read-write by its creator) as being
// initialised by this process.
void begin_initialisation(segment_preamble* p) noexcept;
// Publishes the segment built after `p`: every write before this call is
// visible to an opener that sees the segment ready.
void end_initialisation(segment_preamble* p) noexcept;

// Writes the first two words of a preamble (state kInitialising and this
// process's id) into the new, still empty store `file` (a descriptor; on
// Windows a file HANDLE), before its creator reserves the store's space:
// reserving a large store takes long, and a creator killed meanwhile is then
// named. Returns 0 or an errno value (on Windows a GetLastError() value).
int stamp_creator(decltype(mapping_handle_t::handle) file) noexcept;

// Judges a store too small to hold a segment, whose first `size` bytes are
// mapped at `bytes`: returns false when they name a creator that still runs
// (it is reserving the store's space), true when they say the segment is
// ready (its creator reserved the space and finished since the size was
// read: a size read after this is final), and throws interprocess_exception
// with corrupted_error otherwise. `what` names the store in the message.
bool expect_live_creator(const void* bytes, std::size_t size, const char* what);

// Waits until the segment headed by `p` (a mapping of `size` bytes) is ready.
// Throws interprocess_exception with corrupted_error when the memory holds
// something other than a managed segment, when its creator died before
// finishing it, or when it is not ready by `deadline`; `what` names the
// segment in the message.
void wait_until_ready(const segment_preamble* p, const char* what,
                      std::chrono::steady_clock::time_point deadline);

// One step of a bounded back-off: sleeps a little longer each time, up to a
// couple of milliseconds. False once `deadline` has passed.
bool back_off(unsigned& round, std::chrono::steady_clock::time_point deadline) noexcept;

// Throws interprocess_exception(corrupted_error) saying that `what` never
// became a usable segment: `why`.
[[noreturn]] void fail_open(const char* what, const char* why);

}  // namespace segment_detail
}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_SEGMENT_PREAMBLE_HPP_
