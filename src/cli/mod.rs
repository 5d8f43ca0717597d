//! Command-line front end: the only place that knows clap, prints, or picks exit codes.
//!
//! Exit codes (design notes): 0 success, 1 a check found what it guards against
//! (`--fail-on`), 2 bad usage or unreadable input. A broken pipe exits 0, so that
//! `neardup scan ... | head` is not an error.

mod args;
mod check;
mod compare;
mod index;
mod progress;
mod scan;
mod sign;
mod stages;

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// What a successful run found.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing the run guards against: exit 0.
    Clean,
    /// A `--fail-on` relation was found: exit 1.
    Found,
}

/// Find which documents repeat each other, and show why.
#[derive(Debug, Parser)]
#[command(name = "neardup", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Report duplicates, near-duplicates, reused passages and rewrites among documents.
    Scan(scan::ScanArgs),
    /// Compare new documents with an index; exit 1 when one duplicates what it holds.
    Check(check::CheckArgs),
    /// Show everything known about one pair of documents, side by side.
    Compare(Box<compare::CompareArgs>),
    /// Build and maintain the index that `check` uses.
    Index(index::IndexArgs),
    /// Write each document's features as one JSON line: the map stage of a scan spread over
    /// machines (docs/SIGNATURES.md).
    Sign(sign::SignArgs),
    /// Extract again the features of documents given on standard input with their page
    /// furniture blanked: a stage of a scan spread over machines (docs/SIGNATURES.md).
    Blank(stages::StageArgs),
    /// Find the rewrite sketches of documents given on standard input with the batch's counts
    /// of their terms: a stage of a scan spread over machines (docs/SIGNATURES.md).
    Sketch(stages::StageArgs),
    /// Verify candidate pairs given on standard input, as a scan does: a stage of a scan
    /// spread over machines (docs/SIGNATURES.md).
    Verify(stages::StageArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `neardup man > ~/.local/share/man/man1/neardup.1`.
    Man,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    #[cfg(unix)]
    bus_error::report();
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Found) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("neardup: {}", chain(&e));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> neardup::Result<Outcome> {
    match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Check(args) => check::run(args),
        Command::Compare(args) => compare::run(*args),
        Command::Index(args) => index::run(args),
        Command::Sign(args) => sign::run(args),
        Command::Blank(args) => stages::run(args, neardup::report::stages::blank_stream),
        Command::Sketch(args) => stages::run(args, neardup::report::stages::sketch_stream),
        Command::Verify(args) => stages::run(args, neardup::report::stages::verify_stream),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            say(|w| {
                clap_complete::generate(shell, &mut command, "neardup", w);
                Ok(())
            })?;
            Ok(Outcome::Clean)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            say(|w| clap_mangen::Man::new(command).render(w))?;
            Ok(Outcome::Clean)
        }
    }
}

/// The error and its causes, `: `-separated.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}

/// Columns for text output: `COLUMNS` when set, else the terminal's width when `to_terminal`,
/// else the report's default; never narrower than 40, where nothing would fit.
fn text_width(to_terminal: bool) -> usize {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok());
    let terminal = || {
        to_terminal
            .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .flatten()
    };
    columns
        .or_else(terminal)
        .unwrap_or(neardup::report::DEFAULT_WIDTH)
        .max(40)
}

fn is_broken_pipe(e: &neardup::Error) -> bool {
    matches!(e, neardup::Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
}

/// Prints reading warnings on stderr: each of them when `each`, else how many there are.
fn print_warnings<'w>(warnings: impl ExactSizeIterator<Item = &'w neardup::Warning>, each: bool) {
    if each {
        for w in warnings {
            let line = w.line.map(|l| format!(":{l}")).unwrap_or_default();
            eprintln!("neardup: warning: {}{line}: {}", w.path.display(), w.reason);
        }
    } else if warnings.len() > 0 {
        eprintln!(
            "neardup: {}",
            neardup::report::warnings_line(warnings.len())
        );
    }
}

