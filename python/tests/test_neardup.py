"""The Python package against the CLI: same pairs and figures, every input form, the index
from both sides, errors. NEARDUP_BIN names the CLI binary (built by .ci/run)."""

import concurrent.futures
import json
import os
import pathlib
import subprocess
import threading

import numpy as np
import pytest

import neardup

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
BIN = os.environ.get("NEARDUP_BIN", str(ROOT / "target" / "release" / "neardup"))


def cli(*args, code=0):
    out = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True)
    assert out.returncode == code, out.stderr
    return out.stdout


def cli_json(*args, code=0):
    return json.loads(cli(*args, "--format", "json", "--no-time", code=code))


def strip_time(report):
    report["stats"]["seconds"] = 0.0
    return report


def words(start, n):
    return " ".join(f"w{i}" for i in range(start, start + n))


def test_same_report_as_the_cli_on_the_corpus():
    expected = cli_json("scan", CORPUS)
    got = strip_time(neardup.scan(CORPUS).to_dict())
    assert got == expected


def test_same_pairs_from_dicts_tuples_and_generators():
    base = words(0, 200)
    docs = [
        {"id": "a", "text": base, "source": "wire"},
        {"id": "b", "text": base.replace("w100 ", "x ")},
        {"id": "c", "text": words(500, 80) + " " + words(10, 60)},
        {"id": "d", "text": words(900, 100)},
    ]
    from_dicts = neardup.scan(docs)
    from_tuples = neardup.scan([(d["id"], d["text"], None, d.get("source")) for d in docs])
    from_generator = neardup.scan(d for d in docs)
    rel = lambda r: [(p["a"], p["b"], p["relation"], p["score"]) for p in r.pairs]
    assert rel(from_dicts) == rel(from_tuples) == rel(from_generator)
    assert ("a", "b", "near-duplicate") in [(a, b, r) for a, b, r, _ in rel(from_dicts)]
    assert ("a", "c", "overlap") in [(a, b, r) for a, b, r, _ in rel(from_dicts)]
    # The same documents as a JSONL file, through the CLI.
    path = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / f"neardup-py-{os.getpid()}.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    try:
        expected = cli_json("scan", path)
        assert strip_time(from_dicts.to_dict())["pairs"] == expected["pairs"]
        assert strip_time(neardup.scan(path).to_dict()) == expected
    finally:
        path.unlink()


def test_parameters_have_the_cli_names_and_are_checked():
    text = "the quick brown fox jumps over the lazy dog near the river bank today"
    report = neardup.scan([("a", text), ("b", text)], relations=["near-duplicate"], threshold=0.5)
    assert report.params["threshold"] == 0.5
    assert report.params["relations"] == ["near-duplicate"]
    assert report.pairs[0]["relation"] == "near-duplicate"
    with pytest.raises(ValueError, match="threshold"):
        neardup.scan([("a", text)], threshold=1.5)
    with pytest.raises(ValueError, match="relations"):
        neardup.scan([("a", text)], relations=["copies"])
    with pytest.raises(ValueError, match="unknown parameter"):
        neardup.scan([("a", text)], treshold=0.5)


def test_bad_input_names_the_document():
    with pytest.raises(ValueError, match="document 1"):
        neardup.scan([("a", "text"), {"id": "b"}])
    with pytest.raises(ValueError, match="'b'.*text is int"):
        neardup.scan([("a", "text"), ("b", 3)])
    with pytest.raises(ValueError, match="duplicate id"):
        neardup.scan([("a", "one text"), ("a", "another text")])
    with pytest.raises(OSError):
        neardup.scan("/no/such/file.jsonl")


