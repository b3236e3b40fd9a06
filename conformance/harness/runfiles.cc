#include "conformance/harness/runfiles.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ipc_test {
namespace {

std::string& argv0_storage() {
  static std::string argv0;
  return argv0;
}

std::string runfiles_root() {
  if (const char* dir = std::getenv("TEST_SRCDIR"); dir != nullptr && *dir != '\0') return dir;
  if (const char* dir = std::getenv("RUNFILES_DIR"); dir != nullptr && *dir != '\0') return dir;
  std::string candidate = argv0_storage() + ".runfiles";
  if (access(candidate.c_str(), F_OK) == 0) return candidate;
  throw std::runtime_error("cannot find the runfiles directory (run through bazel test or run)");
}

}  // namespace

void init_runfiles(const char* argv0) { argv0_storage() = argv0 != nullptr ? argv0 : ""; }

std::string runfile(const std::string& path) { return runfiles_root() + "/" + path; }

std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace ipc_test
