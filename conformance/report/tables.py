"""Summaries of the collected verdicts and their renderings: the terminal
table, Markdown, JSON-ready dicts and a self-contained HTML page."""

import html

from collect import LEVELS

COUNTS = ("passed", "failed", "expected", "unsupported")
KIND_TO_COUNT = {"passed": "passed", "failed": "failed", "xpass": "failed", "xfail": "expected",
                 "unsupported": "unsupported"}
VERDICT_TEXT = {"passed": "PASSED", "failed": "FAILED", "xpass": "FAILED (unexpected pass)",
                "xfail": "EXPECTED FAILURE", "unsupported": "UNSUPPORTED"}


def summarise(results, requirements, components):
    """Per-implementation summary: counts per (component, level), totals per
    level, and spec id coverage.

    A test counts once in each component whose ids it cites, at its level.
    """
    rows = {}
    for result in results:
        count = KIND_TO_COUNT[result["outcome"]]
        owners = sorted({requirements[i].component for i in result["spec"] if i in requirements})
        for component in owners or ["(no spec id)"]:
            row = rows.setdefault((component, result["level"]), dict.fromkeys(COUNTS, 0))
            row[count] += 1
    totals = {level: dict.fromkeys(COUNTS, 0) for level in LEVELS}
    for result in results:
        totals[result["level"]][KIND_TO_COUNT[result["outcome"]]] += 1
    ran = {i for r in results if r["outcome"] != "unsupported" for i in r["spec"]}
    good = {i for r in results if r["outcome"] == "passed" for i in r["spec"]}
    bad = {i for r in results if r["outcome"] in ("failed", "xpass", "xfail") for i in r["spec"]}
    coverage = {}
    for level in LEVELS:
        ids = [i for i, r in requirements.items() if r.level == level]
        linux = [i for i in ids if requirements[i].feature != "windows_shared_memory"]
        coverage[level] = {
            "requirements": len(linux),
            "windows_only": len(ids) - len(linux),
            "ran": sum(1 for i in linux if i in ran),
            "verified": sum(1 for i in linux if i in good and i not in bad),
        }
    order = {c: n for n, c in enumerate(components)}
    ordered = sorted(rows.items(), key=lambda item: (order.get(item[0][0], len(order)), item[0][0],
                                                     LEVELS.index(item[0][1])))
    return {"rows": [dict(component=c, level=l, **counts) for (c, l), counts in ordered],
            "totals": totals, "coverage": coverage}


def cell(counts):
    return "%d/%d/%d/%d" % tuple(counts[k] for k in COUNTS)


