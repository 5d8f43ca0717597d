//! The persistent index: what has been ingested, for checks against new documents.
//!
//! One SQLite file (rusqlite, bundled library, so no server and no system library). SQLite is
//! the choice over redb because a second writer *waits* for the first (busy timeout) instead of
//! failing, a process killed mid-transaction leaves the file as before the transaction (its
//! journal is rolled back on the next open), and the file can be inspected with the `sqlite3`
//! shell when a check surprises someone.
//!
//! What it stores per document (the figures are measured in the README):
//! - the metadata (`id`, path, title, source, date, url, ingestion time) and the word count;
//! - the original text, zstd-compressed, so that verification against an indexed document is
//!   exact (its shingles are recomputed) and a failing check can show the shared passage;
//! - the hash of its normalized text (duplicates), its LSH band keys (near-duplicates) and its
//!   winnowed passage fingerprints (overlaps), each in a table keyed for point lookups, so a
//!   check reads only the rows its new documents point at.
//!
//! Every stored hash comes from `crate::hash` (xxh3 with fixed seeds), stored as the signed
//! 64-bit integer with the same bits. The header (`meta` table) records the format version and
//! the settings that shaped the keys; an index built with other settings, a newer format, or a
//! file that is not an index is refused with a message naming the difference, and is never
//! written to.

mod format;
mod listing;
mod reader;
mod sqlite;
mod writer;

pub use format::IndexParams;
pub use listing::{AddedSpan, IndexStats, IndexedDoc};
pub use reader::Reader;
use reader::decompress;
use sqlite::{At, corrupt, db};
pub use writer::{Added, Writer};
use writer::{Keys, insert_keys};

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::error::{Error, Result};
use crate::features::Features;
use crate::params::Params;
use crate::relation::Relation;

/// Version of the index format this build writes and reads.
///
/// - v1: signatures by 128 independent hash functions, shingle hashes by xxh3 of the token
///   hashes.
/// - v2: signatures by fast similarity sketching, shingle hashes by a rolling polynomial
///   (`crate::sketch`, `crate::hash`): every band key and fingerprint changed; the tables and
///   the stored texts did not, so [`Index::upgrade`] rewrites the keys of a v1 index in place.
/// - v3: word hashes of up to 16 bytes by one branch-free multiply-fold instead of xxh3
///   (`crate::hash::short_token_hash`); every band key and fingerprint changed with them.
pub const FORMAT_VERSION: u32 = 3;

/// Formats that [`Index::upgrade`] brings to [`FORMAT_VERSION`].
pub const UPGRADABLE: std::ops::RangeInclusive<u32> = 1..=2;

/// The relations an index holds keys for, so the ones a check can look for: duplicates (text
/// hash), near-duplicates (band keys) and overlaps (passage fingerprints). Rewrites need
/// corpus-wide term frequencies, which an index does not keep.
pub const RELATIONS: [Relation; 3] = [
    Relation::Duplicate,
    Relation::NearDuplicate,
    Relation::Overlap,
];

/// Marks a SQLite file as a neardup index.
const MAGIC: &str = "neardup-index";

/// How long a writer waits for another to finish before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

/// An open index.
pub struct Index {
    conn: Connection,
    path: PathBuf,
    params: Params,
    /// The file opened, as the file system names it: a writer checks, once it holds the
    /// database's write lock, that `path` still names this file (see [`Index::begin_write`]).
    file: Option<FileId>,
}

/// `SQLITE_READONLY_DBMOVED`: the database file was renamed or unlinked while open.
const SQLITE_READONLY_DBMOVED: std::ffi::c_int = 1032;

/// A file's device and inode.
type FileId = (u64, u64);

/// The device and inode of the file at `path` (`None` where the platform has none, or the
/// file is gone).
fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn key(h: u64) -> i64 {
    h as i64
}

impl Index {
    /// Opens the index at `path`, creating it with `params` if the file does not exist.
    /// An existing index must have been built with the same settings.
    pub fn open_or_create(path: &Path, params: &Params) -> Result<Index> {
        match Index::open_made(path)? {
            Some(index) => {
                index.require(params)?;
                Ok(index)
            }
            // `create` waits on the lock of a run creating it, and opens what it made.
            None => Index::create(path, params),
        }
    }

    /// Opens the index at `path`, or `None` when no index is made there yet: no file, or an
    /// empty one, which is an index another run is creating (SQLite makes the file before it
    /// writes the first page).
    pub fn open_made(path: &Path) -> Result<Option<Index>> {
        if std::fs::metadata(path).map_or(true, |m| m.len() == 0) {
            return Ok(None);
        }
        Index::open(path).map(Some)
    }

    /// Opens an existing index, checking that it is one and that its format is readable.
    pub fn open(path: &Path) -> Result<Index> {
        let (index, found) = Index::open_any_version(path)?;
        if found != FORMAT_VERSION {
            return Err(Error::IndexVersion {
                path: path.into(),
                found,
                expected: FORMAT_VERSION,
            });
        }
        Ok(index)
    }

