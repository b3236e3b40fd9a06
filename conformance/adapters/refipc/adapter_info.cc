#include "conformance/harness/adapter.hpp"

const ipc_test::AdapterInfo& ipc_test::adapter_info() {
  static const AdapterInfo info{
      "refipc",
      {"xsi_shared_memory", "unordered_map_index", "checked_open"},
      "refipc/conformance/adapters/refipc/expectations.txt",
  };
  return info;
}
