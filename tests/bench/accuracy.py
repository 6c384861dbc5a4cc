#!/usr/bin/env python3
"""Accuracy of appdiag on the real-log corpus (tests/corpus/cases/*).

Runs `appdiag analyze --format json` on every case's files and compares the
reported root cause with the case's label (`case.json` "root_cause", null for
a healthy log). Prints top-1 accuracy on failing cases, the confusion by class,
failing cases where the tool named no failure at all ("silent"), false alarms
(an error-level finding that is not resolved) on healthy cases, and whether a
decisive line of the case is in the root finding's evidence.

    python3 tests/bench/accuracy.py [--appdiag build/appdiag] [--cases DIR] [--verbose] [--json OUT]
"""
import argparse
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def load_cases(cases_dir):
    cases = []
    for name in sorted(os.listdir(cases_dir)):
        folder = os.path.join(cases_dir, name)
        meta = os.path.join(folder, "case.json")
        if not os.path.isfile(meta):
            continue
        with open(meta, encoding="utf-8") as f:
            case = json.load(f)
        case["name"] = name
        case["files"] = sorted(os.path.join(folder, x) for x in os.listdir(folder) if x != "case.json")
        cases.append(case)
    return cases


def run_case(appdiag, case):
    cmd = [appdiag, "analyze", "--format", "json", "--fail-on", "never", *case["files"]]
    p = subprocess.run(cmd, capture_output=True, timeout=120)
    if p.returncode != 0:
        return {"error": f"exit {p.returncode}: {p.stderr.decode(errors='replace').strip()[:300]}"}
    return json.loads(p.stdout)


def alarms(report):
    """Error-level findings that hold now (resolved ones are history, not alarms)."""
    return [f["id"] for f in report.get("findings", [])
            if f.get("severity") == "error" and f.get("status", "current") != "resolved"]


def root_finding(report):
    rc = report.get("root_cause")
    return next((f for f in report.get("findings", []) if f["id"] == rc), None)


def decisive_shown(case, report):
    """True when a decisive line of the case is among the root finding's evidence."""
    finding = root_finding(report)
    if not finding or not case.get("decisive"):
        return False
    texts = [e.get("text", "") for e in finding.get("evidence", [])]
    return any(d in t for d in case["decisive"] for t in texts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--appdiag", default=os.environ.get("APPDIAG", os.path.join(ROOT, "build", "appdiag")))
    ap.add_argument("--cases", default=os.path.join(ROOT, "tests", "corpus", "cases"))
    ap.add_argument("--verbose", "-v", action="store_true", help="one line per case")
    ap.add_argument("--json", help="write per-case results to this file")
    args = ap.parse_args()

    cases = load_cases(args.cases)
    rows = []
    for case in cases:
        report = run_case(args.appdiag, case)
        got = report.get("root_cause")
        want = case.get("root_cause")
        rows.append({
            "case": case["name"], "want": want, "got": got, "error": report.get("error"),
            "alarms": alarms(report) if want is None else [],
            "decisive": decisive_shown(case, report) if want else None,
            "url": case.get("url"),
        })

    failing = [r for r in rows if r["want"]]
    healthy = [r for r in rows if not r["want"]]
    right = [r for r in failing if r["got"] == r["want"]]
    silent = [r for r in failing if not r["got"]]
    false_alarms = [r for r in healthy if r["alarms"] or r["got"]]
    decisive = [r for r in right if r["decisive"]]
    errors = [r for r in rows if r["error"]]

    pct = lambda n, d: f"{100.0 * n / d:.0f}%" if d else "n/a"
    print(f"corpus: {len(rows)} cases ({len(failing)} failing, {len(healthy)} healthy) in {args.cases}")
    print(f"top-1 root cause on failing cases: {len(right)}/{len(failing)} = {pct(len(right), len(failing))}")
    print(f"silent on a failing case (no root cause): {len(silent)}/{len(failing)}")
    print(f"false alarms on healthy cases: {len(false_alarms)}/{len(healthy)}")
    print(f"decisive line in the root finding's evidence (right cases): {len(decisive)}/{len(right)}")
    if errors:
        print(f"runs that failed (exit 2 or crash): {len(errors)}")

    print("\nby class (label: right/cases; what was said instead)")
    by_label = collections.defaultdict(list)
    for r in failing:
        by_label[r["want"]].append(r)
    for label in sorted(by_label):
        rs = by_label[label]
        wrong = collections.Counter(r["got"] or "(nothing)" for r in rs if r["got"] != label)
        said = ", ".join(f"{k} x{v}" for k, v in wrong.most_common())
        print(f"  {label:34} {sum(r['got'] == label for r in rs)}/{len(rs)}" + (f"   instead: {said}" if said else ""))

    misses = [r for r in failing if r["got"] != r["want"]] + false_alarms + errors
    if misses or args.verbose:
        print("\ncases" if args.verbose else "\nmisses")
        for r in rows if args.verbose else misses:
            mark = "ok " if (r["got"] == r["want"] and not r["alarms"] and not r["error"]) else "XX "
            extra = f" alarms={r['alarms']}" if r["alarms"] else ""
            extra += f" error={r['error']}" if r["error"] else ""
            print(f"  {mark}{r['case']:52} want={r['want']} got={r['got']}{extra}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
