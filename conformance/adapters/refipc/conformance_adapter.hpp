// Conformance adapter for refipc: the suite reaches it as namespace ipc.
#pragma once

#include "refipc/allocators/adaptive_pool.hpp"
#include "refipc/allocators/allocator.hpp"
#include "refipc/allocators/cached_adaptive_pool.hpp"
#include "refipc/allocators/cached_node_allocator.hpp"
#include "refipc/allocators/node_allocator.hpp"
#include "refipc/allocators/private_adaptive_pool.hpp"
#include "refipc/allocators/private_node_allocator.hpp"
#include "refipc/containers/allocation_type.hpp"
#include "refipc/containers/deque.hpp"
#include "refipc/containers/stable_vector.hpp"
#include "refipc/containers/string.hpp"
#include "refipc/containers/vector.hpp"
#include "refipc/creation_tags.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
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
#include "refipc/smart_ptr/deleter.hpp"
#include "refipc/streams/bufferstream.hpp"
#include "refipc/streams/vectorstream.hpp"
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

// Ownership smart pointers.
#include "refipc/smart_ptr/enable_shared_from_this.hpp"
#include "refipc/smart_ptr/intrusive_ptr.hpp"
#include "refipc/smart_ptr/scoped_ptr.hpp"
#include "refipc/smart_ptr/shared_ptr.hpp"
#include "refipc/smart_ptr/unique_ptr.hpp"
#include "refipc/smart_ptr/weak_ptr.hpp"

// Native Windows shared memory exists only on Windows. The parts of refipc that
// are POSIX-only (anonymous shared memory, XSI shared memory) are left out on
// Windows, as are their features in adapter_info.cc; the suites that use them
// do not build there.
#include "refipc/file_mapping.hpp"
#include "refipc/managed_mapped_file.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/shared_memory_object.hpp"
#include "refipc/sync/file_lock.hpp"
#ifdef _WIN32
#include "refipc/managed_windows_shared_memory.hpp"
#include "refipc/windows_shared_memory.hpp"
#else
#include "refipc/anonymous_shared_memory.hpp"
#include "refipc/managed_xsi_shared_memory.hpp"
#include "refipc/xsi_key.hpp"
#include "refipc/xsi_shared_memory.hpp"
#endif

namespace ipc = ::refipc;

// refipc provides the optional feature owner_death (adapter_info.cc); its
// tests use owner_dead_exception and consistent(), which only exist here.
#define IPC_HAS_OWNER_DEATH 1

// refipc provides the optional feature owner_before (adapter_info.cc):
// shared_ptr and weak_ptr have a member owner_before, which Boost 1.81 lacks.
#define IPC_HAS_OWNER_BEFORE 1

// ---- Node and flat containers (list, slist, set, map, flat_*) ----
#include "refipc/containers/flat_map.hpp"
#include "refipc/containers/flat_set.hpp"
#include "refipc/containers/list.hpp"
#include "refipc/containers/map.hpp"
#include "refipc/containers/set.hpp"
#include "refipc/containers/slist.hpp"
// refipc's containers build their elements by uses-allocator construction
// (feature uses_allocator_construction, adapter_info.cc).
#define IPC_HAS_USES_ALLOCATOR_CONSTRUCTION 1
// ---- end of node and flat containers ----