/// Prints to stdout with `f`; a closed pipe is an error that ends the run quietly (see
/// [`main`]), never a panic.
fn say(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> neardup::Result<()> {
    write_output(None, f)
}

/// Writes with `f` to `path`, or to stdout for `None`. A file is written next to its final
/// name and renamed into place, so a failed run never leaves a half-written report.
fn write_output(
    path: Option<&Path>,
    f: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> neardup::Result<()> {
    // A megabyte at a time: a report of passages runs to tens of megabytes, and 8 KB writes
    // cost a system call each (5,400 of them for a 100k-document scan).
    const BUFFER: usize = 1 << 20;
    let Some(path) = path else {
        let stdout = io::stdout();
        let mut out = io::BufWriter::with_capacity(BUFFER, stdout.lock());
        return f(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| neardup::Error::io("<stdout>", e));
    };
    // A symlink's target is what is written, and the link is kept.
    let target = resolve_links(path);
    let path = target.as_path();
    // Only a regular file is replaced atomically; anything else (`/dev/null`, a FIFO, a
    // terminal, `/dev/stdout`) is written through, never replaced by a file.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let written = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|file| {
                let mut out = io::BufWriter::with_capacity(BUFFER, file);
                f(&mut out)?;
                out.flush()
            });
        return written.map_err(|e| neardup::Error::io(path, e));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    #[cfg(unix)]
    let _removed_on_bus_error = bus_error::Unfinished::new(&tmp);
    let result = (|| {
        let mut out = io::BufWriter::with_capacity(BUFFER, std::fs::File::create(&tmp)?);
        f(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(neardup::Error::io(path, e));
    }
    Ok(())
}

/// `path` with its symlinks followed (a dangling link gives where it points), so that writing
/// replaces the target, not the link.
fn resolve_links(path: &Path) -> std::path::PathBuf {
    let mut at = path.to_path_buf();
    // As the kernel does, give up after 40 links (a loop): the last name is then written.
    for _ in 0..40 {
        match std::fs::read_link(&at) {
            Ok(next) => {
                at = match at.parent() {
                    Some(dir) if next.is_relative() => dir.join(next),
                    _ => next,
                };
            }
            Err(_) => break,
        }
    }
    at
}

/// Reading a mapped input that was truncated during the run (or whose disk failed) raises
/// SIGBUS, which would end the process with no word of why: say it, remove the report being
/// written, and exit as for any unreadable input. An interrupted or terminated run removes the
/// report it was writing too (an index needs nothing: SQLite rolls back what was not committed).
#[cfg(unix)]
mod bus_error {
    use std::ffi::CString;
    use std::path::Path;
    use std::sync::atomic::{AtomicPtr, Ordering};

    /// The report file being written, for the handler to remove; null when none is.
    static UNFINISHED: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());

    extern "C" fn on_bus_error(_: libc::c_int) {
        const MESSAGE: &[u8] = b"neardup: an input file mapped into memory could not be read: \
            it was truncated during the run, or its disk failed (--no-mmap copies inputs \
            instead of mapping them)\n";
        remove_unfinished();
        // SAFETY: write and _exit are async-signal-safe.
        unsafe {
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::_exit(2);
        }
    }

    /// SIGINT, SIGTERM, SIGHUP: the report being written is removed, then the process ends as
    /// the signal would have ended it (exit 128 + its number), with nothing left behind.
    extern "C" fn on_stop(signal: libc::c_int) {
        remove_unfinished();
        // SAFETY: _exit is async-signal-safe.
        unsafe { libc::_exit(128 + signal) }
    }

    fn remove_unfinished() {
        let unfinished = UNFINISHED.load(Ordering::Acquire);
        // SAFETY: unlink is async-signal-safe; `unfinished` is null or a C string that lives
        // until it is swapped out of the static.
        unsafe {
            if !unfinished.is_null() {
                libc::unlink(unfinished);
            }
        }
    }

    /// Installs the handlers. SIGXFSZ (a write past `ulimit -f`) is ignored, so that the write
    /// fails with EFBIG and the run ends as on any write error, its transaction rolled back and
    /// its report removed, instead of being killed without a word.
    pub fn report() {
        let handle = |signal: libc::c_int, handler: extern "C" fn(libc::c_int)| {
            // SAFETY: a zeroed sigaction is valid (no flags; the mask is emptied below), and
            // the handlers only call async-signal-safe functions.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = handler as usize;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        };
        handle(libc::SIGBUS, on_bus_error);
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            handle(signal, on_stop);
        }
        // SAFETY: ignoring a signal has no handler to run.
        unsafe {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        }
    }

    /// Marks `path` as the report being written until dropped.
    pub struct Unfinished;

    impl Unfinished {
        pub fn new(path: &Path) -> Unfinished {
            use std::os::unix::ffi::OsStrExt;
            if let Ok(c) = CString::new(path.as_os_str().as_bytes()) {
                let old = UNFINISHED.swap(c.into_raw(), Ordering::AcqRel);
                free(old);
            }
            Unfinished
        }
    }

    impl Drop for Unfinished {
        fn drop(&mut self) {
            free(UNFINISHED.swap(std::ptr::null_mut(), Ordering::AcqRel));
        }
    }

    fn free(p: *mut libc::c_char) {
        if !p.is_null() {
            // SAFETY: every non-null pointer in the static came from `CString::into_raw`.
            drop(unsafe { CString::from_raw(p) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
