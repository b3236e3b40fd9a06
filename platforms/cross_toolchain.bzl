"""One macro for the cross toolchains of the platform matrix.

Bazel 4.2.3 selects C++ toolchains through --crosstool_top/--cpu: each config
points --crosstool_top at the `suite` this macro defines and --cpu at its
`cpu`. The `platform` drives select() and target_compatible_with only, and
the `cc_toolchain` target registered with --extra_toolchains lets toolchain
resolution for that platform succeed.
"""

load("@bazel_tools//tools/cpp:unix_cc_toolchain_config.bzl", "cc_toolchain_config")

def cross_toolchain(
        platform_name,
        os,
        cpu_constraint,
        cpu,
        identifier,
        prefix,
        include_directories,
        target_system_name,
        abi_libc_version,
        target_libc,
        compile_flags = [],
        link_flags = [],
        link_libs = ["-lstdc++"],
        gcc_wrapper = None,
        supports_param_files = None,
        tool_overrides = {},
        unfiltered_compile_flags = None):
    """Defines :<platform_name>, :suite, :cc, :config and :cc_toolchain.

    Args:
      platform_name: name of the platform target.
      os: the @platforms//os constraint ("linux", "windows").
      cpu_constraint: the @platforms//cpu constraint ("x86_32", ...).
      cpu: the --cpu value the config passes.
      identifier: the toolchain identifier.
      prefix: the path prefix of the cross binutils ("/usr/bin/<triplet>-").
      include_directories: the compiler's built-in include directories.
      target_system_name: the target triplet.
      abi_libc_version: the C library's ABI name.
      target_libc: the C library.
      compile_flags: flags for every compilation (besides -std=c++17).
      link_flags: flags for every link.
      link_libs: libraries every link takes.
      gcc_wrapper: a script in the package to run instead of <prefix>gcc.
      supports_param_files: set when the driver needs it (None: Bazel's default).
      tool_overrides: tool paths that differ from <prefix><tool>.
      unfiltered_compile_flags: cc_toolchain_config's, when given.
    """
    native.platform(
        name = platform_name,
        constraint_values = [
            "@platforms//os:" + os,
            "@platforms//cpu:" + cpu_constraint,
        ],
    )

    # Manual: it has no toolchain for the host cpu, so `bazel test //...` on
    # the host must not analyse it.
    native.cc_toolchain_suite(
        name = "suite",
        tags = ["manual"],
        toolchains = {
            cpu: ":cc",
            cpu + "|gcc": ":cc",
        },
    )

    native.filegroup(name = "empty")
    driver_files = ":empty"
    if gcc_wrapper:
        native.filegroup(
            name = "wrappers",
            srcs = [gcc_wrapper],
        )
        driver_files = ":wrappers"

    param_files = {}
    if supports_param_files != None:
        param_files["supports_param_files"] = supports_param_files
    native.cc_toolchain(
        name = "cc",
        all_files = driver_files,
        ar_files = ":empty",
        as_files = ":empty",
        compiler_files = driver_files,
        dwp_files = ":empty",
        linker_files = driver_files,
        objcopy_files = ":empty",
        strip_files = ":empty",
        tags = ["manual"],
        toolchain_config = ":config",
        toolchain_identifier = identifier,
        **param_files
    )

    tools = {
        tool: prefix + tool
        for tool in ["ar", "cpp", "dwp", "gcc", "gcov", "ld", "nm", "objcopy", "objdump", "strip"]
    }
    tools["llvm-cov"] = "/bin/false"
    if gcc_wrapper:
        tools["gcc"] = gcc_wrapper
    tools.update(tool_overrides)

    extra = {}
    if unfiltered_compile_flags != None:
        extra["unfiltered_compile_flags"] = unfiltered_compile_flags
    cc_toolchain_config(
        name = "config",
        abi_libc_version = abi_libc_version,
        abi_version = "gcc",
        compile_flags = ["-Wall", "-fno-omit-frame-pointer"] + compile_flags,
        compiler = "gcc",
        cpu = cpu,
        cxx_builtin_include_directories = include_directories,
        cxx_flags = ["-std=c++17"],
        dbg_compile_flags = ["-g"],
        host_system_name = "x86_64-unknown-linux-gnu",
        link_flags = link_flags,
        link_libs = link_libs,
        opt_compile_flags = [
            "-O2",
            "-DNDEBUG",
        ],
        target_libc = target_libc,
        target_system_name = target_system_name,
        tool_paths = tools,
        toolchain_identifier = identifier,
        **extra
    )

    native.toolchain(
        name = "cc_toolchain",
        exec_compatible_with = [
            "@platforms//os:linux",
            "@platforms//cpu:x86_64",
        ],
        target_compatible_with = [
            "@platforms//os:" + os,
            "@platforms//cpu:" + cpu_constraint,
        ],
        toolchain = ":cc",
        toolchain_type = "@bazel_tools//tools/cpp:toolchain_type",
    )
