//! The index and `check`: the CI gate against duplicate ingestion, and its reliability.

use std::process::Command as Process;
use std::time::Duration;

use serde_json::{Value, json};

use crate::util::{TestDir, json_of, neardup, output_of, pairs, under_file_size_limit, words};

/// An index of three documents, and new documents beside it.
fn indexed() -> TestDir {
    let dir = TestDir::new();
    dir.file("old/a.txt", words(0, 300))
        .file("old/b.txt", words(1000, 300))
        .file("old/c.txt", words(2000, 300));
    neardup()
        .current_dir(dir.path())
        .args(["index", "add", "old", "--index", "idx.db"])
        .assert()
        .success();
    dir
}

fn check_json(dir: &TestDir, args: &[&str], code: i32) -> Value {
    let mut full = vec![
        "check",
        "--index",
        "idx.db",
        "--format",
        "json",
        "--no-time",
    ];
    full.extend_from_slice(args);
    json_of(dir, &full, code)
}

/// The ids of a check report's documents that were loaded from the index.
fn loaded_from_index(report: &Value) -> Vec<&str> {
    report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["indexed"] == json!(true))
        .map(|d| d["id"].as_str().unwrap())
        .collect()
}

fn stats(dir: &TestDir, index: &str) -> Value {
    json_of(dir, &["index", "stats", "--json", "--index", index], 0)
}

