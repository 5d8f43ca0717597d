//! `neardup compare`: one pair, everything known about it.

use serde_json::{Value, json};

use crate::util::{TestDir, json_of, neardup, output_of, words};

fn two() -> TestDir {
    let dir = TestDir::new();
    let shared = words(500, 40);
    dir.file(
        "a.txt",
        format!("{} {shared} {}", words(0, 100), words(100, 50)),
    )
    .file("b.txt", format!("{} {shared}", words(2000, 120)))
    .jsonl(
        "in.jsonl",
        &[
            json!({"id": "x", "text": words(0, 80)}),
            json!({"id": "y", "text": words(0, 80)}),
        ],
    );
    dir
}

#[test]
fn json_is_the_pair_record_of_scan_with_passages() {
    let dir = two();
    let p = json_of(&dir, &["compare", "a.txt", "b.txt", "--format", "json"], 0);
    assert_eq!(p["relation"], "overlap");
    for key in [
        "a",
        "b",
        "score",
        "jaccard",
        "containment",
        "rewrite",
        "evidence",
        "passages",
    ] {
        assert!(p.get(key).is_some(), "{key}");
    }
    assert_eq!(p["passages"][0]["text"], json!(words(500, 40)));
}

#[test]
fn unrelated_pairs_are_still_described() {
    let dir = TestDir::new();
    dir.file("a.txt", words(0, 100))
        .file("b.txt", words(900, 100));
    let p = json_of(&dir, &["compare", "a.txt", "b.txt", "--format", "json"], 0);
    assert_eq!(p["relation"], Value::Null);
    assert_eq!(p["jaccard"], 0.0);
    let text = output_of(&dir, &["compare", "a.txt", "b.txt"]).stdout;
    assert!(String::from_utf8(text).unwrap().contains("unrelated"));
}

#[test]
fn text_is_side_by_side_and_uncoloured_in_a_pipe() {
    let dir = two();
    let out = neardup()
        .current_dir(dir.path())
        .env("COLUMNS", "80")
        .args(["compare", "a.txt", "b.txt"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("relation: overlap"), "{text}");
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    let rows: Vec<&str> = text.lines().filter(|l| l.contains(" | ")).collect();
    assert!(!rows.is_empty());
    for row in rows {
        assert!(row.chars().count() <= 80, "{row:?}");
        assert!(row.contains("[w5"), "shared words are marked: {row:?}");
    }
}

#[test]
fn ids_from_a_jsonl_file_or_an_index() {
    let dir = two();
    let p = json_of(
        &dir,
        &[
            "compare", "x", "y", "--from", "in.jsonl", "--format", "json",
        ],
        0,
    );
    assert_eq!(
        (p["a"].as_str(), p["relation"].as_str()),
        (Some("x"), Some("duplicate"))
    );
    neardup()
        .current_dir(dir.path())
        .args(["index", "add", "in.jsonl", "--index", "i.db"])
        .assert()
        .success();
    let p = json_of(
        &dir,
        &["compare", "x", "y", "--index", "i.db", "--format", "json"],
        0,
    );
    assert_eq!(p["relation"], "duplicate");
    let out = output_of(&dir, &["compare", "x", "zz", "--from", "in.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no document with id \"zz\""));
    let out = output_of(&dir, &["compare", "in.jsonl", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds 2 documents"));
}

/// One pair, one answer: `compare A B --from BATCH` gives, byte for byte, the pair record that
/// `scan BATCH` reports (on `corpus/` and on a generated batch), and says so.
#[test]
fn compare_from_a_batch_gives_the_scans_record() {
    let dir = TestDir::new();
    let (docs, _) = crate::synth::corpus_with_truth(7, 80, 150, true);
    let records: Vec<Value> = docs
        .iter()
        .map(|(id, text)| json!({ "id": id, "text": text }))
        .collect();
    dir.jsonl("gen.jsonl", &records);
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    for batch in [corpus, "gen.jsonl"] {
        let scan = json_of(&dir, &["scan", batch, "--format", "json"], 0);
        let pairs = scan["pairs"].as_array().unwrap();
        assert!(pairs.len() >= 5, "{batch}");
        for p in pairs.iter().take(12) {
            let (a, b) = (p["a"].as_str().unwrap(), p["b"].as_str().unwrap());
            // Given in either order.
            let record = json_of(
                &dir,
                &["compare", b, a, "--from", batch, "--format", "json"],
                0,
            );
            assert_eq!(&record, p, "{batch}: {a} {b}");
        }
        let (a, b) = (
            pairs[0]["a"].as_str().unwrap(),
            pairs[0]["b"].as_str().unwrap(),
        );
        let text = output_of(&dir, &["compare", a, b, "--from", batch]);
        assert!(String::from_utf8_lossy(&text.stdout).starts_with("as `neardup scan"));
    }
}
