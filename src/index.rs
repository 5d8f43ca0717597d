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
//! Every stored hash comes from [`crate::hash`] (xxh3 with fixed seeds), stored as the signed
//! 64-bit integer with the same bits. The header (`meta` table) records the format version and
//! the settings that shaped the keys; an index built with other settings, a newer format, or a
//! file that is not an index is refused with a message naming the difference, and is never
//! written to.

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
///   ([`crate::hash::short_token_hash`]); every band key and fingerprint changed with them.
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

/// The settings that shape what an index stores; a run must use the same ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexParams {
    /// Words per shingle.
    pub shingle: usize,
    /// MinHash values per signature.
    pub perm: usize,
    /// MinHash seed.
    pub seed: u64,
    /// LSH bands.
    pub bands: usize,
    /// LSH rows per band.
    pub rows: usize,
    /// Winnowing window of the passage fingerprints.
    pub winnow_window: usize,
    /// Normalization scheme.
    pub normalization: String,
}

impl IndexParams {
    /// The index settings of a run's parameters.
    pub fn of(p: &Params) -> IndexParams {
        IndexParams {
            shingle: p.shingle,
            perm: p.perm,
            seed: p.seed,
            bands: p.lsh.bands,
            rows: p.lsh.rows,
            winnow_window: p.winnow_window,
            normalization: p.normalization.clone(),
        }
    }

    /// The first setting that differs, as "name: index has X, this run Y".
    pub fn difference(&self, run: &IndexParams) -> Option<String> {
        let pairs = [
            (
                "shingle (--shingle)",
                self.shingle.to_string(),
                run.shingle.to_string(),
            ),
            ("perm (--perm)", self.perm.to_string(), run.perm.to_string()),
            ("seed (--seed)", self.seed.to_string(), run.seed.to_string()),
            (
                "LSH bands x rows (--threshold)",
                format!("{}x{}", self.bands, self.rows),
                format!("{}x{}", run.bands, run.rows),
            ),
            (
                "passage window (--min-overlap)",
                self.winnow_window.to_string(),
                run.winnow_window.to_string(),
            ),
            (
                "normalization",
                self.normalization.clone(),
                run.normalization.clone(),
            ),
        ];
        pairs
            .into_iter()
            .find(|(_, a, b)| a != b)
            .map(|(name, a, b)| format!("{name}: the index has {a}, this run {b}"))
    }
}

/// One indexed document, as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IndexedDoc {
    /// Its id.
    pub id: String,
    /// Its outlet, when known.
    pub source: Option<String>,
    /// Its date, when known.
    pub date: Option<String>,
    /// When it was added, seconds since the Unix epoch.
    pub added: i64,
    /// Its words.
    pub words: u32,
}

/// Counters of an index.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndexStats {
    /// Format version of the file.
    pub format_version: u32,
    /// Documents held.
    pub documents: u64,
    /// LSH band keys held.
    pub band_keys: u64,
    /// Passage fingerprints held.
    pub fingerprints: u64,
    /// File size in bytes.
    pub bytes: u64,
    /// When the first and the last of its documents were added; `None` when it holds none.
    pub added: Option<AddedSpan>,
    /// The settings the index was built with.
    pub params: IndexParams,
}

/// When an index's documents were added, as seconds since the Unix epoch and in UTC.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AddedSpan {
    /// The earliest addition, seconds since the Unix epoch.
    pub first_unix: i64,
    /// The latest addition, seconds since the Unix epoch.
    pub last_unix: i64,
    /// The earliest addition in UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub first_utc: String,
    /// The latest addition in UTC.
    pub last_utc: String,
}

impl AddedSpan {
    fn new(first: i64, last: i64) -> AddedSpan {
        AddedSpan {
            first_unix: first,
            last_unix: last,
            first_utc: utc(first),
            last_utc: utc(last),
        }
    }
}

