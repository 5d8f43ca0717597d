#!/usr/bin/env python3
"""Evaluate neardup's salient-term similarity at sentence level on MSRP (paraphrase pairs).

Usage: scripts/eval_msrp.py DATA_DIR

DATA_DIR holds docs.jsonl and labels.jsonl (../shared/eval/msrp); read in place, never copied.
Scans every sentence once with the rewrite relation only, no similarity floor and a near-zero
probability threshold, so that each candidate pair carries its rewrite probability (`score`),
then scores the labelled pairs: average precision of the probability, accuracy and F1 at
neardup's default probability threshold and
at the best threshold (an upper bound, tuned on these labels). Pairs that never become
candidates score 0. Majority-class accuracy is printed for scale.
"""
import json

import neardup_run


def main():
    data, _ = neardup_run.arguments(__doc__)
    params, _ = neardup_run.scan("-", "--format", "json", stdin=b"")
    default = json.loads(params)["params"]["rewrite_probability"]
    stdout, _ = neardup_run.scan(data / "docs.jsonl", "--relations", "rewrite",
                                 "--rewrite-probability", "0.000001",
                                 "--rewrite-min-similarity", "0", "--format", "jsonl")
    sim = {}
    for line in stdout.splitlines():
        p = json.loads(line)
        sim[(p["a"], p["b"])] = sim[(p["b"], p["a"])] = p["score"]
    labels = [json.loads(l) for l in open(data / "labels.jsonl")]
    scored = sorted(((sim.get((l["a"], l["b"]), 0.0), l["label"]) for l in labels), key=lambda x: -x[0])
    positives = sum(l for _, l in scored)
    hits, ap = 0, 0.0
    for rank, (_, l) in enumerate(scored, 1):
        if l:
            hits += 1
            ap += hits / rank
    ap /= positives

    def at(threshold):
        tp = sum(1 for s, l in scored if s >= threshold and l)
        fp = sum(1 for s, l in scored if s >= threshold and not l)
        fn = positives - tp
        tn = len(scored) - tp - fp - fn
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        return (tp + tn) / len(scored), f1

    best = max((at(s) + (s,) for s, _ in scored[::10]), key=lambda x: x[0])
    acc, f1 = at(default)
    print(f"MSRP ({data}): {len(scored)} labelled pairs, {positives} paraphrases; "
          f"{sum(1 for s, _ in scored if s > 0)} scored by neardup")
    print(f"average precision of the similarity: {ap:.3f}")
    print(f"at the default rewrite threshold {default}: accuracy {acc:.3f}, F1 {f1:.3f}")
    print(f"best accuracy (tuned here, an upper bound): {best[0]:.3f} at {best[2]:.3f} (F1 {best[1]:.3f}); "
          f"majority class {positives / len(scored):.3f}")


if __name__ == "__main__":
    main()
