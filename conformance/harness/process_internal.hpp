// What process.cc shares with the platform parts of the child-process
// harness (process_posix.cc, process_windows.cc). Not for tests.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace ipc_test {
namespace process_internal {

// Output kept of one child; the rest is dropped.
constexpr std::size_t kMaxCapturedOutput = 256 * 1024;

// The arguments after the program name that start `role` with `args`;
// std::logic_error if no such role is declared.
std::vector<std::string> role_arguments(const std::string& role,
                                        const std::vector<std::string>& args);

// The open ends of this process's Pipe objects, so that spawn_role can tell
// a pipe named in its arguments from any other argument.
std::set<std::intptr_t>& pipe_ends();

// The pipe ends that `args` name, to be inherited by a spawned role.
std::vector<std::intptr_t> pipe_ends_named_in(const std::vector<std::string>& args);

// Rounded up, so that a wait never ends before its deadline.
std::chrono::milliseconds milliseconds_until(std::chrono::steady_clock::time_point deadline);

void flush_all();

}  // namespace process_internal
}  // namespace ipc_test
