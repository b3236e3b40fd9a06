#!/usr/bin/env python3
"""Runs the conformance suite against one or more implementations and reports
them side by side.

    conformance/report/report [--impl refipc|boost|//label:of_adapter]...
                              [--component NAME]... [--out DIR]
                              [-- extra bazel flags]

Prints one table with a row per spec component and requirement level and a
column per implementation (passed / failed / expected failures / unsupported),
the spec id coverage per level (Windows-only ids apart) and the coverage of
the manual's reference classes, then the binaries that did not build or run.
Writes report.json, report.md and report.html (a per-test drill-down) under
the printed directory, and ends with the line "N passed, N failed".

In-repo implementations run the same targets as `bazel test //...`
(<component>_<impl>); an outside adapter runs the flag-selected ones. When a
binary does not build, its compile gaps are isolated (gap_isolation.py): the
tests the compiler rejected are FAILED with the first error and the others
still run.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "spec"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bazel_output  # noqa: E402
import catalogue  # noqa: E402
import collect  # noqa: E402
import gap_isolation  # noqa: E402
import tables  # noqa: E402

ADAPTERS = {
    "refipc": "//conformance/adapters/refipc",
    "boost": "//conformance/adapters/boost",
}
FALLBACK_PACKAGE = "conformance/report/fallback"
MAX_ISOLATION_ROUNDS = 3


def bazel(args):
    run = subprocess.run(["bazel"] + args, cwd=ROOT, text=True, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    return run.returncode, run.stdout


def label_path(label):
    """"//a/b:c" -> ("a/b", "c")."""
    package, _, name = label[2:].partition(":")
    return package, name or package.rsplit("/", 1)[-1]


def expectations_of(impl):
    """{test: reason} of an in-repo adapter (read by the report only for tests
    that do not compile, which never reach the harness)."""
    if impl not in ADAPTERS:
        return {}
    path = os.path.join(ROOT, "conformance", "adapters", impl, "expectations.txt")
    result = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and ":" in line:
                name, _, reason = line.partition(":")
                result[name.strip()] = reason.strip()
    return result


class Run:
    """One `bazel test` of the conformance binaries of some implementations."""

    def __init__(self, patterns, tag_filter, flags):
        self.flags = flags
        code, self.output = bazel(["test"] + patterns + ["--test_tag_filters=" + tag_filter,
                                                         "--build_tests_only", "--keep_going"] + flags)
        self.code = code
        self.statuses = bazel_output.target_statuses(self.output)
        self.compile_failures = bazel_output.compile_failures(self.output)
        _, info = bazel(["info", "bazel-testlogs"] + flags)
        self.testlogs = info.strip().splitlines()[-1] if info.strip() else ""
        _, info = bazel(["info", "bazel-bin"] + flags)
        self.bin = info.strip().splitlines()[-1] if info.strip() else ""

    def xml(self, label):
        package, name = label_path(label)
        path = os.path.join(self.testlogs, package, name, "test.xml")
        return collect.read_xml(path) if os.path.exists(path) else {}

    def compiler_output(self, label):
        return bazel_output.compiler_output_of(self.compile_failures, label)


def citation_table_of(run, label, impl):
    """The citation table of a binary: <package>/<component>_citations.txt."""
    package, name = label_path(label)
    component = name[: -len("_" + impl)] if impl in ADAPTERS and name.endswith("_" + impl) else name
    return os.path.join(run.bin, package, component + "_citations.txt")


def isolate(run, label, citations_path, first_output):
    """Builds `label`'s sources without the tests the compiler rejects.

    Returns (xml results of the reduced binary, {test: first error}, reason),
    where reason is "" on success and otherwise why the gaps could not be
    isolated.
    """
    package, name = label_path(label)
    _, srcs = bazel(["query", "labels(srcs, %s)" % label, "--output=label"])
    _, deps = bazel(["query", "labels(deps, %s)" % label, "--output=label"])
    sources = [s for s in srcs.split() if s.startswith("//")]
    deps = [d for d in deps.split() if d.startswith("//") or d.startswith("@")]
    texts = {}
    for source in sources:
        src_package, src_name = label_path(source)
        with open(os.path.join(ROOT, src_package, src_name), encoding="utf-8") as f:
            texts[src_name] = (os.path.join(src_package, src_name), f.read())
    directory = os.path.join(ROOT, FALLBACK_PACKAGE, name)
    target = "//%s/%s:reduced" % (FALLBACK_PACKAGE, name)
    rejected, output = {}, first_output
    try:
        for _ in range(MAX_ISOLATION_ROUNDS):
            for src_name, (path, text) in texts.items():
                found, prelude_error = gap_isolation.rejected_tests(path, text, output)
                if prelude_error:
                    return {}, rejected, "does not build: " + prelude_error
                for test, error in found.items():
                    rejected.setdefault(test, error)
            if not rejected:
                return {}, rejected, "does not build: " + (gap_isolation.first_error(output) or
                                                           "see bazel's output")
            write_reduced_package(directory, texts, rejected, deps, citations_path)
            code, output = bazel(["test", target, "--keep_going"] + run.flags)
            statuses = bazel_output.target_statuses(output)
            if statuses.get(target) != "FAILED TO BUILD" and "FAILED TO BUILD" not in output:
                xml_path = os.path.join(run.testlogs, FALLBACK_PACKAGE, name, "reduced", "test.xml")
                results = collect.read_xml(xml_path) if os.path.exists(xml_path) else {}
                return results, rejected, "" if results else "the reduced binary reported nothing"
            output = "\n".join(text for _, source, text in bazel_output.compile_failures(output))
        return {}, rejected, "does not build: compile gaps remain after %d rounds" % MAX_ISOLATION_ROUNDS
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        fallback = os.path.join(ROOT, FALLBACK_PACKAGE)
        if os.path.isdir(fallback) and not os.listdir(fallback):
            os.rmdir(fallback)


def write_reduced_package(directory, texts, rejected, deps, citations_path):
    os.makedirs(directory, exist_ok=True)
    names = set(rejected)
    for src_name, (path, text) in texts.items():
        with open(os.path.join(directory, src_name), "w", encoding="utf-8") as f:
            f.write("#line 1 \"%s\"\n" % path + gap_isolation.without_tests(text, names))
    shutil.copyfile(citations_path, os.path.join(directory, "citations.txt"))
    with open(os.path.join(directory, "BUILD"), "w", encoding="utf-8") as f:
        f.write("# Generated by conformance/report/report.py; removed after the run.\n")
        f.write("cc_test(\n    name = \"reduced\",\n    srcs = %s,\n    deps = %s,\n" % (
            json.dumps(sorted(texts)), json.dumps(sorted(deps))))
        f.write("    data = [\"citations.txt\"],\n")
        f.write("    args = [\"--ipc_citations=%s/%s/citations.txt\"],\n" % (
            FALLBACK_PACKAGE, os.path.basename(directory)))
        f.write("    tags = [\"manual\"],\n)\n")


def collect_impl(impl, run, labels):
    """(results, binaries) of one implementation from a run."""
    results, binaries = [], []
    expectations = expectations_of(impl)
    for label in labels:
        status = run.statuses[label]
        citations_path = citation_table_of(run, label, impl)
        citations = collect.read_citations(citations_path)
        binary = {"binary": label, "verdict": "ran", "reason": ""}
        if status == "FAILED TO BUILD":
            first_output = run.compiler_output(label)
            xml, rejected, reason = ({}, {}, "no citation table")
            if citations:
                xml, rejected, reason = isolate(run, label, citations_path, first_output)
            if reason:
                binary.update(verdict="failed to build", reason=reason)
                results += collect.binary_results(label, citations, {}, "failed",
                                                  "the binary " + reason)
            else:
                binary.update(verdict="ran", reason="without %d test(s) that do not compile" % len(rejected))
                kept = {k: v for k, v in citations.items() if k not in rejected}
                results += collect.binary_results(label, kept, xml, "failed",
                                                  "the reduced binary ended before reporting it")
                for test, error in sorted(rejected.items()):
                    level, _, ids = citations.get(test, ("manual", [], []))
                    expected = expectations.get(test)
                    results.append({"test": test, "binary": label,
                                    "outcome": "xfail" if expected else "failed", "level": level,
                                    "spec": ids, "reason": expected or "",
                                    "message": "does not compile: " + error})
        else:
            xml = run.xml(label)
            missing = set(citations) - {collect.citation_key(t) for t in xml}
            ran = collect.binary_results(label, citations, xml, "failed",
                                         "the binary ended (%s) before reporting it" % status)
            if status != "PASSED" and missing:
                binary.update(verdict="crashed" if status == "FAILED" else status.lower(),
                              reason="%s; %d of %d tests did not report (see its test.log)" % (
                                  status, len(missing), len(citations)))
            elif status != "PASSED" and not any(r["outcome"] in ("failed", "xpass") for r in ran):
                # Every test reported an acceptable verdict, yet the binary
                # failed: a stale expectation or a harness error.
                binary.update(verdict="failed", reason="%s without a failing test: a stale "
                              "expectation or a harness error (see its test.log)" % status)
            results += ran
        binaries.append(binary)
    return results, binaries


def output_name(impls):
    return "+".join(re.sub(r"[^A-Za-z0-9_.-]+", "_", i).strip("_") for i in impls)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", action="append",
                        help="refipc, boost, or the Bazel label of an adapter; repeat for a side-by-side "
                             "report (default refipc)")
    parser.add_argument("--component", action="append", default=[],
                        help="only the conformance package //conformance/NAME/... (repeatable)")
    parser.add_argument("--out", help="output directory (default conformance-report/<impls>)")
    parser.add_argument("bazel_flags", nargs="*", help="extra flags for bazel test, after --")
    args = parser.parse_args(argv)
    impls = args.impl or ["refipc"]
    out = os.path.abspath(args.out or os.path.join(ROOT, "conformance-report", output_name(impls)))
    requirements, components, _ = catalogue.load(os.path.join(ROOT, "spec"))
    manual_classes = catalogue.load_manual_classes(os.path.join(ROOT, "spec"), components)
    patterns = ["//conformance/%s/..." % c.strip("/") for c in args.component] or ["//conformance/..."]

    results, binaries = {}, {}
    in_repo = [i for i in impls if i in ADAPTERS]
    runs = []
    if in_repo:
        print("Running the conformance suite against %s ..." % ", ".join(in_repo), flush=True)
        runs.append((in_repo, Run(patterns, ",".join("conformance_" + i for i in in_repo), args.bazel_flags)))
    for impl in impls:
        if impl not in ADAPTERS:
            print("Running the conformance suite against %s ..." % impl, flush=True)
            runs.append(([impl], Run(patterns, "conformance_selected",
                                     ["--//conformance:impl=" + impl] + args.bazel_flags)))
    for run_impls, run in runs:
        if not run.statuses:
            sys.stdout.write(run.output[-20000:])
            print("bazel test failed before running the suite (exit %d)" % run.code, file=sys.stderr)
            return 1
        for impl in run_impls:
            suffix = "_" + impl if impl in ADAPTERS else ""
            labels = sorted(l for l in run.statuses
                            if (l.endswith(suffix) if suffix else not any(
                                l.endswith("_" + i) for i in ADAPTERS)))
            results[impl], binaries[impl] = collect_impl(impl, run, labels)

    summaries = {i: tables.summarise(results[i], requirements, components) for i in impls}
    row_keys = []
    for impl in impls:
        for row in summaries[impl]["rows"]:
            if (row["component"], row["level"]) not in row_keys:
                row_keys.append((row["component"], row["level"]))
    report = {
        "implementations": impls,
        "adapters": {i: ADAPTERS.get(i, i) for i in impls},
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "row_keys": row_keys,
        "summaries": summaries,
        "coverage": tables.coverage_lines(impls, summaries, manual_classes),
        "binaries": binaries,
        "binary_problems": tables.binaries_lines(impls, binaries),
        "results": results,
        "manual_classes": manual_classes,
    }
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    with open(os.path.join(out, "report.md"), "w", encoding="utf-8") as f:
        f.write(tables.markdown(report))
    with open(os.path.join(out, "report.html"), "w", encoding="utf-8") as f:
        f.write(tables.page(report))

    print(tables.terminal_table(impls, summaries))
    for line in report["coverage"]:
        print(line)
    problems = report["binary_problems"]
    for line in problems:
        print("BINARY " + line)
    failed_total = passed_total = 0
    for impl in impls:
        failures = [r for r in results[impl] if r["outcome"] in ("failed", "xpass")]
        passed = sum(1 for r in results[impl] if r["outcome"] == "passed")
        for r in failures:
            print("FAILED %s %s: %s" % (impl, r["test"], tables.first_line(r["message"]) or
                                        "passed, but listed as an expected failure"))
        bad_binaries = sum(1 for b in binaries[impl] if b["verdict"] != "ran")
        # A binary that failed without a failing test counts as one failure.
        failures += [{"test": b["binary"], "message": b["reason"], "outcome": "failed"}
                     for b in binaries[impl] if b["verdict"] == "failed"]
        print("%s: %d passed, %d failed, %d expected failures, %d unsupported; %d of %d binaries did not build or run cleanly" % (
            impl, passed, len(failures), sum(1 for r in results[impl] if r["outcome"] == "xfail"),
            sum(1 for r in results[impl] if r["outcome"] == "unsupported"), bad_binaries, len(binaries[impl])))
        failed_total += len(failures)
        passed_total += passed
    print("Report written to %s/report.json, report.md and report.html" % out)
    print("%d passed, %d failed" % (passed_total, failed_total))
    return 0 if failed_total == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
