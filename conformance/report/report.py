#!/usr/bin/env python3
"""Runs the conformance suite against one implementation and reports it.

    conformance/report/report [--impl refipc|boost|//label:of_adapter]
                              [--out DIR] [-- extra bazel flags]

Prints, per component of the spec catalogue: tests passed, failed, expected
failures and unsupported, and spec coverage (requirements cited by a test that
ran, and verified: cited by a passing test and by no failing one). Writes the
same as report.json and report.md under the printed directory, and ends with
the line "N passed, N failed".
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "spec"))
import catalogue  # noqa: E402

ADAPTERS = {
    "refipc": "//conformance/adapters/refipc",
    "boost": "//conformance/adapters/boost",
}
TARGET_RESULT_RE = re.compile(r"^(//conformance/\S+)\s+(PASSED|FAILED|TIMEOUT|NO STATUS|FAILED TO BUILD)\b",
                              re.MULTILINE)


def bazel(args, capture=True):
    command = ["bazel"] + args
    return subprocess.run(command, cwd=ROOT, text=True, stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.STDOUT if capture else None)


def outcome(testcase):
    """Classifies one <testcase>: passed, failed, xfail, xpass or unsupported."""
    properties = {p.get("name"): p.get("value") for p in testcase.iter("property")}
    failed = testcase.find("failure") is not None or testcase.find("error") is not None
    if testcase.get("result") == "skipped" or testcase.find("skipped") is not None:
        kind = "unsupported"
    elif "expected_failure" in properties:
        kind = "xfail" if failed else "xpass"
    else:
        kind = "failed" if failed else "passed"
    message = ""
    problem = testcase.find("failure")
    if problem is None:
        problem = testcase.find("error")
    if problem is None:
        problem = testcase.find("skipped")
    if problem is not None:
        message = (problem.get("message") or problem.text or "").strip()
    return kind, properties, message


def read_results(xml_path, target):
    """Yields dicts describing each test case of one test.xml."""
    tree = ElementTree.parse(xml_path)
    for testcase in tree.iter("testcase"):
        kind, properties, message = outcome(testcase)
        yield {
            "target": target,
            "test": "%s.%s" % (testcase.get("classname", ""), testcase.get("name")),
            "outcome": kind,
            "spec": (properties.get("spec") or "").split(),
            "expected_failure": properties.get("expected_failure", ""),
            "message": message,
        }


def summarise(results, target_status, requirements, components):
    per_component = {c: {"component": c, "passed": 0, "failed": 0, "expected_failures": 0,
                         "unsupported": 0, "requirements": 0, "cited": 0, "verified": 0}
                     for c in components}
    cited, good, bad = set(), set(), set()
    failures, expected = [], []
    for result in results:
        kind = result["outcome"]
        ids = [i for i in result["spec"] if i in requirements]
        for component in sorted({requirements[i].component for i in ids}):
            row = per_component[component]
            if kind == "passed":
                row["passed"] += 1
            elif kind in ("failed", "xpass"):
                row["failed"] += 1
            elif kind == "xfail":
                row["expected_failures"] += 1
            else:
                row["unsupported"] += 1
        if kind != "unsupported":
            cited.update(ids)
        if kind == "passed":
            good.update(ids)
        if kind in ("failed", "xpass", "xfail"):
            bad.update(ids)
        if kind == "failed":
            failures.append({"test": result["test"], "message": result["message"]})
        elif kind == "xpass":
            failures.append({"test": result["test"],
                             "message": "passed, but listed as an expected failure: " +
                                        result["expected_failure"]})
        elif kind == "xfail":
            expected.append({"test": result["test"], "reason": result["expected_failure"]})
    for requirement_id, requirement in requirements.items():
        row = per_component[requirement.component]
        row["requirements"] += 1
        row["cited"] += requirement_id in cited
        row["verified"] += requirement_id in good and requirement_id not in bad
    # A binary can fail without a failing test case (a crash, a stale
    # expectation): count the target itself then.
    failing_targets = {r["target"] for r in results if r["outcome"] in ("failed", "xpass")}
    for target, status in sorted(target_status.items()):
        if status != "PASSED" and target not in failing_targets:
            failures.append({"test": target, "message": "test binary %s (see its test.log)" % status})
    totals = {key: sum(1 for r in results if r["outcome"] == kind)
              for key, kind in (("passed", "passed"), ("expected_failures", "xfail"),
                                ("unsupported", "unsupported"))}
    totals["failed"] = len(failures)
    totals["requirements"] = len(requirements)
    totals["cited"] = len(cited)
    totals["verified"] = sum(r["verified"] for r in per_component.values())
    return [per_component[c] for c in components], totals, failures, expected


def markdown(report):
    lines = ["# Conformance report: %s" % report["implementation"], "",
             "Adapter `%s`, %s." % (report["adapter"], report["date"]), "",
             "| component | passed | failed | expected failures | unsupported | spec cited | spec verified |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for row in report["components"] + [dict(report["totals"], component="**total**")]:
        lines.append("| %s | %d | %d | %d | %d | %d/%d | %d/%d |" % (
            row["component"], row["passed"], row["failed"], row["expected_failures"], row["unsupported"],
            row["cited"], row["requirements"], row["verified"], row["requirements"]))
    if report["failures"]:
        lines += ["", "## Failures", ""]
        lines += ["- `%s`: %s" % (f["test"], f["message"].splitlines()[0] if f["message"] else "")
                  for f in report["failures"]]
    if report["expected_failures"]:
        lines += ["", "## Expected failures", ""]
        lines += ["- `%s`: %s" % (e["test"], e["reason"]) for e in report["expected_failures"]]
    return "\n".join(lines) + "\n"


def table(report):
    lines = ["%-24s %6s %6s %6s %6s %9s %9s" % ("component", "pass", "fail", "xfail", "unsup",
                                                 "cited", "verified")]
    for row in report["components"] + [dict(report["totals"], component="total")]:
        lines.append("%-24s %6d %6d %6d %6d %4d/%-4d %4d/%-4d" % (
            row["component"], row["passed"], row["failed"], row["expected_failures"], row["unsupported"],
            row["cited"], row["requirements"], row["verified"], row["requirements"]))
    return "\n".join(lines)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", default="refipc",
                        help="refipc, boost, or the Bazel label of an adapter (default refipc)")
    parser.add_argument("--out", help="output directory (default conformance-report/<impl>)")
    parser.add_argument("bazel_flags", nargs="*", help="extra flags for bazel test, after --")
    args = parser.parse_args(argv)
    adapter = ADAPTERS.get(args.impl, args.impl)
    name = args.impl if args.impl in ADAPTERS else re.sub(r"[^A-Za-z0-9_.-]+", "_", args.impl).strip("_")
    out = os.path.abspath(args.out or os.path.join(ROOT, "conformance-report", name))

    requirements, components, _ = catalogue.load(os.path.join(ROOT, "spec"))
    flags = ["--//conformance:impl=" + adapter] + args.bazel_flags
    print("Running the conformance suite against %s ..." % adapter, flush=True)
    run = bazel(["test", "//conformance/...", "--test_tag_filters=conformance_selected",
                 "--build_tests_only", "--keep_going"] + flags)
    target_status = {m.group(1): m.group(2) for m in TARGET_RESULT_RE.finditer(run.stdout)}
    if run.returncode not in (0, 3) or not target_status:
        sys.stdout.write(run.stdout[-20000:])
        print("bazel test failed before running the suite (exit %d)" % run.returncode, file=sys.stderr)
        return 1
    testlogs = bazel(["info", "bazel-testlogs"] + flags).stdout.strip().splitlines()[-1]
    results = []
    for target in sorted(target_status):
        package, _, test = target[2:].partition(":")
        xml_path = os.path.join(testlogs, package, test, "test.xml")
        if os.path.exists(xml_path):
            results.extend(read_results(xml_path, target))
    rows, totals, failures, expected = summarise(results, target_status, requirements, components)
    report = {
        "implementation": name,
        "adapter": adapter,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "components": rows,
        "totals": totals,
        "failures": failures,
        "expected_failures": expected,
        "targets": target_status,
    }
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    with open(os.path.join(out, "report.md"), "w", encoding="utf-8") as f:
        f.write(markdown(report))
    print(table(report))
    for failure in failures:
        print("FAILED %s: %s" % (failure["test"], failure["message"].splitlines()[0] if failure["message"] else ""))
    print("Report written to %s/report.json and report.md" % out)
    print("%d passed, %d failed" % (totals["passed"], totals["failed"]))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
