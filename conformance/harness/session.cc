#include "conformance/harness/session.hpp"

#include <sstream>
#include <stdexcept>

namespace ipc_test {

Session& session() {
  static Session instance;
  return instance;
}

std::set<std::string> parse_feature_names(const std::string& text, const std::string& origin) {
  std::set<std::string> names;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
      throw std::runtime_error(origin + ":" + std::to_string(number) +
                               ": expected 'name: description'");
    }
    names.insert(line.substr(0, colon));
  }
  return names;
}

}  // namespace ipc_test
