#!/usr/bin/env python3
"""Evaluate neardup's rewrite detection on ECB+ (news articles grouped by real-world event).

Usage: scripts/eval_ecbplus.py DATA_DIR [-- extra neardup scan flags]

DATA_DIR holds docs.jsonl and labels.jsonl (../shared/eval/ecbplus); the data is read in place,
never copied. Positive pair: same `cluster` (same event); hard negative: same `topic`, other
cluster. Prints pairwise precision, recall and F1 of the reported pairs at neardup's thresholds
(every relation counts: a near-copy of the same wire story is the same event), the average
precision of `score` over all pairs (pairs not reported rank last), and how often hard
negatives are reported.
"""
import json
from itertools import combinations

import neardup_run


def main():
    data, extra = neardup_run.arguments(__doc__)
    stdout, seconds = neardup_run.scan(data / "docs.jsonl", "--format", "json", *extra)
    report = json.loads(stdout)
    labels = {}
    for line in open(data / "labels.jsonl"):
        l = json.loads(line)
        labels[l["id"]] = (l["cluster"], l["topic"])
    ids = sorted(labels)
    positives = sum(1 for a, b in combinations(ids, 2) if labels[a][0] == labels[b][0])
    hard = sum(1 for a, b in combinations(ids, 2)
               if labels[a][1] == labels[b][1] and labels[a][0] != labels[b][0])

    def is_pos(p):
        return labels[p["a"]][0] == labels[p["b"]][0]

    def is_hard(p):
        return labels[p["a"]][1] == labels[p["b"]][1] and not is_pos(p)

    pairs = report["pairs"]
    tp = sum(1 for p in pairs if is_pos(p))
    prec = tp / len(pairs) if pairs else 0.0
    rec = tp / positives
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    ap = neardup_run.average_precision([(p["score"], is_pos(p)) for p in pairs], positives)
    by_rel = {}
    for p in pairs:
        r = by_rel.setdefault(p["relation"], [0, 0])
        r[0] += 1
        r[1] += is_pos(p)
    print(f"ECB+ ({data}): {len(ids)} documents, {positives} same-event pairs, {hard} hard negatives; "
          f"scan {seconds:.2f} s, {report['stats']['candidates']} candidates "
          f"({report['stats'].get('rewrite_candidates', 0)} from salient terms)")
    print(f"reported pairs: {len(pairs)}; precision {prec:.3f}, recall {rec:.3f}, F1 {f1:.3f}; AP of score {ap:.3f}")
    print(f"hard negatives reported: {sum(1 for p in pairs if is_hard(p))}/{hard}")
    for rel, (n, good) in sorted(by_rel.items()):
        print(f"  {rel}: {n} pairs, precision {good / n:.3f}")


if __name__ == "__main__":
    main()
