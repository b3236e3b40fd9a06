"""Tests of the catalogue reader, and validation of the committed catalogue."""

import os
import tempfile
import textwrap
import unittest

import catalogue

SPEC_ROOT = os.path.dirname(os.path.abspath(catalogue.__file__))


def write_tree(root, files):
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(text))


FEATURES = "# optional\nbarrier: a barrier\n"


class CatalogueReaderTest(unittest.TestCase):
    def load(self, files):
        with tempfile.TemporaryDirectory() as root:
            write_tree(root, dict({"features.txt": FEATURES}, **files))
            return catalogue.load(root)

    def assert_rejected(self, files, message):
        with self.assertRaises(catalogue.CatalogueError) as raised:
            self.load(files)
        self.assertIn(message, str(raised.exception))

    def test_reads_records_continuations_and_subdirectories(self):
        requirements, components, features = self.load({
            "sync/barrier.spec": """\
                # comment
                id: barrier.wait.releases
                section: Barriers
                text: The last waiter
                  releases everyone.
                feature: barrier

                id: barrier.ctor.count
                section: Reference
                text: Count.
                """,
        })
        self.assertEqual(components, ["sync/barrier"])
        self.assertEqual(set(features), {"barrier"})
        wait = requirements["barrier.wait.releases"]
        self.assertEqual(wait.text, "The last waiter releases everyone.")
        self.assertEqual(wait.component, "sync/barrier")
        self.assertEqual(wait.feature, "barrier")
        self.assertIsNone(requirements["barrier.ctor.count"].feature)

    def test_rejects_id_without_component_prefix(self):
        self.assert_rejected({"a.spec": "id: b.x\nsection: s\ntext: t\n"}, "must start with 'a.'")

    def test_rejects_duplicate_ids_across_files(self):
        self.assert_rejected({
            "a.spec": "id: a.x\nsection: s\ntext: t\n",
            "sub/a.spec": "id: a.x\nsection: s\ntext: t\n",
        }, "already defined")

    def test_rejects_missing_keys_unknown_keys_and_unknown_features(self):
        self.assert_rejected({"a.spec": "id: a.x\nsection: s\n"}, "lacks text")
        self.assert_rejected({"a.spec": "id: a.x\nsection: s\ntext: t\nnote: n\n"}, "expected one of")
        self.assert_rejected({"a.spec": "id: a.x\nsection: s\ntext: t\nfeature: nope\n"},
                             "unknown feature 'nope'")

    def test_rejects_malformed_ids(self):
        self.assert_rejected({"a.spec": "id: a\nsection: s\ntext: t\n"}, "malformed id")
        self.assert_rejected({"a.spec": "id: a.Bad\nsection: s\ntext: t\n"}, "malformed id")


class ManualClassesTest(unittest.TestCase):
    def classes(self, text, components):
        with tempfile.TemporaryDirectory() as root:
            write_tree(root, {"manual_classes.txt": text})
            return catalogue.load_manual_classes(root, components)

    def test_listed_and_named_components_cover_classes(self):
        classes = self.classes("# c\nmapped_region: mapped_region\nbasic_managed_shared_memory: -\n"
                               "scoped_ptr: -\nsection: Ownership smart pointers\n",
                               ["mapped_region", "managed_shared_memory"])
        self.assertEqual(classes, [
            {"class": "mapped_region", "components": ["mapped_region"]},
            {"class": "basic_managed_shared_memory", "components": ["managed_shared_memory"]},
            {"class": "scoped_ptr", "components": []},
        ])

    def test_rejects_unknown_component(self):
        with self.assertRaises(catalogue.CatalogueError) as raised:
            self.classes("mapped_region: mapped_regoin\n", ["mapped_region"])
        self.assertIn("unknown component 'mapped_regoin'", str(raised.exception))


class CommittedCatalogueTest(unittest.TestCase):
    def test_committed_catalogue_is_valid(self):
        requirements, components, _ = catalogue.load(SPEC_ROOT)
        self.assertGreater(len(requirements), 0)
        for component in components:
            self.assertTrue(any(r.component == component for r in requirements.values()),
                            "%s has no requirements" % component)
        classes = catalogue.load_manual_classes(SPEC_ROOT, components)
        self.assertEqual(len(classes), len({c["class"] for c in classes}), "a class is listed twice")


if __name__ == "__main__":
    unittest.main()
