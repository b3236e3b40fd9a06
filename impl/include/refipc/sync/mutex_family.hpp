// Mutex families: the mutex types a framework (such as a memory algorithm)
// uses, chosen by one type argument.
#ifndef REFIPC_SYNC_MUTEX_FAMILY_HPP_
#define REFIPC_SYNC_MUTEX_FAMILY_HPP_

#include "refipc/sync/interprocess_mutex.hpp"
#include "refipc/sync/interprocess_recursive_mutex.hpp"
#include "refipc/sync/null_mutex.hpp"

namespace refipc {

// Process-shared mutexes.
struct mutex_family {
  using mutex_type = interprocess_mutex;
  using recursive_mutex_type = interprocess_recursive_mutex;
};

// No synchronization at all.
struct null_mutex_family {
  using mutex_type = null_mutex;
  using recursive_mutex_type = null_mutex;
};

}  // namespace refipc

#endif  // REFIPC_SYNC_MUTEX_FAMILY_HPP_
