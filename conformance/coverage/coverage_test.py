"""Bazel test: every conformance test cites known ids; prints coverage.

Usage (from BUILD): coverage_test <spec root file> <conformance sources...>
"""

import os
import sys
import unittest

import catalogue
import coverage

SPEC_FEATURES = sys.argv[1]
SOURCES = sys.argv[2:]


class CitedIdsTest(unittest.TestCase):
    def test_finds_tests_and_their_ids(self):
        text = ('TEST_F(A, B) {\n  IPC_SPEC("x.y",\n           "x.z");\n}\n'
                'TEST(A, C) { int i = 0; }\n')
        tests, problems = coverage.cited_ids("f.cc", text)
        self.assertEqual(tests, {"A.B": (1, ["x.y", "x.z"])})
        self.assertEqual(problems, ["f.cc:5: A.C cites no requirement (IPC_SPEC missing)"])


class SuiteCoverageTest(unittest.TestCase):
    def test_conformance_sources_cite_known_ids(self):
        requirements, components, _ = catalogue.load(os.path.dirname(SPEC_FEATURES))
        sources = {}
        for path in SOURCES:
            with open(path, encoding="utf-8") as f:
                sources[path] = f.read()
        self.assertTrue(sources, "no conformance sources were given")
        rows, problems, _ = coverage.coverage(requirements, components, sources)
        print("\nSpec coverage of the conformance suite (requirements cited by at least one test):")
        print(coverage.format_rows(rows))
        self.assertEqual(problems, [], "\n".join(problems))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
