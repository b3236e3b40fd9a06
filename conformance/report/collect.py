"""Collects the verdict of every test of every conformance binary of one
implementation: from the binaries' test.xml, from their citation tables (for
tests of a binary that did not build or crashed before reporting them) and
from the compile-gap fallback."""

import os
import xml.etree.ElementTree as ElementTree

LEVELS = ("manual", "boost", "extension")


def citation_key(test):
    """"Suite/0.Test" -> "Suite.Test" (a typed suite's instances share one entry)."""
    suite, _, name = test.partition(".")
    return "%s.%s" % (suite.split("/")[0], name)


def read_citations(path):
    """{"Suite.Test": (level, [features], [ids])} from a citation table."""
    table = {}
    if not os.path.exists(path):
        return table
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 4:
                features = [] if fields[2] == "-" else fields[2].split(",")
                table[fields[0]] = (fields[1], features, fields[3].split())
    return table


def _outcome(testcase):
    properties = {p.get("name"): p.get("value") for p in testcase.iter("property")}
    failed = testcase.find("failure") is not None or testcase.find("error") is not None
    if not failed and (testcase.get("result") == "skipped" or testcase.find("skipped") is not None):
        kind = "unsupported"
    elif "expected_failure" in properties:
        kind = "xfail" if failed else "xpass"
    else:
        kind = "failed" if failed else "passed"
    problem = None
    for tag in ("failure", "error", "skipped"):
        problem = testcase.find(tag)
        if problem is not None:
            break
    message = (problem.get("message") or problem.text or "").strip() if problem is not None else ""
    return kind, properties, message


def read_xml(xml_path):
    """{test: (outcome, expectation reason, message)} of one test.xml."""
    results = {}
    for testcase in ElementTree.parse(xml_path).iter("testcase"):
        kind, properties, message = _outcome(testcase)
        test = "%s.%s" % (testcase.get("classname", ""), testcase.get("name"))
        results[test] = (kind, properties.get("expected_failure", ""), message)
    return results


def binary_results(binary, citations, xml_results, missing_verdict, missing_reason):
    """The result dicts of one binary: every test of its citation table, with
    the verdict of test.xml when the test reported one, and otherwise
    `missing_verdict` ("failed") with `missing_reason`."""
    results, seen = [], set()
    for test, (kind, reason, message) in sorted(xml_results.items()):
        key = citation_key(test)
        level, _, ids = citations.get(key, ("manual", [], []))
        seen.add(key)
        results.append({"test": test, "binary": binary, "outcome": kind, "level": level,
                        "spec": ids, "reason": reason, "message": message})
    for key, (level, _, ids) in sorted(citations.items()):
        if key not in seen:
            results.append({"test": key, "binary": binary, "outcome": missing_verdict, "level": level,
                            "spec": ids, "reason": "", "message": missing_reason})
    return results
