#include "conformance/harness/adapter.hpp"

const ipc_test::AdapterInfo& ipc_test::adapter_info() {
  static const AdapterInfo info{
      "refipc",
      {"barrier", "xsi_shared_memory"},
      "refipc/conformance/adapters/refipc/expectations.txt",
  };
  return info;
}
