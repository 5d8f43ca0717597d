//! What `scan` finds.

use serde_json::{Value, json};

use crate::util::{TestDir, jaccard5, neardup, output_of, pairs, scan_json, words};

#[test]
fn lightly_edited_copy_is_a_near_duplicate_with_the_exact_jaccard() {
    let original = words(0, 300);
    let edited = original.replace("w150 ", "changed ").replace("w10 ", "");
    let dir = TestDir::new();
    dir.file("docs/a.txt", &original)
        .file("docs/b.txt", &edited)
        .file("docs/c.txt", words(1000, 300));
    let r = scan_json(&dir, &["docs"]);
    assert_eq!(
        pairs(&r),
        [("a.txt".into(), "b.txt".into(), "near-duplicate".into())]
    );
    let p = &r["pairs"][0];
    let expected = jaccard5(&original, &edited);
    assert!(
        (p["jaccard"].as_f64().unwrap() - expected).abs() < 1e-6,
        "{p} vs {expected}"
    );
    assert!(p["score"].as_f64().unwrap() >= expected);
    assert_eq!(r["clusters"][0]["members"], json!(["a.txt", "b.txt"]));
}

#[test]
fn embedded_paragraphs_are_an_overlap_at_the_right_offsets() {
    // b embeds two paragraphs of a (40 and 35 words) inside 800 words of its own: 9% of b.
    let para1 = words(100, 40);
    let para2 = words(200, 35);
    let a = format!(
        "{}\n\n{para1}\n\n{}\n\n{para2}\n\n{}",
        words(0, 100),
        words(140, 60),
        words(235, 100)
    );
    let b = format!(
        "{}\n\n{para1}\n\n{}\n\n{para2}\n\n{}",
        words(5000, 300),
        words(6000, 250),
        words(7000, 250)
    );
    let dir = TestDir::new();
    dir.file("a.txt", &a).file("b.txt", &b);
    let r = scan_json(&dir, &["."]);
    assert_eq!(
        pairs(&r),
        [("a.txt".into(), "b.txt".into(), "overlap".into())]
    );
    let passages = r["pairs"][0]["passages"].as_array().unwrap();
    assert_eq!(passages.len(), 2, "{passages:?}");
    for (p, para) in passages.iter().zip([&para1, &para2]) {
        let range = |k: &str| {
            let v = p[k].as_array().unwrap();
            v[0].as_u64().unwrap() as usize..v[1].as_u64().unwrap() as usize
        };
        assert_eq!(&a[range("a")], para.as_str());
        assert_eq!(&b[range("b")], para.as_str());
        assert_eq!(p["text"], json!(para));
    }
    let c = r["pairs"][0]["containment"].as_array().unwrap();
    assert!(
        c[1].as_f64().unwrap() < 0.2,
        "b is mostly its own text: {c:?}"
    );
}

#[test]
fn unrelated_documents_are_not_paired() {
    let dir = TestDir::new();
    for i in 0..6 {
        dir.file(&format!("{i}.txt"), words(i * 1000, 400));
    }
    let r = scan_json(&dir, &["."]);
    assert!(pairs(&r).is_empty());
    assert!(r["clusters"].as_array().unwrap().is_empty());
    assert_eq!(r["stats"]["documents"], 6);
}

#[test]
fn exact_copies_are_duplicates_of_the_first_and_form_one_cluster() {
    let text = words(0, 200);
    let dir = TestDir::new();
    dir.file("x/1.txt", &text)
        .file("x/2.txt", text.to_uppercase())
        .file("x/3.txt", format!("  {text}\n"));
    let r = scan_json(&dir, &["x"]);
    assert_eq!(
        pairs(&r),
        [
            ("1.txt".into(), "2.txt".into(), "duplicate".into()),
            ("1.txt".into(), "3.txt".into(), "duplicate".into())
        ]
    );
    assert_eq!(r["pairs"][0]["score"], json!(1.0));
    assert_eq!(r["clusters"][0]["origin"], "1.txt");
}

