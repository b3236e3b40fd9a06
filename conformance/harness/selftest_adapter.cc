#include "conformance/harness/adapter.hpp"

const ipc_test::AdapterInfo& ipc_test::adapter_info() {
  static const AdapterInfo info{"harness-selftest", {"owner_death"}, "", {"boost"}};
  return info;
}
