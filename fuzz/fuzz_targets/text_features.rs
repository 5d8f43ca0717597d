//! Any text through the normalizer, the segmenter, salient-term extraction, page-furniture keys
//! and the whole feature extraction; word spans must lie on char boundaries inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let words = neardup::normalize::words(&text);
    for w in &words {
        assert!(w.start <= w.end && (w.end as usize) <= text.len());
        assert!(text.is_char_boundary(w.start as usize) && text.is_char_boundary(w.end as usize));
    }
    let _ = neardup::normalize::normalized(&text);
    let _ = neardup::features::salient::terms(&text);
    for m in neardup::features::salient::mentions(&text) {
        assert!(m.start <= m.end && (m.end as usize) <= text.len());
    }
    let _ = neardup::features::boilerplate::unit_keys(&text, &words);
    let _ = neardup::features::Features::extract(&text, &neardup::Params::default());
});
