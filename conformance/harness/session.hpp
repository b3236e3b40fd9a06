// What the harness loaded at start-up for this run.
#pragma once

#include <set>
#include <string>

#include "conformance/harness/expectations.hpp"
#include "conformance/harness/requirement_gate.hpp"

namespace ipc_test {

struct Session {
  std::set<std::string> known_features;     // from spec/features.txt
  std::set<std::string> provided_features;  // claimed by the adapter under test
  Expectations expectations;                // of the adapter under test
  std::set<std::string> claimed_levels;     // "manual" and the adapter's levels
  Citations citations;                      // of this binary's tests
};

Session& session();

// Parses features.txt text ("name: description" lines); throws on malformed lines.
std::set<std::string> parse_feature_names(const std::string& text, const std::string& origin);

}  // namespace ipc_test
