#include "refipc/detail/segment/segment_preamble.hpp"

#ifdef _WIN32
#include <windows.h>
#else
#include <signal.h>
#include <unistd.h>
#endif

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>
#include <thread>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace segment_detail {

namespace {

std::int32_t this_process_id() noexcept {
#ifdef _WIN32
  return static_cast<std::int32_t>(GetCurrentProcessId());
#else
  return static_cast<std::int32_t>(getpid());
#endif
}

// True when `pid` names no process any more. On POSIX a live process we may
// not signal gives EPERM, which counts as alive; on Windows a process we may
// not open counts as alive too, and one that has ended is dead even while
// handles keep its id reserved.
bool is_dead(std::int32_t pid) noexcept {
  if (pid <= 0) return false;
#ifdef _WIN32
  HANDLE process = OpenProcess(SYNCHRONIZE, FALSE, static_cast<DWORD>(pid));
  if (process == nullptr) return GetLastError() == ERROR_INVALID_PARAMETER;
  const bool ended = WaitForSingleObject(process, 0) == WAIT_OBJECT_0;
  CloseHandle(process);
  return ended;
#else
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
#endif
}

// Whether the creator named by `p`, whose state was just read as
// kInitialising, died before finishing: it has ended and the state is still
// kInitialising after that. A creator may finish and end between the first
// read and the check of its process; its last store (kReady, release) then
// precedes its end, so reading the state again (acquire) sees it.
bool creator_died(const segment_preamble* p) noexcept {
  return is_dead(p->creator_pid) && p->state.load(std::memory_order_acquire) == kInitialising;
}

}  // namespace

void begin_initialisation(segment_preamble* p) noexcept {
  p->creator_pid = this_process_id();
  p->state.store(kInitialising, std::memory_order_relaxed);
}

void end_initialisation(segment_preamble* p) noexcept {
  p->magic = segment_preamble::kMagic;
  p->state.store(kReady, std::memory_order_release);
}

void fail_open(const char* what, const char* why) {
  const std::string message = std::string("cannot open managed segment ") + what + ": " + why;
  throw interprocess_exception(corrupted_error, message.c_str());
}

bool back_off(unsigned& round, std::chrono::steady_clock::time_point deadline) noexcept {
  if (std::chrono::steady_clock::now() >= deadline) return false;
  if (round < 8) {
    std::this_thread::yield();
  } else {
    const unsigned shift = round - 8 < 6 ? round - 8 : 6;
    std::this_thread::sleep_for(std::chrono::microseconds(32u << shift));
  }
  ++round;
  return true;
}

int stamp_creator(decltype(mapping_handle_t::handle) file) noexcept {
  const std::uint32_t state = kInitialising;
  const std::int32_t pid = this_process_id();
  unsigned char words[8];
  static_assert(offsetof(segment_preamble, creator_pid) == sizeof state, "stamp layout");
  std::memcpy(words, &state, sizeof state);
  std::memcpy(words + sizeof state, &pid, sizeof pid);
#ifdef _WIN32
  OVERLAPPED at_start{};  // offset 0
  DWORD written = 0;
  if (!WriteFile(file, words, sizeof words, &written, &at_start)) {
    return static_cast<int>(GetLastError());
  }
  return written == sizeof words ? 0 : static_cast<int>(ERROR_WRITE_FAULT);
#else
  const int fd = file;
  ssize_t written;
  do {
    written = pwrite(fd, words, sizeof words, 0);
  } while (written < 0 && errno == EINTR);
  if (written < 0) return errno;
  return written == static_cast<ssize_t>(sizeof words) ? 0 : EIO;
#endif
}

bool expect_live_creator(const void* bytes, std::size_t size, const char* what) {
  const auto* p = static_cast<const segment_preamble*>(bytes);
  // Only the state and creator words are read: the mapping may be shorter
  // than a preamble.
  if (size < offsetof(segment_preamble, magic)) {
    fail_open(what, "it is too small to hold a managed segment");
  }
  const std::uint32_t state = p->state.load(std::memory_order_acquire);
  // Ready: the creator finished after the caller read the size.
  if (state == kReady) return true;
  if (state != kInitialising) fail_open(what, "it is too small to hold a managed segment");
  if (creator_died(p)) fail_open(what, "its creator ended before initialising it");
  return false;
}

void wait_until_ready(const segment_preamble* p, const char* what,
                      std::chrono::steady_clock::time_point deadline) {
  for (unsigned round = 0;;) {
    const std::uint32_t state = p->state.load(std::memory_order_acquire);
    if (state == kReady) {
      if (p->magic != segment_preamble::kMagic) fail_open(what, "it holds no managed segment");
      return;
    }
    if (state != kBlank && state != kInitialising) {
      fail_open(what, "it holds no managed segment");
    }
    if (state == kInitialising && creator_died(p)) {
      fail_open(what, "its creator ended before initialising it");
    }
    if (!back_off(round, deadline)) {
      fail_open(what,
                "it was not initialised in time (its creator may have died, or it is not a "
                "managed segment)");
    }
  }
}

}  // namespace segment_detail
}  // namespace refipc
