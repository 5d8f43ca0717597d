//! `neardup sign`: the map stage's records are a pure function of each document, and their
//! keys are the ones `scan` pairs documents by.

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

#[test]
fn a_record_depends_on_its_document_alone() {
    let dir = TestDir::new();
    let records = corpus(&dir);
    // Two partitions, the second first and reversed: as another machine might see them.
    let (front, back) = records.split_at(records.len() / 3);
    dir.jsonl("front.jsonl", front);
    let mut back = back.to_vec();
    back.reverse();
    dir.jsonl("back.jsonl", &back);
    let (whole, bytes) = sign(&dir, &["all.jsonl", "-j", "1"]);
    let (_, bytes2) = sign(&dir, &["all.jsonl", "-j", "2"]);
    assert_eq!(bytes, bytes2, "the same bytes at any thread count");
    let (parts, _) = sign(&dir, &["back.jsonl", "front.jsonl"]);
    assert_eq!(parts, whole);
    let out = neardup()
        .current_dir(dir.path())
        .args(["sign", "-"])
        .pipe_stdin(dir.join("front.jsonl"))
        .unwrap()
        .output()
        .unwrap();
    assert!(out.status.success());
    let piped = String::from_utf8(out.stdout).unwrap();
    assert_eq!(piped.lines().count(), front.len());
    for line in piped.lines() {
        let r: Value = serde_json::from_str(line).unwrap();
        assert_eq!(r, whole[r["id"].as_str().unwrap()]);
    }
    // The records carry what the later stages need.
    let first = &whole["d000000"];
    assert_eq!(first["version"], 1);
    assert!(first["source"].is_string());
    assert_eq!(first["bands"].as_array().unwrap().len(), 21);
    assert!(!first["terms"].as_array().unwrap().is_empty());
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
