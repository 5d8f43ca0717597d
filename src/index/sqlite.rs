//! SQLite errors as neardup's, naming the index file.

use super::*;

/// Database results with the index file named in their errors, by [`db`].
pub(super) trait At<T> {
    fn at(self, path: &Path) -> Result<T>;
}

impl<T> At<T> for rusqlite::Result<T> {
    fn at(self, path: &Path) -> Result<T> {
        self.map_err(|e| db(path, e))
    }
}

pub(super) fn db(path: &Path, e: rusqlite::Error) -> Error {
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
            source: Box::new(e),
        },
    }
}

pub(super) fn corrupt(path: &Path, e: &rusqlite::Error) -> Error {
    Error::IndexCorrupt {
        path: path.into(),
        reason: e.to_string(),
    }
}
