#include "conformance/harness/expectations.hpp"

#include <sstream>
#include <stdexcept>

namespace ipc_test {
namespace {

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

bool valid_test_name(const std::string& name) {
  const auto dot = name.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Expectations parse_expectations(const std::string& text, const std::string& origin) {
  Expectations result;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto where = origin + ":" + std::to_string(number) + ": ";
    const auto colon = line.find(':');
    if (colon == std::string::npos)
      throw std::runtime_error(where + "expected 'Suite.Test: reason'");
    const auto name = trim(line.substr(0, colon));
    const auto reason = trim(line.substr(colon + 1));
    if (!valid_test_name(name))
      throw std::runtime_error(where + "malformed test name '" + name + "'");
    if (reason.empty())
      throw std::runtime_error(where + "expected failure of " + name + " has no reason");
    if (!result.emplace(name, reason).second)
      throw std::runtime_error(where + name + " listed twice");
  }
  return result;
}

}  // namespace ipc_test
