// Reports a test UNSUPPORTED, before it runs, when the adapter claims neither
// the requirement level of the ids it cites nor every optional feature among
// them. The table comes from conformance_test()'s `<name>_citations` rule
// (conformance/harness/citations.py).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace ipc_test {

struct Citation {
  std::string level;                  // manual, boost or extension
  std::vector<std::string> features;  // optional features of the cited ids
  std::string ids;                    // space-separated
};

// Keyed by "Suite.Test" (a typed suite's "/N" suffix removed).
using Citations = std::map<std::string, Citation>;

// Parses the table's text; throws std::runtime_error naming `origin` and the
// line for malformed lines or unknown levels.
Citations parse_citations(const std::string& text, const std::string& origin);

// The name under which `info` appears in the table.
std::string citation_key(const ::testing::TestInfo& info);

// Why the adapter cannot run a test of `citation`, or "" when it can.
std::string unsupported_reason(const Citation& citation, const std::set<std::string>& levels,
                               const std::set<std::string>& features);

class RequirementGate : public ::testing::EmptyTestEventListener {
 public:
  RequirementGate(const Citations& citations, const std::set<std::string>& levels,
                  const std::set<std::string>& features)
      : citations_(citations), levels_(levels), features_(features) {}

  // Records the test's level and ids; skips it when it is unsupported (a skip
  // recorded before the test object runs keeps its body from running).
  void OnTestStart(const ::testing::TestInfo& info) override;

 private:
  const Citations& citations_;
  const std::set<std::string>& levels_;
  const std::set<std::string>& features_;
};

}  // namespace ipc_test
