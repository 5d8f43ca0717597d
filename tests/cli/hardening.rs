//! Defects an adversarial sweep found (issue 17): each test failed before its fix.

use std::process::{Command as Process, Stdio};

use serde_json::{Value, json};

use crate::util::{TestDir, json_of, neardup, output_of, under_file_size_limit, words};

fn index_of(dir: &TestDir, input: &str) {
    neardup()
        .current_dir(dir.path())
        .args(["index", "add", input, "--index", "idx.db"])
        .assert()
        .success();
}

fn documents(dir: &TestDir) -> Value {
    json_of(dir, &["index", "stats", "--json", "--index", "idx.db"], 0)["documents"].clone()
}

/// A closed pipe ends every command quietly with exit 0 (was: a panic, exit 101, or exit 2).
#[test]
fn closed_pipes_end_quietly() {
    let dir = TestDir::new();
    let records: Vec<Value> = (0..3000)
        .map(|i| json!({"id": format!("d{i}"), "text": words(i * 20, 30)}))
        .collect();
    dir.jsonl("many.jsonl", &records);
    index_of(&dir, "many.jsonl");
    let bin = assert_cmd::cargo::cargo_bin("neardup");
    for args in [
        &["index", "list", "--index", "idx.db"][..],
        &["index", "list", "--index", "idx.db", "--json"],
        &["index", "stats", "--index", "idx.db"],
        &["scan", "many.jsonl", "--format", "csv"],
        &["scan", "many.jsonl", "--format", "text"],
    ] {
        let mut child = Process::new(&bin)
            .current_dir(dir.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reading end closed before anything is read, as `| head -0` closes it.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}

/// `--output` writes through special files and symlinks, never replacing them.
#[cfg(unix)]
#[test]
fn output_writes_through_special_files_and_links() {
    use std::os::unix::fs::FileTypeExt;
    let dir = TestDir::new();
    dir.file("d/a.txt", words(0, 100))
        .file("d/b.txt", words(0, 100));
    dir.file("real.json", "old");
    std::os::unix::fs::symlink("real.json", dir.join("link.json")).unwrap();
    neardup()
        .current_dir(dir.path())
        .args(["scan", "d", "--format", "json", "--output", "link.json"])
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(dir.join("link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written: Value =
        serde_json::from_slice(&std::fs::read(dir.join("real.json")).unwrap()).unwrap();
    assert_eq!(written["pairs"].as_array().unwrap().len(), 1);
    // A FIFO stays a FIFO, and its reader gets the report.
    let fifo = dir.join("fifo");
    assert!(
        Process::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = std::thread::spawn({
        let fifo = fifo.clone();
        move || std::fs::read(fifo).unwrap()
    });
    neardup()
        .current_dir(dir.path())
        .args(["scan", "d", "--format", "json", "--output", "fifo"])
        .assert()
        .success();
    let read: Value = serde_json::from_slice(&reader.join().unwrap()).unwrap();
    assert_eq!(read["pairs"].as_array().unwrap().len(), 1);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

/// A file named to `check` is never skipped as binary: a NUL-prefixed or UTF-16 copy of an
/// indexed document fails the gate (was: exit 0).
#[test]
fn named_files_with_nuls_or_utf16_are_checked() {
    let dir = TestDir::new();
    let text = format!("{}\n", words(0, 200));
    dir.file("old/a.txt", &text);
    index_of(&dir, "old");
    let mut nul = vec![0u8];
    nul.extend_from_slice(text.as_bytes());
    dir.file("nul.txt", nul);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    dir.file("utf16.txt", utf16);
    for file in ["nul.txt", "utf16.txt"] {
        let out = output_of(&dir, &["check", file, "--index", "idx.db", "--quiet"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Under --strict a NUL byte is an error naming the file.
    let out = output_of(&dir, &["check", "nul.txt", "--index", "idx.db", "--strict"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nul.txt"));
    // Walking a folder still skips binary files, and counts them.
    dir.file("walk/nul.txt", std::fs::read(dir.join("nul.txt")).unwrap());
    let r = json_of(&dir, &["scan", "walk", "--format", "json"], 0);
    assert_eq!(r["stats"]["skipped"]["binary"], 1);
}

/// `check --add` adds nothing when its report cannot be written (was: committed, then failed).
#[test]
fn check_add_commits_only_after_the_report_is_written() {
    let dir = TestDir::new();
    dir.file("old/a.txt", words(0, 200));
    index_of(&dir, "old");
    dir.file("new/b.txt", words(5000, 200));
    let out = output_of(
        &dir,
        &[
            "check",
            "new",
            "--index",
            "idx.db",
            "--add",
            "--output",
            "missing/dir/r.json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("added"));
    assert_eq!(documents(&dir), 1);
}

/// A FIFO in a scanned folder is skipped and counted (was: the walk hung on it).
#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_skipped() {
    let dir = TestDir::new();
    dir.file("d/a.txt", words(0, 50));
    assert!(
        Process::new("mkfifo")
            .arg(dir.join("d/b.txt"))
            .status()
            .unwrap()
            .success()
    );
    let r = json_of(&dir, &["scan", "d", "--format", "json"], 0);
    assert_eq!(r["stats"]["skipped"]["not_regular"], 1);
    assert_eq!(r["documents"].as_array().unwrap().len(), 1);
}

/// Ids with control characters cannot write to the terminal or start a CI log command, and CSV
/// cells cannot start a formula.
#[test]
fn text_output_escapes_controls_and_csv_cells_are_inert() {
    let dir = TestDir::new();
    let text = words(0, 80);
    dir.jsonl(
        "x.jsonl",
        &[
            json!({"id": "x\n::error title=pwned::injected", "text": text}),
            json!({"id": "=HYPERLINK(\"http://x\")\u{1b}]0;t\u{7}", "text": text}),
        ],
    );
    let out = output_of(&dir, &["scan", "x.jsonl"]);
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(!shown.lines().any(|l| l.starts_with("::error")), "{shown}");
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown}"
    );
    assert!(shown.contains("\\u{1b}]0;t\\u{7}"), "{shown}");
    let csv =
        String::from_utf8(output_of(&dir, &["scan", "x.jsonl", "--format", "csv"]).stdout).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        !csv.lines().any(|l| l.starts_with('=') || l.contains(",=")),
        "{csv}"
    );
}

/// Arguments are checked before anything is removed (was: ids removed, then the bad value
/// refused).
#[test]
fn index_remove_checks_its_arguments_first() {
    let dir = TestDir::new();
    dir.file("old/a.txt", words(0, 50));
    index_of(&dir, "old");
    let out = output_of(
        &dir,
        &[
            "index",
            "remove",
            "a.txt",
            "--older-than",
            "nan",
            "--index",
            "idx.db",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(documents(&dir), 1);
}

/// Passage offsets point into the file's bytes, also where its UTF-8 was repaired (was: into
/// the repaired text, past the end or mid-character).
#[test]
fn offsets_point_into_the_bytes_given_after_repair() {
    let dir = TestDir::new();
    let shared = words(100, 60);
    let mut a = b"caf\xe9 \xff\xfe broken ".to_vec();
    a.extend_from_slice(shared.as_bytes());
    dir.file("d/a.txt", &a);
    dir.file("d/b.txt", format!("{} {shared}", words(5000, 40)));
    let r = json_of(&dir, &["scan", "d", "--format", "json"], 0);
    let passage = &r["pairs"][0]["passages"][0];
    let [s, e] = [0, 1].map(|k| passage["a"][k].as_u64().unwrap() as usize);
    assert_eq!(&a[s..e], shared.as_bytes(), "{passage}");
}

/// 400 documents sharing one passage: about 80,000 overlap pairs, a report of tens of
/// megabytes that takes a while to write.
#[cfg(unix)]
fn big_report_input(dir: &TestDir) {
    let shared = words(0, 120);
    let records: Vec<Value> = (0..400)
        .map(|i| json!({"id": format!("d{i}"), "text": format!("{} {shared} {}", words(10_000 + i * 300, 100), words(200_000 + i * 300, 100))}))
        .collect();
    dir.jsonl("big.jsonl", &records);
}

/// A scan of [`big_report_input`] writing its JSON report to `r.json`.
#[cfg(unix)]
const BIG_REPORT: [&str; 7] = [
    "scan",
    "big.jsonl",
    "--format",
    "json",
    "--output",
    "r.json",
    "--quiet",
];

/// SIGTERM while the report is written leaves no temporary file (was: `.r.json.PID.tmp`).
#[cfg(unix)]
#[test]
fn a_terminated_run_leaves_no_temporary_file() {
    let dir = TestDir::new();
    big_report_input(&dir);
    let bin = assert_cmd::cargo::cargo_bin("neardup");
    let mut child = Process::new(&bin)
        .current_dir(dir.path())
        .args(BIG_REPORT)
        .spawn()
        .unwrap();
    let temporary = || names_in(&dir).iter().any(|n| n.ends_with(".tmp"));
    let started = std::time::Instant::now();
    while !temporary() && started.elapsed().as_secs() < 20 && child.try_wait().unwrap().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let signalled = child.try_wait().unwrap().is_none();
    assert!(
        Process::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
            || !signalled
    );
    let status = child.wait().unwrap();
    if signalled {
        assert_eq!(status.code(), Some(128 + 15));
    }
    assert!(!temporary(), "a temporary file was left behind");
}

/// A write past `ulimit -f` is an error with a message and exit 2, the report removed (was:
/// killed by SIGXFSZ, exit 153, no word).
#[cfg(unix)]
#[test]
fn a_file_size_limit_is_a_write_error() {
    let dir = TestDir::new();
    big_report_input(&dir);
    let out = under_file_size_limit(&dir, 64, &BIG_REPORT);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("r.json"));
    let left: Vec<String> = names_in(&dir)
        .into_iter()
        .filter(|n| n.contains("r.json"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The names of the entries of `dir`.
#[cfg(unix)]
fn names_in(dir: &TestDir) -> Vec<String> {
    std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Smaller ones: a hand-edited index header is refused on open (was: a panic in `index
/// remove`), `--threads` is bounded, and a byte order mark in front of JSONL is named.
#[test]
fn bad_headers_thread_counts_and_boms_are_named() {
    let dir = TestDir::new();
    dir.file("old/a.txt", words(0, 50));
    index_of(&dir, "old");
    zero_bands_in_header(&dir.join("idx.db"));
    let out = output_of(&dir, &["index", "remove", "a.txt", "--index", "idx.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("settings"));
    let out = output_of(&dir, &["scan", "old", "--threads", "20000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--threads"));
    dir.file("bom.jsonl", b"\xef\xbb\xbf{\"id\":\"a\",\"text\":\"x\"}\n");
    let out = output_of(&dir, &["scan", "bom.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "bom.jsonl:1: expected a JSON object (the file starts with a UTF-8 byte order mark"
    ));
}

/// Sets `lsh.bands` to 0 in an index's header, as a hand edit would, by rewriting the JSON in
/// the file's bytes in place (same length, so the database stays readable).
fn zero_bands_in_header(path: &std::path::Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let needle = b"\"bands\":21";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the header holds the banding");
    bytes[at..at + needle.len()].copy_from_slice(b"\"bands\": 0");
    std::fs::write(path, bytes).unwrap();
}

/// A truncated gzip stream is an error naming the first line it cut (was: always line 1).
#[test]
fn a_truncated_gzip_names_the_line_it_cut() {
    use std::io::Write;
    let dir = TestDir::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..20_000 {
        writeln!(
            gz,
            "{}",
            json!({"id": format!("d{i}"), "text": format!("word{i} w{}", i * 7)})
        )
        .unwrap();
    }
    let bytes = gz.finish().unwrap();
    dir.file("t.jsonl.gz", &bytes[..bytes.len() / 2]);
    let out = output_of(&dir, &["scan", "t.jsonl.gz"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let line: u64 = err
        .split("t.jsonl.gz:")
        .nth(1)
        .and_then(|r| r.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line > 1000 && line < 20_000, "{err}");
}

/// Every verbatim passage spans as many words in both texts, also in texts of one repeated
/// word (was: one passage twice as long in `a` as in `b`); a device named as input is refused
/// (was: `/dev/zero` read until memory ran out).
#[test]
fn verbatim_passages_are_as_long_on_both_sides_and_devices_are_refused() {
    let dir = TestDir::new();
    dir.file("d/a.txt", vec!["spam"; 1000].join(" "))
        .file("d/b.txt", vec!["spam"; 500].join(" "));
    let r = json_of(&dir, &["scan", "d", "--format", "json"], 0);
    let a = std::fs::read_to_string(dir.join("d/a.txt")).unwrap();
    let b = std::fs::read_to_string(dir.join("d/b.txt")).unwrap();
    for p in r["pairs"][0]["passages"].as_array().unwrap() {
        let span = |text: &str, side: &str| {
            let [s, e] = [0, 1].map(|k| p[side][k].as_u64().unwrap() as usize);
            text[s..e].split_whitespace().count()
        };
        assert_eq!(span(&a, "a"), span(&b, "b"), "{p}");
    }
    #[cfg(unix)]
    {
        let out = output_of(&dir, &["scan", "/dev/zero"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("/dev/zero: is a device"));
    }
}
