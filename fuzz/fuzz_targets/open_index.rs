//! A damaged or foreign file opened as an index: refused with an error, or read without a
//! panic (stats, list, and the lookups a check makes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use neardup::index::Index;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("idx.db");
    std::fs::write(&path, data).unwrap();
    let Ok(index) = Index::open(&path) else {
        return;
    };
    let _ = index.stats();
    let _ = index.list();
    let text = "one two three four five six";
    let features = neardup::features::Features::extract(text, index.params());
    let reader = index.reader();
    if let Ok(found) = reader.candidates(&[(text, &features)], true) {
        let _ = reader.load(&found);
    }
});
