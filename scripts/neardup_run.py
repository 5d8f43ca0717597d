"""Shared by the evaluation scripts: build neardup once, run a scan, time it."""
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "neardup"
# Another build to measure (an earlier commit's, say): used as it is, not built.
OTHER = os.environ.get("NEARDUP_BIN")


def arguments(doc):
    """(data folder, extra neardup flags) from `SCRIPT DATA_DIR [-- FLAGS...]`, or exit with `doc`."""
    if len(sys.argv) < 2:
        sys.exit(doc)
    extra = sys.argv[3:] if len(sys.argv) > 2 and sys.argv[2] == "--" else sys.argv[2:]
    return Path(sys.argv[1]), extra


def scan(*args, stdin=None):
    """Builds neardup (release) and runs `neardup scan ARGS --quiet`; returns (stdout, seconds).
    With NEARDUP_BIN set, runs that binary instead, unbuilt."""
    if not OTHER:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    start = time.time()
    out = subprocess.run([OTHER or str(BINARY), "scan", *map(str, args), "--quiet"], input=stdin,
                         check=True, capture_output=True)
    return out.stdout, time.time() - start


def average_precision(scored, positives):
    """AP of a ranking: scored is [(score, is_positive)] of reported pairs; positives never
    reported count as never retrieved."""
    scored = sorted(scored, key=lambda x: -x[0])
    hits, total = 0, 0.0
    for rank, (_, pos) in enumerate(scored, 1):
        if pos:
            hits += 1
            total += hits / rank
    return total / positives if positives else 0.0
