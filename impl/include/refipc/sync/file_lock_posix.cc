#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <utility>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/sync/file_lock.hpp"

namespace refipc {
namespace {

constexpr long kMillisecond = 1000 * 1000;
constexpr long kFirstBackoff = 1 * kMillisecond;
constexpr long kLongestBackoff = 10 * kMillisecond;

[[noreturn]] void fail(const error_info& err, const std::string& context) {
  throw interprocess_exception(err, ("file_lock: " + context).c_str());
}

// Sets (type F_RDLCK or F_WRLCK) or clears (F_UNLCK) the lock on the whole
// file. Without `wait`, returns false when another holder conflicts.
bool set_lock(int fd, short type, bool wait, const char* what) {
  struct flock request {};
  request.l_type = type;
  request.l_whence = SEEK_SET;  // l_start = l_len = 0: the whole file, whatever its size
  while (fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &request) != 0) {
    if (errno == EINTR) continue;
    if (!wait && (errno == EAGAIN || errno == EACCES)) return false;
    const int err = errno;
    fail(err, std::string("cannot ") + what);
  }
  return true;
}

}  // namespace

file_lock::file_lock(const char* name) {
  if (name == nullptr) fail(invalid_argument, "null file name");
  fd_ = open(name, O_RDWR | O_CLOEXEC);
  if (fd_ < 0) {
    const int err = errno;
    fail(err, "cannot open \"" + std::string(name) + "\"");
  }
}

file_lock& file_lock::operator=(file_lock&& other) noexcept {
  file_lock taken(std::move(other));
  swap(taken);
  return *this;
}

file_lock::~file_lock() {
  if (fd_ >= 0) close(fd_);
}

void file_lock::swap(file_lock& other) noexcept { std::swap(fd_, other.fd_); }

void file_lock::lock() { set_lock(fd_, F_WRLCK, true, "lock"); }
bool file_lock::try_lock() { return set_lock(fd_, F_WRLCK, false, "lock"); }
void file_lock::unlock() { set_lock(fd_, F_UNLCK, false, "unlock"); }
void file_lock::lock_sharable() { set_lock(fd_, F_RDLCK, true, "lock sharable"); }
bool file_lock::try_lock_sharable() { return set_lock(fd_, F_RDLCK, false, "lock sharable"); }
void file_lock::unlock_sharable() { set_lock(fd_, F_UNLCK, false, "unlock sharable"); }

// fcntl has no timed wait: retry, sleeping a little longer each time, but
// never past the deadline.
bool file_lock::lock_until(const sync_detail::deadline& until, bool exclusive) {
  const short type = exclusive ? F_WRLCK : F_RDLCK;
  const char* what = exclusive ? "lock" : "lock sharable";
  const clockid_t clock = until.realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC;
  long backoff = kFirstBackoff;
  for (;;) {
    if (set_lock(fd_, type, false, what)) return true;
    const sync_detail::time64 now = sync_detail::clock_now(until.realtime);
    if (!sync_detail::earlier(now, until.at)) return false;
    sync_detail::time64 wake = now;
    wake.tv_nsec += backoff;
    if (wake.tv_nsec >= 1000 * kMillisecond) {
      wake.tv_nsec -= 1000 * kMillisecond;
      ++wake.tv_sec;
    }
    if (sync_detail::earlier(until.at, wake)) wake = until.at;
    // At most a backoff from now: it fits a 32-bit time_t until 2038.
    const timespec wake_at{static_cast<time_t>(wake.tv_sec), static_cast<long>(wake.tv_nsec)};
    while (clock_nanosleep(clock, TIMER_ABSTIME, &wake_at, nullptr) == EINTR) {
    }
    backoff = std::min(2 * backoff, kLongestBackoff);
  }
}

}  // namespace refipc
