"""conformance_test(): one conformance binary per implementation."""

# In-repo implementations and their adapters. `bazel test //...` checks each.
IMPLEMENTATIONS = {
    "boost": "//conformance/adapters/boost",
    "refipc": "//conformance/adapters/refipc",
}

_HARNESS = [
    "//conformance/harness",
    "//conformance/harness:main",
    "@googletest//:gtest",
]

def _windows_compatibility(windows, impl):
    # Windows builds only the binaries that opt in.
    if windows == True or (type(windows) == "list" and impl in windows):
        return []
    return select({
        "@platforms//os:windows": ["@platforms//:incompatible"],
        "//conditions:default": [],
    })

def conformance_test(name, srcs, deps = [], tags = [], windows = False, **kwargs):
    """Declares the conformance tests of one component.

    Creates `<name>_<impl>` for every in-repo implementation, `<name>` for the
    adapter selected with --//conformance:impl (incompatible, hence skipped,
    while the flag is unset), the test_suite `<name>_all` of the in-repo ones,
    the filegroup `<name>_sources` read by the spec coverage test, and
    `<name>_citations`, the table (test, level, features, ids) from which the
    harness reports a test UNSUPPORTED when its adapter does not claim the
    test's requirement level or optional features.

    `windows`: whether the in-repo binaries build for Windows
    (--config=mingw): True, or the list of the implementations whose binary
    does. (`<name>` for an out-of-tree adapter is not restricted.)
    """
    citations = name + "_citations"
    native.genrule(
        name = citations,
        srcs = srcs + ["//spec:catalogue", "//spec:features.txt"],
        outs = [citations + ".txt"],
        cmd = "$(execpath //conformance/harness:citations) $(execpath //spec:features.txt) $@ " +
              " ".join(["$(execpath %s)" % s for s in srcs]),
        tools = ["//conformance/harness:citations"],
    )
    harness_args = ["--ipc_citations=$(rootpath :%s)" % citations]
    per_impl = []
    for impl, adapter in IMPLEMENTATIONS.items():
        native.cc_test(
            name = "%s_%s" % (name, impl),
            srcs = srcs,
            args = harness_args,
            data = [":" + citations],
            deps = deps + _HARNESS + [adapter],
            tags = tags + ["conformance", "conformance_" + impl],
            target_compatible_with = _windows_compatibility(windows, impl),
            **kwargs
        )
        per_impl.append(":%s_%s" % (name, impl))
    native.cc_test(
        name = name,
        srcs = srcs,
        args = harness_args,
        data = [":" + citations],
        deps = deps + _HARNESS + ["//conformance:impl"],
        tags = tags + ["conformance", "conformance_selected"],
        target_compatible_with = select({
            "//conformance:impl_unset": ["@platforms//:incompatible"],
            "//conditions:default": [],
        }),
        **kwargs
    )
    native.test_suite(name = name + "_all", tests = per_impl)
    native.filegroup(
        name = name + "_sources",
        srcs = srcs,
        visibility = ["//conformance/coverage:__pkg__"],
    )
