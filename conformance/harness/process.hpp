// Child processes for multi-process conformance scenarios.
//
// fork_child() runs a function in a forked child (same address-space layout;
// POSIX only); spawn_role() starts this test binary again in a named child
// role (declared with IPC_CHILD_ROLE), so the child maps segments at addresses
// of its own. Both capture the child's output and report its fate through
// ChildResult.
//
// spawn_role starts the child with fork+exec on POSIX, or with posix_spawn
// when the environment variable IPC_CHILD_SPAWN is "posix_spawn" (the path of
// systems without a usable fork; set it with --test_env to run a whole suite
// that way), and with CreateProcess on Windows, where fork_child does not
// exist. Scenarios written with spawn_role and Pipe run everywhere.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ipc_test {

// Default bound for waiting on a child; generous so that sanitizer builds on a
// loaded machine never hit it, yet a hung child still fails the test.
constexpr std::chrono::milliseconds kChildTimeout{60000};

struct ChildResult {
  bool timed_out = false;
  bool exited = false;  // false: killed by `signal`
  int exit_code = -1;
  int signal = 0;
  std::string output;  // stdout and stderr of the child, interleaved

  bool ok() const { return exited && !timed_out && exit_code == 0; }
  std::string describe() const;
};

class Child {
 public:
#ifdef _WIN32
  // Takes ownership of the process handle and of the output pipe's read end.
  Child(pid_t pid, void* process, void* output);
#else
  Child(pid_t pid, int output_fd);
#endif
  Child(Child&& other) noexcept;
  Child& operator=(Child&&) = delete;
  Child(const Child&) = delete;
  ~Child();  // kills and reaps a child still running

  pid_t pid() const { return pid_; }
  // Waits until the child ends; after `timeout` it is killed with SIGKILL and
  // the result says timed_out.
  ChildResult wait(std::chrono::milliseconds timeout = kChildTimeout);
  // Sends `sig` to the child (it stays reapable with wait()). On Windows any
  // signal terminates the child, and wait() reports it killed by `sig`.
  void kill(int sig);

 private:
  pid_t pid_;
#ifdef _WIN32
  void* process_;
  void* output_;
  int killed_by_ = 0;
#else
  int output_fd_;
#endif
  bool reaped_ = false;
};

#ifndef _WIN32
// Runs `body` in a forked child. The child exits 0 when `body` returns, 1 when
// an IPC_CHILD_CHECK fails, 2 on any other exception. Fork before starting
// threads (sanitizers do not support threads across fork).
Child fork_child(const std::function<void()>& body);
#endif

// Starts this binary in the child role `role` with `args` (see the top of
// this file for how).
Child spawn_role(const std::string& role, const std::vector<std::string>& args = {});

// How spawn_role starts children in this process: "fork+exec",
// "posix_spawn" or "CreateProcess".
std::string spawn_method();

// Thrown by Pipe::receive when its timeout passes.
struct PipeTimeout : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Thrown by Pipe::receive at end of file (every writer has ended or closed
// its end) and by Pipe::send when every reader has.
struct PipeClosed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A one-way pipe for synchronising with a child without the implementation
// under test. Create it before starting the children that use it; pass arg()
// to an exec'd role and rebuild it there with Pipe::from_arg().
//
// Each process uses a pipe in one direction, which its first call picks:
// send() closes the process's read end and receive() its write end, so that
// when the peers at the other end die, a receive sees end of file at once
// and a send fails instead of waiting for its timeout. A pipe is
// close-on-exec: an exec'd role inherits only the pipes named in its
// arguments. Forked children inherit every pipe of the parent.
class Pipe {
 public:
  Pipe();
  Pipe(Pipe&& other) noexcept;
  Pipe& operator=(Pipe&&) = delete;
  Pipe(const Pipe&) = delete;
  ~Pipe();
  static Pipe from_arg(const std::string& arg);
  // "<read end>,<write end>" (descriptors, or handles on Windows);
  // std::logic_error once an end is closed.
  std::string arg() const;

  // One line, without '\n'; PipeClosed when no reader is left.
  void send(const std::string& line);
  // Returns the next line; PipeTimeout after `timeout`, PipeClosed at end of
  // file.
  std::string receive(std::chrono::milliseconds timeout = kChildTimeout);

  // The ends of a pipe that `arg` (a Pipe::arg() string) names, if it names
  // a pipe of this process; an empty vector otherwise.
  static std::vector<std::intptr_t> ends_named_by(const std::string& arg);

 private:
  Pipe(std::intptr_t read_end, std::intptr_t write_end);
  void close_end(std::intptr_t& end);
  // Descriptors, or HANDLE values on Windows; -1 once closed.
  std::intptr_t read_end_;
  std::intptr_t write_end_;
  std::string buffered_;
};

// Thrown by IPC_CHILD_CHECK inside a child; the harness prints it and exits 1.
struct ChildCheckFailure {
  std::string message;
};

[[noreturn]] void fail_child_check(const char* file, int line, const char* condition,
                                   const std::string& message);

// Runs a child body with the exit-code conventions above; never returns.
[[noreturn]] void run_child_body(const std::function<void()>& body);

using RoleFunction = void (*)(const std::vector<std::string>& args);

struct RoleRegistrar {
  RoleRegistrar(const char* name, RoleFunction function);
};

// If argv names a child role, runs it and exits; otherwise returns.
void run_child_role_if_requested(int argc, char** argv);

}  // namespace ipc_test

// Declares a child role: IPC_CHILD_ROLE(reader) { ... uses args ... }
#define IPC_CHILD_ROLE(role)                                                                      \
  static void ipc_child_role_##role(const std::vector<std::string>& args);                        \
  static const ::ipc_test::RoleRegistrar ipc_child_role_registrar_##role(#role,                   \
                                                                         &ipc_child_role_##role); \
  static void ipc_child_role_##role([[maybe_unused]] const std::vector<std::string>& args)

// Checks inside a child (fork_child body or role); gtest assertions do not
// reach the parent from there.
#define IPC_CHILD_CHECK(condition) IPC_CHILD_CHECK_MSG(condition, "")
#define IPC_CHILD_CHECK_MSG(condition, message)                                               \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::ostringstream ipc_child_message_;                                                  \
      ipc_child_message_ << message;                                                          \
      ::ipc_test::fail_child_check(__FILE__, __LINE__, #condition, ipc_child_message_.str()); \
    }                                                                                         \
  } while (false)

#define IPC_EXPECT_CHILD_OK(result)                          \
  do {                                                       \
    const auto ipc_result_ = (result);                       \
    EXPECT_TRUE(ipc_result_.ok()) << ipc_result_.describe(); \
  } while (false)
#define IPC_ASSERT_CHILD_OK(result)                          \
  do {                                                       \
    const auto ipc_result_ = (result);                       \
    ASSERT_TRUE(ipc_result_.ok()) << ipc_result_.describe(); \
  } while (false)