#[test]
fn same_report_at_one_and_two_threads() {
    let dir = synth_jsonl();
    let run = |threads: &str| {
        let mut r = scan_json(&dir, &["docs.jsonl", "--threads", threads]);
        r["stats"]["seconds"] = json!(0);
        serde_json::to_vec(&r).unwrap()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let r: Value = serde_json::from_slice(&one).unwrap();
    assert!(
        r["pairs"].as_array().unwrap().len() > 10,
        "the corpus has planted pairs"
    );
}

/// `--verbose` tells each stage's time and, where the system tells it, the peak memory so far,
/// which never falls from one stage to the next.
#[test]
fn verbose_prints_each_stage_with_its_peak_memory() {
    let dir = synth_jsonl();
    let out = output_of(&dir, &["scan", "docs.jsonl", "--verbose", "-o", "r.json"]);
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    let line = err
        .lines()
        .find(|l| l.starts_with("neardup: read+features"))
        .unwrap_or_else(|| panic!("{err}"));
    let stages: Vec<&str> = line["neardup: ".len()..].split(", ").collect();
    let names: Vec<&str> = stages
        .iter()
        .map(|s| s.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["read+features", "candidates", "verify", "cluster", "report"]
    );
    if cfg!(target_os = "linux") {
        let peaks: Vec<u64> = stages
            .iter()
            .map(|s| {
                let mb = s.split("(peak ").nth(1).unwrap_or_else(|| panic!("{s}"));
                mb.trim_end_matches(" MB)").parse().unwrap()
            })
            .collect();
        assert!(peaks.windows(2).all(|w| w[0] <= w[1]), "{line}");
        assert!(peaks[0] > 0, "{line}");
    }
}

/// Texts let go once their features are known and read again for the pairs give the same
/// report, byte for byte, as texts held in memory, mapped or copied: from JSONL and from a
/// folder, in every format that shows passages.
#[test]
fn texts_read_again_give_the_same_report() {
    let dir = synth_jsonl();
    for (i, (_, text)) in crate::synth::corpus(3, 120, 200).iter().enumerate() {
        dir.file(&format!("folder/{i:03}.txt"), text);
    }
    for input in ["docs.jsonl", "folder"] {
        for format in ["json", "html", "text"] {
            let run = |memory: &str, extra: &[&str]| {
                let out = neardup()
                    .current_dir(dir.path())
                    .args(["scan", input, "--no-time", "--format", format])
                    .args(["--max-text-memory", memory])
                    .args(extra)
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{input} {format}");
                out.stdout
            };
            let held = run("1024", &[]);
            assert!(held.len() > 1000);
            assert!(held == run("0", &[]), "{input} {format}");
            assert!(held == run("1024", &["--no-mmap"]), "{input} {format}");
        }
    }
}

/// A folder with `docs.jsonl`: 400 generated documents with planted pairs.
fn synth_jsonl() -> TestDir {
    let dir = TestDir::new();
    let records: Vec<Value> = crate::synth::corpus(3, 400, 200)
        .iter()
        .map(|(id, t)| json!({"id": id, "text": t}))
        .collect();
    dir.jsonl("docs.jsonl", &records);
    dir
}

#[test]
fn fail_on_exits_one_only_when_found() {
    let dir = TestDir::new();
    dir.file("a.txt", words(0, 100))
        .file("b.txt", words(0, 100))
        .file("c.txt", words(500, 100));
    neardup()
        .current_dir(dir.path())
        .args(["scan", ".", "--fail-on", "duplicate"])
        .assert()
        .code(1);
    neardup()
        .current_dir(dir.path())
        .args(["scan", "c.txt", "--fail-on", "duplicate"])
        .assert()
        .code(0);
    neardup()
        .current_dir(dir.path())
        .args(["scan", ".", "--fail-on", "overlap"])
        .assert()
        .code(0);
}

#[test]
fn jsonl_ids_metadata_and_fallback_ids() {
    let dir = TestDir::new();
    dir.jsonl(
        "in.jsonl",
        &[
            json!({"id": "one", "text": words(0, 50), "title": "T", "source": "Wire", "date": "2024-05-02", "url": "https://x/1"}),
            json!({"text": words(0, 50), "date": "2024-05-01"}),
        ],
    );
    let r = scan_json(&dir, &["in.jsonl"]);
    let d = &r["documents"];
    assert_eq!(d[0]["id"], "one");
    assert_eq!(d[0]["title"], "T");
    assert_eq!(d[0]["source"], "Wire");
    assert_eq!(d[0]["url"], "https://x/1");
    assert_eq!(d[1]["id"], "in.jsonl:2");
    assert_eq!(d[1]["path"], "in.jsonl:2");
    // The earliest date is the origin.
    assert_eq!(r["clusters"][0]["origin"], "in.jsonl:2");
}

#[test]
fn custom_fields_and_stdin() {
    let line = json!({"key": 7, "body": words(0, 30)}).to_string();
    let input = format!("{line}\n{}\n", json!({"key": 8, "body": words(0, 30)}));
    let out = neardup()
        .args([
            "scan",
            "-",
            "--id-field",
            "key",
            "--text-field",
            "body",
            "--format",
            "jsonl",
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let rec: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (rec["a"].as_str(), rec["b"].as_str()),
        (Some("7"), Some("8"))
    );
}

#[test]
fn compressed_jsonl() {
    use std::io::Write;
    let dir = TestDir::new();
    let body = format!(
        "{}\n{}\n",
        json!({"id": "a", "text": words(0, 60)}),
        json!({"id": "b", "text": words(0, 60)})
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(body.as_bytes()).unwrap();
    dir.file("x.jsonl.gz", gz.finish().unwrap());
    dir.file(
        "y.jsonl.zst",
        zstd::encode_all(
            body.replace("\"a\"", "\"c\"")
                .replace("\"b\"", "\"d\"")
                .as_bytes(),
            3,
        )
        .unwrap(),
    );
    let r = scan_json(&dir, &["x.jsonl.gz", "y.jsonl.zst"]);
    let ids: Vec<&str> = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(r["clusters"][0]["members"], json!(["a", "b", "c", "d"]));
    // On standard input, compression is known by its first bytes, as zcat knows it.
    for (file, a, b) in [("x.jsonl.gz", "a", "b"), ("y.jsonl.zst", "c", "d")] {
        let out = neardup()
            .current_dir(dir.path())
            .args(["scan", "-", "--format", "json"])
            .pipe_stdin(dir.join(file))
            .unwrap()
            .output()
            .unwrap();
        assert!(out.status.success(), "{file}: {out:?}");
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            pairs(&r),
            [(a.into(), b.into(), "duplicate".into())],
            "{file}"
        );
    }
}

/// A Parquet file, by name or by its first bytes, is refused with what to do, not read as a
/// text of noise.
#[test]
fn parquet_is_refused_with_a_way_out() {
    let dir = TestDir::new();
    dir.file("a.parquet", "PAR1\0\0\0PAR1")
        .file("b.bin", "PAR1\0\0\0PAR1");
    for file in ["a.parquet", "b.bin"] {
        let out = output_of(&dir, &["scan", file]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(file) && err.contains("Parquet") && err.contains("JSONL"),
            "{err}"
        );
    }
}

#[test]
fn folders_are_walked_sorted_and_skip_hidden_and_other_files() {
    let dir = TestDir::new();
    dir.file("d/b.txt", "bee")
        .file("d/a/z.md", "# Zed\nzed")
        .file("d/a.txt", "ay")
        .file("d/.hidden.txt", "h")
        .file("d/.git/config", "x")
        .file("d/data.csv", "1,2")
        .file("d/notes.jsonl", "{}");
    let r = scan_json(&dir, &["d"]);
    let ids: Vec<&str> = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a/z.md", "a.txt", "b.txt"]);
    assert_eq!(r["documents"][0]["title"], "Zed");
    assert_eq!(r["stats"]["skipped"]["hidden"], 2);
    assert_eq!(r["stats"]["skipped"]["other_extension"], 2);
}

#[test]
fn relations_limit_the_scan_and_are_recorded() {
    let dir = TestDir::new();
    dir.file("a.txt", words(0, 100))
        .file("b.txt", words(0, 100));
    let r = scan_json(&dir, &[".", "--relations", "near-duplicate"]);
    assert_eq!(r["params"]["relations"], json!(["near-duplicate"]));
    // Without the duplicate relation, identical texts are near-duplicates with Jaccard 1.
    assert_eq!(
        pairs(&r),
        [("a.txt".into(), "b.txt".into(), "near-duplicate".into())]
    );
}

#[test]
fn all_pairs_agrees_with_lsh_on_a_small_set() {
    let dir = synth_jsonl();
    // Shingle relations only: rewrite candidates come from salient terms, measured on ECB+.
    let relations = "duplicate,near-duplicate,overlap";
    let lsh = scan_json(&dir, &["docs.jsonl", "--relations", relations]);
    let brute = scan_json(
        &dir,
        &["docs.jsonl", "--all-pairs", "--relations", relations],
    );
    assert_eq!(brute["params"]["all_pairs"], json!(true));
    let (l, b) = (pairs(&lsh), pairs(&brute));
    assert!(
        l.iter().all(|p| b.contains(p)),
        "LSH reported a pair brute force did not"
    );
    assert!(
        l.len() as f64 >= 0.99 * b.len() as f64,
        "{} of {}",
        l.len(),
        b.len()
    );
}
