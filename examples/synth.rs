//! Writes a seeded synthetic corpus as JSONL, and what was planted in it.
//!
//! `cargo run --release --example synth -- [--chain] DOCS [WORDS] [SEED] [TRUTH] > corpus.jsonl`
//!
//! `--chain`: documents walked along a word-bigram chain trained on a few pages of prose, in
//! newline-separated paragraphs, so that long word runs recur across unrelated documents
//! (tests/support/synth.rs, `Shape::Chain`); without it, words drawn independently.
//!
//! Documents are about WORDS words (default 400): 70% original text; the rest made from an
//! earlier document, a quarter each: exact copies, lightly edited copies (1-10% of words),
//! documents with a spliced passage of 30-120 words of it, and retellings with its names in
//! fresh words (tests/support/synth.rs). With TRUTH, each planted pair is written there as a
//! JSONL record `{"a", "b", "planted", "edit_rate", "passage_words"}`; `b` was made from `a`.
//! A planted near-duplicate is a near-duplicate at a threshold only if its exact Jaccard
//! reaches it: `scripts/compare_peers.py` computes that by brute force.

#[path = "../tests/support/synth.rs"]
mod synth;

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let shape = if args.iter().any(|a| a == "--chain") {
        args.retain(|a| a != "--chain");
        synth::Shape::Chain
    } else {
        synth::Shape::Words
    };
    let arg = |i: usize, default: u64| -> u64 {
        args.get(i)
            .map(|s| s.parse().expect("a number"))
            .unwrap_or(default)
    };
    if args.is_empty() {
        eprintln!("usage: synth [--chain] DOCS [WORDS] [SEED] [TRUTH]");
        std::process::exit(2);
    }
    let (docs, planted) = synth::corpus_shaped(
        arg(2, 1),
        arg(0, 0) as usize,
        arg(1, 400) as usize,
        true,
        shape,
    );
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (id, text) in &docs {
        serde_json::to_writer(&mut out, &serde_json::json!({ "id": id, "text": text }))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    if let Some(path) = args.get(3) {
        let mut truth = BufWriter::new(std::fs::File::create(path)?);
        for p in &planted {
            let record = serde_json::json!({
                "a": docs[p.a].0,
                "b": docs[p.b].0,
                "planted": p.kind,
                "edit_rate": p.edit_rate as f64 / 100.0,
                "passage_words": p.passage_words,
            });
            serde_json::to_writer(&mut truth, &record)?;
            truth.write_all(b"\n")?;
        }
        truth.flush()?;
    }
    Ok(())
}
