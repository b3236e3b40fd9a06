#include "refipc/sync/detail/process_identity.hpp"

#if defined(_WIN32)
#include <windows.h>
#else
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#endif

#include <atomic>

namespace refipc {
namespace sync_detail {
namespace {

#if defined(_WIN32)

std::uint32_t creation_token(HANDLE process) {
  FILETIME created, exited, kernel, user;
  if (!GetProcessTimes(process, &created, &exited, &kernel, &user)) return 0;
  const std::uint32_t token = created.dwLowDateTime ^ created.dwHighDateTime;
  return token != 0 ? token : 1;
}

process_stamp read_this_process() {
  return {static_cast<std::uint32_t>(GetCurrentProcessId()), creation_token(GetCurrentProcess())};
}

#else

enum class state { running, gone, unknown };

// Reads /proc/<pid>/stat: whether the process runs, and its start token.
// `unknown` where there is no procfs. The file is opened relative to the
// process's directory so that a process reads its own stat as the others
// do: qemu-user substitutes a /proc/self/stat (and /proc/<own pid>/stat) of
// its own whose start time is not the kernel's.
state read_stat(std::uint32_t pid, std::uint32_t* start) {
  char path[32];
  std::snprintf(path, sizeof path, "/proc/%u", static_cast<unsigned>(pid));
  const int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) {
    const bool procfs = errno == ENOENT && access("/proc/self/stat", R_OK) == 0;
    return procfs ? state::gone : state::unknown;
  }
  const int fd = openat(dir, "stat", O_RDONLY | O_CLOEXEC);
  const int open_error = errno;
  close(dir);
  if (fd < 0) return open_error == ENOENT || open_error == ESRCH ? state::gone : state::unknown;
  char text[1024];
  const ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  if (n <= 0) return state::unknown;
  text[n] = '\0';
  // "pid (comm) S ..." where comm may hold anything, ')' too: the fields
  // start after the last ')'. State is field 3, starttime field 22.
  const char* p = std::strrchr(text, ')');
  if (p == nullptr || p[1] != ' ' || p[2] == '\0') return state::unknown;
  const char st = p[2];
  if (st == 'Z' || st == 'X' || st == 'x') return state::gone;
  p += 2;
  for (int field = 3; field < 22 && p != nullptr; ++field) {
    p = std::strchr(p, ' ');
    if (p != nullptr) ++p;
  }
  if (p == nullptr) return state::unknown;
  const std::uint32_t token = static_cast<std::uint32_t>(std::strtoull(p, nullptr, 10));
  *start = token != 0 ? token : 1;
  return state::running;
}

process_stamp read_this_process() {
  process_stamp self{static_cast<std::uint32_t>(getpid()), 0};
  std::uint32_t start = 0;
  if (read_stat(self.pid, &start) == state::running) self.start = start;
  return self;
}

#endif

// pid in the high half, start token in the low half; 0 until read.
std::atomic<std::uint64_t> cached{0};

#if !defined(_WIN32)
void forget_after_fork() { cached.store(0, std::memory_order_relaxed); }
#endif

}  // namespace

process_stamp this_process() noexcept {
#if !defined(_WIN32)
  static std::once_flag at_fork;
  std::call_once(at_fork, [] { pthread_atfork(nullptr, nullptr, forget_after_fork); });
#endif
  std::uint64_t packed = cached.load(std::memory_order_relaxed);
  if (packed == 0) {
    // Racing first calls compute the same value.
    const process_stamp self = read_this_process();
    packed = std::uint64_t{self.pid} << 32 | self.start;
    cached.store(packed, std::memory_order_relaxed);
  }
  return {static_cast<std::uint32_t>(packed >> 32), static_cast<std::uint32_t>(packed)};
}

bool process_gone(std::uint32_t pid, std::uint32_t start) noexcept {
#if defined(_WIN32)
  HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
  if (process == nullptr) return GetLastError() == ERROR_INVALID_PARAMETER;
  DWORD code = 0;
  bool gone = GetExitCodeProcess(process, &code) && code != STILL_ACTIVE;
  if (!gone && start != 0) gone = creation_token(process) != start;
  CloseHandle(process);
  return gone;
#else
  std::uint32_t now = 0;
  switch (read_stat(pid, &now)) {
    case state::gone:
      return true;
    case state::running:
      return start != 0 && now != start;
    case state::unknown:
      break;
  }
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
#endif
}

}  // namespace sync_detail
}  // namespace refipc
