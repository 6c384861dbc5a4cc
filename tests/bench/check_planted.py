#!/usr/bin/env python3
"""Checks an `appdiag analyze --format json` report against planted.json.

  check_planted.py PLANTED_JSON < report.json

Exits 1 (naming what is missing) unless the root cause is the planted one and
every planted failure is a finding with evidence at its exact file and line.
"""
import json
import os
import sys


def main():
    with open(sys.argv[1]) as f:
        planted = json.load(f)
    report = json.load(sys.stdin)
    errors = []
    if report.get("root_cause") != planted["root_cause"]:
        errors.append(f"root cause {report.get('root_cause')!r}, expected {planted['root_cause']!r}")
    findings = {f["id"]: f for f in report.get("findings", [])}
    for p in planted["planted"]:
        finding = findings.get(p["rule"])
        if finding is None:
            errors.append(f"{p['rule']}: not found")
            continue
        # reports name files relative to the bundle or absolute: compare file names
        where = {(os.path.basename(e["file"]), e["line"]) for e in finding.get("evidence", [])}
        if (os.path.basename(p["file"]), p["line"]) not in where:
            errors.append(f"{p['rule']}: no evidence at {p['file']}:{p['line']} (got {sorted(where)})")
    for e in errors:
        print("check_planted: " + e, file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
