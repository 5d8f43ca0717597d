#!/usr/bin/env python3
"""Runs neardup and the MinHash tools users would otherwise pick on one generated corpus.

Usage: scripts/compare_peers.py [--docs 100000] [--threshold 0.5] [--repeat 1] [--chain]
                                [--input FILE.jsonl ...]
                                [--peers datasketch,rensa,gaoya,text-dedup,dedup-rs,datatrove]
                                [--workdir target/peers]

`--chain` generates the second corpus shape (`synth --chain`: a word-bigram chain trained on a
few pages of prose, newline-separated paragraphs, so long runs recur across unrelated documents
and every text has JSON escapes). `--input` runs the tools on JSONL files of yours instead
(real text, such as the evaluation sets; `id` and `text` fields, the others kept): they are
joined into one corpus in the work dir, each id prefixed with its file's folder name, and the
tables of planted passages and retellings are left out.

Installs the peers from PyPI into a virtual environment under the work dir, generates the corpus
with `cargo run --release --example synth` (real English words at their frequencies, invented
names, planted copies, edits, spliced passages and retellings, with the list of what was
planted), and runs each tool end to end on the same
JSONL: read, tokenize (lower-cased words, word 5-grams), MinHash with 128 permutations, LSH at
the threshold, candidate pairs out. Each run is its own process, timed with /usr/bin/time (wall
seconds, peak RSS). With `--repeat N` the tools run in N rounds, each tool once a round, and
each tool's fastest run is shown: a noisy spell on a shared machine slows one round of every
tool rather than every run of one.

text-dedup is run as its users run it, `python -m text_dedup.minhash` on the JSONL (Hugging Face
`datasets` loading and caching included, xxh3 32-bit hashes, 2 processes); it outputs clusters,
not pairs, so its pairs are every pair inside a cluster it wrote (`--debug` union-find dump), and
its peak RSS is that of its largest process, not the sum of its workers. datatrove runs its
MinHash example's four pipelines (2 workers; its own word tokenizer, spaCy's, and text
normalization; 32 buckets of 4 hashes) and dedup-rs its `EmbedFunc` on all texts at once; both
output clusters, whose pairs count as text-dedup's do, and datatrove's peak RSS is its largest
process's too.

Ground truth: every pair proposed by any tool (neardup's `--all-pairs` is too slow at 100k in
Python's verification), with its exact word 5-gram Jaccard computed here; a pair is true when
J >= threshold. Recall is over those true pairs, precision over each tool's own pairs. A second
table counts, from the generator's list, the spliced passages each tool paired with their source
and the retellings neardup reported as rewrites. Prints Markdown tables; quote ratios from one
run, the machine is shared.
"""
import argparse
import json
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[a-z0-9_]+(?:['.:][a-z0-9_]+)*")

RUNNER = textwrap.dedent(r'''
    import json, re, sys
    tool, corpus, out, threshold = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    WORD = re.compile(r"[a-z0-9_]+(?:['.:][a-z0-9_]+)*")
    ids, texts = [], []
    for line in open(corpus):
        d = json.loads(line)
        ids.append(d["id"]); texts.append(d["text"])
    def shingles(t):
        w = WORD.findall(t.lower())
        return {" ".join(w[i:i + 5]) for i in range(max(1, len(w) - 4))}
    pairs = set()
    if tool == "datasketch":
        from datasketch import MinHash, MinHashLSH
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        sigs = []
        for i, t in enumerate(texts):
            m = MinHash(num_perm=128)
            m.update_batch([s.encode() for s in shingles(t)])
            lsh.insert(i, m); sigs.append(m)
        for i, m in enumerate(sigs):
            pairs.update((min(i, j), max(i, j)) for j in lsh.query(m) if j != i)
    elif tool == "rensa":
        from rensa import RMinHash, RMinHashLSH
        lsh = RMinHashLSH(threshold=threshold, num_perm=128, num_bands=32)
        sigs = []
        for i, t in enumerate(texts):
            m = RMinHash(num_perm=128, seed=42)
            m.update(list(shingles(t)))
            lsh.insert(i, m); sigs.append(m)
        for i, m in enumerate(sigs):
            pairs.update((min(i, j), max(i, j)) for j in lsh.query(m) if j != i)
    elif tool == "gaoya":
        from gaoya.minhash import MinHashStringIndex
        index = MinHashStringIndex(hash_size=32, jaccard_threshold=threshold, num_bands=42, band_size=3,
                                   analyzer="word", lowercase=True, ngram_range=(5, 5))
        index.par_bulk_insert_docs(list(range(len(texts))), texts)
        for i, found in enumerate(index.par_bulk_query(texts)):
            pairs.update((min(i, j), max(i, j)) for j in found if j != i)
    elif tool == "dedup-rs":
        # Its documented path (the text-dedup author's Rust core): embed a shard, cluster by
        # union-find; its own tokenizer and band/row choice for the threshold.
        import itertools
        import numpy as np
        from dedup_rs import EmbedFunc
        embed = EmbedFunc(threshold, 128, 5, 0.5, 0.5, "text", "id", "uint32", 0)
        embed.batch_embed_shard(texts, np.arange(len(texts), dtype=np.uint32))
        uf = embed.cluster()
        clusters = {}
        for i in range(len(texts)):
            clusters.setdefault(uf.find(i), []).append(i)
        for members in clusters.values():
            pairs.update(itertools.combinations(members, 2))
    with open(out, "w") as f:
        for a, b in sorted(pairs):
            f.write(f"{ids[a]}\t{ids[b]}\n")
''')

# datatrove's MinHash deduplication as its example runs it: four pipelines on the local executor
# (signatures, buckets, clusters, filter), 2 workers, files between the stages. Its buckets are
# 32 of 4 hashes (128). It writes the documents kept and removed, each with its cluster id;
# its pairs are every pair inside a cluster.
DATATROVE = textwrap.dedent(r'''
    import itertools, json, os, sys
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets,
        MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter
    from datatrove.utils.hashing import HashConfig

    def run(pipeline, tasks, stage, work, workers=2):
        LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=workers,
                              logging_dir=f"{work}/logs/{stage}").run()

    def sentences(reader, out, work):
        """Sentence-level dedup (spans of 3 sentences seen before are cut): the ids of the
        documents it cut something from."""
        from datatrove.pipeline.dedup.sentence_dedup import (SentDedupConfig, SentenceDedupFilter,
            SentenceDedupSignature, SentenceFindDedups)
        config = SentDedupConfig()
        run([reader(), SentenceDedupSignature(f"{work}/sigs", config=config, finder_workers=2)], 2,
            "sigs", work)
        run([SentenceFindDedups(f"{work}/sigs", f"{work}/dups", config=config)], 2, "dups", work)
        run([reader(), SentenceDedupFilter(f"{work}/dups", config=config),
             JsonlWriter(f"{work}/out", compression=None)], 2, "filter", work)
        before = {}
        for line in open(sys.argv[2]):
            r = json.loads(line)
            before[r["id"]] = r["text"]
        with open(out, "w") as f:
            for fn in sorted(os.listdir(f"{work}/out")):
                for line in open(f"{work}/out/{fn}"):
                    r = json.loads(line)
                    if r["text"] != before[r["id"]]:
                        f.write(r["id"] + "\n")

    def main():
        mode, corpus, out, work = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
        folder, name = os.path.split(os.path.abspath(corpus))
        reader = lambda: JsonlReader(folder, glob_pattern=name, id_key="id", text_key="text")
        if mode == "sentences":
            return sentences(reader, out, work)
        config = MinhashConfig(n_grams=5, num_buckets=32, hashes_per_bucket=4,
                               hash_config=HashConfig(precision=64))
        run([reader(), MinhashDedupSignature(f"{work}/sigs", config=config)], 2, "sigs", work)
        run([MinhashDedupBuckets(f"{work}/sigs", f"{work}/buckets", config=config)],
            config.num_buckets, "buckets", work)
        run([MinhashDedupCluster(f"{work}/buckets", f"{work}/remove", config=config,
                                 save_cluster_id=True)], 1, "cluster", work, workers=1)
        run([reader(), MinhashDedupFilter(f"{work}/remove", load_cluster_ids=True,
                                          exclusion_writer=JsonlWriter(f"{work}/removed", compression=None)),
             JsonlWriter(f"{work}/kept", compression=None)], 2, "filter", work)
        clusters = {}
        for sub in ("kept", "removed"):
            for fn in sorted(os.listdir(f"{work}/{sub}")):
                for line in open(f"{work}/{sub}/{fn}"):
                    r = json.loads(line)
                    c = r.get("metadata", {}).get("minhash_cluster_id", -1)
                    if c != -1:
                        clusters.setdefault(c, []).append(r["id"])
        with open(out, "w") as f:
            for members in clusters.values():
                for a, b in itertools.combinations(sorted(members), 2):
                    f.write(f"{a}\t{b}\n")

    if __name__ == "__main__":
        main()
''')

# What pip installs for each peer, where its name is not enough.
PIP = {"datatrove": ["datatrove[processing]", "orjson", "spacy"]}
PIP["datatrove-sentences"] = PIP["datatrove"]


def timed(cmd, **kw):
    """Runs cmd once under /usr/bin/time; returns (seconds, peak MB)."""
    r = subprocess.run(["/usr/bin/time", "-f", "%e %M", *cmd], capture_output=True, text=True, **kw)
    if r.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed:\n{r.stderr}")
    secs, kb = r.stderr.strip().splitlines()[-1].split()
    return float(secs), int(kb) / 1024


def text_dedup_command(py, work, corpus, threshold):
    """text-dedup's own command line, each run without the cache of the one before, as a first
    run on new data would be."""
    td = work / "text-dedup"
    run = [py, "-m", "text_dedup.minhash", "--path", "json", "--data_files", str(corpus),
           "--split", "train", "--cache_dir", str(td / "cache"), "--output", str(td / "out"),
           "--column", "text", "--idx_column", "id", "--num_perm", "128", "--ngram", "5",
           "--threshold", str(threshold), "--hash_func", "xxh3", "--hash_bits", "32",
           "--num_proc", "2", "--debug"]
    return ["sh", "-c", f"rm -rf {shlex.quote(str(td))} && exec {shlex.join(run)}"]


CLUSTER_PAIRS = textwrap.dedent(r'''
    import itertools, pickle, sys
    uf = pickle.load(open(sys.argv[1], "rb"))
    clusters = {}
    for x in list(uf.parent):
        clusters.setdefault(uf.find(x), []).append(x)
    with open(sys.argv[2], "w") as f:
        for members in clusters.values():
            for a, b in itertools.combinations(sorted(members), 2):
                f.write(f"{a}\t{b}\n")
''')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--peers", default="datasketch,rensa,gaoya,text-dedup,dedup-rs,datatrove,"
                                       "datatrove-sentences")
    ap.add_argument("--workdir", default=str(ROOT / "target" / "peers"))
    ap.add_argument("--repeat", type=int, default=1, help="rounds of runs (every tool once a round); the fastest is shown")
    ap.add_argument("--chain", action="store_true", help="the chain shape: recurring word runs, paragraphs")
    ap.add_argument("--input", nargs="+", type=Path, help="JSONL files to run on instead of a generated corpus")
    args = ap.parse_args()
    work = Path(args.workdir).resolve()
    work.mkdir(parents=True, exist_ok=True)
    peers = [p for p in args.peers.split(",") if p]

    venv = work / "venv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = str(venv / "bin" / "python")
    subprocess.run([py, "-m", "pip", "install", "-q", *[s for p in peers for s in PIP.get(p, [p])]],
                   check=True)
    (work / "runner.py").write_text(RUNNER)
    (work / "datatrove_runner.py").write_text(DATATROVE)

    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "synth"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if args.input:
        corpus = work / "input.jsonl"
        with open(corpus, "w") as out:
            for path in args.input:
                for line in open(path):
                    if line.strip():
                        d = json.loads(line)
                        d["id"] = f"{path.resolve().parent.name}/{d['id']}"
                        out.write(json.dumps(d) + "\n")
        planted = []
    else:
        shape = "chain" if args.chain else "planted"
        corpus = work / f"synth-{args.docs}-{shape}.jsonl"
        truth_file = work / f"synth-{args.docs}-{shape}.truth.jsonl"
        if not corpus.exists() or not truth_file.exists():
            with open(corpus, "w") as f:
                synth = [str(ROOT / "target/release/examples/synth"), *(["--chain"] if args.chain else []),
                         str(args.docs), "400", "1", str(truth_file)]
                subprocess.run(synth, stdout=f, check=True)
        planted = [json.loads(line) for line in open(truth_file)]
    documents = sum(1 for _ in open(corpus))

    # Every tool's command, run in rounds (each tool once per round, fastest round kept): on a
    # shared machine a noisy minute then slows one run of every tool, not every run of one.
    neardup = str(ROOT / "target/release/neardup")
    commands = []
    for name, relations in [("neardup (near-duplicate)", "near-duplicate"), ("neardup (all relations)", None)]:
        out = work / ("neardup-near.jsonl" if relations else "neardup-all.jsonl")
        cmd = [neardup, "scan", str(corpus), "--threshold", str(args.threshold), "--format", "jsonl", "-q", "-o", str(out)]
        if relations:
            cmd += ["--relations", relations]
        commands.append((name, cmd, out))
    for peer in peers:
        out = work / f"{peer}.tsv"
        if peer == "text-dedup":
            cmd = text_dedup_command(py, work, corpus, args.threshold)
        elif peer.startswith("datatrove"):
            dt = work / peer
            mode = "sentences" if peer == "datatrove-sentences" else "minhash"
            run = [py, str(work / "datatrove_runner.py"), mode, str(corpus), str(out), str(dt)]
            cmd = ["sh", "-c", f"rm -rf {shlex.quote(str(dt))} && exec {shlex.join(run)}"]
        else:
            cmd = [py, str(work / "runner.py"), peer, str(corpus), str(out), str(args.threshold)]
        commands.append((peer, cmd, out))
    best, peak = {}, {}
    for _ in range(args.repeat):
        for name, cmd, _ in commands:
            secs, mb = timed(cmd, cwd=work)
            best[name] = min(best.get(name, secs), secs)
            peak[name] = max(peak.get(name, 0.0), mb)
    # Sentence-level dedup flags documents (those it cut a span from), not pairs.
    flagged = {}
    for name, _, out in commands:
        if name == "datatrove-sentences":
            flagged[name] = {line.rstrip("\n") for line in open(out)}
    rows = [(name, best[name], peak[name]) for name, _, _ in commands if name not in flagged]

    # Per tool: the pairs it reported (neardup's keyed by first copies) with their relation.
    found, reported, firsts = {}, {}, {}
    for name, _, out in commands:
        if name in flagged:
            continue
        if name.startswith("neardup"):
            records = [json.loads(line) for line in open(out)]
            # Exact copies are reported once each, against the first copy: every copy stands
            # in every pair its first copy is in, as a reader of the report takes it.
            group = {}
            for p in records:
                if p["relation"] == "duplicate":
                    group.setdefault(p["a"], {p["a"]}).add(p["b"])
            pairs = set()
            for p in records:
                if p["relation"] in ("duplicate", "near-duplicate"):
                    for a in group.get(p["a"], {p["a"]}):
                        for b in group.get(p["b"], {p["b"]}):
                            if a != b:
                                pairs.add((min(a, b), max(a, b)))
            found[name] = pairs
            first = {b: a for a, copies in group.items() for b in copies}
            firsts[name] = first
            reported[name] = {}
            for p in records:
                a, b = first.get(p["a"], p["a"]), first.get(p["b"], p["b"])
                reported[name][(min(a, b), max(a, b))] = p["relation"]
        else:
            if name == "text-dedup":
                subprocess.run([py, "-c", CLUSTER_PAIRS, str(work / "text-dedup" / "out" / "uf.pkl"), str(out)],
                               check=True)
            found[name] = {tuple(sorted(line.rstrip("\n").split("\t"))) for line in open(out)}
            reported[name] = {p: "pair" for p in found[name]}

    texts = {}
    for line in open(corpus):
        d = json.loads(line)
        texts[d["id"]] = d["text"]
    cache = {}

    def grams(i):
        if i not in cache:
            w = WORD.findall(texts[i].lower())
            cache[i] = {" ".join(w[k:k + 5]) for k in range(max(1, len(w) - 4))}
        return cache[i]

    def jaccard(a, b):
        x, y = grams(a), grams(b)
        return len(x & y) / len(x | y) if x or y else 0.0

    union = set().union(*found.values())
    exact = {p: jaccard(*p) for p in union}
    truth = {p for p, j in exact.items() if j >= args.threshold}
    print(f"\n{documents} documents ({corpus.stat().st_size / 1e6:.0f} MB JSONL), word 5-grams, 128 permutations, "
          f"threshold {args.threshold}; {len(truth)} true pairs among {len(union)} proposed by any tool\n")
    print("| tool | total s | peak RSS | pairs | recall | precision |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, secs, mb in rows:
        pairs = found[name]
        good = sum(1 for p in pairs if exact[p] >= args.threshold)
        recall = len(pairs & truth) / len(truth) if truth else 0.0
        precision = good / len(pairs) if pairs else 0.0
        print(f"| {name} | {secs:.2f} | {mb / 1024:.2f} GB | {len(pairs)} | {recall:.3f} | {precision:.3f} |")
    print("\n(neardup (all relations) also reports overlaps and rewrites; its row counts its duplicate "
          "and near-duplicate pairs, each copy standing in the pairs of its first copy.)")

    # What the generator planted beyond near-duplicates: a passage of 30-120 words spliced into
    # another document, and retellings with the same names in fresh words.
    if not planted:
        return

    def planted_found(name, kind, relation=None):
        first = firsts.get(name, {})
        pairs = [(first.get(t["a"], t["a"]), first.get(t["b"], t["b"])) for t in planted if t["planted"] == kind]
        hits = [reported[name].get((min(a, b), max(a, b))) for a, b in pairs]
        ok = sum(1 for r in hits if r is not None and (relation is None or r == relation))
        return ok, len(pairs)

    print("\n| tool | spliced passages found | retellings found as rewrite |")
    print("|---|---:|---:|")
    for name, _, _ in rows:
        ok, n = planted_found(name, "overlap")
        line = f"| {name} | {ok}/{n} = {ok / max(n, 1):.3f} |"
        if name == "neardup (all relations)":
            ok, n = planted_found(name, "rewrite", "rewrite")
            line += f" {ok}/{n} = {ok / max(n, 1):.3f} |"
        else:
            line += " - |"
        print(line)

    # Passage reuse by document: a spliced passage is found when its host is flagged (datatrove's
    # sentence dedup cuts the span from the later document) or, for neardup, is in an overlap.
    hosts = {t["b"] for t in planted if t["planted"] == "overlap"}
    by_doc = dict(flagged)
    overlaps = reported.get("neardup (all relations)", {})
    # The later document of each overlap, as sentence dedup cuts the later occurrence (the
    # generator's ids sort in input order).
    by_doc["neardup (all relations)"] = {max(p) for p, r in overlaps.items() if r == "overlap"}
    print("\n| tool | total s | peak RSS | documents flagged | hosts of spliced passages flagged |")
    print("|---|---:|---:|---:|---:|")
    for name, docs in by_doc.items():
        ok = len(hosts & docs)
        print(f"| {name} | {best[name]:.2f} | {peak[name] / 1024:.2f} GB | {len(docs)} | "
              f"{ok}/{len(hosts)} = {ok / max(len(hosts), 1):.3f} |")


if __name__ == "__main__":
    main()
