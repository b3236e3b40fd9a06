"""self_contained_test(): compiles every public header on its own."""

def _label(header):
    # "refipc/sync/named_mutex.hpp" -> "//impl/include/refipc/sync:named_mutex.hpp"
    package, _, file = header.rpartition("/")
    return "//impl/include/%s:%s" % (package, file)

def self_contained_test(name, headers, no_throw = [], skip = [], **kwargs):
    """One cc_test whose sources are one generated translation unit per header.

    `headers` are include paths ("refipc/x.hpp"); `no_throw` lists headers that
    declare nothing that throws (their unit does not catch
    interprocess_exception); `skip` lists headers of other platforms.
    """
    srcs = []
    for header in headers:
        if header in skip:
            continue
        stem = header[:-len(".hpp")].replace("/", "__")
        out = "%s_units/%s.cc" % (name, stem)
        native.genrule(
            name = "%s_%s" % (name, stem),
            srcs = [_label(header)],
            outs = [out],
            cmd = "python3 $(location :generate_tu.py) %s $(location %s) %s > $@" % (
                header,
                _label(header),
                "--no-throw" if header in no_throw else "",
            ),
            tools = [":generate_tu.py"],
        )
        srcs.append(out)
    native.cc_test(
        name = name,
        srcs = srcs + ["self_contained_main.cc"],
        **kwargs
    )
