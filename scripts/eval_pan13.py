#!/usr/bin/env python3
"""Evaluate neardup's `overlap` relation on PAN13 text alignment (no obfuscation).

Usage: scripts/eval_pan13.py DATA_DIR [-- extra neardup scan flags]

DATA_DIR holds docs.jsonl and labels.jsonl (../shared/eval/pan13_noobf); the data is read in
place and never copied. Builds neardup in release mode, scans every document once, and prints:

- document level: the share of labelled reuse pairs reported as `overlap` (and with any
  relation), and the share of labelled negatives reported with any relation;
- passage level: character precision and recall of the reported passages against the labelled
  offsets, on both sides, strictly and with the 100-character slack the data's README asks for
  (its offsets are approximate).
"""
import json

import neardup_run


def ranges_len(rs):
    return sum(e - s for s, e in union(rs))


def union(rs):
    out = []
    for s, e in sorted(rs):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def intersect_len(xs, ys):
    xs, ys = union(xs), union(ys)
    i = j = n = 0
    while i < len(xs) and j < len(ys):
        lo, hi = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        n += max(0, hi - lo)
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return n


def main():
    data, extra = neardup_run.arguments(__doc__)
    stdout, seconds = neardup_run.scan(data / "docs.jsonl", "--format", "json", *extra)
    report = json.loads(stdout)
    docs = {json.loads(l)["id"]: json.loads(l)["text"] for l in open(data / "docs.jsonl")}
    labels = [json.loads(l) for l in open(data / "labels.jsonl")]

    found = {}
    for p in report["pairs"]:
        found[(p["a"], p["b"])] = (p, False)
        found[(p["b"], p["a"])] = (p, True)

    pos = [l for l in labels if l["label"] == 1]
    neg = [l for l in labels if l["label"] == 0]
    pos_overlap = sum(1 for l in pos if found.get((l["a"], l["b"]), ({"relation": None},))[0]["relation"] == "overlap")
    pos_any = sum(1 for l in pos if (l["a"], l["b"]) in found)
    neg_any = [l for l in neg if (l["a"], l["b"]) in found]

    # Character level, micro-averaged over labelled positive pairs, both sides.
    stats = {"strict": [0, 0, 0, 0], "slack100": [0, 0, 0, 0]}  # det∩truth, det, truth∩det, truth
    for l in pos:
        truth_a = [(q["a_offset"], q["a_offset"] + q["a_length"]) for q in l["passages"]]
        truth_b = [(q["b_offset"], q["b_offset"] + q["b_length"]) for q in l["passages"]]
        det_a, det_b = [], []
        if (l["a"], l["b"]) in found:
            p, swapped = found[(l["a"], l["b"])]
            for s in p["passages"]:
                ra, rb = (s["b"], s["a"]) if swapped else (s["a"], s["b"])
                # Byte offsets to char offsets (PAN offsets count characters).
                det_a.append(byte_to_char(docs[l["a"]], ra))
                det_b.append(byte_to_char(docs[l["b"]], rb))
        for truth, det, text in ((truth_a, det_a, docs[l["a"]]), (truth_b, det_b, docs[l["b"]])):
            for name, slack in (("strict", 0), ("slack100", 100)):
                wide_truth = [(max(0, s - slack), min(len(text), e + slack)) for s, e in truth]
                narrow_truth = truth
                st = stats[name]
                st[0] += intersect_len(det, wide_truth)  # detected chars inside (slack-widened) truth
                st[1] += ranges_len(det)
                wide_det = [(max(0, s - slack), e + slack) for s, e in det]
                st[2] += intersect_len(narrow_truth, wide_det)
                st[3] += ranges_len(narrow_truth)

    print(f"PAN13 no-obfuscation ({data}): {len(report['documents'])} documents, "
          f"{len(report['pairs'])} pairs reported in {seconds:.2f} s "
          f"({report['stats']['candidates']} candidates verified)")
    print(f"labelled reuse pairs reported as overlap: {pos_overlap}/{len(pos)} = {pos_overlap / len(pos):.3f}"
          f"  (any relation: {pos_any / len(pos):.3f})")
    print(f"labelled negatives reported (any relation): {len(neg_any)}/{len(neg)} = {len(neg_any) / len(neg):.3f}")
    for name, (dt, d, td, t) in stats.items():
        prec = dt / d if d else 0.0
        rec = td / t if t else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"passage characters ({name}): precision {prec:.3f}, recall {rec:.3f}, F1 {f1:.3f}")
    missed = [l for l in pos if found.get((l["a"], l["b"]), ({"relation": None},))[0]["relation"] != "overlap"]
    if missed:
        print("missed (first 5):")
        for l in missed[:5]:
            lens = [q["a_length"] for q in l["passages"]]
            print(f"  {l['a']} {l['b']} passage chars {lens} reused {l['a_fraction_reused']}")
    for l in neg_any[:5]:
        p, _ = found[(l["a"], l["b"])]
        print(f"  negative reported: {l['a']} {l['b']} {p['relation']} score {p['score']}")


def byte_to_char(text, r):
    b = text.encode("utf-8")
    return (len(b[: r[0]].decode("utf-8")), len(b[: r[1]].decode("utf-8")))


if __name__ == "__main__":
    main()
