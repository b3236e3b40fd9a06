// Child processes and pipes on POSIX: fork, fork+exec or posix_spawn, with
// pipes for the child's output and for Pipe.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "conformance/harness/process.hpp"
#include "conformance/harness/process_internal.hpp"

extern char** environ;

namespace ipc_test {
namespace {

using process_internal::flush_all;
using process_internal::kMaxCapturedOutput;
using process_internal::milliseconds_until;

std::runtime_error system_failure(const std::string& what, int error = errno) {
  return std::runtime_error(what + ": " + std::strerror(error));
}

// Reads what is available from `fd` into `out`; returns false at end of file.
bool drain(int fd, std::string& out) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      if (out.size() < kMaxCapturedOutput) out.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

int pidfd_for(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  return -1;
#endif
}

ChildResult result_from_status(int status) {
  ChildResult result;
  if (WIFEXITED(status)) {
    result.exited = true;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

void ensure_pipe(int fds[2], int flags) {
  if (pipe2(fds, flags) != 0) throw system_failure("pipe2");
}

bool use_posix_spawn() {
  const char* method = std::getenv("IPC_CHILD_SPAWN");
  if (method == nullptr || *method == '\0' || std::strcmp(method, "fork") == 0) return false;
  if (std::strcmp(method, "posix_spawn") == 0) return true;
  throw std::invalid_argument(std::string("IPC_CHILD_SPAWN='") + method +
                              "': expected 'fork' or 'posix_spawn'");
}

// Forks a child whose stdout and stderr go to a pipe the returned Child reads;
// the child runs `in_child`, which must not return.
Child start_child(const std::function<void()>& in_child) {
  int fds[2];
  ensure_pipe(fds, O_CLOEXEC);
  flush_all();
  const pid_t pid = fork();
  if (pid < 0) {
    const int error = errno;
    close(fds[0]);
    close(fds[1]);
    throw system_failure("fork", error);
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    in_child();
    _exit(127);
  }
  close(fds[1]);
  return Child(pid, fds[0]);
}

// Starts `argv` with posix_spawn: output to a new pipe, and the descriptors
// `inherited` (close-on-exec here) kept open in the child.
Child posix_spawn_child(const char* path, char* const argv[], const std::vector<int>& inherited) {
  int fds[2];
  ensure_pipe(fds, O_CLOEXEC);
  posix_spawn_file_actions_t actions;
  int rc = posix_spawn_file_actions_init(&actions);
  if (rc != 0) {
    close(fds[0]);
    close(fds[1]);
    throw system_failure("posix_spawn_file_actions_init", rc);
  }
  rc = posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  // dup2 of a descriptor onto itself clears its close-on-exec flag
  // (POSIX.1-2024; glibc since 2.29).
  for (int fd : inherited) {
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, fd, fd);
  }
  pid_t pid = -1;
  if (rc == 0) {
    flush_all();
    rc = posix_spawn(&pid, path, &actions, nullptr, argv, environ);
  }
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    throw system_failure(std::string("posix_spawn ") + path, rc);
  }
  return Child(pid, fds[0]);
}

}  // namespace

Child::Child(pid_t pid, int output_fd) : pid_(pid), output_fd_(output_fd) {
  // wait() must never block in read(): a child that prints and then hangs
  // would hold it for the child's whole life.
  if (output_fd_ >= 0) fcntl(output_fd_, F_SETFL, fcntl(output_fd_, F_GETFL) | O_NONBLOCK);
}

Child::Child(Child&& other) noexcept
    : pid_(other.pid_), output_fd_(other.output_fd_), reaped_(other.reaped_) {
  other.output_fd_ = -1;
  other.reaped_ = true;
}

Child::~Child() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    int status;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (output_fd_ >= 0) close(output_fd_);
}

void Child::kill(int sig) {
  if (!reaped_) ::kill(pid_, sig);
}

ChildResult Child::wait(std::chrono::milliseconds timeout) {
  if (reaped_) throw std::logic_error("Child::wait called twice");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const int pidfd = pidfd_for(pid_);
  std::string output;
  bool output_open = output_fd_ >= 0;
  bool timed_out = false;
  int status = 0;
  for (;;) {
    // Without pidfd (old kernels, some emulators) the child is polled with
    // waitpid between short waits on its output.
    const pid_t done = pidfd < 0 ? waitpid(pid_, &status, WNOHANG) : 0;
    if (done == pid_) break;
    const auto remaining = milliseconds_until(deadline);
    if (remaining.count() <= 0) {
      timed_out = true;
      ::kill(pid_, SIGKILL);
      break;
    }
    pollfd fds[2];
    nfds_t count = 0;
    if (output_open) fds[count++] = {output_fd_, POLLIN, 0};
    if (pidfd >= 0) fds[count++] = {pidfd, POLLIN, 0};
    const int wait_ms =
        pidfd < 0 ? std::min<int>(remaining.count(), 10) : static_cast<int>(remaining.count());
    const int ready = poll(fds, count, wait_ms);
    if (ready < 0 && errno != EINTR) throw system_failure("poll");
    if (ready <= 0) continue;
    bool exited = false;
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == output_fd_) output_open = drain(output_fd_, output);
      if (fds[i].fd == pidfd) exited = true;
    }
    if (exited) break;
  }
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  if (pidfd >= 0) close(pidfd);
  // Grandchildren may keep the pipe open: take what is there (non-blocking).
  if (output_open) drain(output_fd_, output);
  ChildResult result = result_from_status(status);
  result.timed_out = timed_out;
  result.output = std::move(output);
  return result;
}

