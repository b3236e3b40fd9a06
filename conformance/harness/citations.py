"""Writes the citation table of a conformance binary, read by its harness.

    citations.py <spec/features.txt> <output> <test sources...>

One line per test of the sources: the test's name ("Suite.Test"), the
requirement level it needs (the highest level among the ids it cites:
manual < boost < extension), the optional features of those ids ("-" when
none, else comma-separated) and the cited ids, separated by tabs. The harness
reports a test UNSUPPORTED, without running it, when the adapter claims
neither its level nor all of its features.
"""

import os
import sys

import catalogue
import coverage

LEVEL_ORDER = {level: rank for rank, level in enumerate(catalogue.LEVELS)}


def table(requirements, sources):
    """sources: {path: text}. Returns the table's lines; raises on unknown ids."""
    lines = []
    for path, text in sorted(sources.items()):
        tests, problems = coverage.cited_ids(path, text)
        if problems:
            raise catalogue.CatalogueError("\n".join(problems))
        for name, (line, ids) in sorted(tests.items()):
            unknown = [i for i in ids if i not in requirements]
            if unknown:
                raise catalogue.CatalogueError(
                    "%s:%d: %s cites unknown id(s) %s" % (path, line, name, ", ".join(unknown)))
            level = max((requirements[i].level for i in ids), key=LEVEL_ORDER.get)
            features = sorted({requirements[i].feature for i in ids if requirements[i].feature})
            lines.append("\t".join([name, level, ",".join(features) or "-", " ".join(ids)]))
    return lines


def main(argv):
    features_path, output, paths = argv[1], argv[2], argv[3:]
    requirements, _, _ = catalogue.load(os.path.dirname(features_path))
    sources = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            sources[path] = f.read()
    try:
        lines = table(requirements, sources)
    except catalogue.CatalogueError as e:
        print("citations: %s" % e, file=sys.stderr)
        return 1
    with open(output, "w", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
