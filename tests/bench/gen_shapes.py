#!/usr/bin/env python3
"""Writes one input shape for tests/bench/shapes.sh.

  gen_shapes.py SHAPE OUT_DIR --mb N

SHAPE is one of (the mixed bundle, shape b, comes from gen_bundle.py):
  access     one app log, all access-log lines, with a ModuleNotFoundError
             traceback every 250,000 lines (OUT_DIR/LogFiles/..._default_docker.log)
  traceback  one app log where every few lines a worker boots and dies with a
             ModuleNotFoundError traceback, between a few access lines
  build      one Oryx build log (OUT_DIR/deployments/<id>/log.log): pip
             resolution and compiler lines, many of them 0.5-3 KB long, with
             a failed pip install at the end
  logtail    the text `az webapp log tail` prints (OUT_DIR/az-webapp-log-tail.txt):
             file headers, then live lines of the platform and app logs interleaved
  many       a bundle of 2,000 app logs of 50 KB each (--mb ignored), one of
             which holds a ModuleNotFoundError traceback

Prints the rule id the report must name as its root cause.
"""
import argparse
import os
import random

from gen_bundle import access_line, failure_lines, startup_lines, ts

DAY = "2026_11_28"


def write_lines(path, size, next_lines):
    """Writes `next_lines(i)` batches until `size` bytes; returns nothing."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="\n") as f:
        written, i = 0, 0
        while written < size:
            chunk = "\n".join(next_lines(i)) + "\n"
            f.write(chunk)
            written += len(chunk)
            i += 1


def repeated(rng, make_block, blocks=64):
    """A few distinct blocks, cycled: generating GBs line by line in Python takes minutes."""
    cache = [make_block(rng, k) for k in range(blocks)]
    return lambda i: cache[i % blocks]


def access(out, size, rng):
    per_block = 5000  # lines; a traceback every 50 blocks = 250,000 lines

    def block(rng, k):
        lines = [access_line(rng, 36000 + k * 60 + j // 100) for j in range(per_block)]
        return lines

    blocks = repeated(rng, block, 50)
    fail, _ = failure_lines(80000)

    def next_lines(i):
        return blocks(i) + (fail if i % 50 == 49 else [])

    write_lines(os.path.join(out, "LogFiles", f"{DAY}_lw0sdlwk000001_default_docker.log"), size, next_lines)
    return "module-not-found"


def traceback(out, size, rng):
    def block(rng, k):
        second = 36000 + k * 30
        lines = [access_line(rng, second) for _ in range(rng.randrange(2, 6))]
        fail, _ = failure_lines(second + 1)
        return lines + startup_lines(second)[-4:] + fail

    write_lines(os.path.join(out, "LogFiles", f"{DAY}_lw0sdlwk000001_default_docker.log"), size, repeated(rng, block))
    return "module-not-found"


PACKAGES = ["numpy", "pandas", "scipy", "cryptography", "psycopg2", "lxml", "pillow", "grpcio", "uvloop", "orjson"]


def build(out, size, rng):
    def block(rng, k):
        pkg = PACKAGES[k % len(PACKAGES)]
        ver = f"{rng.randrange(1, 40)}.{rng.randrange(0, 20)}.{rng.randrange(0, 9)}"
        flags = " ".join(f"-I/tmp/pip-build-env-{rng.randrange(10**8):08x}/overlay/include/{p}" for p in PACKAGES)
        srcs = " ".join(f"src/{pkg}/_impl/module_{j}.c" for j in range(rng.randrange(10, 60)))
        return [
            f"Collecting {pkg}=={ver} (from -r requirements.txt (line {k % 40 + 1}))",
            f"  Downloading {pkg}-{ver}.tar.gz ({rng.randrange(100, 9000)} kB)",
            f"Requirement already satisfied: setuptools>=40.8.0 in /tmp/8dcbb4b79811936/antenv/lib/python3.11/site-packages "
            f"(from {pkg}=={ver}) ({rng.choice(['68.2.2', '69.0.3'])})",
            f"  Building wheel for {pkg} (pyproject.toml): started",
            f"  gcc -pthread -Wno-unused-result -Wsign-compare -DNDEBUG -g -fwrapv -O3 -Wall -fPIC {flags} "
            f"-I/opt/python/3.11.8/include/python3.11 -c {srcs} -o build/temp.linux-x86_64-cpython-311/{pkg}.o",
            f"  Building wheel for {pkg} (pyproject.toml): finished with status 'done'",
            f"  Created wheel for {pkg}: filename={pkg}-{ver}-cp311-cp311-linux_x86_64.whl size={rng.randrange(10**5, 10**7)} "
            f"sha256={rng.randrange(16**63, 16**64):064x}",
            f"Successfully built {pkg}",
        ]

    path = os.path.join(out, "deployments", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "log.log")
    head = ["Updating submodules.", "Running oryx build...", "Detecting platforms...", "  python: 3.11.8",
            "Running pip install..."]
    blocks = repeated(rng, block)
    write_lines(path, size, lambda i: (head if i == 0 else []) + blocks(i))
    with open(path, "a") as f:
        f.write("ERROR: Could not find a version that satisfies the requirement nosuchpkg==9.9 (from versions: none)\n"
                "ERROR: No matching distribution found for nosuchpkg==9.9\n"
                "Failed pip installation with exit code: 1\n")
    return "build-failed"


def logtail(out, size, rng):
    site = "contoso-shop"
    app = f"/home/LogFiles/{DAY}_lw0sdlwk000001_default_docker.log"
    platform = f"/home/LogFiles/{DAY}_lw0sdlwk000001_docker.log"
    head = [f"{ts(36000).replace('.000000000Z', '')}  Welcome, you are now connected to log-streaming service.",
            "Starting Log Tail -n 10 of existing logs ----"]
    for path in (platform, app):
        head += [f"{path}  (https://{site}.scm.azurewebsites.net/api/vfs/LogFiles/{os.path.basename(path)})",
                 f"{ts(36000)} INFO  - Starting container for site"]
    head += ["Ending Log Tail of existing logs ---", "Starting Live Log Stream ---"]

    def block(rng, k):
        second = 36000 + k * 60
        lines = []
        for _ in range(200):
            if rng.random() < 0.05:
                lines.append(f"{ts(second)} INFO  - Waiting for response to warmup request for container {site}_0_1 "
                             f"for site {site}. Elapsed time = {rng.random() * 200:.7f} sec")
            else:
                lines.append(access_line(rng, second))
        return lines

    blocks = repeated(rng, block)
    fail, _ = failure_lines(80000)
    write_lines(os.path.join(out, "az-webapp-log-tail.txt"), size,
                lambda i: (head if i == 0 else []) + blocks(i) + (fail if i % 1000 == 999 else []))
    return "module-not-found"


def many(out, _size, rng):
    fail, _ = failure_lines(80000)
    for m in range(2000):
        lines = startup_lines(36000)
        while sum(len(x) + 1 for x in lines) < 50_000:
            lines.append(access_line(rng, 36000 + len(lines)))
        if m == 1234:
            lines += fail
        path = os.path.join(out, "LogFiles", f"{DAY}_lw0sdlwk{m:06d}_default_docker.log")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
    return "module-not-found"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("shape", choices=["access", "traceback", "build", "logtail", "many"])
    p.add_argument("out")
    p.add_argument("--mb", type=float, default=256)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    print(globals()[a.shape](a.out, int(a.mb * (1 << 20)), random.Random(a.seed)))


if __name__ == "__main__":
    main()
