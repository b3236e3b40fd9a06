"""Tests of the report's pure parts: compile-gap isolation, bazel output
parsing, summaries and the aligned side-by-side table."""

import unittest

import bazel_output
import collect
import gap_isolation
import tables

SOURCE = """\
#include "x.hpp"
namespace {
void helper() { int braces_in_string = sizeof("}{"); (void)braces_in_string; }

TEST_F(Suite, First) {
  IPC_SPEC("a.b");
  ipc::missing_class x;  // '}' in a comment
}

TEST_F(Suite, Second) {
  IPC_SPEC("a.c");
  if (true) {
    helper();
  }
}

TYPED_TEST(Typed, Third) {
  IPC_SPEC("a.d");
  TypeParam::missing_member();
}
}  // namespace
"""


class GapIsolationTest(unittest.TestCase):
    def test_finds_test_blocks_with_their_lines(self):
        blocks = [(name, first, last) for name, first, last, _, _ in gap_isolation.test_blocks(SOURCE)]
        self.assertEqual(blocks, [("Suite.First", 5, 8), ("Suite.Second", 10, 15), ("Typed.Third", 17, 20)])

    def test_maps_errors_and_instantiation_chains_to_tests(self):
        output = "\n".join([
            "conformance/x/x_test.cc:7:9: error: 'missing_class' is not a member of 'ipc'",
            "In file included from conformance/x/x_test.cc:1:",
            "impl/y.hpp: In instantiation of 'void Typed<T>::f()':",
            "conformance/x/x_test.cc:3:20:   required from 'void helper()'",
            "conformance/x/x_test.cc:19:3:   required from here",
            "impl/y.hpp:40:5: error: 'missing_member' is not a member of 'Impl'",
        ])
        rejected, prelude = gap_isolation.rejected_tests("conformance/x/x_test.cc", SOURCE, output)
        self.assertEqual(prelude, "")
        self.assertEqual(sorted(rejected), ["Suite.First", "Typed.Third"])
        self.assertIn("missing_class", rejected["Suite.First"])
        self.assertIn("missing_member", rejected["Typed.Third"])

    def test_error_outside_every_test_cannot_be_isolated(self):
        output = "conformance/x/x_test.cc:3:1: error: 'helper' was not declared"
        rejected, prelude = gap_isolation.rejected_tests("conformance/x/x_test.cc", SOURCE, output)
        self.assertEqual(rejected, {})
        self.assertIn("helper", prelude)

    def test_removing_tests_keeps_the_other_lines_in_place(self):
        reduced = gap_isolation.without_tests(SOURCE, {"Suite.First", "Typed.Third"})
        self.assertEqual(len(reduced.splitlines()), len(SOURCE.splitlines()))
        self.assertNotIn("missing_class", reduced)
        self.assertNotIn("missing_member", reduced)
        self.assertEqual(reduced.splitlines()[9], "TEST_F(Suite, Second) {")


class BazelOutputTest(unittest.TestCase):
    OUTPUT = "\n".join([
        "ERROR: /w/conformance/x/BUILD:4:17: C++ compilation of rule '//conformance/x:x_boost' failed "
        "(Exit 1): gcc failed: error executing command /usr/bin/gcc ...",
        "conformance/x/x_test.cc:7:9: error: 'missing_class' is not a member of 'ipc'",
        "ERROR: /w/conformance/y/BUILD:4:17: Compiling conformance/y/y_test.cc failed: (Exit 1): gcc "
        "failed: error executing command /usr/bin/gcc -o bazel-out/k8-fastbuild/bin/conformance/y/"
        "_objs/y_refipc/y_test.pic.o",
        "conformance/y/y_test.cc:3:1: error: oops",
        "INFO: Elapsed time: 1.0s",
        "//conformance/x:x_boost                            FAILED TO BUILD",
        "//conformance/x:x_refipc                           PASSED in 0.5s",
        "//conformance/z:z_refipc                           FAILED in 2.0s",
        "//conformance/w:w_refipc                  (cached) PASSED in 0.1s",
    ])

    def test_statuses(self):
        self.assertEqual(bazel_output.target_statuses(self.OUTPUT), {
            "//conformance/x:x_boost": "FAILED TO BUILD",
            "//conformance/x:x_refipc": "PASSED",
            "//conformance/z:z_refipc": "FAILED",
            "//conformance/w:w_refipc": "PASSED"})

    def test_compile_failures_name_their_target(self):
        failures = bazel_output.compile_failures(self.OUTPUT)
        self.assertEqual([(rule, source) for rule, source, _ in failures], [
            ("//conformance/x:x_boost", None), ("//conformance/y:y_refipc", "conformance/y/y_test.cc")])
        self.assertIn("missing_class", failures[0][2])
        self.assertNotIn("oops", failures[0][2])

    def test_bazel_4_names_only_the_source(self):
        output = "\n".join([
            "ERROR: /w/conformance/y/BUILD:5:17: Compiling conformance/y/y_test.cc failed: (Exit 1): gcc "
            "failed: error executing command /usr/bin/gcc -U_FORTIFY_SOURCE ... (remaining 63 argument(s) "
            "skipped)",
            "conformance/y/y_test.cc:3:1: error: oops",
            "Target //conformance/y:y failed to build",
        ])
        failures = bazel_output.compile_failures(output)
        self.assertEqual([(rule, source) for rule, source, _ in failures], [(None, "conformance/y/y_test.cc")])
        self.assertIn("oops", bazel_output.compiler_output_of(failures, "//conformance/y:y"))
        self.assertEqual(bazel_output.compiler_output_of(failures, "//conformance/x:x"), "")