def test_compare_gives_the_pair_record():
    a = (CORPUS / "000_8fbf7b8233b0c918.txt").read_text()
    b = (CORPUS / "001_5d6c9eaf286d1ebe.txt").read_text()
    expected = json.loads(cli("compare", CORPUS / "000_8fbf7b8233b0c918.txt", CORPUS / "001_5d6c9eaf286d1ebe.txt", "--format", "json"))
    got = neardup.compare(("corpus/000_8fbf7b8233b0c918.txt", a), ("corpus/001_5d6c9eaf286d1ebe.txt", b))
    for key in ("relation", "score", "jaccard", "containment", "rewrite", "evidence", "passages"):
        assert got[key] == expected[key], key
    unrelated = neardup.compare("one two three four five six", "seven eight nine ten eleven twelve")
    assert unrelated["relation"] is None


def test_the_index_from_both_sides(tmp_path):
    index_path = tmp_path / "ingested.db"
    index = neardup.Index(index_path)
    assert index.add(CORPUS) == 5
    assert len(index) == 5
    # A copy of an indexed document fails the CLI's check, and Python's.
    copy = tmp_path / "new"
    copy.mkdir()
    (copy / "copy.txt").write_text((CORPUS / "000_8fbf7b8233b0c918.txt").read_text())
    cli("check", copy, "--index", index_path, code=1)
    report = index.check(copy)
    assert report.failed
    assert any(d.get("indexed") for d in report.documents)
    # Added from Python with add=True only when it passes; the CLI sees what Python added.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "fresh.txt").write_text(words(3000, 120))
    passed = index.check(fresh, add=True)
    assert not passed.failed and passed.added == 1
    listed = json.loads(cli("index", "list", "--index", index_path, "--json"))
    assert "fresh.txt" in [d["id"] for d in listed]
    # Added by the CLI, seen from Python.
    cli("index", "add", copy, "--index", index_path)
    assert len(index) == 7
    assert index.remove(["copy.txt"]) == 1
    assert index.evict(older_than_days=-1) == 6
    assert len(index) == 0


def test_signatures_and_candidates():
    text = words(0, 300)
    texts = [text, text.replace("w7 ", "y "), words(5000, 300), ""]
    sigs = neardup.signatures(texts)
    assert sigs.dtype == np.uint32 and sigs.shape == (4, 128)
    assert (sigs[3] == np.iinfo(np.uint32).max).all()
    assert neardup.lsh_candidates(sigs, threshold=0.5) == [(0, 1)]
    again = neardup.signatures(texts)
    assert (again == sigs).all()


def test_long_calls_release_the_gil():
    docs = [(f"d{i}", words(i * 7, 400)) for i in range(3000)]
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(1)
            done.wait(0.005)

    t = threading.Thread(target=ticker)
    t.start()
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda _: neardup.scan(docs, relations=["near-duplicate"]), range(2)))
    done.set()
    t.join()
    assert reports[0].pairs == reports[1].pairs
    # The ticker ran while the scans held no GIL.
    assert len(ticks) > 5


def test_pandas_round_trip():
    pd = pytest.importorskip("pandas")
    text = words(0, 100)
    report = neardup.scan([("a", text), ("b", text), ("c", words(500, 50))])
    frame = report.to_pandas()
    assert list(frame[["a", "b", "relation"]].itertuples(index=False, name=None)) == [("a", "b", "duplicate")]
    assert frame["score"].tolist() == [p["score"] for p in report.pairs]
    assert isinstance(frame, pd.DataFrame)


def test_ctrl_c_interrupts_a_long_scan():
    import signal
    import time

    docs = [(f"d{i}", words(i * 300, 400)) for i in range(20000)]
    started = time.monotonic()
    neardup.scan(docs)
    whole = time.monotonic() - started
    if whole < 1.0:
        pytest.skip(f"a scan this fast ({whole:.2f} s) cannot be interrupted halfway")
    # Soon after the call starts, whatever the first run cost: a first run slowed by a busy
    # machine once made `whole / 10` longer than the whole second run, and nothing was left
    # to interrupt.
    timer = threading.Timer(min(whole / 10, 0.1), lambda: os.kill(os.getpid(), signal.SIGINT))
    # A shell without job control starts background jobs with SIGINT ignored, and Python then
    # keeps it ignored: Ctrl-C is what the test sends, so it asks for Python's own handler.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            neardup.scan(docs)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert time.monotonic() - started < whole / 2
