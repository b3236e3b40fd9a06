// Conformance adapter for refipc: the suite reaches it as namespace ipc.
#pragma once

#include "refipc/creation_tags.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/offset_ptr.hpp"
#include "refipc/permissions.hpp"
#include "refipc/shared_memory_object.hpp"

namespace ipc = ::refipc;