class Requirement:
    def __init__(self, component, level="manual", feature=None):
        self.component, self.level, self.feature = component, level, feature


class TablesTest(unittest.TestCase):
    REQUIREMENTS = {"a.x": Requirement("a"), "a.y": Requirement("a", "extension"),
                    "sync/interprocess_condition_any.z": Requirement("sync/interprocess_condition_any", "boost"),
                    "w.v": Requirement("w", feature="windows_shared_memory")}

    def result(self, test, outcome, level, ids):
        return {"test": test, "binary": "//b", "outcome": outcome, "level": level, "spec": ids,
                "reason": "", "message": ""}

    def test_counts_per_component_and_level_and_coverage(self):
        results = [self.result("A.P", "passed", "manual", ["a.x"]),
                   self.result("A.F", "xfail", "manual", ["a.x"]),
                   self.result("A.U", "unsupported", "extension", ["a.y"])]
        summary = tables.summarise(results, self.REQUIREMENTS, ["a", "sync/interprocess_condition_any", "w"])
        self.assertEqual(summary["rows"], [
            {"component": "a", "level": "manual", "passed": 1, "failed": 0, "expected": 1, "unsupported": 0},
            {"component": "a", "level": "extension", "passed": 0, "failed": 0, "expected": 0, "unsupported": 1}])
        self.assertEqual(summary["coverage"]["manual"],
                         {"requirements": 1, "windows_only": 1, "ran": 1, "verified": 0})
        self.assertEqual(summary["coverage"]["extension"]["ran"], 0)

    def test_columns_stay_aligned_for_long_component_names(self):
        results = {"refipc": [self.result("C.T", "passed", "boost", ["sync/interprocess_condition_any.z"]),
                              self.result("A.T", "failed", "manual", ["a.x"])],
                   "boost": [self.result("C.T", "passed", "boost", ["sync/interprocess_condition_any.z"])]}
        components = ["a", "sync/interprocess_condition_any", "w"]
        summaries = {i: tables.summarise(r, self.REQUIREMENTS, components) for i, r in results.items()}
        lines = tables.terminal_table(["refipc", "boost"], summaries).splitlines()[1:]
        rows = [l for l in lines if not l.startswith("-")]
        self.assertEqual(len({len(l) for l in rows}), 1, "\n".join(lines))
        self.assertTrue(any(l.startswith("sync/interprocess_condition_any  boost") for l in rows), lines)

    def test_markdown_and_html_have_a_column_per_implementation(self):
        results = {"refipc": [self.result("C.T", "failed", "boost", ["sync/interprocess_condition_any.z"])],
                   "boost": [self.result("C.T", "xfail", "boost", ["sync/interprocess_condition_any.z"])]}
        results["boost"][0]["reason"] = "why <not>"
        components = ["a", "sync/interprocess_condition_any", "w"]
        summaries = {i: tables.summarise(r, self.REQUIREMENTS, components) for i, r in results.items()}
        report = {"implementations": ["refipc", "boost"], "date": "today",
                  "row_keys": [("sync/interprocess_condition_any", "boost")], "summaries": summaries,
                  "coverage": [], "binary_problems": [], "results": results}
        lines = tables.markdown(report).splitlines()
        self.assertIn("| component | level | refipc | boost |", lines)
        self.assertIn("|---|---|---:|---:|", lines)
        self.assertIn("| sync/interprocess_condition_any | boost | 0/1/0/0 | 0/0/1/0 |", lines)
        page = tables.page(report)
        self.assertIn("why &lt;not&gt;", page)
        self.assertIn("<td class='xfail'>", page)


class CollectTest(unittest.TestCase):
    def test_tests_missing_from_the_xml_fail_with_the_binary_reason(self):
        citations = {"S.A": ("manual", [], ["a.x"]), "S.B": ("boost", [], ["a.z"])}
        results = collect.binary_results("//b", citations, {"S.A": ("passed", "", "")}, "failed", "crashed")
        self.assertEqual([(r["test"], r["outcome"], r["message"]) for r in results],
                         [("S.A", "passed", ""), ("S.B", "failed", "crashed")])
        self.assertEqual(collect.citation_key("Typed/1.Test"), "Typed.Test")


if __name__ == "__main__":
    unittest.main(verbosity=2)
