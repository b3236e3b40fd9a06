"""Bazel test: docs/boost-deviations.md is what deviations.py generates.

Usage (from BUILD): deviations_test <spec/features.txt> <expectations.txt> <page>
"""

import os
import sys
import unittest

import catalogue
import deviations

SPEC_FEATURES, EXPECTATIONS, PAGE = sys.argv[1:4]


class DeviationsPageTest(unittest.TestCase):
    def test_reason_ids_are_taken_off_the_reason(self):
        self.assertEqual(deviations.entries("# c\nA.B: x.y, x.z: does not compile (x.y).\n"),
                         [("A.B", ["x.y", "x.z", "x.y"], "does not compile (x.y).")])

    def test_committed_page_is_up_to_date(self):
        requirements, components, _ = catalogue.load(os.path.dirname(SPEC_FEATURES))
        with open(EXPECTATIONS, encoding="utf-8") as f:
            expected = deviations.render(f.read(), requirements, components)
        with open(PAGE, encoding="utf-8") as f:
            committed = f.read()
        self.assertEqual(committed, expected,
                         "docs/boost-deviations.md is stale: run "
                         "python3 conformance/report/deviations.py > docs/boost-deviations.md")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