/// `seconds` since the Unix epoch as an ISO 8601 UTC time (the proleptic Gregorian calendar,
/// by Howard Hinnant's `civil_from_days`).
fn utc(seconds: i64) -> String {
    let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3_600,
        secs / 60 % 60,
        secs % 60
    )
}

/// What [`Index::add`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Added {
    /// Documents added.
    pub added: usize,
    /// Ids already in the index, left as they were.
    pub already_present: Vec<String>,
}

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
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| db(path, e))?;
        // 64 MiB of page cache (the default is 2 MiB): bulk adds touch many pages.
        conn.pragma_update(None, "cache_size", -65_536)
            .map_err(|e| db(path, e))?;
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

    /// Brings an index of an older format (see [`UPGRADABLE`]) to [`FORMAT_VERSION`], in place
    /// and in one transaction: every document's keys are recomputed from its stored text with
    /// the index's settings. Documents, metadata and ingestion times are kept; a crash leaves
    /// the old index. Returns the number of documents re-keyed, `None` if it was current.
    pub fn upgrade(path: &Path) -> Result<Option<usize>> {
        let (mut index, found) = Index::open_any_version(path)?;
        if found == FORMAT_VERSION {
            return Ok(None);
        }
        if !UPGRADABLE.contains(&found) {
            return Err(Error::IndexVersion {
                path: path.into(),
                found,
                expected: FORMAT_VERSION,
            });
        }
        let params = index.params.clone();
        let tx = index
            .conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)
            .map_err(|e| db(path, e))?;
        let stored: Vec<(i64, String, Vec<u8>)> = {
            let mut st = tx
                .prepare("SELECT doc, id, text FROM docs ORDER BY doc")
                .map_err(|e| db(path, e))?;
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
                .map_err(|e| db(path, e))?
        };
        let features: Vec<Features> = {
            use rayon::prelude::*;
            let hasher = crate::sketch::MinHasher::new(params.perm, params.seed);
            stored
                .par_iter()
                .map(|(_, id, blob)| {
                    let text = decompress(blob, id, path)?;
                    Ok(Features::extract_with(&text, &params, &hasher))
                })
                .collect::<Result<_>>()?
        };
        tx.execute_batch("DELETE FROM bands; DELETE FROM fingerprints;")
            .map_err(|e| db(path, e))?;
        let mut text_hash = tx
            .prepare("UPDATE docs SET text_hash = ?1 WHERE doc = ?2")
            .map_err(|e| db(path, e))?;
        for ((doc, _, _), f) in stored.iter().zip(&features) {
            text_hash
                .execute(params![key(f.text_hash), doc])
                .map_err(|e| db(path, e))?;
        }
        drop(text_hash);
        let docs: Vec<(i64, &Features)> =
            stored.iter().map(|(d, _, _)| *d).zip(&features).collect();
        insert_keys(&tx, &docs).map_err(|e| db(path, e))?;
        tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'format_version'",
            [FORMAT_VERSION.to_string()],
        )
        .map_err(|e| db(path, e))?;
        tx.commit().map_err(|e| db(path, e))?;
        Ok(Some(stored.len()))
    }

    fn create(path: &Path, params: &Params) -> Result<Index> {
        let mut conn = Connection::open(path).map_err(|e| db(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| db(path, e))?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)
            .map_err(|e| db(path, e))?;
        // Another process may have created it between our check and our lock.
        let exists: bool = tx
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'meta'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(|e| db(path, e))?
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
            .map_err(|e| db(path, e))?;
            let settings = serde_json::to_string(params).expect("serialisable");
            for (k, v) in [
                ("magic", MAGIC.to_string()),
                ("format_version", FORMAT_VERSION.to_string()),
                ("params", settings),
            ] {
                tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", [k, &v])
                    .map_err(|e| db(path, e))?;
            }
        }
        tx.commit().map_err(|e| db(path, e))?;
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

    /// Adds documents (with their features) in one transaction: all or none. Ids already
    /// present are left as they are and reported. `now` is the ingestion time, seconds since
    /// the Unix epoch.
    pub fn add(&mut self, docs: &[(&Document, &Features)], now: i64) -> Result<Added> {
        self.with_write_lock(|w| w.add(docs, now))
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
        tx.commit().map_err(|e| db(&path, e))?;
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

    /// Removes documents by id; returns how many were found.
    pub fn remove(&mut self, ids: &[String]) -> Result<usize> {
        let path = self.path.clone();
        let (tx, params) = self.begin_write()?;
        let mut removed = 0;
        for id in ids {
            let doc: Option<i64> = tx
                .query_row("SELECT doc FROM docs WHERE id = ?1", [id], |r| r.get(0))
                .optional()
                .map_err(|e| db(&path, e))?;
            if let Some(doc) = doc {
                delete_doc(&tx, doc, params).map_err(|e| db(&path, e))?;
                removed += 1;
            }
        }
        tx.commit().map_err(|e| db(&path, e))?;
        Ok(removed)
    }

    /// Removes documents added at or before `cutoff` (seconds since the Unix epoch).
    pub fn remove_added_until(&mut self, cutoff: i64) -> Result<usize> {
        let path = self.path.clone();
        let (tx, params) = self.begin_write()?;
        let docs: Vec<i64> = {
            let mut st = tx
                .prepare("SELECT doc FROM docs WHERE added <= ?1")
                .map_err(|e| db(&path, e))?;
            st.query_map([cutoff], |r| r.get(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
                .map_err(|e| db(&path, e))?
        };
        for &d in &docs {
            delete_doc(&tx, d, params).map_err(|e| db(&path, e))?;
        }
        tx.commit().map_err(|e| db(&path, e))?;
        Ok(docs.len())
    }

    /// Every indexed document, in id order.
    pub fn list(&self) -> Result<Vec<IndexedDoc>> {
        let mut st = self
            .conn
            .prepare("SELECT id, source, date, added, words FROM docs ORDER BY id")
            .map_err(|e| db(&self.path, e))?;
        st.query_map([], |r| {
            Ok(IndexedDoc {
                id: r.get(0)?,
                source: r.get(1)?,
                date: r.get(2)?,
                added: r.get(3)?,
                words: r.get(4)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| db(&self.path, e))
    }

    /// Counters and settings.
    pub fn stats(&self) -> Result<IndexStats> {
        let count = |table: &str| -> Result<u64> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                    r.get::<_, i64>(0)
                })
                .map(|n| n as u64)
                .map_err(|e| db(&self.path, e))
        };
        let added = self
            .conn
            .query_row("SELECT min(added), max(added) FROM docs", [], |r| {
                let span = r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?);
                Ok(span.map(|(first, last)| AddedSpan::new(first, last)))
            })
            .map_err(|e| db(&self.path, e))?;
        Ok(IndexStats {
            format_version: FORMAT_VERSION,
            documents: count("docs")?,
            band_keys: count("bands")?,
            fingerprints: count("fingerprints")?,
            bytes: std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0),
            added,
            params: IndexParams::of(&self.params),
        })
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
            .map_err(|e| db(&self.path, e))?;
        let out = f(&Reader {
            conn: &tx,
            path: &self.path,
            params: &self.params,
        })?;
        tx.finish().map_err(|e| db(&self.path, e))?;
        Ok(out)
    }
}

