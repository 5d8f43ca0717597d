"""scripts/spark-scan against `neardup scan` on the same input: the same pairs, byte for byte,
and the same clusters, in Spark's local mode (pyspark and Java 17 installed by .ci/run).

Run: NEARDUP_BIN=target/release/neardup python -m pytest -q tests/spark
"""
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPARK_SCAN = ROOT / "scripts" / "spark-scan"
BINARY = Path(os.environ.get("NEARDUP_BIN", ROOT / "target" / "release" / "neardup"))
RELATIONS = ["--relations", "duplicate,near-duplicate,overlap,rewrite"]


def corpus(n=2000, seed=7):
    """Documents with planted exact copies, near-duplicates (a few words edited), passages
    spliced from another document, five sites whose pages carry their chrome, a stock sentence
    across sites, dated and undated members, empty texts, escapes and non-ASCII; an independent
    generator, not the crate's."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(4000)] + ["Zürich", "naïve", "“quoted”", "tab\there", "line\nbreak"]
    weights = [1 / (r + 1) for r in range(len(vocab))]

    names = ["".join(rng.choice("bdklmnrstvz") + rng.choice("aeiou") for _ in range(3)).title()
             for _ in range(3000)]

    def prose(k, story_names=()):
        words = rng.choices(vocab, weights, k=k)
        for name in story_names or rng.sample(names, 6):
            words.insert(rng.randrange(len(words) + 1), name)
        return " ".join(words)

    names_set = set(names)
    chrome = [f"Sign up for the site{s} newsletter and follow us for more local news." for s in range(5)]
    docs = []
    for i in range(n):
        record = {"id": f"doc-{i:05d}", "url": f"https://www.site{i % 5}.example/story/{i}"}
        if i % 3 == 0:
            record["date"] = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        roll = rng.random()
        if i > 10 and roll < 0.1:
            text = docs[rng.randrange(i)]["text"]
        elif i > 10 and roll < 0.2:
            words = docs[rng.randrange(i)]["text"].split(" ")
            for _ in range(max(1, len(words) * rng.randint(1, 6) // 100)):
                words[rng.randrange(len(words))] = rng.choices(vocab, weights)[0]
            text = " ".join(words)
        elif i > 10 and roll < 0.3:
            source = docs[rng.randrange(i)]["text"].split(" ")
            at = rng.randrange(max(1, len(source) - 60))
            text = f"{prose(80)}. {' '.join(source[at:at + rng.randint(35, 60)])}. {prose(60)}"
        elif i > 10 and roll < 0.36:
            # Another outlet's retelling: the same names in other words.
            source = docs[rng.randrange(i)]["text"]
            story_names = [w for w in source.split(" ") if w[:1].isupper() and w in names_set]
            text = prose(rng.randint(60, 150), story_names or None)
        elif roll > 0.995:
            text = ""
        else:
            text = prose(rng.randint(60, 200))
            if rng.random() < 0.6:
                text += "\n" + chrome[i % 5]
            if rng.random() < 0.02:
                text += "\nNo arrests have been made and the investigation continues."
        record["text"] = text
        docs.append(record)
    return docs


def write_jsonl(path, records, opener=open):
    with opener(path, "wt", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def spark_scan(tmp, inputs, *flags, env=None, code=0, binary=BINARY):
    out = tmp / "pairs.jsonl"
    done = subprocess.run(
        [sys.executable, str(SPARK_SCAN), str(inputs), str(out), "--neardup", str(binary),
         "--partitions", "4", *flags],
        capture_output=True, text=True, env=env)
    assert done.returncode == code, done.stderr
    if code:
        return done.stderr
    clusters = [json.loads(line) for line in open(tmp / "pairs.clusters.jsonl")]
    return out.read_bytes(), clusters, done.stderr


def scan(*args, warnings=None):
    """`neardup scan ARGS`: its pair records as bytes and its clusters; and in `warnings`, if
    given, its warnings."""
    pairs = subprocess.run([str(BINARY), "scan", *map(str, args), "-q", "-f", "jsonl"],
                           capture_output=True, check=True).stdout
    report = json.loads(subprocess.run([str(BINARY), "scan", *map(str, args), "-q", "-f", "json"],
                                       capture_output=True, check=True).stdout)
    if warnings is not None:
        warnings.extend(report["warnings"])
    return pairs, report["clusters"]


def test_same_pairs_and_clusters_as_one_machine(tmp_path):
    docs = corpus()
    write_jsonl(tmp_path / "all.jsonl", docs)
    expected_pairs, expected_clusters = scan(tmp_path / "all.jsonl", *RELATIONS, "--threshold", "0.7")
    relations = {json.loads(line)["relation"] for line in expected_pairs.splitlines()}
    assert relations == {"duplicate", "near-duplicate", "overlap", "rewrite"}
    furnished = json.loads(subprocess.run(
        [str(BINARY), "scan", str(tmp_path / "all.jsonl"), *RELATIONS, "-q", "-f", "json"],
        capture_output=True, check=True).stdout)["stats"]["boilerplate_documents"]
    assert furnished > 500, "the sites' chrome is found and blanked"
    assert len(expected_clusters) > 50
    pairs, clusters, _ = spark_scan(tmp_path, tmp_path / "all.jsonl", *RELATIONS, "--threshold", "0.7")
    assert pairs == expected_pairs
    assert clusters == expected_clusters

    # A folder of parts, one of them gzipped, read in sorted order as scan reads them listed.
    parts = tmp_path / "parts"
    parts.mkdir()
    write_jsonl(parts / "a.jsonl", docs[:300])
    write_jsonl(parts / "b.jsonl.gz", docs[300:600], opener=gzip.open)
    write_jsonl(parts / "c.jsonl", docs[600:900])
    expected = scan(parts / "a.jsonl", parts / "b.jsonl.gz", parts / "c.jsonl", *RELATIONS)
    pairs, clusters, _ = spark_scan(tmp_path, parts, *RELATIONS)
    assert (pairs, clusters) == expected


def test_a_task_that_dies_is_retried_with_the_same_answer(tmp_path):
    write_jsonl(tmp_path / "all.jsonl", corpus(400, seed=3))
    expected = scan(tmp_path / "all.jsonl", *RELATIONS)
    marker = tmp_path / "failed-once"
    env = dict(os.environ, NEARDUP_SPARK_FAIL_ONCE=str(marker))
    # Shipped under a name of its own, as a binary built for the cluster would be.
    cross_built = tmp_path / "neardup-x86_64-unknown-linux-musl"
    shutil.copy2(BINARY, cross_built)
    pairs, clusters, _ = spark_scan(tmp_path, tmp_path / "all.jsonl", *RELATIONS,
                                    "--master", "local[2,3]", env=env, binary=cross_built)
    assert marker.exists(), "the fault was injected"
    assert (pairs, clusters) == expected


def test_bad_records_name_their_file_and_line_or_are_skipped(tmp_path):
    docs = corpus(300, seed=5)
    lines = [json.dumps(d) for d in docs]
    lines[120] = '{"id": "broken", "text": '
    lines.insert(200, json.dumps(docs[50]))  # a repeated id, on line 202 (a blank line before)
    lines.insert(150, "")
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n")
    err = spark_scan(tmp_path, tmp_path / "bad.jsonl", *RELATIONS, code=2)
    assert f"{tmp_path / 'bad.jsonl'}:121: invalid JSON" in err, err
    pairs, clusters, err = spark_scan(tmp_path, tmp_path / "bad.jsonl", *RELATIONS, "--skip-invalid")
    warnings = []
    assert (pairs, clusters) == scan(tmp_path / "bad.jsonl", *RELATIONS, "--skip-invalid",
                                     warnings=warnings)
    # The broken record, the repeated id, and any empty document.
    assert len(warnings) >= 2
    assert f"spark-scan: {len(warnings)} warnings" in err, err

    del lines[120]
    (tmp_path / "repeated.jsonl").write_text("\n".join(lines) + "\n")
    err = spark_scan(tmp_path, tmp_path / "repeated.jsonl", *RELATIONS, code=2)
    assert 'repeated.jsonl:201: duplicate id "doc-00050": also at ' in err, err


def test_what_is_missing_is_named(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", corpus(20))
    no_java = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    no_java["PATH"] = str(Path(sys.executable).parent)
    if any((Path(p) / "java").exists() for p in no_java["PATH"].split(os.pathsep)):
        pytest.skip("java sits beside python here")
    err = spark_scan(tmp_path, tmp_path / "a.jsonl", env=no_java, code=2)
    assert "Java not found" in err and "openjdk-17-jre-headless" in err, err
    err = spark_scan(tmp_path, tmp_path / "a.jsonl", "--relations", "copies", code=2)
    assert "unknown relation 'copies'" in err, err
    err = spark_scan(tmp_path, tmp_path / "a.jsonl", "--clusters", tmp_path / "no" / "c.jsonl",
                     code=2)
    assert f"cannot write {tmp_path / 'no' / 'c.jsonl'}" in err, err


def test_a_stage_that_dies_is_named(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", corpus(20))
    dying = tmp_path / "neardup"
    dying.write_text("#!/bin/sh\necho 'out of memory' >&2\nexit 137\n")
    dying.chmod(0o755)
    err = spark_scan(tmp_path, tmp_path / "a.jsonl", code=1, binary=dying)
    assert "`neardup sign` exited with code 137: out of memory" in err, err
