#include "refipc/detail/segment/segment_preamble.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <thread>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace segment_detail {

void begin_initialisation(segment_preamble* p) noexcept {
  p->creator_pid = static_cast<std::int32_t>(getpid());
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

namespace {

// True when `pid` names no process any more (a live process we may not
// signal gives EPERM, which counts as alive).
bool is_dead(std::int32_t pid) noexcept {
  return pid > 0 && kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

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
    if (state == kInitialising && is_dead(p->creator_pid)) {
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
