#include "conformance/harness/adapter.hpp"

const ipc_test::AdapterInfo& ipc_test::adapter_info() {
  static const AdapterInfo info{
      "boost-1.81",
      {"xsi_shared_memory"},
      "refipc/conformance/adapters/boost/expectations.txt",
  };
  return info;
}
