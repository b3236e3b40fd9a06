"""Lint of the adapters' expectations files.

Each entry "Suite.Test: reason" must name a test that exists in the
conformance sources (a misspelt suite or test fails, where the harness would
ignore it), and its reason must be non-empty and name at least one of the spec
ids the test cites, and no id the test does not cite: the reason says which
requirement the implementation misses.
"""

import re

import coverage

ID_TOKEN_RE = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b")


def parse(path, text):
    """Returns ([(line, test, reason)], [problems]) for an expectations file."""
    entries, problems = [], []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, reason = line.partition(":")
        name, reason = name.strip(), reason.strip()
        if not sep or "." not in name:
            problems.append("%s:%d: expected 'Suite.Test: reason'" % (path, number))
        elif not reason:
            problems.append("%s:%d: %s has no reason" % (path, number, name))
        else:
            entries.append((number, name, reason))
    return entries, problems


def tests_of(sources):
    """{"Suite.Test": [cited ids]} of every test in sources ({path: text})."""
    tests = {}
    for path, text in sources.items():
        found, _ = coverage.cited_ids(path, text)
        for name, (_, ids) in found.items():
            tests[name] = ids
    return tests


def lint(path, text, tests, requirements):
    """Returns the problems of one expectations file."""
    entries, problems = parse(path, text)
    suites = {name.split(".")[0] for name in tests}
    seen = set()
    for number, name, reason in entries:
        where = "%s:%d: %s" % (path, number, name)
        # A typed suite's instances ("Suite/0.Test") share the source's name.
        name = name.split("/")[0] + name[name.index("."):] if "/" in name.split(".")[0] else name
        if name in seen:
            problems.append("%s is listed twice" % where)
        seen.add(name)
        if name not in tests:
            suite = name.split(".")[0]
            problems.append("%s names no test (%s)" % (
                where, "no suite %s" % suite if suite not in suites else "suite %s has no such test" % suite))
            continue
        cited = set(tests[name])
        named = {token for token in ID_TOKEN_RE.findall(reason) if token in requirements}
        if not named & cited:
            problems.append("%s: the reason names none of the test's spec ids (%s)" % (
                where, ", ".join(tests[name])))
        for token in sorted(named - cited):
            problems.append("%s: the reason names %s, which the test does not cite" % (where, token))
    return problems
