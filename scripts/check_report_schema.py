#!/usr/bin/env python3
"""Validates reports against docs/report.schema.json.

Usage: scripts/check_report_schema.py REPORT.json [PAIRS.jsonl ...]

A `.json` file is validated as a whole report, a `.jsonl` file line by line as pair records.
Needs the `jsonschema` package (pip). Exits 1 naming the file, line and path of the first
violation.
"""
import json
import sys
from pathlib import Path

import jsonschema

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "report.schema.json").read_text())


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    report = jsonschema.Draft202012Validator(SCHEMA)
    pair = jsonschema.Draft202012Validator({**SCHEMA["$defs"]["pair"], "$defs": SCHEMA["$defs"]})
    checked = 0
    for name in sys.argv[1:]:
        path = Path(name)
        if path.suffix == ".jsonl":
            items = [(n, json.loads(l)) for n, l in enumerate(path.read_text().splitlines(), 1) if l.strip()]
            validator = pair
        else:
            items = [(1, json.loads(path.read_text()))]
            validator = report
        for line, item in items:
            error = jsonschema.exceptions.best_match(validator.iter_errors(item))
            if error is not None:
                sys.exit(f"{name}:{line}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
            checked += 1
    print(f"{checked} report(s) and pair record(s) match docs/report.schema.json")


if __name__ == "__main__":
    main()
