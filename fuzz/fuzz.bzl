"""fuzz_test(): a libFuzzer harness and the test that replays its corpus."""

def fuzz_test(name, srcs, corpus, deps = [], dictionary = None, **kwargs):
    """Declares `<name>_fuzzer` and `<name>_replay`.

    `srcs` define LLVMFuzzerTestOneInput. `<name>_fuzzer` is the libFuzzer
    binary, compatible only with --config=fuzz; `<name>_replay` runs every
    file of `corpus` (a list of files) through the harness as an ordinary test in any config.
    """
    native.cc_binary(
        name = name + "_fuzzer",
        srcs = srcs,
        deps = deps,
        linkopts = ["-fsanitize=fuzzer"],
        data = [dictionary] if dictionary else [],
        target_compatible_with = select({
            "//fuzz:libfuzzer": [],
            "//conditions:default": ["@platforms//:incompatible"],
        }),
        **kwargs
    )
    native.filegroup(name = name + "_corpus", srcs = corpus)
    native.cc_test(
        name = name + "_replay",
        srcs = srcs,
        deps = deps + ["//fuzz/support:replay"],
        args = ["$(rootpaths :%s_corpus)" % name],
        data = [":%s_corpus" % name],
        **kwargs
    )
