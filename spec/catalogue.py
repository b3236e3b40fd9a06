"""Reads and validates the requirement catalogue (spec/**/*.spec, features.txt).

A .spec file holds the requirements of one documented component; its path below
spec/ without the extension is the component name ("mapped_region",
"sync/named_mutex"). Records are separated by blank lines; each has the keys
`id`, `section` and `text`, and optionally `level` (`manual`, the default: the
manual states it; `boost`: today's Boost beyond the manual; `extension`:
refipc's own guarantee) and `feature` (an optional feature from features.txt
that the requirement belongs to). A value may continue on
following lines indented by whitespace. Lines starting with '#' are comments.
"""

import os
import re
import sys

ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
FEATURE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KEYS = ("id", "section", "text", "level", "feature")
LEVELS = ("manual", "boost", "extension")
REQUIRED_KEYS = ("id", "section", "text")


class CatalogueError(Exception):
    pass


class Requirement:
    def __init__(self, component, fields, where):
        self.component = component
        self.id = fields["id"]
        self.section = fields["section"]
        self.text = fields["text"]
        self.level = fields.get("level", "manual")
        self.feature = fields.get("feature")
        self.where = where


def _records(path):
    """Yields (line_number, {key: value}) for each record of a .spec file."""
    fields, start, last_key = {}, None, None
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if fields:
                    yield start, fields
                fields, start, last_key = {}, None, None
                continue
            if line[0].isspace():
                if last_key is None:
                    raise CatalogueError("%s:%d: continuation line outside a record" % (path, number))
                fields[last_key] += " " + line.strip()
                continue
            key, sep, value = line.partition(":")
            key = key.strip()
            if not sep or key not in KEYS:
                raise CatalogueError("%s:%d: expected one of %s followed by ':'" % (path, number, ", ".join(KEYS)))
            if key in fields:
                raise CatalogueError("%s:%d: key '%s' repeated in one record" % (path, number, key))
            fields[key], last_key = value.strip(), key
            if start is None:
                start = number
    if fields:
        yield start, fields


def load_features(spec_root):
    """Returns {feature name: description} from features.txt."""
    features = {}
    path = os.path.join(spec_root, "features.txt")
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, description = line.partition(":")
            name = name.strip()
            if not sep or not FEATURE_RE.match(name) or not description.strip():
                raise CatalogueError("%s:%d: expected 'feature_name: description'" % (path, number))
            if name in features:
                raise CatalogueError("%s:%d: feature '%s' listed twice" % (path, number, name))
            features[name] = description.strip()
    return features


def load(spec_root):
    """Returns (requirements by id, ordered component names, features).

    Raises CatalogueError on any malformed or inconsistent entry.
    """
    features = load_features(spec_root)
    requirements, components = {}, []
    for directory, subdirs, files in os.walk(spec_root):
        subdirs.sort()
        for name in sorted(files):
            if not name.endswith(".spec"):
                continue
            path = os.path.join(directory, name)
            component = os.path.relpath(path, spec_root)[: -len(".spec")].replace(os.sep, "/")
            prefix = component.split("/")[-1] + "."
            components.append(component)
            for line, fields in _records(path):
                where = "%s:%d" % (path, line)
                missing = [k for k in REQUIRED_KEYS if not fields.get(k)]
                if missing:
                    raise CatalogueError("%s: record lacks %s" % (where, ", ".join(missing)))
                req = Requirement(component, fields, where)
                if not ID_RE.match(req.id):
                    raise CatalogueError("%s: malformed id '%s'" % (where, req.id))
                if not req.id.startswith(prefix):
                    raise CatalogueError("%s: id '%s' must start with '%s'" % (where, req.id, prefix))
                if req.id in requirements:
                    raise CatalogueError(
                        "%s: id '%s' already defined at %s" % (where, req.id, requirements[req.id].where))
                if req.level not in LEVELS:
                    raise CatalogueError("%s: level '%s' is not one of %s" % (where, req.level, ", ".join(LEVELS)))
                if req.feature is not None and req.feature not in features:
                    raise CatalogueError("%s: unknown feature '%s'" % (where, req.feature))
                requirements[req.id] = req
    if not requirements:
        raise CatalogueError("no requirements found below %s" % spec_root)
    return requirements, components, features


def load_manual_classes(spec_root, components):
    """Returns [{"class", "components"}] from manual_classes.txt, in its order.

    A class listed with "-" still counts as covered when a component is named
    after it (basic_managed_shared_memory by managed_shared_memory), so a new
    component's .spec file covers its class without an edit here. Raises
    CatalogueError for a malformed line or a component that does not exist.
    """
    path = os.path.join(spec_root, "manual_classes.txt")
    by_name = {c.split("/")[-1]: c for c in components}
    classes = []
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#") or line.startswith("section:"):
                continue
            name, sep, value = line.rpartition(":")
            name, value = name.strip(), value.strip()
            if not sep or not name or not value:
                raise CatalogueError("%s:%d: expected 'class: component[, component] | -'" % (path, number))
            covering = [] if value == "-" else [c.strip() for c in value.split(",")]
            for component in covering:
                if component not in components:
                    raise CatalogueError("%s:%d: unknown component '%s'" % (path, number, component))
            base = name.split("::")[-1]
            named = by_name.get(base[len("basic_"):] if base.startswith("basic_") else base)
            if not covering and named:
                covering = [named]
            classes.append({"class": name, "components": covering})
    return classes


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    try:
        requirements, components, features = load(root)
    except CatalogueError as e:
        print("catalogue error: %s" % e, file=sys.stderr)
        return 1
    try:
        classes = load_manual_classes(root, components)
    except CatalogueError as e:
        print("catalogue error: %s" % e, file=sys.stderr)
        return 1
    for component in components:
        count = sum(1 for r in requirements.values() if r.component == component)
        print("%-40s %4d requirements" % (component, count))
    print("%d requirements in %d components; %d optional features" %
          (len(requirements), len(components), len(features)))
    print("%d of the manual's %d reference classes covered" %
          (sum(1 for c in classes if c["components"]), len(classes)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
