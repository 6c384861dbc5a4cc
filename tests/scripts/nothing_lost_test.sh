#!/usr/bin/env bash
# Nothing lost: for random inputs, the line count appdiag reports agrees with
# `wc -l` and every evidence line number agrees with `sed -n Np`.
set -euo pipefail
: "${APPDIAG:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$APPDIAG" "$work" <<'PY'
import json, random, subprocess, sys
appdiag, work = sys.argv[1], sys.argv[2]
planted = [
    b"2024-03-15T10:25:40.123456789Z ModuleNotFoundError: No module named 'flask'",
    b"[2024-03-15 10:25:41 +0000] [74] [CRITICAL] WORKER TIMEOUT (pid:91)",
    b"2024-03-15T10:29:36.361Z ERROR - Container app_0_1 didn't respond to HTTP pings on port: 8000, failing site start. See container logs for debugging.",
]
noise = [b"", b"\r", b"\x00\x01\x02", b"\xff\xfe\xfd", b"\t tabbed", "caf\u00e9 \u2713".encode(), b"x" * 70000]
failures = 0
for seed in list(range(1, 21)) + [random.randrange(1 << 30)]:
    rng = random.Random(seed)
    lines, want = [], {}
    for i in range(rng.randrange(50, 400)):
        r = rng.random()
        if r < 0.05:
            line = rng.choice(planted)
            want.setdefault(line, []).append(len(lines) + 1)
        elif r < 0.2:
            line = rng.choice(noise)
        else:
            line = bytes(rng.randrange(32, 127) for _ in range(rng.randrange(0, 120)))
        lines.append(line + (b"\r" if rng.random() < 0.2 else b""))
    data = b"\n".join(lines) + (b"\n" if rng.random() < 0.7 else b"")
    path = f"{work}/random-{seed}.log"
    open(path, "wb").write(data)
    out = subprocess.run([appdiag, "analyze", "--as", f"app={path}", path, "--format", "json",
                          "--fail-on", "never", "--no-redact"], capture_output=True)
    if out.returncode != 0:
        print(f"seed {seed}: exit {out.returncode}: {out.stderr[:300]!r}"); failures += 1; continue
    report = json.loads(out.stdout)
    wc = int(subprocess.run(["wc", "-l", path], capture_output=True, text=True).stdout.split()[0])
    expected_lines = wc + (0 if data.endswith(b"\n") or not data else 1)
    got = report["sources"][0]["lines"]
    if got != expected_lines:
        print(f"seed {seed}: {got} lines, wc -l says {wc} (+1 without final newline)"); failures += 1
    for finding in report["findings"]:
        for ev in finding["evidence"]:
            sed = subprocess.run(["sed", "-n", f"{ev['line']}p", path], capture_output=True).stdout
            sed = sed.rstrip(b"\n")
            if sed.endswith(b"\r"): sed = sed[:-1]
            if sed.decode("utf-8", "replace") != ev["text"]:
                print(f"seed {seed}: {finding['id']} line {ev['line']}: {ev['text'][:80]!r} != {sed[:80]!r}"); failures += 1
    found = {ev["line"] for f in report["findings"] for ev in f["evidence"]}
    for line, numbers in want.items():
        missing = [n for n in numbers if n not in found]
        # Evidence keeps the first and last 20 matches per pattern; check those.
        if len(numbers) <= 40 and missing:
            print(f"seed {seed}: planted {line[:40]!r} at {missing} not in evidence"); failures += 1
print(f"nothing_lost: checked 21 random logs, {failures} problems")
sys.exit(1 if failures else 0)
PY
