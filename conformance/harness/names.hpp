// Resource names that never collide: Bazel runs tests in parallel, in PID
// namespaces where pids repeat, and a test may run twice in a row.
#pragma once

#include <string>

namespace ipc_test {

// "t<Suite>_<Test>_<pid>_<16 random hex digits>", truncated to stay short, made
// of letters, digits and underscores only (the manual's portable names).
// `tag` distinguishes several names within one test.
std::string unique_name(const std::string& tag = "");

}  // namespace ipc_test
