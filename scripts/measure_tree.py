#!/usr/bin/env python3
"""Runs a command and reports its wall time and the peak memory of its whole process tree.

Usage: scripts/measure_tree.py CMD [ARGS...]

`/usr/bin/time` reports the largest single process; a Spark job is a JVM, Python workers and
the neardup processes they pipe through, alive at once. This samples the resident memory of
the command and all its descendants (from /proc, every 0.2 s) and prints, on stderr, the peak
of their sum and the peak of each kind of process (by executable name). Linux only.
"""
import os
import subprocess
import sys
import time
from collections import defaultdict


def tree(root):
    children = defaultdict(list)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children[int(fields[1])].append(int(pid))
        except OSError:
            continue
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def rss_and_name(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            status = dict(line.split(":", 1) for line in f if ":" in line)
        return int(status.get("VmRSS", "0 kB").split()[0]) * 1024, status["Name"].strip()
    except (OSError, KeyError):
        return 0, None


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    start = time.time()
    proc = subprocess.Popen(sys.argv[1:])
    peak_total, peak_by_name = 0, defaultdict(int)
    while proc.poll() is None:
        total, by_name = 0, defaultdict(int)
        for pid in tree(proc.pid):
            rss, name = rss_and_name(pid)
            total += rss
            if name:
                by_name[name] += rss
        peak_total = max(peak_total, total)
        for name, rss in by_name.items():
            peak_by_name[name] = max(peak_by_name[name], rss)
        time.sleep(0.2)
    wall = time.time() - start
    kinds = ", ".join(f"{n} {r / 2**30:.2f}" for n, r in
                      sorted(peak_by_name.items(), key=lambda x: -x[1]) if r > 50 * 2**20)
    print(f"measure_tree: {wall:.1f} s wall, peak memory of the tree {peak_total / 2**30:.2f} GB "
          f"(peak by process name, GB: {kinds}); exit {proc.returncode}", file=sys.stderr)
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
