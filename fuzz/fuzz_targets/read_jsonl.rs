//! JSONL records of any bytes: read as the CLI reads a file, strict and lenient. An error is
//! fine; a panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neardup::ReadOptions;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.jsonl");
    std::fs::write(&path, data).unwrap();
    for (strict, skip_invalid) in [(false, false), (true, false), (false, true)] {
        let opts = ReadOptions {
            strict,
            skip_invalid,
            ..ReadOptions::default()
        };
        if let Ok(corpus) = neardup::read::inputs(std::slice::from_ref(&path), &opts) {
            // A repeated id is an error, or dropped under --skip-invalid: never two documents.
            let mut ids: Vec<&str> = corpus.docs.iter().map(|d| d.id.as_str()).collect();
            ids.sort_unstable();
            assert!(ids.windows(2).all(|w| w[0] != w[1]), "{ids:?}");
        }
    }
    // The same bytes as a text file named by the user: never skipped, never a panic.
    let txt = dir.path().join("in.txt");
    std::fs::write(&txt, data).unwrap();
    let _ = neardup::read::inputs(&[txt], &ReadOptions::default());
});
