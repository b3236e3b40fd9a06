#include "conformance/harness/names.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <random>

namespace ipc_test {
namespace {

constexpr std::size_t kMaxTestPart = 40;

std::string sanitize(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += keep ? c : '_';
  }
  return out;
}

}  // namespace

std::string unique_name(const std::string& tag) {
  std::string test_part = "notest";
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
    test_part = sanitize(std::string(info->test_suite_name()) + "_" + info->name());
  }
  if (test_part.size() > kMaxTestPart) test_part.resize(kMaxTestPart);
  if (!tag.empty()) test_part += "_" + sanitize(tag);
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  char random_part[17];
  std::snprintf(random_part, sizeof random_part, "%016llx",
                static_cast<unsigned long long>(generator()));
  return "t" + test_part + "_" + std::to_string(getpid()) + "_" + random_part;
}

}  // namespace ipc_test
