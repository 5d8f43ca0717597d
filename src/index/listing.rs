//! What an index holds: its documents listed, and its counters.

use super::*;

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

impl Index {
    /// Every indexed document, in id order.
    pub fn list(&self) -> Result<Vec<IndexedDoc>> {
        let mut st = self
            .conn
            .prepare("SELECT id, source, date, added, words FROM docs ORDER BY id")
            .at(&self.path)?;
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
        .at(&self.path)
    }

    /// Counters and settings.
    pub fn stats(&self) -> Result<IndexStats> {
        let count = |table: &str| -> Result<u64> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                    r.get::<_, i64>(0)
                })
                .map(|n| n as u64)
                .at(&self.path)
        };
        let added = self
            .conn
            .query_row("SELECT min(added), max(added) FROM docs", [], |r| {
                let span = r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?);
                Ok(span.map(|(first, last)| AddedSpan::new(first, last)))
            })
            .at(&self.path)?;
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
