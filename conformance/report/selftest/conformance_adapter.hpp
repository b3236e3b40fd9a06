// Adapter of the report's compile-gap self-test: refipc with a few documented
// names deliberately missing, so that the tests using them do not compile.
// conformance/report/report --impl //conformance/report/selftest:adapter
// --component file_mapping --component shared_memory_object must report only
// those tests FAILED ("does not compile") and run the rest.
#pragma once

#include "refipc/allocators/allocator.hpp"
#include "refipc/anonymous_shared_memory.hpp"
#include "refipc/containers/allocation_type.hpp"
#include "refipc/creation_tags.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/file_mapping.hpp"
#include "refipc/indexes/flat_map_index.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/indexes/iunordered_set_index.hpp"
#include "refipc/indexes/map_index.hpp"
#include "refipc/indexes/null_index.hpp"
#include "refipc/indexes/unordered_map_index.hpp"
#include "refipc/ipc/message_queue.hpp"
#include "refipc/managed_external_buffer.hpp"
#include "refipc/managed_heap_memory.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/mem_algo/simple_seq_fit.hpp"
#include "refipc/offset_ptr.hpp"
#include "refipc/permissions.hpp"
#include "refipc/segment_manager.hpp"
#include "refipc/shared_memory_object.hpp"
#include "refipc/smart_ptr/deleter.hpp"
#include "refipc/sync/file_lock.hpp"
#include "refipc/sync/interprocess_barrier.hpp"
#include "refipc/sync/interprocess_condition.hpp"
#include "refipc/sync/interprocess_condition_any.hpp"
#include "refipc/sync/interprocess_mutex.hpp"
#include "refipc/sync/interprocess_recursive_mutex.hpp"
#include "refipc/sync/interprocess_semaphore.hpp"
#include "refipc/sync/interprocess_sharable_mutex.hpp"
#include "refipc/sync/interprocess_upgradable_mutex.hpp"
#include "refipc/sync/lock_options.hpp"
#include "refipc/sync/mutex_family.hpp"
#include "refipc/sync/named_condition.hpp"
#include "refipc/sync/named_condition_any.hpp"
#include "refipc/sync/named_mutex.hpp"
#include "refipc/sync/named_recursive_mutex.hpp"
#include "refipc/sync/named_semaphore.hpp"
#include "refipc/sync/named_sharable_mutex.hpp"
#include "refipc/sync/named_upgradable_mutex.hpp"
#include "refipc/sync/null_mutex.hpp"
#include "refipc/sync/scoped_lock.hpp"
#include "refipc/sync/sharable_lock.hpp"
#include "refipc/sync/upgradable_lock.hpp"
#include "refipc/xsi_key.hpp"
#include "refipc/xsi_shared_memory.hpp"

namespace ipc_selftest {

using namespace ::refipc;

// Each name here is also found through refipc, so a use is ambiguous and does
// not compile, as if the implementation lacked it.
namespace missing {
struct remove_file_on_destroy;
struct remove_shared_memory_on_destroy;
}  // namespace missing
using namespace missing;

}  // namespace ipc_selftest

namespace ipc = ::ipc_selftest;

#define IPC_HAS_OWNER_DEATH 1
