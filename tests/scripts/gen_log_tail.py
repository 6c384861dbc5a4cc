#!/usr/bin/env python3
"""Writes an `az webapp log tail` capture of about MB megabytes to standard output.

  gen_log_tail.py MB FACTS_JSON > capture.txt

The capture interleaves the platform and app logs, each block under its file
header as the log stream prints it, then ends the tail and streams live lines.
One ModuleNotFoundError is planted in the app log about two thirds of the way
in. FACTS_JSON receives what a reader of the capture must find:
{"lines": all lines, "content_lines": lines that are no header or framing,
 "planted_line": the capture line of the planted error}.
Blocks are built once and repeated: generating 300 MB line by line takes minutes.
"""
import json
import sys

SITE = "contoso-shop"
DAY = "2024_03_15"


def header(log):
    name = f"{DAY}_lw1_{log}.log"
    return f"/home/LogFiles/{name}  (https://{SITE}.scm.azurewebsites.net/api/vfs/LogFiles/{name})\n"


def block(make, n=1000):
    return "".join(make(i) for i in range(n))


def main():
    size = int(float(sys.argv[1]) * (1 << 20))
    out = sys.stdout
    platform = block(lambda i: f"2024-03-15T10:{i // 60 % 60:02d}:{i % 60:02d}.000Z INFO  - Waiting for response "
                               f"to warmup request for container {SITE}_0_1. Elapsed time = {i}.5 sec\n")
    app = block(lambda i: f"2024-03-15T10:{i // 60 % 60:02d}:{i % 60:02d}.000Z 169.254.130.1 - - "
                          f"[15/Mar/2024:10:21:00 +0000] \"GET /items/{i} HTTP/1.1\" 200 {i % 900 + 100}\n")
    planted = "2024-03-15T10:59:59.000Z ModuleNotFoundError: No module named 'dotenv'\n"
    lines = content = 0
    written = 0
    planted_line = 0

    def write(text, chrome):
        nonlocal lines, content, written
        out.write(text)
        n = text.count("\n")
        lines += n
        content += 0 if chrome else n
        written += len(text)

    write(f"2024-03-15T10:21:00  Welcome, you are now connected to log-streaming service.\n", True)
    write("Starting Log Tail -n 10 of existing logs ----\n", True)
    k = 0
    while written < size * 0.9:
        log, text = ("docker", platform) if k % 2 == 0 else ("default_docker", app)
        write(header(log), True)
        write(text, False)
        if log == "default_docker" and not planted_line and written >= size * 2 // 3:
            planted_line = lines + 1
            write(planted, False)
        k += 1
    write("Ending Log Tail of existing logs ---\n", True)
    write("Starting Live Log Stream ---\n", True)
    while written < size:
        write(app, False)
    json.dump({"lines": lines, "content_lines": content, "planted_line": planted_line}, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
