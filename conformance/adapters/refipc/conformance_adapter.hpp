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

// Native Windows shared memory exists only on Windows, XSI shared memory only
// on POSIX systems.
#ifdef _WIN32
#include "refipc/windows_shared_memory.hpp"
#else
#include "refipc/xsi_key.hpp"
#include "refipc/xsi_shared_memory.hpp"
#endif

namespace ipc = ::refipc;
