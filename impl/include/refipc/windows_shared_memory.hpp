// Native Windows shared memory (windows_shared_memory): not available.
//
// The manual's windows_shared_memory wraps Windows' paging-file mappings and
// exists only on Windows. refipc does not implement it yet, so including this
// header is an error on every platform, with a message naming the reason.
#ifndef REFIPC_WINDOWS_SHARED_MEMORY_HPP_
#define REFIPC_WINDOWS_SHARED_MEMORY_HPP_

#ifndef _WIN32
#error \
    "refipc/windows_shared_memory.hpp: windows_shared_memory is only available on Windows (_WIN32 is not defined); use shared_memory_object or xsi_shared_memory on this platform"
#else
#error \
    "refipc/windows_shared_memory.hpp: refipc does not implement windows_shared_memory on Windows yet"
#endif

#endif  // REFIPC_WINDOWS_SHARED_MEMORY_HPP_
