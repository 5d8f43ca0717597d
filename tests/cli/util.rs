//! A temp-folder builder and a `neardup` command.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The binary, with the text report at its default width whatever the terminal running the
/// tests.
pub fn neardup() -> Command {
    let mut cmd = Command::cargo_bin("neardup").expect("binary built");
    cmd.env_remove("COLUMNS");
    cmd
}

pub struct TestDir {
    dir: tempfile::TempDir,
}

impl TestDir {
    pub fn new() -> TestDir {
        TestDir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes `contents` at `rel`, creating folders.
    pub fn file(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let p = self.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }

    /// Writes one JSON value per line.
    pub fn jsonl(&self, rel: &str, records: &[Value]) -> &Self {
        let body: String = records.iter().map(|r| format!("{r}\n")).collect();
        self.file(rel, body)
    }
}

/// Runs `neardup scan ARGS --format json` in `dir`, expects exit 0, returns the report.
pub fn scan_json(dir: &TestDir, args: &[&str]) -> Value {
    let mut full = vec!["scan"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--format", "json"]);
    json_of(dir, &full, 0)
}

/// Runs `neardup ARGS` in `dir`; what it printed and its exit status.
pub fn output_of(dir: &TestDir, args: &[&str]) -> std::process::Output {
    neardup()
        .current_dir(dir.path())
        .args(args)
        .output()
        .unwrap()
}

/// Runs `neardup ARGS` in `dir` with writes limited to `kb` kilobytes a file (`ulimit -f`):
/// a full disk, as far as the run can tell. SIGXFSZ keeps the disposition neardup gives it.
pub fn under_file_size_limit(dir: &TestDir, kb: usize, args: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!("ulimit -f {kb}; exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("neardup"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs `neardup ARGS` in `dir`, expects exit `code`, returns the JSON it printed.
pub fn json_of(dir: &TestDir, args: &[&str], code: i32) -> Value {
    let out = output_of(dir, args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// Words `w0 w1 ...` from `start`: distinct words make exact expectations easy.
pub fn words(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Exact word 5-gram Jaccard, computed independently of the library.
pub fn jaccard5(a: &str, b: &str) -> f64 {
    use std::collections::BTreeSet;
    let grams = |t: &str| -> BTreeSet<String> {
        let w: Vec<String> = t.split_whitespace().map(|x| x.to_lowercase()).collect();
        w.windows(5).map(|g| g.join(" ")).collect()
    };
    let (a, b) = (grams(a), grams(b));
    a.intersection(&b).count() as f64 / a.union(&b).count() as f64
}

/// The pairs of a report as `(a, b, relation)`.
pub fn pairs(report: &Value) -> Vec<(String, String, String)> {
    report["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap().to_string();
            (s("a"), s("b"), s("relation"))
        })
        .collect()
}
