// The contract between the conformance harness and an implementation adapter.
//
// An adapter is a cc_library that exposes the header "conformance_adapter.hpp"
// (which includes the implementation and defines `namespace ipc = ...;`) and
// defines ipc_test::adapter_info() in one of its sources.
#pragma once

#include <string>
#include <vector>

namespace ipc_test {

struct AdapterInfo {
  // Short name shown in reports, e.g. "refipc".
  std::string name;
  // Optional features (from spec/features.txt) the implementation provides:
  // platform features (xsi_shared_memory, windows_shared_memory) and
  // extensions it implements.
  std::vector<std::string> features;
  // Runfiles path of the expectations file, e.g.
  // "refipc/conformance/adapters/refipc/expectations.txt"; the file must be in
  // the adapter's data. Empty when there are no expected failures.
  std::string expectations;
  // Requirement levels (spec/README.md) the implementation claims beyond
  // "manual", which every implementation must meet: "boost" (today's Boost API
  // and behaviour beyond the manual) and "extension" (refipc's guarantees).
  // Tests of an unclaimed level report UNSUPPORTED.
  std::vector<std::string> levels;
};

// Defined by the adapter.
const AdapterInfo& adapter_info();

}  // namespace ipc_test
