//! Any bytes as a gzip or zstd JSONL file: the decoders' errors are errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neardup::ReadOptions;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    for name in ["in.jsonl.gz", "in.jsonl.zst"] {
        let path = dir.path().join(name);
        std::fs::write(&path, data).unwrap();
        let _ = neardup::read::inputs(&[path], &ReadOptions::default());
    }
});
