#include "conformance/harness/requirement_gate.hpp"

#include <sstream>
#include <stdexcept>

namespace ipc_test {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  return parts;
}

}  // namespace

Citations parse_citations(const std::string& text, const std::string& origin) {
  Citations result;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (line.empty()) continue;
    const auto fields = split(line, '\t');
    const auto where = origin + ":" + std::to_string(number) + ": ";
    if (fields.size() != 4) throw std::runtime_error(where + "expected 4 tab-separated fields");
    const auto& level = fields[1];
    if (level != "manual" && level != "boost" && level != "extension")
      throw std::runtime_error(where + "unknown level '" + level + "'");
    Citation citation{level, {}, fields[3]};
    if (fields[2] != "-") citation.features = split(fields[2], ',');
    result[fields[0]] = std::move(citation);
  }
  return result;
}

std::string citation_key(const ::testing::TestInfo& info) {
  std::string suite = info.test_suite_name();
  suite = suite.substr(0, suite.find('/'));
  return suite + "." + info.name();
}

std::string unsupported_reason(const Citation& citation, const std::set<std::string>& levels,
                               const std::set<std::string>& features) {
  if (citation.level != "manual" && levels.count(citation.level) == 0)
    return "the adapter does not claim the requirement level '" + citation.level + "'";
  for (const auto& feature : citation.features) {
    if (features.count(feature) == 0)
      return "the adapter does not provide the optional feature '" + feature + "'";
  }
  return "";
}

void RequirementGate::OnTestStart(const ::testing::TestInfo& info) {
  const auto found = citations_.find(citation_key(info));
  if (found == citations_.end()) return;
  ::testing::Test::RecordProperty("level", found->second.level);
  ::testing::Test::RecordProperty("spec", found->second.ids);
  const auto reason = unsupported_reason(found->second, levels_, features_);
  if (!reason.empty()) GTEST_SKIP() << "UNSUPPORTED: " << reason;
}

}  // namespace ipc_test
