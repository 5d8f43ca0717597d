//! Progress reporting without printing: the library calls a [`Progress`], the CLI decides
//! whether and how to show it.

/// Receives progress from long stages. Implementations must be cheap: `inc` is called from
/// worker threads.
pub trait Progress: Sync {
    /// A stage begins with `total` units of work (0 when unknown).
    fn stage(&self, name: &str, total: u64);
    /// `n` more units are done.
    fn inc(&self, n: u64);
    /// The run is over.
    fn finish(&self);
}

/// Progress that goes nowhere.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _: &str, _: u64) {}
    fn inc(&self, _: u64) {}
    fn finish(&self) {}
}
