//! CLI tests: run the built binary, assert on exit codes, messages and parsed JSON.

mod compare;
mod errors;
mod formats;
mod furniture;
mod golden;
mod hardening;
mod index;
mod rewrite;
mod scan;
mod stages;
#[path = "../support/synth.rs"]
mod synth;
mod util;
