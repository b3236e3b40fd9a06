// Conformance adapter for Boost.Interprocess 1.81 (Debian's headers).
#pragma once

#include <boost/interprocess/allocators/adaptive_pool.hpp>
#include <boost/interprocess/allocators/allocator.hpp>
#include <boost/interprocess/allocators/cached_adaptive_pool.hpp>
#include <boost/interprocess/allocators/cached_node_allocator.hpp>
#include <boost/interprocess/allocators/node_allocator.hpp>
#include <boost/interprocess/allocators/private_adaptive_pool.hpp>
#include <boost/interprocess/allocators/private_node_allocator.hpp>
#include <boost/interprocess/anonymous_shared_memory.hpp>
#include <boost/interprocess/containers/allocation_type.hpp>
#include <boost/interprocess/containers/deque.hpp>
#include <boost/interprocess/containers/stable_vector.hpp>
#include <boost/interprocess/containers/string.hpp>
#include <boost/interprocess/containers/vector.hpp>
#include <boost/interprocess/creation_tags.hpp>
#include <boost/interprocess/errors.hpp>
#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/file_mapping.hpp>
#include <boost/interprocess/indexes/flat_map_index.hpp>
#include <boost/interprocess/indexes/iset_index.hpp>
#include <boost/interprocess/indexes/iunordered_set_index.hpp>
#include <boost/interprocess/indexes/map_index.hpp>
#include <boost/interprocess/indexes/null_index.hpp>
#include <boost/interprocess/ipc/message_queue.hpp>
#include <boost/interprocess/managed_external_buffer.hpp>
#include <boost/interprocess/managed_heap_memory.hpp>
#include <boost/interprocess/managed_mapped_file.hpp>
#include <boost/interprocess/managed_shared_memory.hpp>
#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/mem_algo/rbtree_best_fit.hpp>
#include <boost/interprocess/mem_algo/simple_seq_fit.hpp>
#include <boost/interprocess/offset_ptr.hpp>
#include <boost/interprocess/permissions.hpp>
#include <boost/interprocess/segment_manager.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <boost/interprocess/smart_ptr/deleter.hpp>
#include <boost/interprocess/streams/bufferstream.hpp>
#include <boost/interprocess/streams/vectorstream.hpp>
#include <boost/interprocess/sync/file_lock.hpp>
#include <boost/interprocess/sync/interprocess_condition.hpp>
#include <boost/interprocess/sync/interprocess_condition_any.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/interprocess/sync/interprocess_recursive_mutex.hpp>
#include <boost/interprocess/sync/interprocess_semaphore.hpp>
#include <boost/interprocess/sync/interprocess_sharable_mutex.hpp>
#include <boost/interprocess/sync/interprocess_upgradable_mutex.hpp>
#include <boost/interprocess/sync/lock_options.hpp>
#include <boost/interprocess/sync/mutex_family.hpp>
#include <boost/interprocess/sync/named_condition.hpp>
#include <boost/interprocess/sync/named_condition_any.hpp>
#include <boost/interprocess/sync/named_mutex.hpp>
#include <boost/interprocess/sync/named_recursive_mutex.hpp>
#include <boost/interprocess/sync/named_semaphore.hpp>
#include <boost/interprocess/sync/named_sharable_mutex.hpp>
#include <boost/interprocess/sync/named_upgradable_mutex.hpp>
#include <boost/interprocess/sync/null_mutex.hpp>
#include <boost/interprocess/sync/scoped_lock.hpp>
#include <boost/interprocess/sync/sharable_lock.hpp>
#include <boost/interprocess/sync/upgradable_lock.hpp>

// Ownership smart pointers.
#include <boost/interprocess/smart_ptr/enable_shared_from_this.hpp>
#include <boost/interprocess/smart_ptr/intrusive_ptr.hpp>
#include <boost/interprocess/smart_ptr/scoped_ptr.hpp>
#include <boost/interprocess/smart_ptr/shared_ptr.hpp>
#include <boost/interprocess/smart_ptr/unique_ptr.hpp>
#include <boost/interprocess/smart_ptr/weak_ptr.hpp>

// Native Windows shared memory exists only on Windows, XSI shared memory only
// on POSIX systems.
#ifdef _WIN32
#include <boost/interprocess/managed_windows_shared_memory.hpp>
#include <boost/interprocess/windows_shared_memory.hpp>
#else
#include <boost/interprocess/managed_xsi_shared_memory.hpp>
#include <boost/interprocess/xsi_key.hpp>
#include <boost/interprocess/xsi_shared_memory.hpp>
#endif

namespace ipc = ::boost::interprocess;

// Documented members whose use does not compile with Boost 1.81; the tests of
// them fail at run time instead and are listed in expectations.txt.
// operator>>(istream&, offset_ptr<T>&) applies >> to the value returned by
// get_offset(), which is not an lvalue.
#define IPC_COMPILE_GAP_OFFSET_PTR_EXTRACTION 1

// Boost 1.81 has no barrier, a class the manual documents.
#define IPC_COMPILE_GAP_BARRIER 1

// unordered_map_index does not compile in 1.81: its hash function reads
// private members of index_key.
#define IPC_COMPILE_GAP_UNORDERED_MAP_INDEX 1

// With null_index, construct<T>(anonymous_instance) and destroy_ptr
// instantiate the named-object code, which needs the index's find, insert and
// key_type, so they do not compile.
#define IPC_COMPILE_GAP_NULL_INDEX_ANONYMOUS 1

// basic_ivectorstream's constructor from a vector parameter hands its
// not-yet-constructed vectorbuf base to basic_istream (UBSan: member call on
// an object not of its type), so tests do not call it and the test of it
// fails at run time instead (expectations.txt).
#define IPC_UNDEFINED_IVECTORSTREAM_PARAMETER_CTOR 1

// basic_managed_shared_memory::flush(), in the manual's reference, is a
// private member (inherited privately from managed_open_or_create_impl).
#define IPC_COMPILE_GAP_MANAGED_SHARED_MEMORY_FLUSH 1

// ---- Node and flat containers (list, slist, set, map, flat_*) ----
// Boost.Interprocess's containers are Boost.Container's, named in
// boost::interprocess by these headers.
#include <boost/interprocess/containers/flat_map.hpp>
#include <boost/interprocess/containers/flat_set.hpp>
#include <boost/interprocess/containers/list.hpp>
#include <boost/interprocess/containers/map.hpp>
#include <boost/interprocess/containers/set.hpp>
#include <boost/interprocess/containers/slist.hpp>
// ---- end of node and flat containers ----

// get_pointer(), which the manual's reference documents for intrusive_ptr,
// scoped_ptr and shared_ptr, is to_raw_pointer() in 1.81.
#define IPC_COMPILE_GAP_GET_POINTER 1

// make_managed_weak_ptr constructs its weak_ptr from (pointer, allocator,
// deleter), a constructor weak_ptr does not have.
#define IPC_COMPILE_GAP_MAKE_MANAGED_WEAK_PTR 1