def terminal_table(impls, summaries):
    """One row per (component, level), one column per implementation; each cell
    is passed/failed/expected/unsupported. Columns are as wide as their widest
    entry, so long component names keep them aligned."""
    keys = []
    for impl in impls:
        for row in summaries[impl]["rows"]:
            if (row["component"], row["level"]) not in keys:
                keys.append((row["component"], row["level"]))
    lookup = {impl: {(r["component"], r["level"]): r for r in summaries[impl]["rows"]} for impl in impls}
    empty = dict.fromkeys(COUNTS, 0)
    body = [[c, l] + [cell(lookup[i].get((c, l), empty)) for i in impls] for c, l in keys]
    body += [["total", level] + [cell(summaries[i]["totals"][level]) for i in impls] for level in LEVELS]
    header = ["component", "level"] + impls
    widths = [max(len(str(r[n])) for r in [header] + body) for n in range(len(header))]

    def line(values):
        first = ["%-*s" % (widths[0], values[0]), "%-*s" % (widths[1], values[1])]
        return "  ".join(first + ["%*s" % (w, v) for w, v in zip(widths[2:], values[2:])]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    lines = [line(header), rule] + [line(r) for r in body[:len(keys)]] + [rule]
    lines += [line(r) for r in body[len(keys):]]
    return "\n".join(["cells: passed/failed/expected failures/unsupported"] + lines)


def coverage_lines(impls, summaries, manual_classes):
    lines = []
    for impl in impls:
        parts = []
        for level in LEVELS:
            c = summaries[impl]["coverage"][level]
            parts.append("%s %d/%d ran, %d verified" % (level, c["ran"], c["requirements"], c["verified"]))
        windows = sum(summaries[impl]["coverage"][l]["windows_only"] for l in LEVELS)
        lines.append("%s: spec ids %s; %d Windows-only ids not run here" % (impl, "; ".join(parts), windows))
    if manual_classes:
        covered = sum(1 for c in manual_classes if c["components"])
        lines.append("manual reference classes covered by the catalogue: %d of %d" % (covered, len(manual_classes)))
    return lines


def binaries_lines(impls, binaries):
    lines = []
    for impl in impls:
        for b in binaries[impl]:
            if b["verdict"] != "ran":
                lines.append("%s %s: %s (%s)" % (impl, b["binary"], b["verdict"].upper(), b["reason"]))
    return lines


def markdown(report):
    impls = report["implementations"]
    lines = ["# Conformance report: %s" % ", ".join(impls), "",
             "%s. Cells: passed / failed / expected failures / unsupported." % report["date"], "",
             "| component | level | %s |" % " | ".join(impls),
             "|---|---|" + "---:|" * len(impls)]
    lookup = {i: {(r["component"], r["level"]): r for r in report["summaries"][i]["rows"]} for i in impls}
    empty = dict.fromkeys(COUNTS, 0)
    for c, l in report["row_keys"]:
        lines.append("| %s | %s | %s |" % (c, l, " | ".join(cell(lookup[i].get((c, l), empty)) for i in impls)))
    for level in LEVELS:
        lines.append("| **total** | %s | %s |" % (level, " | ".join(
            cell(report["summaries"][i]["totals"][level]) for i in impls)))
    lines += [""] + ["- " + l for l in report["coverage"]]
    if report["binary_problems"]:
        lines += ["", "## Binaries that did not build or run cleanly", ""] + ["- " + l for l in report["binary_problems"]]
    for impl in impls:
        failed = [r for r in report["results"][impl] if r["outcome"] in ("failed", "xpass")]
        expected = [r for r in report["results"][impl] if r["outcome"] == "xfail"]
        if failed:
            lines += ["", "## Failures of %s" % impl, ""]
            lines += ["- `%s`: %s" % (r["test"], first_line(r["message"])) for r in failed]
        if expected:
            lines += ["", "## Expected failures of %s" % impl, ""]
            lines += ["- `%s`: %s" % (r["test"], r["reason"]) for r in expected]
    return "\n".join(lines) + "\n"


def first_line(text):
    return text.strip().splitlines()[0] if text.strip() else ""


def page(report):
    """A self-contained HTML page: the summary table and, per test, its spec ids
    and the verdict of each implementation with its failure message or
    expectation reason."""
    impls = report["implementations"]
    e = html.escape
    out = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Conformance report</title><style>",
           "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
           "td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;vertical-align:top}"
           ".passed{background:#dfd}.failed,.xpass{background:#fcc}.xfail{background:#ffd}"
           ".unsupported{background:#eee}pre{white-space:pre-wrap;margin:0;font-size:12px}"
           "td.num{text-align:right;font-family:monospace}",
           "</style></head><body>", "<h1>Conformance report: %s</h1>" % e(", ".join(impls)),
           "<p>%s. Cells: passed / failed / expected failures / unsupported.</p>" % e(report["date"]),
           "<table><tr><th>component</th><th>level</th>%s</tr>" % "".join("<th>%s</th>" % e(i) for i in impls)]
    lookup = {i: {(r["component"], r["level"]): r for r in report["summaries"][i]["rows"]} for i in impls}
    empty = dict.fromkeys(COUNTS, 0)
    for c, l in report["row_keys"]:
        out.append("<tr><td>%s</td><td>%s</td>%s</tr>" % (e(c), e(l), "".join(
            "<td class='num'>%s</td>" % cell(lookup[i].get((c, l), empty)) for i in impls)))
    for level in LEVELS:
        out.append("<tr><th>total</th><th>%s</th>%s</tr>" % (level, "".join(
            "<td class='num'><b>%s</b></td>" % cell(report["summaries"][i]["totals"][level]) for i in impls)))
    out.append("</table><ul>%s</ul>" % "".join("<li>%s</li>" % e(l) for l in report["coverage"]))
    if report["binary_problems"]:
        out.append("<h2>Binaries that did not build or run cleanly</h2><ul>%s</ul>" % "".join(
            "<li>%s</li>" % e(l) for l in report["binary_problems"]))
    out.append("<h2>Tests</h2><table><tr><th>test</th><th>level</th><th>spec ids</th>%s</tr>" %
               "".join("<th>%s</th>" % e(i) for i in impls))
    by_test = {}
    for impl in impls:
        for r in report["results"][impl]:
            by_test.setdefault(r["test"], {})[impl] = r
    for test in sorted(by_test):
        any_result = next(iter(by_test[test].values()))
        cells = []
        for impl in impls:
            r = by_test[test].get(impl)
            if r is None:
                cells.append("<td>-</td>")
                continue
            detail = r["reason"] if r["outcome"] == "xfail" else r["message"]
            text = e(VERDICT_TEXT[r["outcome"]])
            if detail:
                text = "<details><summary>%s</summary><pre>%s</pre></details>" % (text, e(detail))
            cells.append("<td class='%s'>%s</td>" % (r["outcome"], text))
        out.append("<tr><td>%s</td><td>%s</td><td>%s</td>%s</tr>" % (
            e(test), e(any_result["level"]), e(" ".join(any_result["spec"])), "".join(cells)))
    out.append("</table></body></html>")
    return "\n".join(out) + "\n"