Child fork_child(const std::function<void()>& body) {
  return start_child([&] { run_child_body(body); });
}

std::string spawn_method() { return use_posix_spawn() ? "posix_spawn" : "fork+exec"; }

Child spawn_role(const std::string& role, const std::vector<std::string>& args) {
  std::vector<std::string> arguments = process_internal::role_arguments(role, args);
  char self[4096];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length < 0) throw system_failure("readlink /proc/self/exe");
  self[length] = '\0';
  arguments.insert(arguments.begin(), self);
  // Under a user-mode emulator (qemu-user without binfmt_misc cannot execve a
  // foreign binary), the test runner names it in REFIPC_EXEC_PREFIX.
  const char* emulator = std::getenv("REFIPC_EXEC_PREFIX");
  if (emulator != nullptr && *emulator != '\0') arguments.insert(arguments.begin(), emulator);
  const std::string program = arguments.front();
  std::vector<char*> argv;
  for (auto& a : arguments) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<int> inherited;
  for (std::intptr_t end : process_internal::pipe_ends_named_in(args)) {
    inherited.push_back(static_cast<int>(end));
  }
  if (use_posix_spawn()) return posix_spawn_child(program.c_str(), argv.data(), inherited);
  return start_child([&] {
    for (int fd : inherited) fcntl(fd, F_SETFD, 0);
    execv(program.c_str(), argv.data());
    std::fprintf(stderr, "execv %s: %s\n", program.c_str(), std::strerror(errno));
  });
}

Pipe::Pipe() {
  int fds[2];
  ensure_pipe(fds, O_CLOEXEC);
  read_end_ = fds[0];
  write_end_ = fds[1];
  // Peers may share the read end: read() must not block after poll().
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  process_internal::pipe_ends().insert({read_end_, write_end_});
}

Pipe::Pipe(std::intptr_t read_end, std::intptr_t write_end)
    : read_end_(read_end), write_end_(write_end) {
  // Inherited through exec: not passed on to this role's own children.
  for (std::intptr_t end : {read_end_, write_end_}) {
    if (fcntl(static_cast<int>(end), F_SETFD, FD_CLOEXEC) != 0) {
      throw system_failure("pipe argument");
    }
    process_internal::pipe_ends().insert(end);
  }
}

void Pipe::close_end(std::intptr_t& end) {
  if (end < 0) return;
  process_internal::pipe_ends().erase(end);
  close(static_cast<int>(end));
  end = -1;
}

void Pipe::send(const std::string& line) {
  if (write_end_ < 0) throw std::logic_error("Pipe::send on a pipe this process receives from");
  close_end(read_end_);
  const int fd = static_cast<int>(write_end_);
  // A pipe without readers raises SIGPIPE, which would end the test binary:
  // hold it back and report PipeClosed instead.
  sigset_t pipe_signal, previous;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
  const std::string data = line + "\n";
  std::size_t written = 0;
  int error = 0;
  while (written < data.size()) {
    const ssize_t n = write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno;
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  if (error == EPIPE && !sigismember(&previous, SIGPIPE)) {
    const timespec now{0, 0};
    while (sigtimedwait(&pipe_signal, nullptr, &now) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (error == EPIPE) throw PipeClosed("pipe closed by every reader");
  if (error != 0) throw system_failure("write to pipe", error);
}

std::string Pipe::receive(std::chrono::milliseconds timeout) {
  if (read_end_ < 0) throw std::logic_error("Pipe::receive on a pipe this process sends on");
  close_end(write_end_);
  const int fd = static_cast<int>(read_end_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto newline = buffered_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffered_.substr(0, newline);
      buffered_.erase(0, newline + 1);
      return line;
    }
    const auto remaining = milliseconds_until(deadline);
    if (remaining.count() <= 0) throw PipeTimeout("timed out waiting on pipe");
    pollfd pfd{fd, POLLIN, 0};
    const int ready = poll(&pfd, 1, static_cast<int>(remaining.count()));
    if (ready < 0 && errno != EINTR) throw system_failure("poll on pipe");
    if (ready <= 0) continue;
    char buffer[512];
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n == 0) throw PipeClosed("pipe closed by every writer");
    if (n < 0 && errno != EINTR && errno != EAGAIN) throw system_failure("read from pipe");
    if (n > 0) buffered_.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace ipc_test
