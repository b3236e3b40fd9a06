// The refipc conformance adapter on Windows while refipc's synchronization
// layer is POSIX-only: what builds there without it (native shared memory,
// mapped regions, the vocabulary types). Defining REFIPC_ADAPTER_WINDOWS_SYNC
// (WINDOWS_SYNC in platforms/compat.bzl) selects the whole adapter instead.
#pragma once

#include "refipc/creation_tags.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/offset_ptr.hpp"
#include "refipc/permissions.hpp"
#include "refipc/windows_shared_memory.hpp"

namespace ipc = ::refipc;
