"""bench_suite(): a benchmark binary and the smoke test that keeps it working."""

def bench_suite(name, srcs, deps = [], smoke_timeout = "moderate"):
    """Declares the cc_binary `name` and the sh_test `<name>_smoke`.

    The binary links //bench/support:ratio_main, which prints the
    Boost/refipc ratio table; the smoke test runs every case briefly and
    asserts nothing about speed. `smoke_timeout` is the smoke test's Bazel
    timeout, for suites whose setup is slow under the sanitizers.
    """
    native.cc_binary(
        name = name,
        srcs = srcs,
        deps = deps + [
            "//bench/support:ratio_main",
            "@benchmark",
        ],
    )
    native.sh_test(
        name = name + "_smoke",
        srcs = ["//bench/support:smoke.sh"],
        args = ["$(rootpath :%s)" % name],
        data = [":" + name],
        timeout = smoke_timeout,
    )
