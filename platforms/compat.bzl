"""target_compatible_with values for code that exists on some platforms only."""

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
