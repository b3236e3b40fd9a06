#!/usr/bin/env python3
"""Writes docs/api-parity.md: every public class and member of Boost 1.81's
Boost.Interprocess headers, beside refipc's, with refipc's status.

  tools/api_parity/api_parity.py > docs/api-parity.md
  tools/api_parity/api_parity.py --check docs/api-parity.md

A member is present when refipc has a member of that name accepting every
number of arguments Boost's accepts; otherwise its signature differs, or it
is missing. The reasons come from annotations.txt (`key: reason`, where key
is a header path, a class, or Class::member); a difference without a reason
is listed as a gap. --check fails when the page is stale, an annotation
matches nothing, or a gap is left.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cxx_members  # noqa: E402

# Boost's directories of platform back ends and internals: not public API.
_INTERNAL_DIRS = {"detail", "posix", "spin", "windows", "shm"}
# Components refipc does not have yet, and the issue that tracks them.
_TRACKED = [
    ("containers/", "#16"),
    ("allocators/", "#16"),
    ("smart_ptr/", "#17"),
    ("streams/", "#17"),
]


def headers_under(root):
    found = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".hpp"):
                found.append(os.path.relpath(os.path.join(d, f), root))
    return found


def is_public(rel):
    return not (set(rel.split(os.sep)[:-1]) & _INTERNAL_DIRS)


def parse_tree(root, public_namespace):
    """(classes by header for public headers, index of every class by name)."""
    by_header, index = {}, {}
    for rel in headers_under(root):
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            classes = cxx_members.parse_header(rel, f.read())
        for c in classes:
            index.setdefault(c.name, []).append(c)
        if is_public(rel):
            by_header[rel] = [c for c in classes if c.namespace == public_namespace]
    return by_header, index


def resolve(name, index, prefer_namespace):
    candidates = index.get(name, [])
    if not candidates:
        return None
    preferred = [c for c in candidates if c.namespace == prefer_namespace] or candidates
    return max(preferred, key=lambda c: len(c.members))


def all_members(cls, index, namespace, seen=None):
    """The class's public members and its public bases', nearest first."""
    seen = seen or set()
    if cls.name in seen:
        return []
    seen.add(cls.name)
    members = list(cls.members)
    own = {m.name for m in members}
    for base in cls.bases:
        b = resolve(base, index, namespace)
        if b is not None:
            members += [
                m
                for m in all_members(b, index, namespace, seen)
                if m.name not in own and m.kind != "constructor"
            ]
    return members


def covers(ours, theirs):
    """Whether one of `ours` overloads accepts every arity `theirs` accepts."""
    if theirs.kind in ("type", "data"):
        return True
    for o in ours:
        hi_ok = o.max_args == -1 or (theirs.max_args != -1 and o.max_args >= theirs.max_args)
        if o.min_args <= theirs.min_args and hi_ok:
            return True
    return False


def load_annotations(path):
    notes = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            keys, sep, reason = line.partition(": ")
            if not sep or not reason.strip():
                sys.exit("%s:%d: expected 'key: reason'" % (path, n))
            # "Class::a, b, c" annotates Class::a, Class::b and Class::c.
            first, *more = [k.strip() for k in keys.split(",")]
            prefix = first.rsplit("::", 1)[0] + "::" if "::" in first else ""
            for key in [first] + [prefix + k for k in more]:
                if key in notes:
                    sys.exit("%s:%d: %s annotated twice" % (path, n, key))
                notes[key] = reason.strip()
    return notes


def cell(signatures):
    if not signatures:
        return ""
    uniq = list(dict.fromkeys(signatures))
    return "<br>".join("`%s`" % s.replace("|", "\\|") for s in uniq)


class Inventory:
    def __init__(self, boost_root, refipc_root, notes):
        self.notes = notes
        self.used = set()
        self.counts = {"present": 0, "different": 0, "missing": 0, "gap": 0}
        self.boost, self.boost_index = parse_tree(boost_root, "boost::interprocess")
        self.ours, self.our_index = parse_tree(refipc_root, "refipc")
        self.refipc_root = refipc_root

    def note(self, key):
        if key in self.notes:
            self.used.add(key)
            return self.notes[key]
        return None

    def tracked(self, rel):
        for prefix, issue in _TRACKED:
            if rel.startswith(prefix):
                return "missing: tracked by %s" % issue
        return None

    def render(self):
        out = []
        present_components = [h for h in sorted(self.boost) if h in self.ours]
        missing_components = [h for h in sorted(self.boost) if h not in self.ours]
        body = []
        for rel in present_components:
            body += self.component(rel)
        missing_rows = []
        for rel in missing_components:
            classes = sorted({c.name for c in self.boost[rel]})
            reason = self.tracked(rel) if not self.boost[rel] or self.tracked(rel) else None
            reason = self.note(rel) or reason
            if reason is None:
                reason = "**gap: no reason recorded**"
                self.counts["gap"] += 1
            missing_rows.append(
                "| `%s` | %s | %s |"
                % (rel, ", ".join("`%s`" % c for c in classes) or "(none)", reason)
            )
        c = self.counts
        out += [
            "# API parity with Boost.Interprocess 1.81",
            "",
            "Generated by `tools/api_parity/api_parity.py` from the Boost 1.81 headers",
            "in /usr/include/boost/interprocess and refipc's in impl/include/refipc; do",
            "not edit. The reasons come from `tools/api_parity/annotations.txt`.",
            "`bazel test //tools/api_parity:api_parity_test` fails when this page is",
            "stale or a difference has no reason.",
            "",
            "For every public class Boost 1.81 declares in a header refipc also has,",
            "every public member (its own and its public bases'), with refipc's status:",
            "",
            "- **present**: refipc has a member of that name that accepts every number",
            "  of arguments Boost's does (parameter types may use other typedef names);",
            "- **different**: refipc has the name with other parameters, for the reason",
            "  given;",
            "- **missing**: deliberately absent, for the reason given.",
            "",
            "Members refipc has beyond Boost 1.81 are listed after each class. The",
            "reader is a pragmatic one (comments, macros and preprocessor branches",
            "are handled the simple way): member templates generated by Boost's",
            "preprocessor loops, for example, are shown as Boost's headers spell them.",
            "",
            "| status | members |",
            "|---|---|",
            "| present | %d |" % c["present"],
            "| different signature (deliberate) | %d |" % c["different"],
            "| missing (deliberate) | %d |" % c["missing"],
            "| gaps (no reason recorded) | %d |" % c["gap"],
            "",
            "## Components refipc does not have",
            "",
            "| Boost header | classes | status |",
            "|---|---|---|",
        ]
        out += missing_rows
        out += ["", "## Components refipc has", ""]
        out += body
        return "\n".join(out).rstrip() + "\n"

    def component(self, rel):
        lines = ["### `%s`" % rel, ""]
        classes = self.boost[rel]
        if not classes:
            return lines + ["No public class.", ""]
        for cls in sorted(classes, key=lambda c: c.name):
            lines += self.one_class(rel, cls)
        return lines

    def one_class(self, rel, cls):
        ours = resolve(cls.name, self.our_index, "refipc")
        if ours is not None and ours.namespace != "refipc":
            ours = None
        lines = ["#### `%s`" % cls.name, ""]
        if ours is None:
            reason = self.note(cls.name) or self.tracked(rel)
            if reason is None:
                reason = "**gap: no reason recorded**"
                self.counts["gap"] += 1
            else:
                self.counts["missing"] += 1
            return lines + ["Missing: %s" % reason, ""]
        theirs = all_members(cls, self.boost_index, "boost::interprocess")
        mine = all_members(ours, self.our_index, "refipc")
        names = list(dict.fromkeys(m.name for m in theirs))
        lines += ["| member | Boost 1.81 | refipc | status |", "|---|---|---|---|"]
        for name in names:
            t = [m for m in theirs if m.name == name]
            o = [m for m in mine if m.name == name]
            key = "%s::%s" % (cls.name, name)
            reason = self.note(key)
            if not o:
                status, bucket = "missing", "missing"
            elif all(covers(o, m) for m in t):
                status, bucket = "present", "present"
            else:
                status, bucket = "different", "different"
            if bucket != "present" and reason is None:
                status, bucket = "**gap** (%s, no reason recorded)" % status, "gap"
            elif reason:
                status = "%s: %s" % (status, reason)
            self.counts[bucket] += 1
            lines.append(
                "| `%s` | %s | %s | %s |"
                % (name, cell([m.signature for m in t]), cell([m.signature for m in o]), status)
            )
        extra = sorted({m.name for m in mine} - set(names))
        lines.append("")
        if extra:
            lines += ["Beyond Boost 1.81: %s." % ", ".join("`%s`" % e for e in extra), ""]
        return lines


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boost", default="/usr/include/boost/interprocess")
    parser.add_argument("--refipc", default=os.path.join(repo, "impl", "include", "refipc"))
    parser.add_argument("--annotations", default=os.path.join(here, "annotations.txt"))
    parser.add_argument("--check", metavar="PAGE", help="fail unless PAGE is up to date")
    args = parser.parse_args()
    inventory = Inventory(args.boost, args.refipc, load_annotations(args.annotations))
    page = inventory.render()
    unused = sorted(set(inventory.notes) - inventory.used)
    if not args.check:
        sys.stdout.write(page)
        for key in unused:
            print("warning: annotation matches nothing: %s" % key, file=sys.stderr)
        return 0
    problems = ["annotation matches nothing: %s" % key for key in unused]
    if inventory.counts["gap"]:
        problems.append("%d gaps have no reason in annotations.txt" % inventory.counts["gap"])
    with open(args.check, encoding="utf-8") as f:
        if f.read() != page:
            problems.append(
                "%s is stale: run tools/api_parity/api_parity.py > docs/api-parity.md" % args.check
            )
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
