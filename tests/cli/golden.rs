//! Golden outputs: the exact reports of `corpus/` and of a seeded generated corpus, committed
//! under `tests/golden/`. A change of any byte fails here; an intended change is blessed with
//!
//! ```sh
//! NEARDUP_BLESS=1 cargo test --test cli golden
//! ```
//!
//! and the diff of `tests/golden/` is then part of the change under review. Timings are the
//! only thing masked.

use std::path::{Path, PathBuf};

use crate::synth;
use crate::util::{TestDir, neardup};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Timings vary from run to run: replaced by a fixed mark, and nothing else.
fn mask_timings(report: &str) -> String {
    let mut out = String::with_capacity(report.len());
    for line in report.split_inclusive('\n') {
        if let Some(at) = line.find("\"seconds\":") {
            let rest = &line[at + "\"seconds\":".len()..];
            let end = rest
                .find(|c: char| {
                    !(c.is_ascii_digit() || c == '.' || c == ' ' || c == 'e' || c == '-')
                })
                .unwrap_or(rest.len());
            out.push_str(&line[..at]);
            out.push_str("\"seconds\": 0");
            out.push_str(&rest[end..]);
        } else if line.starts_with("neardup: ") && line.trim_end().ends_with(" s") {
            let cut = line.rfind(" in ").unwrap_or(line.len());
            out.push_str(&line[..cut]);
            out.push_str(" in <masked> s\n");
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Runs `neardup ARGS` in `dir`, and compares its masked output with `tests/golden/NAME`
/// (or writes it there under `NEARDUP_BLESS`).
fn golden(name: &str, dir: &Path, args: &[&str]) {
    let out = neardup().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = mask_timings(&String::from_utf8(out.stdout).expect("UTF-8 report"));
    let path = golden_dir().join(name);
    if std::env::var_os("NEARDUP_BLESS").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; bless it with NEARDUP_BLESS=1 cargo test --test cli golden",
            path.display()
        )
    });
    if got != want {
        let line = got
            .lines()
            .zip(want.lines())
            .position(|(g, w)| g != w)
            .unwrap_or_else(|| got.lines().count().min(want.lines().count()));
        panic!(
            "{name} differs from tests/golden/{name} first at line {}:\n  got:  {}\n  want: {}\n\
             If the change is intended: NEARDUP_BLESS=1 cargo test --test cli golden",
            line + 1,
            got.lines().nth(line).unwrap_or("<end>"),
            want.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

#[test]
fn golden_corpus_reports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, format) in [
        ("corpus.txt", "text"),
        ("corpus.json", "json"),
        ("corpus.csv", "csv"),
    ] {
        golden(name, root, &["scan", "corpus/", "--format", format]);
    }
}

/// 240 generated documents with every planted relation, retellings included.
#[test]
fn golden_generated_reports() {
    let dir = TestDir::new();
    let (docs, _) = synth::corpus_with_truth(20261202, 240, 160, true);
    let records: Vec<serde_json::Value> = docs
        .iter()
        .map(|(id, text)| serde_json::json!({ "id": id, "text": text }))
        .collect();
    dir.jsonl("gen.jsonl", &records);
    for (name, format) in [
        ("generated.txt", "text"),
        ("generated.json", "json"),
        ("generated.jsonl", "jsonl"),
    ] {
        golden(name, dir.path(), &["scan", "gen.jsonl", "--format", format]);
    }
}

#[test]
fn timings_and_only_timings_are_masked() {
    let json = "  \"stats\": {\n    \"seconds\": 0.123,\n    \"pairs\": 4\n  }\n";
    assert_eq!(
        mask_timings(json),
        "  \"stats\": {\n    \"seconds\": 0,\n    \"pairs\": 4\n  }\n"
    );
    let text = "neardup: 5 documents (5 compared), 8 pairs, 1 cluster in 0.01 s\nnext\n";
    assert_eq!(
        mask_timings(text),
        "neardup: 5 documents (5 compared), 8 pairs, 1 cluster in <masked> s\nnext\n"
    );
}
