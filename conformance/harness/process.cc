#include "conformance/harness/process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <set>
#include <stdexcept>

namespace ipc_test {
namespace {

constexpr std::size_t kMaxCapturedOutput = 256 * 1024;
constexpr const char kRoleFlag[] = "--ipc_child_role=";

std::map<std::string, RoleFunction>& roles() {
  static std::map<std::string, RoleFunction> registry;
  return registry;
}

std::runtime_error system_failure(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

void flush_all() {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
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

// Rounded up, so that a wait never ends before its deadline.
std::chrono::milliseconds milliseconds_until(std::chrono::steady_clock::time_point deadline) {
  return std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
}

void ensure_pipe(int fds[2], int flags) {
  if (pipe2(fds, flags) != 0) throw system_failure("pipe2");
}

// The descriptors of this process's Pipe objects, so that spawn_role can
// tell a pipe named in its arguments from any other argument.
std::set<int>& pipe_fds() {
  static std::set<int> fds;
  return fds;
}

void close_pipe_end(int& fd) {
  if (fd < 0) return;
  pipe_fds().erase(fd);
  close(fd);
  fd = -1;
}

// The descriptors of the pipes that `args` name (Pipe::arg() strings).
std::vector<int> pipes_named_in(const std::vector<std::string>& args) {
  std::vector<int> named;
  for (const auto& a : args) {
    int read_fd = -1, write_fd = -1, consumed = 0;
    if (std::sscanf(a.c_str(), "%d,%d%n", &read_fd, &write_fd, &consumed) == 2 &&
        static_cast<std::size_t>(consumed) == a.size() && pipe_fds().count(read_fd) != 0 &&
        pipe_fds().count(write_fd) != 0) {
      named.push_back(read_fd);
      named.push_back(write_fd);
    }
  }
  return named;
}

}  // namespace

std::string ChildResult::describe() const {
  std::ostringstream text;
  if (timed_out) {
    text << "child timed out and was killed";
  } else if (exited) {
    text << "child exited with code " << exit_code;
    if (exit_code == 1) text << " (a check failed)";
    if (exit_code == 2) text << " (uncaught exception)";
    if (exit_code == 127) text << " (exec failed)";
  } else {
    text << "child killed by signal " << signal << " (" << strsignal(signal) << ")";
  }
  text << "\n--- child output ---\n" << output << "--- end of child output ---";
  return text.str();
}

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

[[noreturn]] void fail_child_check(const char* file, int line, const char* condition,
                                   const std::string& message) {
  std::ostringstream text;
  text << file << ":" << line << ": check failed: " << condition;
  if (!message.empty()) text << ": " << message;
  throw ChildCheckFailure{text.str()};
}

[[noreturn]] void run_child_body(const std::function<void()>& body) {
  int code = 0;
  try {
    body();
    if (::testing::Test::HasFailure()) {
      std::fprintf(stderr, "a gtest assertion failed in the child\n");
      code = 1;
    }
  } catch (const ChildCheckFailure& failure) {
    std::fprintf(stderr, "%s\n", failure.message.c_str());
    code = 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "uncaught exception in child: %s\n", e.what());
    code = 2;
  } catch (...) {
    std::fprintf(stderr, "uncaught non-standard exception in child\n");
    code = 2;
  }
  flush_all();
  _exit(code);
}

namespace {

// Forks a child whose stdout and stderr go to a pipe the returned Child reads;
// the child runs `in_child`, which must not return.
Child start_child(const std::function<void()>& in_child) {
  int fds[2];
  ensure_pipe(fds, O_CLOEXEC);
  flush_all();
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    throw system_failure("fork");
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

}  // namespace

Child fork_child(const std::function<void()>& body) {
  return start_child([&] { run_child_body(body); });
}

Child spawn_role(const std::string& role, const std::vector<std::string>& args) {
  if (roles().count(role) == 0) throw std::logic_error("unknown child role '" + role + "'");
  char self[4096];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length < 0) throw system_failure("readlink /proc/self/exe");
  self[length] = '\0';
  std::vector<std::string> arguments{self, kRoleFlag + role};
  // Under a user-mode emulator (qemu-user without binfmt_misc cannot execve a
  // foreign binary), the test runner names it in REFIPC_EXEC_PREFIX.
  const char* emulator = std::getenv("REFIPC_EXEC_PREFIX");
  if (emulator != nullptr && *emulator != '\0') arguments.insert(arguments.begin(), emulator);
  arguments.insert(arguments.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : arguments) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::vector<int> inherited = pipes_named_in(args);
  return start_child([&] {
    for (int fd : inherited) fcntl(fd, F_SETFD, 0);
    execv(argv[0], argv.data());
    std::fprintf(stderr, "execv %s: %s\n", argv[0], std::strerror(errno));
  });
}

RoleRegistrar::RoleRegistrar(const char* name, RoleFunction function) {
  if (!roles().emplace(name, function).second) {
    std::fprintf(stderr, "child role '%s' declared twice\n", name);
    std::abort();
  }
}

void run_child_role_if_requested(int argc, char** argv) {
  if (argc < 2 || std::strncmp(argv[1], kRoleFlag, sizeof kRoleFlag - 1) != 0) return;
  const std::string role = argv[1] + sizeof kRoleFlag - 1;
  const auto found = roles().find(role);
  if (found == roles().end()) {
    std::fprintf(stderr, "unknown child role '%s'\n", role.c_str());
    _exit(127);
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  run_child_body([&] { found->second(args); });
}

Pipe::Pipe() {
  int fds[2];
  ensure_pipe(fds, O_CLOEXEC);
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  // Peers may share the read end: read() must not block after poll().
  fcntl(read_fd_, F_SETFL, fcntl(read_fd_, F_GETFL) | O_NONBLOCK);
  pipe_fds().insert({read_fd_, write_fd_});
}

Pipe::Pipe(int read_fd, int write_fd) : read_fd_(read_fd), write_fd_(write_fd) {
  // Inherited through exec: not passed on to this role's own children.
  for (int fd : {read_fd_, write_fd_}) {
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) throw system_failure("pipe argument");
    pipe_fds().insert(fd);
  }
}

Pipe::Pipe(Pipe&& other) noexcept
    : read_fd_(other.read_fd_), write_fd_(other.write_fd_), buffered_(std::move(other.buffered_)) {
  other.read_fd_ = other.write_fd_ = -1;
}

Pipe::~Pipe() {
  close_pipe_end(read_fd_);
  close_pipe_end(write_fd_);
}

Pipe Pipe::from_arg(const std::string& arg) {
  int read_fd = -1;
  int write_fd = -1;
  if (std::sscanf(arg.c_str(), "%d,%d", &read_fd, &write_fd) != 2 || read_fd < 0 || write_fd < 0) {
    throw std::invalid_argument("malformed pipe argument '" + arg + "'");
  }
  return Pipe(read_fd, write_fd);
}

std::string Pipe::arg() const {
  if (read_fd_ < 0 || write_fd_ < 0) {
    throw std::logic_error("Pipe::arg: pass a pipe to children before sending or receiving");
  }
  return std::to_string(read_fd_) + "," + std::to_string(write_fd_);
}

void Pipe::send(const std::string& line) {
  if (write_fd_ < 0) throw std::logic_error("Pipe::send on a pipe this process receives from");
  close_pipe_end(read_fd_);
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
    const ssize_t n = write(write_fd_, data.data() + written, data.size() - written);
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
  errno = error;
  if (error != 0) throw system_failure("write to pipe");
}

std::string Pipe::receive(std::chrono::milliseconds timeout) {
  if (read_fd_ < 0) throw std::logic_error("Pipe::receive on a pipe this process sends on");
  close_pipe_end(write_fd_);
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
    pollfd fd{read_fd_, POLLIN, 0};
    const int ready = poll(&fd, 1, static_cast<int>(remaining.count()));
    if (ready < 0 && errno != EINTR) throw system_failure("poll on pipe");
    if (ready <= 0) continue;
    char buffer[512];
    const ssize_t n = read(read_fd_, buffer, sizeof buffer);
    if (n == 0) throw PipeClosed("pipe closed by every writer");
    if (n < 0 && errno != EINTR && errno != EAGAIN) throw system_failure("read from pipe");
    if (n > 0) buffered_.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace ipc_test
