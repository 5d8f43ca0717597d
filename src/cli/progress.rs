//! Progress bars on stderr, only when stderr is a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A [`neardup::Progress`] that draws an indicatif bar.
pub struct Bar(ProgressBar);

impl Bar {
    /// A bar when stderr is a terminal and `quiet` is off; otherwise `None`.
    pub fn for_stderr(quiet: bool) -> Option<Bar> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {elapsed}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        Some(Bar(bar))
    }
}

impl neardup::Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.0.set_prefix(name.to_string());
        self.0.set_length(total);
        self.0.set_position(0);
    }
    fn inc(&self, n: u64) {
        self.0.inc(n);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
