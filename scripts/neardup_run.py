"""Shared by the evaluation scripts: build neardup once, run a scan, time it."""
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "neardup"


def arguments(doc):
    """(data folder, extra neardup flags) from `SCRIPT DATA_DIR [-- FLAGS...]`, or exit with `doc`."""
    if len(sys.argv) < 2:
        sys.exit(doc)
    extra = sys.argv[3:] if len(sys.argv) > 2 and sys.argv[2] == "--" else sys.argv[2:]
    return Path(sys.argv[1]), extra


def scan(*args, stdin=None):
    """Builds neardup (release) and runs `neardup scan ARGS --quiet`; returns (stdout, seconds)."""
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    start = time.time()
    out = subprocess.run([str(BINARY), "scan", *map(str, args), "--quiet"], input=stdin,
                         check=True, capture_output=True)
    return out.stdout, time.time() - start
