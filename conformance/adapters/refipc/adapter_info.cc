#include "conformance/harness/adapter.hpp"

const ipc_test::AdapterInfo& ipc_test::adapter_info() {
  static const AdapterInfo info{
      "refipc",
#ifdef _WIN32
      // No XSI shared memory on Windows; the managed segments there neither
      // apply permissions nor are known to fail at creation on a full disk
      // (see docs/using-refipc.md, "Stores on Windows").
      {"checked_open", "dead_peer_recovery", "owner_death", "read_only_refusal",
       "windows_shared_memory", "uses_allocator_construction", "owner_before"},
#else
      {"checked_open", "dead_peer_recovery", "owner_death", "owner_only_permissions",
       "read_only_refusal", "space_reservation", "xsi_shared_memory", "uses_allocator_construction",
       "owner_before"},
#endif
      "refipc/conformance/adapters/refipc/expectations.txt",
      {"boost", "extension"},
  };
  return info;
}
