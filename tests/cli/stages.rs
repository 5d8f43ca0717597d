//! The stages of a distributed scan: `neardup sign`'s records are a pure function of each
//! document, with the keys `scan` pairs documents by; `neardup verify` reports a pair as
//! `scan` does.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::synth;
use crate::util::*;

/// `neardup sign ARGS` in `dir`: exit 0, and the records by id, with the raw bytes.
fn sign(dir: &TestDir, args: &[&str]) -> (BTreeMap<String, Value>, Vec<u8>) {
    let mut full = vec!["sign"];
    full.extend_from_slice(args);
    let out = output_of(dir, &full);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), v)
        })
        .collect();
    (records, out.stdout)
}

fn corpus(dir: &TestDir) -> Vec<Value> {
    let (docs, _) = synth::corpus_with_truth(5, 300, 120, true);
    let records: Vec<Value> = docs
        .iter()
        .enumerate()
        .map(|(i, (id, text))| {
            json!({"id": id, "text": text, "url": format!("https://site{}.example/{i}", i % 4)})
        })
        .collect();
    dir.jsonl("all.jsonl", &records);
    records
}

/// `neardup ARGS` with `input` on standard input: exit 0, and what it printed.
fn piped(args: &[&str], input: String) -> String {
    let out = neardup().args(args).write_stdin(input).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_record_depends_on_its_document_alone() {
    let dir = TestDir::new();
    let records = corpus(&dir);
    let (whole, bytes) = sign(&dir, &["all.jsonl", "-j", "1"]);
    let (_, bytes2) = sign(&dir, &["all.jsonl", "-j", "2"]);
    assert_eq!(bytes, bytes2, "the same bytes at any thread count");
    assert_eq!(whole.len(), records.len());

    // Split as a distributed job splits a file, each part on standard input: the same bytes.
    let all = std::fs::read_to_string(dir.join("all.jsonl")).unwrap();
    let lines: Vec<&str> = all.lines().collect();
    let mut joined = String::new();
    for (from, to) in [(0, 100), (100, 101), (101, lines.len())] {
        let part = lines[from..to].join("\n") + "\n";
        let before = from.to_string();
        let args = [
            "sign",
            "-",
            "--part-of",
            "all.jsonl",
            "--lines-before",
            &before,
        ];
        joined += &piped(&args, part);
    }
    assert_eq!(joined.as_bytes(), bytes);

    // In another file, in another order: the same record but for its line.
    let mut reversed = records.clone();
    reversed.reverse();
    dir.jsonl("reversed.jsonl", &reversed);
    let (other, _) = sign(&dir, &["reversed.jsonl"]);
    let without_line = |r: &Value| {
        let mut r = r.clone();
        r.as_object_mut().unwrap().remove("line");
        r
    };
    for (id, r) in &other {
        assert_eq!(without_line(r), without_line(&whole[id]), "{id}");
    }
    assert_eq!(other["d000000"]["line"], records.len());

    // The records carry what the later stages need.
    let first = &whole["d000000"];
    assert_eq!(first["version"], 2);
    assert_eq!(first["line"], 1);
    assert!(first["source"].is_string());
    assert_eq!(first["bands"].as_array().unwrap().len(), 21);
    assert!(!first["terms"].as_array().unwrap().is_empty());
    // Fingerprints as `[key, position]`, a word of the text.
    let words = first["words"].as_u64().unwrap();
    let fingerprints = first["fingerprints"].as_array().unwrap();
    assert!(fingerprints.len() > 1);
    for f in fingerprints {
        assert!(f[0].is_string() && f[1].as_u64().unwrap() < words, "{f}");
    }
}

#[test]
fn documents_scan_pairs_share_the_keys_of_their_relation() {
    let dir = TestDir::new();
    corpus(&dir);
    let (records, _) = sign(&dir, &["all.jsonl"]);
    let report = scan_json(&dir, &["all.jsonl"]);
    let keys = |id: &str, field: &str| -> Vec<String> {
        let v = &records[id][field];
        match v.as_array() {
            // A term is `[key, kind, count, rarity]`.
            Some(a) => a
                .iter()
                .map(|k| k.as_str().or_else(|| k[0].as_str()).unwrap().to_string())
                .collect(),
            None => vec![v.as_str().unwrap().to_string()],
        }
    };
    let shares = |a: &str, b: &str, field: &str| {
        let kb = keys(b, field);
        keys(a, field).iter().any(|k| kb.contains(k))
    };
    let mut seen = BTreeMap::new();
    for (a, b, relation) in pairs(&report) {
        *seen.entry(relation.clone()).or_insert(0) += 1;
        match relation.as_str() {
            "duplicate" => assert_eq!(keys(&a, "text_hash"), keys(&b, "text_hash")),
            "near-duplicate" => assert!(shares(&a, &b, "bands"), "{a} {b}"),
            "overlap" => assert!(shares(&a, &b, "fingerprints"), "{a} {b}"),
            _ => assert!(
                shares(&a, &b, "terms") || shares(&a, &b, "sentences"),
                "{a} {b}"
            ),
        }
    }
    assert!(
        seen.len() == 4,
        "every relation planted and found: {seen:?}"
    );
}

#[test]
fn bad_input_names_its_line_or_is_skipped_and_counted() {
    let dir = TestDir::new();
    dir.file(
        "bad.jsonl",
        "{\"id\": \"a\", \"text\": \"one two three\"}\n{\"id\": \"b\", \"text\": \n{\"id\": \"c\", \"text\": \"four\"}\n",
    );
    let out = output_of(&dir, &["sign", "bad.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.jsonl:2"), "{err}");
    assert!(out.stdout.is_empty(), "nothing written before the error");
    let out = output_of(&dir, &["sign", "bad.jsonl", "--skip-invalid"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 warning"));
}

#[test]
fn verify_reports_a_pair_as_scan_does() {
    let dir = TestDir::new();
    let text = words(0, 80);
    let edited = text.replace("w40 ", "changed ");
    let records = [
        json!({"id": "a", "text": text, "date": "2026-01-02"}),
        json!({"id": "b", "text": edited}),
        json!({"id": "c", "text": words(500, 80)}),
        json!({"id": "d", "text": text}),
    ];
    dir.jsonl("all.jsonl", &records);
    let scanned = output_of(
        &dir,
        &[
            "scan",
            "all.jsonl",
            "--relations",
            "duplicate,near-duplicate",
            "-f",
            "jsonl",
        ],
    );
    let scanned = String::from_utf8(scanned.stdout).unwrap();
    let line = |r: &Value| r.to_string();
    let input = [
        (0, 1, false, &records[0], &records[1]),
        (0, 2, false, &records[0], &records[2]),
        (0, 3, true, &records[0], &records[3]),
    ]
    .iter()
    .map(|(a, b, dup, ra, rb)| {
        format!(
            "{}\n{}\n{}\n",
            json!({"a": a, "b": b, "duplicate": dup}),
            line(ra),
            line(rb)
        )
    })
    .collect::<String>();
    let out = piped(
        &["verify", "--relations", "duplicate,near-duplicate"],
        input,
    );
    // The unrelated pair prints nothing; each other line ends with scan's record.
    let verified: Vec<Vec<&str>> = out.lines().map(|l| l.splitn(9, '\t').collect()).collect();
    assert_eq!(verified.len(), 2, "{out}");
    let mut expected: Vec<&str> = scanned.lines().collect();
    let mut got: Vec<&str> = verified.iter().map(|f| f[8]).collect();
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, expected);
    let near = verified.iter().find(|f| f[5] == "near-duplicate").unwrap();
    assert_eq!(
        (near[0], near[1], near[6], near[7]),
        ("0", "1", "\"a\"", "\"b\"")
    );
    let record: Value = serde_json::from_str(near[8]).unwrap();
    // The figures before the record are exact; the record's are rounded from them.
    let score: f64 = near[2].parse().unwrap();
    assert_eq!(record["score"], (score * 1e6).round() / 1e6);

    let out = neardup()
        .args(["verify"])
        .write_stdin("{\"a\": 0}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stage input>:1"));
}

#[test]
fn blank_takes_the_furniture_it_is_given_out_of_a_document() {
    let dir = TestDir::new();
    let chrome = "Sign up for our newsletter and follow us on every network for more news.";
    let story: String = (0..10)
        .map(|k| format!("Then {}.", words(12 * k, 11)))
        .collect::<Vec<_>>()
        .join(" ");
    dir.jsonl(
        "both.jsonl",
        &[
            json!({"id": "chrome", "text": chrome}),
            json!({"id": "page", "text": format!("{story}\n{chrome}")}),
        ],
    );
    let (records, _) = sign(&dir, &["both.jsonl"]);
    let key = records["chrome"]["sentences"][0]
        .as_str()
        .unwrap()
        .to_string();
    let page = dir.join("both.jsonl");
    let page_line = std::fs::read_to_string(page)
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .to_string();
    let blank = |keys: &[&str]| -> Value {
        let header = json!({"n": 7, "furniture": keys});
        serde_json::from_str(&piped(&["blank"], format!("{header}\n{page_line}\n"))).unwrap()
    };
    let blanked = blank(&[&key]);
    assert_eq!(blanked["n"], 7);
    let start = story.len() + 1;
    // From the sentence's first word to its last: the full stop is not a word.
    let end = start + chrome.trim_end_matches('.').len();
    assert_eq!(blanked["furniture"], json!([[start, end]]));
    let all = records["page"]["fingerprints"].as_array().unwrap().len();
    let left = blanked["fingerprints"].as_array().unwrap().len();
    assert!(0 < left && left < all, "{left} of {all}");
    // Nothing given, nothing blanked; every sentence given, a template page, all furniture.
    assert_eq!(blank(&[])["fingerprints"], records["page"]["fingerprints"]);
    let every: Vec<&str> = records["page"]["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let template = blank(&every);
    let text_len = start + chrome.len();
    assert_eq!(template["furniture"], json!([[0, text_len]]));
    assert_eq!(template["fingerprints"], json!([]));
}
