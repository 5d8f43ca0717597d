//! Bad input: each gets a clear error naming the file (and line), exit 2, or a counted warning.

use serde_json::json;

use crate::util::{TestDir, neardup, output_of, pairs, scan_json, words};

fn stderr_of(dir: &TestDir, args: &[&str], code: i32) -> String {
    let out = neardup()
        .current_dir(dir.path())
        .arg("scan")
        .args(args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    err
}

#[test]
fn missing_path_is_an_error_naming_it() {
    let dir = TestDir::new();
    let err = stderr_of(&dir, &["nowhere"], 2);
    assert!(err.contains("cannot access nowhere"), "{err}");
}

#[test]
fn unreadable_file_in_a_folder_names_the_file() {
    let dir = TestDir::new();
    dir.file("d/a.txt", "fine");
    std::os::unix::fs::symlink("/nonexistent/target.txt", dir.join("d/broken.txt")).unwrap();
    let err = stderr_of(&dir, &["d"], 2);
    assert!(err.contains("broken.txt"), "{err}");
}

#[test]
fn invalid_utf8_is_repaired_with_a_warning_or_refused_with_strict() {
    let dir = TestDir::new();
    dir.file("d/bad.txt", b"caf\xe9 au lait".as_slice())
        .file("d/ok.txt", "fine");
    let r = scan_json(&dir, &["d"]);
    let w = r["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1);
    assert!(w[0]["reason"].as_str().unwrap().contains("invalid UTF-8"));
    assert!(w[0]["path"].as_str().unwrap().ends_with("bad.txt"));
    let err = stderr_of(&dir, &["d", "--verbose"], 0);
    assert!(err.contains("bad.txt: invalid UTF-8"), "{err}");
    let err = stderr_of(&dir, &["d", "--strict"], 2);
    assert!(err.contains("bad.txt: invalid UTF-8"), "{err}");
}

#[test]
fn empty_documents_are_listed_not_compared() {
    let dir = TestDir::new();
    dir.file("d/empty.txt", "")
        .file("d/blank.txt", " \n\t\n")
        .file("d/real.txt", words(0, 50));
    let r = scan_json(&dir, &["d"]);
    assert_eq!(r["stats"]["documents"], 3);
    assert_eq!(r["stats"]["compared"], 1);
    assert_eq!(r["documents"][0]["words"], 0);
    assert!(
        r["pairs"].as_array().unwrap().is_empty(),
        "two empty texts are not duplicates"
    );
    assert_eq!(r["warnings"].as_array().unwrap().len(), 2);
}

#[test]
fn malformed_jsonl_names_file_and_line_or_is_skipped_and_counted() {
    let dir = TestDir::new();
    dir.file(
        "in.jsonl",
        format!(
            "{}\n\n{{\"id\": \"b\", \"text\": \n{}\n",
            json!({"id": "a", "text": "x"}),
            json!({"id": "c", "text": "y"})
        ),
    );
    let err = stderr_of(&dir, &["in.jsonl"], 2);
    assert!(err.contains("in.jsonl:3: invalid JSON"), "{err}");
    let r = scan_json(&dir, &["in.jsonl", "--skip-invalid"]);
    assert_eq!(r["stats"]["skipped"]["invalid_records"], 1);
    assert_eq!(r["documents"].as_array().unwrap().len(), 2);
    assert_eq!(r["warnings"][0]["line"], 3);
}

#[test]
fn missing_text_field_names_file_and_line() {
    let dir = TestDir::new();
    dir.jsonl(
        "in.jsonl",
        &[
            json!({"id": "a", "text": "x"}),
            json!({"id": "b", "body": "y"}),
        ],
    );
    let err = stderr_of(&dir, &["in.jsonl"], 2);
    assert!(
        err.contains("in.jsonl:2: missing text field \"text\""),
        "{err}"
    );
}

#[test]
fn duplicate_ids_name_both_places() {
    let dir = TestDir::new();
    dir.jsonl("a.jsonl", &[json!({"id": "x", "text": "1"})]);
    dir.jsonl(
        "b.jsonl",
        &[
            json!({"id": "y", "text": "2"}),
            json!({"id": "x", "text": "3"}),
        ],
    );
    let err = stderr_of(&dir, &["a.jsonl", "b.jsonl"], 2);
    assert!(
        err.contains("b.jsonl:2: duplicate id \"x\": also at a.jsonl:1"),
        "{err}"
    );
}

/// A repeated id skipped under `--skip-invalid` takes its features with it: the documents after
/// it are compared as themselves, whether texts are held or read again.
#[test]
fn skipped_repeated_id_leaves_the_others_aligned() {
    let dir = TestDir::new();
    let (t1, t2, t3) = (words(0, 60), words(100, 60), words(200, 60));
    dir.jsonl(
        "a.jsonl",
        &[
            json!({"id": "x", "text": t1}),
            json!({"id": "y", "text": t2}),
        ],
    )
    .jsonl(
        "b.jsonl",
        &[
            json!({"id": "x", "text": t3}),
            json!({"id": "z", "text": t2}),
        ],
    );
    for memory in ["1024", "0"] {
        let r = scan_json(
            &dir,
            &[
                "a.jsonl",
                "b.jsonl",
                "--skip-invalid",
                "--max-text-memory",
                memory,
            ],
        );
        assert_eq!(r["stats"]["skipped"]["invalid_records"], 1);
        assert_eq!(
            pairs(&r),
            [("y".into(), "z".into(), "duplicate".into())],
            "{memory}"
        );
    }
}

#[test]
fn binary_files_are_skipped_with_a_warning() {
    let dir = TestDir::new();
    dir.file("d/image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice())
        .file("d/ok.txt", "fine");
    let r = scan_json(&dir, &["d"]);
    assert_eq!(r["stats"]["skipped"]["binary"], 1);
    assert_eq!(r["documents"].as_array().unwrap().len(), 1);
    assert!(
        r["warnings"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("binary")
    );
}

#[test]
fn empty_folder_says_so_and_exits_zero() {
    let dir = TestDir::new();
    std::fs::create_dir(dir.join("empty")).unwrap();
    let err = stderr_of(&dir, &["empty"], 0);
    assert!(err.contains("no documents found in empty"), "{err}");
}

/// A 100 MB document on one line: the pipeline is linear in time and memory, so this finishes
/// like any other input (no timing is asserted; a quadratic step would not finish).
#[test]
fn single_line_100_mb_document() {
    let dir = TestDir::new();
    let mut text = String::with_capacity(100 << 20);
    // Varied words, so that shingles are mostly distinct, as in real text.
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1);
    while text.len() < 100 << 20 {
        text.push_str(&format!(
            "w{} ",
            rand::Rng::random_range(&mut rng, 0..100_000)
        ));
    }
    let line = json!({"id": "big", "text": text}).to_string();
    dir.file(
        "big.jsonl",
        format!(
            "{line}\n{}\n",
            json!({"id": "small", "text": words(0, 100)})
        ),
    );
    let r = scan_json(&dir, &["big.jsonl"]);
    assert!(r["documents"][0]["words"].as_u64().unwrap() > 10_000_000);
    assert!(r["pairs"].as_array().unwrap().is_empty());
}

#[test]
fn usage_errors_exit_two_and_help_exits_zero() {
    neardup().args(["scan"]).assert().code(2);
    neardup()
        .args(["scan", ".", "--threshold", "abc"])
        .assert()
        .code(2);
    neardup().args(["frobnicate"]).assert().code(2);
    neardup().args(["--help"]).assert().code(0);
    neardup().args(["scan", "--help"]).assert().code(0);
    let dir = TestDir::new();
    let err = stderr_of(&dir, &[".", "--threshold", "1.5"], 2);
    assert!(err.contains("--threshold"), "{err}");
}

/// An input truncated during the run is an error saying so (exit 2), not a crash, and leaves
/// no report behind: whether its texts are read again (the default) or held in its map.
#[cfg(unix)]
#[test]
fn input_truncated_mid_run_is_an_error() {
    truncated_mid_run(&[], "changed while neardup was scanning it");
    truncated_mid_run(&["--max-text-memory", "1024"], "truncated during the run");
}

/// Scans a JSONL file and a FIFO, the FIFO opened once the file has been read: the file is
/// truncated then, before its texts are verified and reported. Expects `message`.
#[cfg(unix)]
fn truncated_mid_run(flags: &[&str], message: &str) {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let dir = TestDir::new();
    let records: Vec<serde_json::Value> = crate::synth::corpus(3, 400, 200)
        .iter()
        .map(|(id, t)| json!({"id": id, "text": t}))
        .collect();
    dir.jsonl("a.jsonl", &records);
    assert!(std::fs::metadata(dir.join("a.jsonl")).unwrap().len() > 64 << 10);
    let fifo = std::ffi::CString::new(dir.join("z.jsonl").to_str().unwrap()).unwrap();
    // SAFETY: a valid C string and mode.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("neardup"))
        .current_dir(dir.path())
        .args([
            "scan", "a.jsonl", "z.jsonl", "--format", "json", "-o", "out.json",
        ])
        .args(flags)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A writer opens without waiting once neardup reads the FIFO; until then the open fails.
    let started = Instant::now();
    let mut writer = loop {
        let opened = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(dir.join("z.jsonl"));
        match opened {
            Ok(w) => break w,
            Err(_) if started.elapsed() < Duration::from_secs(60) => {
                assert!(child.try_wait().unwrap().is_none(), "neardup ended early");
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("neardup never read the FIFO: {e}"),
        }
    };
    std::fs::File::options()
        .write(true)
        .open(dir.join("a.jsonl"))
        .unwrap()
        .set_len(0)
        .unwrap();
    writeln!(writer, "{}", json!({"id": "z", "text": words(0, 40)})).unwrap();
    drop(writer);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(err.contains(message), "{err}");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!left.iter().any(|n| n.contains("out.json")), "{left:?}");
}

/// Completions and the manual page come from the same definitions as the parser.
#[test]
fn completions_and_man_page_are_generated() {
    let dir = TestDir::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = output_of(&dir, &["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(
            script.contains("neardup") && script.contains("rewrite-probability"),
            "{shell}"
        );
    }
    let man = String::from_utf8(output_of(&dir, &["man"]).stdout).unwrap();
    assert!(
        man.contains(".TH neardup 1") && man.contains("scan"),
        "{man}"
    );
}
