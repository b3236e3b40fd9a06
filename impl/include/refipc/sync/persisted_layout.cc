// The sizes and alignments of the synchronization primitives that processes
// place in shared memory (see docs/layout.md, which also gives their fields'
// offsets; the mutexes follow glibc's robust mutex layout, which depends on
// the pointer width: 32-bit processes have their own sizes). A change here
// changes what every process mapping an existing segment expects.
#include <cstddef>

#include "refipc/sync/interprocess_barrier.hpp"
#include "refipc/sync/interprocess_condition.hpp"
#include "refipc/sync/interprocess_condition_any.hpp"
#include "refipc/sync/interprocess_mutex.hpp"
#include "refipc/sync/interprocess_recursive_mutex.hpp"
#include "refipc/sync/interprocess_semaphore.hpp"
#include "refipc/sync/interprocess_sharable_mutex.hpp"
#include "refipc/sync/interprocess_upgradable_mutex.hpp"

namespace refipc {
namespace {

template <class T, std::size_t Size, std::size_t Align>
constexpr bool persisted_as = sizeof(T) == Size && alignof(T) == Align;

constexpr bool k64 = sizeof(void*) == 8;

static_assert(k64 ? persisted_as<interprocess_mutex, 40, 8>
                  : persisted_as<interprocess_mutex, 24, 4>,
              "interprocess_mutex layout");
static_assert(k64 ? persisted_as<interprocess_recursive_mutex, 48, 8>
                  : persisted_as<interprocess_recursive_mutex, 28, 4>,
              "recursive mutex layout");
static_assert(persisted_as<interprocess_condition, 8, 4>, "interprocess_condition layout");
static_assert(persisted_as<interprocess_condition_any, 8, 4>, "interprocess_condition_any layout");
static_assert(persisted_as<interprocess_semaphore, 8, 4>, "interprocess_semaphore layout");
static_assert(persisted_as<barrier, 12, 4>, "barrier layout");
static_assert(persisted_as<interprocess_sharable_mutex, 8, 4>, "sharable mutex layout");
static_assert(persisted_as<interprocess_upgradable_mutex, 8, 4>, "upgradable mutex layout");

}  // namespace
}  // namespace refipc
