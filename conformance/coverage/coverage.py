"""Static spec coverage of the conformance sources.

Finds every gtest test in the given sources, checks that it cites requirement
ids with IPC_SPEC(...) and that every cited id exists in the catalogue, and
computes, per component, how many requirements at least one test cites.
"""

import re

TEST_RE = re.compile(r"^\s*(?:TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P)\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)",
                     re.MULTILINE)
SPEC_RE = re.compile(r"IPC_SPEC\s*\((.*?)\)\s*;", re.DOTALL)
STRING_RE = re.compile(r'"([^"]*)"')


def cited_ids(path, text):
    """Returns ({test name: [ids]}, [problems]) for one source file."""
    tests, problems = {}, []
    matches = list(TEST_RE.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = text[match.end():end]
        name = "%s.%s" % (match.group(1), match.group(2))
        line = text.count("\n", 0, match.start()) + 1
        spec = SPEC_RE.search(body)
        if spec is None:
            problems.append("%s:%d: %s cites no requirement (IPC_SPEC missing)" % (path, line, name))
            continue
        ids = STRING_RE.findall(spec.group(1))
        if not ids:
            problems.append("%s:%d: %s has an empty IPC_SPEC" % (path, line, name))
        tests[name] = (line, ids)
    return tests, problems


def coverage(requirements, components, sources):
    """sources: {path: text}. Returns (rows, problems, cited).

    rows: [(component, cited count, total)] in catalogue order.
    """
    problems, cited = [], set()
    for path, text in sorted(sources.items()):
        tests, file_problems = cited_ids(path, text)
        problems.extend(file_problems)
        for name, (line, ids) in sorted(tests.items()):
            for requirement_id in ids:
                if requirement_id not in requirements:
                    problems.append("%s:%d: %s cites unknown id '%s'" % (path, line, name, requirement_id))
                else:
                    cited.add(requirement_id)
    rows = []
    for component in components:
        ids = [i for i, r in requirements.items() if r.component == component]
        rows.append((component, sum(1 for i in ids if i in cited), len(ids)))
    return rows, problems, cited


def format_rows(rows):
    lines = ["%-32s %9s %6s" % ("component", "covered", "pct")]
    for component, covered, total in rows:
        lines.append("%-32s %4d/%-4d %5.0f%%" % (component, covered, total, 100.0 * covered / total))
    covered = sum(r[1] for r in rows)
    total = sum(r[2] for r in rows)
    lines.append("%-32s %4d/%-4d %5.0f%%" % ("total", covered, total, 100.0 * covered / total))
    return "\n".join(lines)
