// The platform-neutral part of the child-process harness: results, child
// roles and pipe arguments. Starting, waiting for and talking to processes is
// in process_posix.cc and process_windows.cc.
#include "conformance/harness/process.hpp"

#include <gtest/gtest.h>
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <stdexcept>

#include "conformance/harness/process_internal.hpp"

namespace ipc_test {
namespace {

constexpr const char kRoleFlag[] = "--ipc_child_role=";

std::map<std::string, RoleFunction>& roles() {
  static std::map<std::string, RoleFunction> registry;
  return registry;
}

// Parses "<read end>,<write end>"; false when `arg` is not exactly that.
bool parse_pipe_arg(const std::string& arg, std::intptr_t& read_end, std::intptr_t& write_end) {
  long long r = -1, w = -1;
  int consumed = 0;
  if (std::sscanf(arg.c_str(), "%lld,%lld%n", &r, &w, &consumed) != 2 ||
      static_cast<std::size_t>(consumed) != arg.size() || r < 0 || w < 0) {
    return false;
  }
  read_end = static_cast<std::intptr_t>(r);
  write_end = static_cast<std::intptr_t>(w);
  return true;
}

}  // namespace

namespace process_internal {

std::vector<std::string> role_arguments(const std::string& role,
                                        const std::vector<std::string>& args) {
  if (roles().count(role) == 0) throw std::logic_error("unknown child role '" + role + "'");
  std::vector<std::string> arguments{kRoleFlag + role};
  arguments.insert(arguments.end(), args.begin(), args.end());
  return arguments;
}

std::set<std::intptr_t>& pipe_ends() {
  static std::set<std::intptr_t> ends;
  return ends;
}

std::vector<std::intptr_t> pipe_ends_named_in(const std::vector<std::string>& args) {
  std::vector<std::intptr_t> named;
  for (const auto& a : args) {
    for (std::intptr_t end : Pipe::ends_named_by(a)) named.push_back(end);
  }
  return named;
}

std::chrono::milliseconds milliseconds_until(std::chrono::steady_clock::time_point deadline) {
  return std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
}

void flush_all() {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
}

}  // namespace process_internal

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
    text << "child killed by signal " << signal;
#ifndef _WIN32
    text << " (" << strsignal(signal) << ")";
#endif
  }
  text << "\n--- child output ---\n" << output << "--- end of child output ---";
  return text.str();
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
  process_internal::flush_all();
  std::_Exit(code);
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
    process_internal::flush_all();
    std::_Exit(127);
  }
#ifdef _WIN32
  // The parent reads the output as it is written: no "\r\n" for "\n".
  _setmode(_fileno(stdout), _O_BINARY);
  _setmode(_fileno(stderr), _O_BINARY);
#endif
  const std::vector<std::string> args(argv + 2, argv + argc);
  run_child_body([&] { found->second(args); });
}

Pipe::Pipe(Pipe&& other) noexcept
    : read_end_(other.read_end_),
      write_end_(other.write_end_),
      buffered_(std::move(other.buffered_)) {
  other.read_end_ = other.write_end_ = -1;
}

Pipe::~Pipe() {
  close_end(read_end_);
  close_end(write_end_);
}

Pipe Pipe::from_arg(const std::string& arg) {
  std::intptr_t read_end, write_end;
  if (!parse_pipe_arg(arg, read_end, write_end)) {
    throw std::invalid_argument("malformed pipe argument '" + arg + "'");
  }
  return Pipe(read_end, write_end);
}

std::string Pipe::arg() const {
  if (read_end_ < 0 || write_end_ < 0) {
    throw std::logic_error("Pipe::arg: pass a pipe to children before sending or receiving");
  }
  return std::to_string(read_end_) + "," + std::to_string(write_end_);
}

std::vector<std::intptr_t> Pipe::ends_named_by(const std::string& arg) {
  std::intptr_t read_end, write_end;
  const auto& ends = process_internal::pipe_ends();
  if (!parse_pipe_arg(arg, read_end, write_end) || ends.count(read_end) == 0 ||
      ends.count(write_end) == 0) {
    return {};
  }
  return {read_end, write_end};
}

}  // namespace ipc_test
