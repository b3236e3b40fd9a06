"""target_compatible_with values for code that exists on some platforms only."""

# Whether refipc's conformance binaries of the components that list it build
# on Windows: those whose tests need refipc's synchronization layer (portable
# wait backend), its stores (file_mapping, shared_memory_object emulated by
# files, file_lock by LockFileEx) and managed segments but none of its
# POSIX-only parts. The refipc conformance adapter builds on Windows with what
# refipc has there; it leaves out under _WIN32 anonymous_shared_memory and XSI
# shared memory, which stay POSIX-only as in the manual.
WINDOWS_SYNC = True

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
