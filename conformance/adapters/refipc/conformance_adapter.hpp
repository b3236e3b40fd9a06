// Conformance adapter for refipc: the suite reaches it as namespace ipc.
#pragma once

#include "refipc/anonymous_shared_memory.hpp"
#include "refipc/creation_tags.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/file_mapping.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/offset_ptr.hpp"
#include "refipc/permissions.hpp"
#include "refipc/shared_memory_object.hpp"
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
#include "refipc/sync/null_mutex.hpp"
#include "refipc/sync/scoped_lock.hpp"
#include "refipc/sync/sharable_lock.hpp"
#include "refipc/sync/upgradable_lock.hpp"

// Native Windows shared memory exists only on Windows, XSI shared memory only
// on POSIX systems.
#ifdef _WIN32
#include "refipc/windows_shared_memory.hpp"
#else
#include "refipc/xsi_key.hpp"
#include "refipc/xsi_shared_memory.hpp"
#endif

namespace ipc = ::refipc;
