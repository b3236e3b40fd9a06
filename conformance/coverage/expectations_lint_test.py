"""Bazel test: the adapters' expectations name real tests and their spec ids.

Usage (from BUILD): expectations_lint_test <spec/features.txt>
    --expectations <files...> --sources <conformance sources...>
"""

import os
import sys
import unittest

import catalogue
import expectations_lint

ARGS = sys.argv[1:]
SPEC_FEATURES = ARGS[0]
EXPECTATIONS = ARGS[ARGS.index("--expectations") + 1:ARGS.index("--sources")]
SOURCES = ARGS[ARGS.index("--sources") + 1:]

REQUIREMENTS = {"a.b": None, "a.c": None, "a.d": None}
TESTS = {"Suite.Test": ["a.b", "a.c"], "Suite.Other": ["a.d"]}


class LintRulesTest(unittest.TestCase):
    def check(self, text):
        return expectations_lint.lint("e.txt", text, TESTS, REQUIREMENTS)

    def test_reason_naming_a_cited_id_passes(self):
        self.assertEqual(self.check("# comment\nSuite.Test: fails a.b because\n"), [])

    def test_misspelt_suite_and_test_fail(self):
        problems = self.check("Suit.Test: a.b\nSuite.Tset: a.b\n")
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("no suite Suit", problems[0])
        self.assertIn("suite Suite has no such test", problems[1])

    def test_empty_reason_fails(self):
        self.assertIn("has no reason", self.check("Suite.Test:\n")[0])

    def test_reason_without_or_with_a_foreign_id_fails(self):
        self.assertIn("names none", self.check("Suite.Test: no id here\n")[0])
        problems = self.check("Suite.Test: a.b and a.d\n")
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("a.d, which the test does not cite", problems[0])

    def test_duplicate_fails(self):
        self.assertIn("listed twice", self.check("Suite.Test: a.b\nSuite.Test: a.c\n")[0])


class AdapterExpectationsTest(unittest.TestCase):
    def test_every_expectation_names_a_test_and_its_ids(self):
        requirements, _, _ = catalogue.load(os.path.dirname(SPEC_FEATURES))
        sources = {}
        for path in SOURCES:
            with open(path, encoding="utf-8") as f:
                sources[path] = f.read()
        tests = expectations_lint.tests_of(sources)
        self.assertTrue(EXPECTATIONS, "no expectations files were given")
        problems = []
        for path in EXPECTATIONS:
            with open(path, encoding="utf-8") as f:
                problems += expectations_lint.lint(path, f.read(), tests, requirements)
        self.assertEqual(problems, [], "\n".join(problems))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
