"""Repository rules that wrap Debian-packaged dependencies for offline builds."""

_RULES_CC = "/usr/share/bazel/rules/cc"

# Files of Debian's rules_cc that call use_cpp_toolchain(), missing in 4.2.3.
_RULES_CC_PATCHED = [
    "cc/private/rules_impl/cc_flags_supplier.bzl",
    "cc/private/rules_impl/compiler_flag.bzl",
]

def _debian_rules_cc_impl(ctx):
    result = ctx.execute(["cp", "-r", _RULES_CC + "/.", "."])
    if result.return_code != 0:
        fail("copying %s failed (is bazel-rules-cc installed?): %s" % (_RULES_CC, result.stderr))
    for path in _RULES_CC_PATCHED:
        text = ctx.read(path)
        text = text.replace(', "use_cpp_toolchain")', ")")
        text = text.replace("use_cpp_toolchain()", '["@bazel_tools//tools/cpp:toolchain_type"]')
        ctx.file(path, text, legacy_utf8 = False)

debian_rules_cc = repository_rule(
    implementation = _debian_rules_cc_impl,
    local = True,
)

_BOOST_BUILD = """
cc_library(
    name = "interprocess",
    hdrs = glob(["boost/**"]),
    includes = ["."],
    linkopts = select({
        "@platforms//os:windows": [],
        "//conditions:default": ["-lrt", "-pthread"],
    }),
    visibility = ["//visibility:public"],
)
"""

def _debian_boost_impl(ctx):
    if not ctx.path("/usr/include/boost/interprocess/shared_memory_object.hpp").exists:
        fail("Boost headers not found in /usr/include/boost (install libboost1.81-dev)")
    ctx.symlink("/usr/include/boost", "boost")
    ctx.file("BUILD", _BOOST_BUILD)

debian_boost = repository_rule(
    implementation = _debian_boost_impl,
    local = True,
)

_COVERAGE_BUILD = """
# Stand-in for the coverage tools Bazel would download; coverage is unsupported.
filegroup(name = "coverage_report_generator", visibility = ["//visibility:public"])
filegroup(name = "Main", visibility = ["//visibility:public"])
filegroup(name = "lcov_merger", visibility = ["//visibility:public"])
"""

def _empty_coverage_tools_impl(ctx):
    ctx.file("BUILD", _COVERAGE_BUILD)

empty_coverage_tools = repository_rule(implementation = _empty_coverage_tools_impl)
