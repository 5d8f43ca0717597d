//! Up to eight documents cut from the input at 0xFF bytes, scanned with every relation, the
//! report written in every format. The JSON must parse back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neardup::report::{Format, Report};
use neardup::{Corpus, NoProgress, Params};

fuzz_target!(|data: &[u8]| {
    let texts: Vec<(String, String)> = data
        .split(|&b| b == 0xFF)
        .take(8)
        .enumerate()
        .map(|(i, t)| (format!("d{i}"), String::from_utf8_lossy(t).into_owned()))
        .collect();
    let corpus = Corpus::from_texts(texts.iter().map(|(i, t)| (i.as_str(), t.as_str())));
    let params = Params::default();
    let Ok(result) = neardup::scan(&corpus, &params, &NoProgress) else {
        return;
    };
    let Ok(mut report) = Report::new(&corpus, &params, &result) else {
        return;
    };
    let _ = report.load_texts(&corpus);
    for format in [
        Format::Text,
        Format::Json,
        Format::Jsonl,
        Format::Csv,
        Format::Html,
    ] {
        let mut out = Vec::new();
        neardup::report::write(&report, format, 80, &mut out).unwrap();
        if format == Format::Json {
            serde_json_check(&out);
        }
    }
});

fn serde_json_check(out: &[u8]) {
    let text = std::str::from_utf8(out).expect("UTF-8 report");
    assert!(text.starts_with('{') && text.trim_end().ends_with('}'));
}
