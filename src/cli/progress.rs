//! Progress bars on stderr, only when stderr is a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A [`neardup::Progress`] that draws an indicatif bar, or a counter where the stage does not
/// know its total in advance (reading a stream).
pub struct Bar {
    bar: ProgressBar,
    bounded: ProgressStyle,
    counter: ProgressStyle,
}

impl Bar {
    /// A bar when stderr is a terminal and `quiet` is off; otherwise `None`.
    pub fn for_stderr(quiet: bool) -> Option<Bar> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let style = |template: &str| {
            ProgressStyle::with_template(template)
                .expect("valid template")
                .progress_chars("=> ")
        };
        Some(Bar {
            bar: ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            bounded: style("{prefix:>10} [{bar:30}] {pos}/{len} {elapsed}"),
            counter: style("{prefix:>10} {spinner} {pos} {elapsed}"),
        })
    }
}

impl neardup::Progress for Bar {
    /// `total` 0 means the stage does not know it yet.
    fn stage(&self, name: &str, total: u64) {
        self.bar.set_prefix(name.to_string());
        if total == 0 {
            self.bar.set_style(self.counter.clone());
            self.bar.unset_length();
        } else {
            self.bar.set_style(self.bounded.clone());
            self.bar.set_length(total);
        }
        self.bar.set_position(0);
    }
    fn inc(&self, n: u64) {
        self.bar.inc(n);
    }
    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
