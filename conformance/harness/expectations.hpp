// Per-implementation expected failures.
//
// File format: one entry per line, "Suite.Test: reason"; '#' starts a comment
// line. The reason is mandatory: an expected failure must say why.
#pragma once

#include <map>
#include <string>

namespace ipc_test {

using Expectations = std::map<std::string, std::string>;  // full test name -> reason

// Parses the file's text; throws std::runtime_error naming `origin` and the
// line for malformed or duplicate entries.
Expectations parse_expectations(const std::string& text, const std::string& origin);

}  // namespace ipc_test
