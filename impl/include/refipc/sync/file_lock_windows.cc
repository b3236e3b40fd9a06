// file_lock on Windows: LockFileEx locks of the whole file, held by this
// object's file HANDLE (see file_lock.hpp).
#include <windows.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/named_file_windows.hpp"
#include "refipc/sync/file_lock.hpp"

namespace refipc {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{1};
constexpr std::chrono::milliseconds kLongestBackoff{10};

[[noreturn]] void fail(const error_info& err, const std::string& context) {
  throw interprocess_exception(err, ("file_lock: " + context).c_str());
}

[[noreturn]] void fail_last_error(const std::string& context) {
  fail(static_cast<native_error_t>(GetLastError()), context);
}

// Locks every byte a file can have, from offset 0. Without `wait`, returns
// false when another holder conflicts.
bool lock_file(HANDLE file, bool exclusive, bool wait, const char* what) {
  if (file == nullptr) fail(invalid_argument, std::string("cannot ") + what + ": no file");
  OVERLAPPED from_start{};
  const DWORD flags =
      (exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0) | (wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);
  if (LockFileEx(file, flags, 0, MAXDWORD, MAXDWORD, &from_start)) return true;
  if (!wait && GetLastError() == ERROR_LOCK_VIOLATION) return false;
  fail_last_error(std::string("cannot ") + what);
}

void unlock_file(HANDLE file, const char* what) {
  if (file == nullptr) fail(invalid_argument, std::string("cannot ") + what + ": no file");
  OVERLAPPED from_start{};
  if (!UnlockFileEx(file, 0, MAXDWORD, MAXDWORD, &from_start) &&
      GetLastError() != ERROR_NOT_LOCKED) {
    fail_last_error(std::string("cannot ") + what);
  }
}

}  // namespace

file_lock::file_lock(const char* name) {
  if (name == nullptr) fail(invalid_argument, "null file name");
  const std::wstring path = sync_detail::widen(name);
  if (path.empty()) fail(*name == '\0' ? not_found_error : path_error, "cannot open \"\"");
  const HANDLE file = CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE,
                                  FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                  OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) fail_last_error("cannot open \"" + std::string(name) + "\"");
  handle_ = file;
}

file_lock& file_lock::operator=(file_lock&& other) noexcept {
  file_lock taken(std::move(other));
  swap(taken);
  return *this;
}

file_lock::~file_lock() {
  // Closing the handle releases its lock.
  if (handle_ != nullptr) CloseHandle(handle_);
}

void file_lock::swap(file_lock& other) noexcept {
  std::swap(handle_, other.handle_);
  std::swap(held_, other.held_);
}

void file_lock::lock() {
  if (held_ == held::exclusive) return;
  unlock_sharable();
  lock_file(handle_, true, true, "lock");
  held_ = held::exclusive;
}

bool file_lock::try_lock() {
  if (held_ == held::exclusive) return true;
  const bool was_sharable = held_ == held::sharable;
  unlock_sharable();
  if (lock_file(handle_, true, false, "lock")) {
    held_ = held::exclusive;
  } else if (was_sharable && lock_file(handle_, false, false, "lock sharable")) {
    held_ = held::sharable;  // the failed conversion keeps what was held, if it can
  }
  return held_ == held::exclusive;
}

void file_lock::unlock() {
  if (handle_ == nullptr) fail(invalid_argument, std::string("cannot ") + "unlock" + ": no file");
  if (held_ == held::none) return;
  unlock_file(handle_, "unlock");
  held_ = held::none;
}

void file_lock::lock_sharable() {
  if (held_ == held::sharable) return;
  unlock();
  lock_file(handle_, false, true, "lock sharable");
  held_ = held::sharable;
}

bool file_lock::try_lock_sharable() {
  if (held_ == held::sharable) return true;
  const bool was_exclusive = held_ == held::exclusive;
  unlock();
  if (lock_file(handle_, false, false, "lock sharable")) {
    held_ = held::sharable;
  } else if (was_exclusive && lock_file(handle_, true, false, "lock")) {
    held_ = held::exclusive;  // the failed conversion keeps what was held, if it can
  }
  return held_ == held::sharable;
}

void file_lock::unlock_sharable() {
  if (handle_ == nullptr)
    fail(invalid_argument, std::string("cannot ") + "unlock sharable" + ": no file");
  if (held_ == held::none) return;
  unlock_file(handle_, "unlock sharable");
  held_ = held::none;
}

// LockFileEx has no timed wait: retry, sleeping a little longer each time,
// but never past the deadline.
bool file_lock::lock_until(const sync_detail::deadline& until, bool exclusive) {
  std::chrono::nanoseconds backoff = kFirstBackoff;
  for (;;) {
    if (exclusive ? try_lock() : try_lock_sharable()) return true;
    const std::chrono::nanoseconds left = sync_detail::time_left(until);
    if (left <= std::chrono::nanoseconds::zero()) return false;
    std::this_thread::sleep_for(std::min(backoff, left));
    backoff = std::min<std::chrono::nanoseconds>(2 * backoff, kLongestBackoff);
  }
}

}  // namespace refipc