    /// Opens an index of any format version, returning the version found.
    fn open_any_version(path: &Path) -> Result<(Index, u32)> {
        if !path.is_file() {
            let e = std::io::Error::new(std::io::ErrorKind::NotFound, "no index file here");
            return Err(Error::io(path, e));
        }
        // Opened without CREATE: a wrong path never makes a new empty database.
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .or_else(|_| Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY))
            .map_err(|e| corrupt(path, &e))?;
        conn.busy_timeout(BUSY_TIMEOUT).at(path)?;
        // 64 MiB of page cache (the default is 2 MiB): bulk adds touch many pages.
        conn.pragma_update(None, "cache_size", -65_536).at(path)?;
        let header = |k: &str| -> Result<Option<String>> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get(0))
                .optional()
                .map_err(|e| corrupt(path, &e))
        };
        if header("magic")?.as_deref() != Some(MAGIC) {
            return Err(Error::IndexCorrupt {
                path: path.into(),
                reason: "not a neardup index".into(),
            });
        }
        let found: u32 = header("format_version")?
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| Error::IndexCorrupt {
                path: path.into(),
                reason: "no format version".into(),
            })?;
        let params: Params = header("params")?
            .and_then(|v| serde_json::from_str(&v).ok())
            .ok_or_else(|| Error::IndexCorrupt {
                path: path.into(),
                reason: "unreadable settings".into(),
            })?;
        // A header edited by hand (bands of 0, a million permutations) is refused on every
        // open, before any command acts on it: its settings must be valid and consistent.
        let mut checked = params.clone();
        if let Err(e) = checked.resolve() {
            return Err(Error::IndexCorrupt {
                path: path.into(),
                reason: format!("invalid settings: {e}"),
            });
        }
        if checked.lsh != params.lsh || checked.winnow_window != params.winnow_window {
            return Err(Error::IndexCorrupt {
                path: path.into(),
                reason: "inconsistent settings (LSH banding or passage window edited)".into(),
            });
        }
        Ok((
            Index {
                conn,
                path: path.into(),
                params,
                file: file_id(path),
            },
            found,
        ))
    }

    fn create(path: &Path, params: &Params) -> Result<Index> {
        let mut conn = Connection::open(path).at(path)?;
        conn.busy_timeout(BUSY_TIMEOUT).at(path)?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)
            .at(path)?;
        // Another process may have created it between our check and our lock.
        let exists: bool = tx
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'meta'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .at(path)?
            > 0;
        if !exists {
            tx.execute_batch(
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 CREATE TABLE docs (
                     doc INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, path TEXT NOT NULL,
                     title TEXT, source TEXT, date TEXT, url TEXT, added INTEGER NOT NULL,
                     words INTEGER NOT NULL, text_hash INTEGER NOT NULL, text BLOB NOT NULL);
                 CREATE INDEX docs_text_hash ON docs (text_hash);
                 CREATE INDEX docs_added ON docs (added);
                 CREATE TABLE bands (key INTEGER NOT NULL, doc INTEGER NOT NULL,
                     PRIMARY KEY (key, doc)) WITHOUT ROWID;
                 CREATE TABLE fingerprints (key INTEGER NOT NULL, doc INTEGER NOT NULL,
                     PRIMARY KEY (key, doc)) WITHOUT ROWID;",
            )
            .at(path)?;
            let settings = serde_json::to_string(params).expect("serialisable");
            for (k, v) in [
                ("magic", MAGIC.to_string()),
                ("format_version", FORMAT_VERSION.to_string()),
                ("params", settings),
            ] {
                tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", [k, &v])
                    .at(path)?;
            }
        }
        tx.commit().at(path)?;
        drop(conn);
        let index = Index::open(path)?;
        index.require(params)?;
        Ok(index)
    }

    /// Refuses a run whose settings differ from the index's.
    pub fn require(&self, params: &Params) -> Result<()> {
        match IndexParams::of(&self.params).difference(&IndexParams::of(params)) {
            Some(d) => Err(Error::IndexParams {
                path: self.path.clone(),
                difference: d,
            }),
            None => Ok(()),
        }
    }

    /// The parameters the index was built with: the defaults of a run against it.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` inside one write transaction: what `f` reads is what it writes against, and
    /// concurrent writers wait. Used by `check --add`, so that a document is only added if the
    /// check it passed saw every document added before it.
    pub fn with_write_lock<T>(&mut self, f: impl FnOnce(&Writer<'_>) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let (tx, params) = self.begin_write()?;
        let out = f(&Writer {
            tx: &tx,
            path: &path,
            params,
        })?;
        tx.commit().at(&path)?;
        Ok(out)
    }

    /// Starts a write transaction, once the database's write lock is held, on the file that
    /// `path` still names: a run that waited on the lock with the file open must not write to
    /// a file that was removed or replaced meanwhile (by hand, or by a tool), and report
    /// documents added that no name leads to.
    fn begin_write(&mut self) -> Result<(rusqlite::Transaction<'_>, &Params)> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| {
                // SQLite's own word for a file no name leads to any more.
                if e.sqlite_error()
                    .is_some_and(|f| f.extended_code == SQLITE_READONLY_DBMOVED)
                {
                    Error::IndexReplaced {
                        path: self.path.clone(),
                    }
                } else {
                    db(&self.path, e)
                }
            })?;
        if self.file.is_some() && file_id(&self.path) != self.file {
            return Err(Error::IndexReplaced {
                path: self.path.clone(),
            });
        }
        Ok((tx, &self.params))
    }

    /// Reads, without writing, what [`Writer`] reads inside a transaction.
    pub fn reader(&self) -> Reader<'_> {
        Reader {
            conn: &self.conn,
            path: &self.path,
            params: &self.params,
        }
    }

    /// Runs `f` with read access inside one read transaction: the thousands of small reads of
    /// a check take the database's lock once, not once each (outside a transaction, every
    /// statement locks and unlocks the file: 57 s instead of 5 s for 200k short documents), and
    /// see one state of the index.
    pub fn with_read_lock<T>(&mut self, f: impl FnOnce(&Reader<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .at(&self.path)?;
        let out = f(&Reader {
            conn: &tx,
            path: &self.path,
            params: &self.params,
        })?;
        tx.finish().at(&self.path)?;
        Ok(out)
    }
}
