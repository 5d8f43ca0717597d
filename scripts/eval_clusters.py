#!/usr/bin/env python3
"""Pairwise evaluation of a scan against documents labelled by cluster (GVA, ECB+).

Usage: scripts/eval_clusters.py DATA_DIR [--with FILE.jsonl ...] [--pairs OUT.jsonl]
                                [--min-score S] [-- extra neardup scan flags]

DATA_DIR holds docs.jsonl and labels.jsonl ({"id", "cluster"}); the data is read in place, never
copied. Positive pair: same `cluster`; anything else is negative. Every relation counts.

`--with` adds unlabelled documents to the same scan (other data sets, generated news) to see
whether precision on the labelled pairs holds as the batch grows: only pairs between two
labelled documents are scored, and the distractors' ids are prefixed so they never collide.

Prints pairwise precision, recall and F1 of the reported pairs, AP of `score` over all labelled
pairs (unreported positives rank last), the same per relation, and the best F1 any threshold
on `score` reaches. `--pairs` writes every reported labelled pair with its label, for reading
what is still wrong.
"""
import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import neardup_run


def best_f1(scored, positives):
    scored = sorted(scored, key=lambda x: -x[0])
    best, tp = (0.0, None), 0
    for rank, (score, pos) in enumerate(scored, 1):
        tp += pos
        p, r = tp / rank, tp / positives
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best[0]:
            best = (f, score)
    return best


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--with", dest="distractors", action="append", default=[], type=Path)
    ap.add_argument("--pairs", type=Path)
    args = ap.parse_args(argv)

    labels = {}
    for line in open(args.data / "labels.jsonl"):
        row = json.loads(line)
        labels[row["id"]] = row["cluster"]
    sizes = Counter(labels.values())
    positives = sum(n * (n - 1) // 2 for n in sizes.values())

    body = (args.data / "docs.jsonl").read_bytes()
    for k, path in enumerate(args.distractors):
        lines = []
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            rec["id"] = f"with{k}:{rec.get('id', n)}"
            lines.append(json.dumps(rec))
        body += ("\n".join(lines) + "\n").encode()
    stdout, seconds = neardup_run.scan("-", "--format", "json", *extra, stdin=body)
    report = json.loads(stdout)

    pairs = [p for p in report["pairs"] if p["a"] in labels and p["b"] in labels]
    is_pos = [labels[p["a"]] == labels[p["b"]] for p in pairs]
    tp = sum(is_pos)
    prec = tp / len(pairs) if pairs else 0.0
    rec = tp / positives
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    scored = [(p["score"], pos) for p, pos in zip(pairs, is_pos)]
    stats = report["stats"]
    print(f"{args.data}: {len(labels)} labelled documents, {positives} same-cluster pairs; "
          f"batch {stats['documents']} documents, scan {seconds:.2f} s, "
          f"{stats['candidates']} candidates")
    print(f"reported labelled pairs: {len(pairs)}; precision {prec:.3f}, recall {rec:.3f}, "
          f"F1 {f1:.3f}; AP of score {neardup_run.average_precision(scored, positives):.3f}")
    bf, at = best_f1(scored, positives)
    print(f"best F1 over a threshold on score: {bf:.3f}" + (f" (score >= {at:.3f})" if at else ""))
    by_rel = {}
    for p, pos in zip(pairs, is_pos):
        r = by_rel.setdefault(p["relation"], [0, 0])
        r[0] += 1
        r[1] += pos
    for rel, (n, good) in sorted(by_rel.items()):
        print(f"  {rel}: {n} pairs, {good} right, precision {good / n:.3f}")
    for key in ("boilerplate_lines", "boilerplate_documents"):
        if key in stats:
            print(f"  stats.{key}: {stats[key]}")
    if args.pairs:
        with open(args.pairs, "w") as out:
            for p, pos in zip(pairs, is_pos):
                p = dict(p, positive=pos)
                out.write(json.dumps(p) + "\n")


if __name__ == "__main__":
    main()
