#include "conformance/harness/adapter.hpp"

// Boost 1.81 is today's Boost: it claims the "boost" level, not refipc's
// extensions.
const ipc_test::AdapterInfo& ipc_test::adapter_info() {
  static const AdapterInfo info{
      "boost-1.81",
#ifdef _WIN32
      {"windows_shared_memory"},
#else
      {"xsi_shared_memory"},
#endif
      "refipc/conformance/adapters/boost/expectations.txt",
      {"boost"},
  };
  return info;
}
