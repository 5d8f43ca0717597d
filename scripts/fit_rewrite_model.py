#!/usr/bin/env python3
"""Fit the rewrite decision (src/rewrite/decision.rs) on documents labelled by cluster.

Usage: scripts/fit_rewrite_model.py DATA_DIR [DATA_DIR ...] [--folds K]

Each DATA_DIR holds docs.jsonl and labels.jsonl ({"id", "cluster"}; ../shared/eval/ecbplus and
../shared/eval/gva), read in place and never copied. Every data set is scanned once with
`--rewrite-probability 1e-9`, so that each candidate above the similarity floor is reported
with its decision inputs; a pair of one cluster is positive. A logistic regression (Newton's
method, a small L2 penalty) is fitted with each data set given the same total weight, so that
no one set's base rate sets the threshold for the others.

Prints the weights as the Rust constant to paste into decision.rs, the in-sample precision,
recall and F1 of the rewrite pairs at the threshold (0.4) per data set, and the same estimated on
held-out clusters (K folds by a hash of the cluster id: the weights of the other folds decide
each fold's pairs). Needs numpy.
"""
import argparse
import hashlib
import json
import math
from pathlib import Path

import numpy as np

import neardup_run

INPUTS = ["ln_similarity", "ln_days_apart", "no_dates", "same_source", "shared_words",
          *[f"unlikely_{k}" for k in ("entities", "numbers", "quotes", "sources")],
          *[f"specific_{k}" for k in ("words", "entities", "numbers", "quotes", "sources")],
          "ln_surprise", "ln_co_surprise", "name_share"]
KINDS = ("words", "entities", "numbers", "quotes", "sources")
CHANCE_FLOOR = 0.2


def unlikely(shared, trials, expected):
    """-ln P(X >= shared), X binomial over `trials` with p = expected / trials: decision.rs's
    `unlikely`."""
    if shared == 0 or trials == 0:
        return 0.0
    p = max(expected, CHANCE_FLOOR) / trials
    if p >= 1:
        return 0.0
    terms = [math.lgamma(trials + 1) - math.lgamma(k + 1) - math.lgamma(trials - k + 1)
             + k * math.log(p) + (trials - k) * math.log1p(-p) for k in range(shared, trials + 1)]
    top = max(terms)
    return -(top + math.log(sum(math.exp(t - top) for t in terms)))


def inputs(d):
    """Decision::inputs, as src/rewrite/decision.rs computes them from the report's fields."""
    days = d["days_apart"]
    return [math.log(max(d["similarity"], 1e-6)),
            math.log1p(days) if days is not None else 0.0,
            0.0 if days is not None else 1.0,
            1.0 if d["same_source"] else 0.0,
            math.log1p(d["shared"]["words"]),
            *[unlikely(d["shared"][k], min(d["held"][0][k], d["held"][1][k]), d["expected"][k])
              for k in KINDS[1:]],
            *[math.log1p(d["specific"][k]) for k in KINDS],
            math.log1p(d["surprise"]),
            math.log1p(d["co_surprise"]),
            name_share(d)]


def name_share(d):
    """Decision::name_share."""
    fewer = min(d["held"][0]["entities"], d["held"][1]["entities"])
    return max(0.0, d["shared"]["entities"] - d["expected"]["entities"]) / max(fewer, 1)


def load(folder):
    labels = {}
    for line in open(folder / "labels.jsonl"):
        row = json.loads(line)
        labels[row["id"]] = row["cluster"]
    out, _ = neardup_run.scan(folder / "docs.jsonl", "--format", "json",
                              "--rewrite-probability", "1e-9")
    rows, y, clusters = [], [], []
    for p in json.loads(out)["pairs"]:
        decision = p["evidence"].get("decision")
        if p["relation"] != "rewrite" or decision is None:
            continue
        rows.append(inputs(decision))
        y.append(labels[p["a"]] == labels[p["b"]])
        clusters.append(labels[p["a"]])
    return np.array(rows), np.array(y, float), clusters


def fit(x, y, weight, l2=1e-3, rounds=60):
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    weight = weight / weight.mean()
    for _ in range(rounds):
        p = 1 / (1 + np.exp(-xb @ w))
        grad = xb.T @ (weight * (p - y)) / len(y) + l2 * w
        hess = (xb.T * (weight * p * (1 - p))) @ xb / len(y) + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w


def predict(x, w):
    return 1 / (1 + np.exp(-(x @ w[:-1] + w[-1])))


def prf(p, y, threshold):
    sel = p >= threshold
    tp = float((y[sel] == 1).sum())
    prec = tp / max(sel.sum(), 1)
    rec = tp / max(y.sum(), 1)
    return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def fold_of(cluster, k):
    return int(hashlib.sha1(cluster.encode()).hexdigest(), 16) % k


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="+", type=Path)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--threshold", type=float, default=0.4,
                    help="the decision's threshold, --rewrite-probability (default 0.4)")
    args = ap.parse_args()
    sets = [(d.name, *load(d)) for d in args.data]
    x = np.vstack([s[1] for s in sets])
    y = np.concatenate([s[2] for s in sets])
    weight = np.concatenate([np.full(len(s[2]), len(y) / len(s[2])) for s in sets])
    w = fit(x, y, weight)
    print("pub const WEIGHTS: [f64; %d] = [" % len(w))
    for name, v in zip(INPUTS + ["intercept"], w):
        print(f"    {f'{v:.4f},':<8} // {name}")
    print("];")
    folds = np.concatenate([[fold_of(c, args.folds) for c in s[3]] for s in sets])
    held = np.zeros(len(y))
    for k in range(args.folds):
        train = folds != k
        held[~train] = predict(x[~train], fit(x[train], y[train], weight[train]))
    start = 0
    for name, xs, ys, _ in sets:
        end = start + len(ys)
        inside = prf(predict(xs, w), ys, args.threshold)
        outside = prf(held[start:end], ys, args.threshold)
        print(f"{name}: {len(ys)} candidates, {int(ys.sum())} positive; rewrite pairs at "
              f"{args.threshold}: "
              f"in sample P {inside[0]:.3f} R {inside[1]:.3f} F1 {inside[2]:.3f}; "
              f"held-out clusters P {outside[0]:.3f} R {outside[1]:.3f} F1 {outside[2]:.3f}")
        start = end


if __name__ == "__main__":
    main()
