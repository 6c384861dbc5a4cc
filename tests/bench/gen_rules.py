#!/usr/bin/env python3
"""Writes COPIES variants of every rule in RULES_DIR to OUT_DIR, for rule-count scaling runs.

  gen_rules.py RULES_DIR OUT_DIR COPIES

Variant k of rule `x` is `x-v<k>`: every `log` pattern keeps its shape (groups,
anchors, classes, captures) but each word of four or more letters has its
second and third letters replaced by a pair unique to k, so the variants are
distinct patterns with as many literals as the originals and (almost) never
match the real log lines. `explains` points at the variants of the same copy.
With `--rules OUT_DIR`, the pack holds (COPIES + 1) times the built-in rules.
"""
import json
import os
import re
import sys

LETTERS = "bcdfghjkmnpqrtvwxz"
WORD = re.compile(r"(?<![\\<\w])([A-Za-z])[A-Za-z]{2}([A-Za-z]+)")


def vary(pattern, k):
    pair = LETTERS[k % len(LETTERS)] + LETTERS[(k // len(LETTERS)) % len(LETTERS)]
    return WORD.sub(lambda m: m.group(1) + pair + m.group(2), pattern)


def vary_node(node, k):
    if isinstance(node, dict):
        return {key: vary(value, k) if key == "log" else vary_node(value, k) for key, value in node.items()}
    if isinstance(node, list):
        return [vary_node(child, k) for child in node]
    return node


def main():
    rules_dir, out_dir, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out_dir, exist_ok=True)
    for name in sorted(os.listdir(rules_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(rules_dir, name)) as f:
            rule = json.load(f)
        for k in range(1, copies + 1):
            variant = dict(rule)
            variant["id"] = f"{rule['id']}-v{k}"
            variant["when"] = vary_node(rule["when"], k)
            if "explains" in variant:
                variant["explains"] = [f"{x}-v{k}" for x in rule["explains"]]
            with open(os.path.join(out_dir, f"{variant['id']}.json"), "w") as f:
                json.dump(variant, f, indent=2)
                f.write("\n")


if __name__ == "__main__":
    main()