/// Read access for a check, outside a write transaction.
pub struct Reader<'a> {
    conn: &'a Connection,
    path: &'a Path,
    params: &'a Params,
}

/// Read and write access inside one transaction.
pub struct Writer<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    path: &'a Path,
    params: &'a Params,
}

impl Writer<'_> {
    /// The reader view of this transaction.
    pub fn reader(&self) -> Reader<'_> {
        Reader {
            conn: self.tx,
            path: self.path,
            params: self.params,
        }
    }

    /// Adds documents, as [`Index::add`], inside this transaction.
    pub fn add(&self, docs: &[(&Document, &Features)], now: i64) -> Result<Added> {
        insert(self.tx, docs, now).map_err(|e| db(self.path, e))
    }
}

impl Reader<'_> {
    /// Indexed documents that may be related to any of `features`: the same normalized text
    /// (when `duplicates` are looked for), a shared LSH band, or a shared passage fingerprint
    /// held by at most `max_df` indexed documents. Returned sorted by their index order.
    pub fn candidates(&self, features: &[&Features], duplicates: bool) -> Result<Vec<i64>> {
        let map = |e| db(self.path, e);
        let params = self.params;
        let mut by_hash = self
            .conn
            .prepare_cached("SELECT doc FROM docs WHERE text_hash = ?1")
            .map_err(map)?;
        let mut by_band = self
            .conn
            .prepare_cached("SELECT doc FROM bands WHERE key = ?1")
            .map_err(map)?;
        let mut by_fp = self
            .conn
            .prepare_cached("SELECT doc FROM fingerprints WHERE key = ?1 LIMIT ?2")
            .map_err(map)?;
        let mut found: Vec<i64> = Vec::new();
        let mut collect =
            |st: &mut rusqlite::CachedStatement<'_>, args: &[&dyn rusqlite::ToSql], cap: usize| {
                let rows: Vec<i64> = st
                    .query_map(args, |r| r.get(0))
                    .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
                    .map_err(|e| db(self.path, e))?;
                if rows.len() <= cap {
                    found.extend(rows);
                }
                Ok::<(), Error>(())
            };
        for f in features {
            if duplicates {
                collect(&mut by_hash, &[&key(f.text_hash)], usize::MAX)?;
            }
            for &band in &f.bands {
                collect(&mut by_band, &[&key(band)], usize::MAX)?;
            }
            for &fp in &f.fingerprints {
                let limit = (params.max_df + 1) as i64;
                collect(&mut by_fp, &[&key(fp), &limit], params.max_df)?;
            }
        }
        found.sort_unstable();
        found.dedup();
        Ok(found)
    }

    /// The indexed document with id `id`, if any.
    pub fn find(&self, id: &str) -> Result<Option<Document>> {
        let doc: Option<i64> = self
            .conn
            .query_row("SELECT doc FROM docs WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(|e| db(self.path, e))?;
        Ok(match doc {
            Some(d) => self.load(&[d])?.pop(),
            None => None,
        })
    }

    /// The indexed documents `docs` (index order), with their original text.
    pub fn load(&self, docs: &[i64]) -> Result<Vec<Document>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, path, title, source, date, url, text FROM docs WHERE doc = ?1",
            )
            .map_err(|e| db(self.path, e))?;
        docs.iter()
            .map(|&d| {
                let (doc, blob): (Document, Vec<u8>) = st
                    .query_row([d], |r| {
                        Ok((
                            Document {
                                id: r.get(0)?,
                                path: PathBuf::from(r.get::<_, String>(1)?),
                                line: None,
                                title: r.get(2)?,
                                source: r.get(3)?,
                                date: r.get(4)?,
                                url: r.get(5)?,
                                ..Document::default()
                            },
                            r.get(6)?,
                        ))
                    })
                    .map_err(|e| db(self.path, e))?;
                let text = decompress(&blob, &doc.id, self.path)?;
                Ok(Document {
                    text: text.into(),
                    ..doc
                })
            })
            .collect()
    }
}

