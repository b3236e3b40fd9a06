"""Reads what `bazel test` printed: each target's status and, for targets that
failed to build, the compiler's output."""

import re

TARGET_RESULT_RE = re.compile(
    r"^(//conformance/\S+)\s+(?:\(cached\)\s+)?(FAILED TO BUILD|PASSED|FAILED|TIMEOUT|NO STATUS|FLAKY)\b",
    re.MULTILINE)
# The line Bazel prints when an action of a rule fails, in Bazel 4's wording
# ("C++ compilation of rule '//x:y' failed") or a later one ("Compiling x.cc
# failed" followed by the command, whose output names the target's _objs dir).
ERROR_RE = re.compile(r"^ERROR: .*?(?:rule '(?P<rule>//[^']+)'|Compiling (?P<source>\S+) failed)")
FROM_TARGET_RE = re.compile(r"\(from target (?P<rule>//[^)\s]+)\)")
OBJS_RE = re.compile(r"/_objs/(?P<name>[^/]+)/")
SECTION_END_RE = re.compile(r"^(ERROR:|INFO:|WARNING:|Target //|\[\d[\d,]* / \d)")


def target_statuses(output):
    """{label: status} of the test targets in a `bazel test` summary."""
    return {m.group(1): m.group(2) for m in TARGET_RESULT_RE.finditer(output)}


def compile_failures(output):
    """[(label or None, source or None, compiler output)] for each failed action."""
    failures, current = [], None
    for line in output.splitlines():
        match = ERROR_RE.match(line)
        if match:
            if current:
                failures.append(current)
            rule, source = match.group("rule"), match.group("source")
            named = FROM_TARGET_RE.search(line)
            if rule is None and named:
                rule = named.group("rule")
            if rule is None:
                objs = OBJS_RE.search(line)
                package = source.rsplit("/", 1)[0] if source else ""
                rule = "//%s:%s" % (package, objs.group("name")) if objs and package else None
            current = [rule, source, []]
            continue
        if current is None:
            continue
        if SECTION_END_RE.match(line):
            failures.append(current)
            current = None
        else:
            current[2].append(line)
    if current:
        failures.append(current)
    return [(rule, source, "\n".join(lines)) for rule, source, lines in failures]


def compiler_output_of(failures, label):
    """The compiler output of `label`'s failed actions among compile_failures().

    Bazel 4 names the failed source, not its target: a failure of a source in
    the label's package counts (for both in-repo implementations when both
    fail to compile it)."""
    package = label[2:].partition(":")[0]
    return "\n".join(text for rule, source, text in failures
                     if rule == label or (rule is None and source and source.startswith(package + "/")))
