"""target_compatible_with values for code that exists on some platforms only."""

# Whether the whole refipc conformance adapter builds on Windows. refipc's
# synchronization layer does (portable wait backend), but the adapter also
# includes the message queue, file_mapping and shared_memory_object, which
# are POSIX-only still; until they are ported, the Windows binaries use the
# adapter's subset (conformance_adapter_windows.hpp). True enables, under
# --config=mingw, the refipc binaries of the components that list it.
WINDOWS_SYNC = False

def not_windows():
    """Incompatible with Windows targets (POSIX-only code: fork, mmap, shm_open...)."""
    return select({
        "@platforms//os:windows": ["@platforms//:incompatible"],
        "//conditions:default": [],
    })

def windows_only():
    """Compatible with Windows targets only."""
    return select({
        "@platforms//os:windows": [],
        "//conditions:default": ["@platforms//:incompatible"],
    })

def futex_only():
    """Compatible where the futex wait backend is used: Linux, unless built with
    --config=portable_wait (tests of the futex or the kernel's robust list)."""
    return ["@platforms//os:linux"] + select({
        "//platforms:portable_wait": ["@platforms//:incompatible"],
        "//conditions:default": [],
    })
