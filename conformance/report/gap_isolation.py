"""Isolates compile gaps: when a conformance binary does not build against an
implementation, finds the tests whose code the compiler rejected and builds
the binary again without them.

Only a component whose binary failed to build pays for this: the report
compiles a reduced copy of its sources (in a generated package, tagged
manual, removed afterwards), and reports each removed test as FAILED with its
first compiler error. An error outside every test (in a helper the whole file
uses) cannot be isolated: the binary is then reported as not building.
"""

import re

TEST_START_RE = re.compile(r"^[ \t]*(?:TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P)\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)",
                           re.MULTILINE)
# A compiler diagnostic line for a file: "path:line:column: error: text" or an
# instantiation note "path:line:column:   required from here".
DIAGNOSTIC_RE = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?:\d+:)?\s*(?P<what>.*)$")


def _skip_literal(text, i):
    """Index just past the string or character literal starting at text[i]."""
    quote = text[i]
    i += 1
    while i < len(text) and text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _matching_brace(text, open_index):
    """Index of the '}' closing the '{' at open_index (comments and literals skipped)."""
    depth, i = 0, open_index
    while i < len(text):
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            if i < 0:
                break
            continue
        if text.startswith("/*", i):
            i = text.find("*/", i) + 2
            continue
        if c in "\"'":
            i = _skip_literal(text, i)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced braces after offset %d" % open_index)


def test_blocks(text):
    """[(name "Suite.Test", first line, last line, start offset, end offset)] of a source."""
    blocks = []
    for match in TEST_START_RE.finditer(text):
        body = text.index("{", match.end())
        end = _matching_brace(text, body) + 1
        first = text.count("\n", 0, match.start()) + 1
        last = text.count("\n", 0, end) + 1
        blocks.append(("%s.%s" % (match.group(1), match.group(2)), first, last, match.start(), end))
    return blocks


def rejected_tests(source_path, text, compiler_output):
    """Maps the compiler's diagnostics for `source_path` to tests.

    Returns ({test: first error line}, prelude_error): the tests whose lines
    the errors (or the instantiations leading to them) point at, and the first
    error that points at no test ("" when every error lies in a test).
    """
    blocks = test_blocks(text)
    rejected, prelude_error = {}, ""
    pending = []  # lines of the source met since the last error, innermost last
    for raw in compiler_output.splitlines():
        match = DIAGNOSTIC_RE.match(raw.strip())
        if not match:
            continue
        path, line, what = match.group("path"), int(match.group("line")), match.group("what")
        in_source = path.endswith(source_path) or source_path.endswith(path)
        if in_source and ("required from" in what or "error:" in what):
            pending.append(line)
        if "error:" not in what:
            continue
        message = raw.strip()
        tests = {name for name, first, last, _, _ in blocks for l in pending if first <= l <= last}
        for name in sorted(tests):
            rejected.setdefault(name, message)
        if not tests and not prelude_error:
            prelude_error = message
        pending = []
    return rejected, prelude_error


def without_tests(text, names):
    """The source with the blocks of the named tests removed (lines kept blank,
    so that line numbers of the rest do not move)."""
    pieces, position = [], 0
    for name, _, _, start, end in test_blocks(text):
        if name in names:
            pieces.append(text[position:start])
            pieces.append("\n" * text.count("\n", start, end))
            position = end
    pieces.append(text[position:])
    return "".join(pieces)


def first_error(compiler_output):
    """The first "error:" line of a compiler output, or ""."""
    for raw in compiler_output.splitlines():
        if "error:" in raw:
            return raw.strip()
    return ""