fn insert(
    tx: &rusqlite::Transaction<'_>,
    docs: &[(&Document, &Features)],
    now: i64,
) -> rusqlite::Result<Added> {
    let mut out = Added::default();
    let mut exists = tx.prepare_cached("SELECT 1 FROM docs WHERE id = ?1")?;
    let mut doc_row = tx.prepare_cached(
        "INSERT INTO docs (id, path, title, source, date, url, added, words, text_hash, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut keyed: Vec<(i64, &Features)> = Vec::with_capacity(docs.len());
    for &(doc, f) in docs {
        if exists.exists([&doc.id])? {
            out.already_present.push(doc.id.clone());
            continue;
        }
        let text = zstd::encode_all(doc.text.as_bytes(), 3)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
        doc_row.execute(params![
            doc.id,
            doc.place().to_string(),
            doc.title,
            doc.source,
            doc.date,
            doc.url,
            now,
            f.words,
            key(f.text_hash),
            text
        ])?;
        keyed.push((tx.last_insert_rowid(), f));
        out.added += 1;
    }
    insert_keys(tx, &keyed)?;
    Ok(out)
}

/// Inserts the band keys and fingerprints of documents (by row). Keys are gathered and
/// inserted in key order: random-order inserts into a large B-tree touch a different page
/// each time, sorted ones walk it once. An empty document has no keys.
fn insert_keys(tx: &rusqlite::Transaction<'_>, docs: &[(i64, &Features)]) -> rusqlite::Result<()> {
    let mut bands: Vec<(i64, i64)> = Vec::new();
    let mut fingerprints: Vec<(i64, i64)> = Vec::new();
    for &(row, f) in docs {
        if !f.is_empty() {
            bands.extend(f.bands.iter().map(|&b| (key(b), row)));
            fingerprints.extend(f.fingerprints.iter().map(|&fp| (key(fp), row)));
        }
    }
    for (table, mut rows) in [("bands", bands), ("fingerprints", fingerprints)] {
        rows.sort_unstable();
        let mut st = tx.prepare_cached(&format!(
            "INSERT OR IGNORE INTO {table} (key, doc) VALUES (?1, ?2)"
        ))?;
        for (k, d) in rows {
            st.execute(params![k, d])?;
        }
    }
    Ok(())
}

/// Deletes a document and its keys. The key tables are keyed by `(key, doc)` for lookups; the
/// document's keys are recomputed from its stored text and deleted by that key, rather than
/// keeping a second index on `doc` or scanning the tables.
fn delete_doc(tx: &rusqlite::Transaction<'_>, doc: i64, params: &Params) -> rusqlite::Result<()> {
    let blob: Vec<u8> =
        tx.query_row("SELECT text FROM docs WHERE doc = ?1", [doc], |r| r.get(0))?;
    let text = zstd::decode_all(blob.as_slice())
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    let f = Features::extract(&String::from_utf8_lossy(&text), params);
    let mut band_row = tx.prepare_cached("DELETE FROM bands WHERE key = ?1 AND doc = ?2")?;
    // An empty document was stored without keys (see `insert`), and has no band keys.
    for &band in &f.bands {
        band_row.execute(params![key(band), doc])?;
    }
    let mut fp_row = tx.prepare_cached("DELETE FROM fingerprints WHERE key = ?1 AND doc = ?2")?;
    for &fp in &f.fingerprints {
        fp_row.execute(params![key(fp), doc])?;
    }
    tx.execute("DELETE FROM docs WHERE doc = ?1", [doc])?;
    Ok(())
}

/// The stored text of document `id`, decompressed.
fn decompress(blob: &[u8], id: &str, path: &Path) -> Result<String> {
    zstd::decode_all(blob)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| Error::IndexCorrupt {
            path: path.into(),
            reason: format!("the text of {id:?} does not decompress"),
        })
}

fn db(path: &Path, e: rusqlite::Error) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
            ) =>
        {
            corrupt(path, &e)
        }
        _ => Error::Index {
            path: path.into(),
            source: e,
        },
    }
}

fn corrupt(path: &Path, e: &rusqlite::Error) -> Error {
    Error::IndexCorrupt {
        path: path.into(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_utc() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_827_696), "2000-02-29T12:34:56Z");
        assert_eq!(utc(1_796_256_000), "2026-12-03T00:00:00Z");
        assert_eq!(utc(-1), "1969-12-31T23:59:59Z");
    }
}
