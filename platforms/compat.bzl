"""target_compatible_with values for code that exists on some platforms only."""

# Whether refipc's synchronization layer (refipc/sync: interprocess_mutex and
# the rest) builds and works on Windows. True enables, under --config=mingw,
# the test of the managed_windows_shared_memory typedef (mutex_family) and the
# whole refipc conformance adapter (instead of its Windows subset).
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
