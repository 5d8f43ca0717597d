//! Writes a seeded synthetic corpus as JSONL, for scale measurements.
//!
//! `cargo run --release --example synth -- DOCS [WORDS] [SEED] > corpus.jsonl`
//!
//! Documents are about WORDS words (default 400): 70% original text, 10% exact copies, 10%
//! lightly edited copies and 10% with a spliced passage of another (tests/support/synth.rs).

#[path = "../tests/support/synth.rs"]
mod synth;

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: u64| -> u64 {
        args.get(i)
            .map(|s| s.parse().expect("a number"))
            .unwrap_or(default)
    };
    if args.is_empty() {
        eprintln!("usage: synth DOCS [WORDS] [SEED]");
        std::process::exit(2);
    }
    let docs = synth::corpus(arg(2, 1), arg(0, 0) as usize, arg(1, 400) as usize);
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (id, text) in docs {
        serde_json::to_writer(&mut out, &serde_json::json!({ "id": id, "text": text }))?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
