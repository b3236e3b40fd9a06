// Outside Windows, windows_shared_memory.hpp and
// managed_windows_shared_memory.hpp must refuse to compile, with a message
// that names the reason; this test runs the system's C++ compiler on them.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "gtest/gtest.h"

namespace {

struct Compilation {
  int exit_code;
  std::string output;
};

Compilation compile_header(const std::string& name) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const std::string header =
      std::string(srcdir != nullptr ? srcdir : ".") + "/refipc/impl/include/refipc/" + name;
  const std::string command = "c++ -std=c++17 -fsyntax-only -x c++ '" + header + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  Compilation result{-1, ""};
  if (pipe == nullptr) return result;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) result.output += buffer;
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(WindowsSharedMemoryUnavailableTest, IsAnErrorOutsideWindows) {
  const Compilation result = compile_header("windows_shared_memory.hpp");
  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("only available on Windows"), std::string::npos) << result.output;
}

TEST(WindowsSharedMemoryUnavailableTest, ManagedSegmentIsAnErrorOutsideWindows) {
  const Compilation result = compile_header("managed_windows_shared_memory.hpp");
  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("only available on Windows"), std::string::npos) << result.output;
}

}  // namespace
