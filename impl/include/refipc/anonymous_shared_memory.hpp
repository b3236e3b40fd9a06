// Anonymous shared memory: a region shared with the children forked after it.
#ifndef REFIPC_ANONYMOUS_SHARED_MEMORY_HPP_
#define REFIPC_ANONYMOUS_SHARED_MEMORY_HPP_

#include <cstddef>

#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"

namespace refipc {

// Maps `size` zero-filled bytes, read_write, that the calling process shares
// with every child it forks afterwards. Without an address the system picks
// one; a requested address is used exactly or the call fails, as for
// mapped_region: it must be page aligned (else invalid_argument) and free
// (else busy_error). A size of 0 throws invalid_argument.
mapped_region anonymous_shared_memory(std::size_t size, void* address = nullptr);

}  // namespace refipc

#endif  // REFIPC_ANONYMOUS_SHARED_MEMORY_HPP_