#[test]
fn check_fails_on_a_duplicate_of_an_indexed_document_and_names_it() {
    let dir = indexed();
    dir.file("new/copy.txt", words(1000, 300))
        .file("new/edited.txt", words(0, 300).replace("w150 ", "x "))
        .file("new/fresh.txt", words(5000, 300));
    let r = check_json(&dir, &["new"], 1);
    assert_eq!(
        pairs(&r),
        [
            ("b.txt".into(), "copy.txt".into(), "duplicate".into()),
            ("a.txt".into(), "edited.txt".into(), "near-duplicate".into())
        ]
    );
    assert_eq!(
        loaded_from_index(&r),
        ["a.txt", "b.txt"],
        "only the candidates are loaded from the index"
    );
    // The text report, as a CI log shows it.
    let out = output_of(&dir, &["check", "new", "--index", "idx.db"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("b.txt [indexed]"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("check failed: 2 new document(s)"));
}

#[test]
fn clean_check_exits_zero_and_add_keeps_only_what_passed() {
    let dir = indexed();
    dir.file("new/copy.txt", words(0, 300))
        .file("new/fresh.txt", words(7000, 300));
    check_json(&dir, &["new/fresh.txt"], 0);
    check_json(&dir, &["new", "--add"], 1);
    let ids: Vec<String> = json_of(&dir, &["index", "list", "--json", "--index", "idx.db"], 0)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["a.txt", "b.txt", "c.txt", "fresh.txt"]);
    // fresh.txt is now indexed under its id: checking a document with that id again compares
    // it in place of its indexed version, not against it.
    dir.file("again/fresh.txt", words(7000, 300));
    let r = check_json(&dir, &["again"], 0);
    assert!(
        r["warnings"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("already indexed")
    );
}

/// A check that does not look for duplicates neither hashes whole texts nor looks them up:
/// against an index built the same way (whose texts were not hashed either), only documents
/// sharing a band are loaded, not every one.
#[test]
fn near_duplicates_alone_are_checked_without_text_hashes() {
    let dir = TestDir::new();
    dir.file("old/a.txt", words(0, 300))
        .file("old/b.txt", words(1000, 300))
        .file("new/copy.txt", words(1000, 300))
        .file("new/fresh.txt", words(5000, 300));
    neardup()
        .current_dir(dir.path())
        .args(["index", "add", "old", "--index", "idx.db"])
        .args(["--relations", "near-duplicate"])
        .assert()
        .success();
    let r = check_json(
        &dir,
        &[
            "new",
            "--relations",
            "near-duplicate",
            "--fail-on",
            "near-duplicate",
        ],
        1,
    );
    assert_eq!(
        pairs(&r),
        [("b.txt".into(), "copy.txt".into(), "near-duplicate".into())]
    );
    assert_eq!(loaded_from_index(&r), ["b.txt"]);
}

#[test]
fn fail_on_is_configurable() {
    let dir = indexed();
    dir.file("new/edited.txt", words(0, 300).replace("w150 ", "x "));
    check_json(&dir, &["new", "--fail-on", "duplicate"], 0);
    check_json(&dir, &["new", "--fail-on", "near-duplicate"], 1);
}

#[test]
fn same_check_twice_gives_identical_bytes() {
    let dir = indexed();
    dir.file("new/copy.txt", words(0, 300)).file(
        "new/part.txt",
        format!("{} {}", words(9000, 100), words(2100, 60)),
    );
    let run = || {
        output_of(
            &dir,
            &[
                "check",
                "new",
                "--index",
                "idx.db",
                "--format",
                "json",
                "--no-time",
            ],
        )
        .stdout
    };
    let first = run();
    assert_eq!(first, run());
    let r: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(pairs(&r).len(), 2, "a duplicate and an overlap: {r}");
}

#[test]
fn other_settings_are_refused_naming_the_setting() {
    let dir = indexed();
    dir.file("new/x.txt", words(0, 50));
    let out = output_of(
        &dir,
        &["check", "new", "--index", "idx.db", "--shingle", "3"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("shingle (--shingle): the index has 5, this run 3"),
        "{err}"
    );
    let out = output_of(
        &dir,
        &[
            "index",
            "add",
            "new",
            "--index",
            "idx.db",
            "--threshold",
            "0.5",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("LSH bands x rows (--threshold)"));
}

#[test]
fn foreign_truncated_and_newer_files_are_refused_and_left_untouched() {
    let dir = indexed();
    dir.file("new/x.txt", words(0, 50));
    dir.file("foreign.db", "just some text, not a database\n");
    let whole = std::fs::read(dir.join("idx.db")).unwrap();
    dir.file("truncated.db", &whole[..whole.len() / 3]);
    std::fs::copy(dir.join("idx.db"), dir.join("newer.db")).unwrap();
    {
        let conn = rusqlite::Connection::open(dir.join("newer.db")).unwrap();
        conn.execute(
            "UPDATE meta SET value = '99' WHERE key = 'format_version'",
            [],
        )
        .unwrap();
    }
    let newer = std::fs::read(dir.join("newer.db")).unwrap();
    for (file, message) in [
        ("foreign.db", "foreign.db is not a usable neardup index"),
        ("truncated.db", "truncated.db is not a usable neardup index"),
        (
            "newer.db",
            "newer.db has format v99; this build reads v3: use a newer neardup",
        ),
        ("missing.db", "cannot access missing.db"),
    ] {
        for cmd in [
            &["check", "new", "--index", file][..],
            &["index", "add", "new", "--index", file][..],
        ] {
            if file == "missing.db" && cmd[0] == "index" {
                continue; // index add creates a missing index
            }
            let out = neardup()
                .current_dir(dir.path())
                .args(cmd)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{cmd:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains(message), "{cmd:?}: {err}");
        }
    }
    assert_eq!(
        std::fs::read(dir.join("foreign.db")).unwrap(),
        b"just some text, not a database\n"
    );
    assert_eq!(
        std::fs::read(dir.join("truncated.db")).unwrap(),
        &whole[..whole.len() / 3]
    );
    assert_eq!(std::fs::read(dir.join("newer.db")).unwrap(), newer);
    assert!(
        !dir.join("missing.db").exists(),
        "check never creates an index"
    );
}

#[test]
fn two_concurrent_adds_both_land() {
    let dir = indexed();
    for batch in 0..2 {
        for i in 0..40 {
            dir.file(
                &format!("batch{batch}/b{batch}-{i}.txt"),
                words(10_000 + batch * 100_000 + i * 500, 200),
            );
        }
    }
    let bin = assert_cmd::cargo::cargo_bin("neardup");
    let spawn = |batch: &str| {
        Process::new(&bin)
            .current_dir(dir.path())
            .args(["index", "add", batch, "--index", "idx.db"])
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn("batch0"), spawn("batch1"));
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let s = stats(&dir, "idx.db");
    assert_eq!(s["documents"], 83);
    // Times come labelled, in seconds and in UTC.
    let added = &s["added"];
    assert!(added["first_unix"].as_i64().unwrap() <= added["last_unix"].as_i64().unwrap());
    assert!(
        added["last_utc"].as_str().unwrap().ends_with('Z'),
        "{added}"
    );
}

/// A failing add that created the index races a dozen adds of one document each: every add
/// that says it added its document has it in the index, whatever the timing (the failing one
/// used to remove the file after others had committed to it).
#[test]
fn a_failing_add_never_removes_what_others_added() {
    let bin = assert_cmd::cargo::cargo_bin("neardup");
    for trial in 0..12 {
        let dir = TestDir::new();
        dir.file(
            "bad.jsonl",
            format!(
                "{}\n{{\"id\":\"x\",\"text\":5}}\n",
                json!({"id": "ok", "text": words(0, 50)})
            ),
        );
        for t in 0..12 {
            dir.jsonl(
                &format!("t{t}.jsonl"),
                &[json!({"id": format!("t{t}"), "text": words(1000 * (t + 1), 60)})],
            );
        }
        let spawn = |input: &str| {
            Process::new(&bin)
                .current_dir(dir.path())
                .args(["index", "add", input, "--index", "idx.db"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let bad = spawn("bad.jsonl");
        let good: Vec<_> = (0..12).map(|t| spawn(&format!("t{t}.jsonl"))).collect();
        let bad = bad.wait_with_output().unwrap();
        assert_eq!(bad.status.code(), Some(2), "trial {trial}");
        let mut landed = 0;
        for (t, child) in good.into_iter().enumerate() {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "trial {trial}, add {t}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            landed += 1;
        }
        let s = stats(&dir, "idx.db");
        assert_eq!(s["documents"], landed, "trial {trial}");
    }
}

#[test]
fn killed_add_leaves_the_index_before_or_after() {
    let dir = indexed();
    let records: Vec<Value> = (0..4000)
        .map(|i| json!({"id": format!("k{i}"), "text": words(20_000 + i * 50, 300)}))
        .collect();
    dir.jsonl("many.jsonl", &records);
    let bin = assert_cmd::cargo::cargo_bin("neardup");
    for delay_ms in [50, 400, 1500] {
        let before = stats(&dir, "idx.db")["documents"].as_u64().unwrap();
        let mut child = Process::new(&bin)
            .current_dir(dir.path())
            .args(["index", "add", "many.jsonl", "--index", "idx.db"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let after = stats(&dir, "idx.db")["documents"].as_u64().unwrap();
        assert!(
            after == before || after == 3 + 4000,
            "{before} -> {after} after a kill at {delay_ms} ms"
        );
    }
    // The next run works, and completes the add.
    let out = output_of(&dir, &["index", "add", "many.jsonl", "--index", "idx.db"]);
    assert!(out.status.success());
    assert_eq!(stats(&dir, "idx.db")["documents"], 4003);
    // Adding them all again names a few of the ids already there, not all 4,000.
    let out = output_of(&dir, &["index", "add", "many.jsonl", "--index", "idx.db"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("4000 already indexed") && err.contains("and 3990 more"),
        "{err}"
    );
    assert!(err.len() < 300, "{err}");
}

#[test]
fn full_disk_is_a_clear_error_and_writes_nothing() {
    let dir = indexed();
    let records: Vec<Value> = (0..2000)
        .map(|i| json!({"id": format!("f{i}"), "text": words(50_000 + i * 50, 300)}))
        .collect();
    dir.jsonl("many.jsonl", &records);
    let before = std::fs::read(dir.join("idx.db")).unwrap();
    // A file size limit stands in for a full disk: writes past it fail with EFBIG.
    let limit_kb = before.len() / 1024 + 64;
    let out = under_file_size_limit(
        &dir,
        limit_kb,
        &["index", "add", "many.jsonl", "--index", "idx.db"],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("idx.db"), "{err}");
    assert_eq!(
        stats(&dir, "idx.db")["documents"],
        3,
        "nothing half-written"
    );
}

#[test]
fn remove_and_evict() {
    let dir = indexed();
    let out = output_of(
        &dir,
        &["index", "remove", "b.txt", "nope", "--index", "idx.db"],
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("removed 1 document"));
    assert_eq!(stats(&dir, "idx.db")["documents"], 2);
    // A copy of the removed document no longer fails the check.
    dir.file("new/copy.txt", words(1000, 300));
    check_json(&dir, &["new"], 0);
    neardup()
        .current_dir(dir.path())
        .args(["index", "remove", "--older-than", "0", "--index", "idx.db"])
        .assert()
        .success();
    let s = stats(&dir, "idx.db");
    assert_eq!(
        (
            s["documents"].as_u64(),
            s["band_keys"].as_u64(),
            s["fingerprints"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );
}

/// A committed index written by format v3 still opens and answers: hashes and layout are
/// stable across releases.
#[test]
fn committed_v3_fixture_still_answers() {
    let dir = TestDir::new();
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/index_v3/index.db");
    std::fs::copy(fixture, dir.join("idx.db")).unwrap();
    dir.file("new/copy.txt", FIXTURE_DOC_B)
        .file("new/other.txt", words(0, 100));
    let r = check_json(&dir, &["new"], 1);
    assert_eq!(
        pairs(&r),
        [("b".into(), "copy.txt".into(), "duplicate".into())]
    );
}

/// The keys of an index, as (table, key, doc) rows in order.
fn keys(index: &std::path::Path) -> Vec<(String, i64, i64)> {
    let conn = rusqlite::Connection::open(index).unwrap();
    let mut out = Vec::new();
    for table in ["bands", "fingerprints"] {
        let mut st = conn
            .prepare(&format!("SELECT key, doc FROM {table} ORDER BY key, doc"))
            .unwrap();
        let rows = st
            .query_map([], |r| Ok((table.to_string(), r.get(0)?, r.get(1)?)))
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// Indexes of older formats (v1: signatures of the previous sketch; v2: word hashes by xxh3)
/// are refused with the way out, untouched; `index upgrade` re-keys them in place, keeping
/// documents and ingestion times, into exactly the index this version builds from the same
/// documents.
#[test]
fn older_indexes_are_refused_then_upgraded_in_place() {
    for old in [1, 2] {
        let dir = TestDir::new();
        let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
        std::fs::copy(format!("{data}/index_v{old}/index.db"), dir.join("idx.db")).unwrap();
        dir.file("new/copy.txt", FIXTURE_DOC_B);
        let before = std::fs::read(dir.join("idx.db")).unwrap();
        let out = output_of(&dir, &["check", "new", "--index", "idx.db"]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("idx.db has format v{old}; this build reads v3"))
                && err.contains("neardup index upgrade --index idx.db"),
            "{err}"
        );
        assert_eq!(std::fs::read(dir.join("idx.db")).unwrap(), before);

        let out = output_of(&dir, &["index", "upgrade", "--index", "idx.db"]);
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("3 document(s) re-keyed"));
        assert_eq!(
            keys(&dir.join("idx.db")),
            keys(std::path::Path::new(&format!("{data}/index_v3/index.db"))),
            "v{old}"
        );
        let list = json_of(&dir, &["index", "list", "--json", "--index", "idx.db"], 0);
        let added: Vec<i64> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["added"].as_i64().unwrap())
            .collect();
        let stored: Vec<i64> = {
            let conn = rusqlite::Connection::open(format!("{data}/index_v{old}/index.db")).unwrap();
            let mut st = conn.prepare("SELECT added FROM docs ORDER BY doc").unwrap();
            st.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(added, stored, "ingestion times kept");
        let r = check_json(&dir, &["new"], 1);
        assert_eq!(
            pairs(&r),
            [("b".into(), "copy.txt".into(), "duplicate".into())]
        );
        let out = output_of(&dir, &["index", "upgrade", "--index", "idx.db"]);
        assert!(String::from_utf8_lossy(&out.stdout).contains("already has format v3"));
    }
}

/// The fixture holds three documents, `a`, `b` and `c`; this is `b`.
pub const FIXTURE_DOC_B: &str = "The council met on Tuesday to discuss the budget for next year, and agreed to raise spending on schools and roads by five percent, the mayor said after the meeting.";

#[test]
fn empty_documents_can_be_indexed_and_removed() {
    let dir = indexed();
    dir.file("more/empty.txt", "   \n");
    neardup()
        .current_dir(dir.path())
        .args(["index", "add", "more", "--index", "idx.db"])
        .assert()
        .success();
    assert_eq!(stats(&dir, "idx.db")["documents"], 4);
    neardup()
        .current_dir(dir.path())
        .args(["index", "remove", "empty.txt", "--index", "idx.db"])
        .assert()
        .success();
    assert_eq!(stats(&dir, "idx.db")["documents"], 3);
}

#[test]
fn a_bad_record_past_the_first_batch_leaves_the_index_as_it_was() {
    let dir = indexed();
    let before = std::fs::read(dir.join("idx.db")).unwrap();
    // About 10 MB: past the reader's first chunk, so that earlier batches have been added
    // inside the transaction when the bad line is met.
    let records: Vec<Value> = (0..3000)
        .map(|i| json!({"id": format!("n{i}"), "text": words(10_000 + 7 * i, 500)}))
        .collect();
    dir.jsonl("big.jsonl", &records);
    let mut text = std::fs::read_to_string(dir.join("big.jsonl")).unwrap();
    text.push_str("{not json\n");
    dir.file("big.jsonl", text);
    let out = output_of(&dir, &["index", "add", "big.jsonl", "--index", "idx.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("big.jsonl:3001"));
    assert_eq!(std::fs::read(dir.join("idx.db")).unwrap(), before);
    // An index the failed run created is left empty: other runs may already be adding to it.
    neardup()
        .current_dir(dir.path())
        .args(["index", "add", "big.jsonl", "--index", "new.db"])
        .assert()
        .code(2);
    assert_eq!(stats(&dir, "new.db")["documents"], 0);
}

#[test]
fn an_id_repeated_in_the_input_is_skipped_once_not_reported_as_indexed() {
    let dir = indexed();
    dir.jsonl(
        "more.jsonl",
        &[
            json!({"id": "m1", "text": words(5000, 100)}),
            json!({"id": "m1", "text": words(6000, 100)}),
        ],
    );
    let out = output_of(
        &dir,
        &[
            "index",
            "add",
            "more.jsonl",
            "--index",
            "idx.db",
            "--skip-invalid",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("duplicate id \"m1\""), "{stderr}");
    assert!(!stderr.contains("already indexed"), "{stderr}");
    assert_eq!(stats(&dir, "idx.db")["documents"], 4);
    let out = output_of(&dir, &["index", "add", "more.jsonl", "--index", "idx.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stats(&dir, "idx.db")["documents"], 4);
}
