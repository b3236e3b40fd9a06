// Locating data files of a test binary (spec catalogue, expectations).
#pragma once

#include <string>

namespace ipc_test {

// Records argv[0] so runfiles can be found when the binary runs outside
// `bazel test` (where TEST_SRCDIR is not set).
void init_runfiles(const char* argv0);

// Absolute path of a runfiles-relative path such as "refipc/spec/features.txt".
std::string runfile(const std::string& path);

// Reads a whole text file; throws std::runtime_error naming the path on failure.
std::string read_text_file(const std::string& path);

}  // namespace ipc_test
