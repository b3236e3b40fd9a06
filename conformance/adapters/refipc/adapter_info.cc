#include "conformance/harness/adapter.hpp"

const ipc_test::AdapterInfo& ipc_test::adapter_info() {
  static const AdapterInfo info{
      "refipc",
#ifdef _WIN32
      // No XSI shared memory or POSIX managed segments on Windows, hence
      // none of the features that only those provide.
      {"checked_open", "dead_peer_recovery", "owner_death", "windows_shared_memory",
       "uses_allocator_construction", "owner_before"},
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
