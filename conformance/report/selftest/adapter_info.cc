#include "conformance/harness/adapter.hpp"

const ipc_test::AdapterInfo& ipc_test::adapter_info() {
  static const AdapterInfo info{
      "compile-gap-selftest",
      {"checked_open", "dead_peer_recovery", "owner_death", "xsi_shared_memory"},
      "",
      {"boost", "extension"},
  };
  return info;
}
