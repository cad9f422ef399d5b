//! The one connection type over both backends, and the choice between them by URL scheme.

use crate::StoreError;
use aukiolo_domain::url::redact_password;
use diesel::{Connection, PgConnection, SqliteConnection};
use std::path::PathBuf;

/// A connection to either backend. Queries written once against it run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database a URL names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    Postgres(String),
    Sqlite(PathBuf),
}

impl Backend {
    /// Picks the backend from the URL scheme: `postgres://`, `postgresql://`, `sqlite://PATH`
    /// or a bare file path ending in `.db`/`.sqlite`/`.sqlite3`. Anything else is refused
    /// rather than becoming a file named after the URL.
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Backend::Postgres(url.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if path.is_empty() {
                return Err(StoreError::Config(format!("database URL `{url}` names no SQLite file")));
            }
            return Ok(Backend::Sqlite(PathBuf::from(path)));
        }
        let looks_like_file =
            !url.contains("://") && [".db", ".sqlite", ".sqlite3"].iter().any(|ext| url.ends_with(ext));
        if looks_like_file {
            return Ok(Backend::Sqlite(PathBuf::from(url)));
        }
        Err(StoreError::Config(format!(
            "unsupported database URL `{}`: use postgres://…, postgresql://… or sqlite://PATH",
            redact_password(url)
        )))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Postgres(_) => "PostgreSQL",
            Backend::Sqlite(_) => "SQLite",
        }
    }

    /// A description for logs and the start-up banner, without any password.
    pub fn describe(&self) -> String {
        match self {
            Backend::Postgres(url) => format!("PostgreSQL at {}", redact_password(url)),
            Backend::Sqlite(path) => format!("SQLite at {}", path.display()),
        }
    }

    /// Opens one connection; the driver's own error message reaches the operator.
    pub fn connect(&self) -> Result<DbConnection, StoreError> {
        match self {
            Backend::Postgres(url) => PgConnection::establish(url)
                .map(DbConnection::Pg)
                .map_err(|e| StoreError::Connect(format!("{}: {e}", self.describe()))),
            Backend::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| StoreError::Connect(format!("cannot create {}: {e}", dir.display())))?;
                }
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(|e| StoreError::Connect(format!("{}: {e}", self.describe())))?;
                // Without these, concurrent writers get "database is locked" and foreign
                // keys are not checked. FULL sync: an acknowledged booking survives a crash.
                // Writers of this process queue in `write_transaction`; the busy timeout
                // covers other processes (a CLI command next to `serve`). Memory-mapped
                // reads: every write elsewhere empties a connection's page cache, and
                // reading the pages back through `read` copied them for every statement.
                diesel::connection::SimpleConnection::batch_execute(
                    &mut conn,
                    "PRAGMA busy_timeout = 15000; PRAGMA journal_mode = WAL; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; \
                     PRAGMA mmap_size = 1073741824;",
                )
                .map_err(|e| StoreError::Connect(format!("{}: {e}", self.describe())))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(matches!(Backend::from_url("postgres://u@h/db"), Ok(Backend::Postgres(_))));
        assert!(matches!(Backend::from_url("postgresql://u@h/db"), Ok(Backend::Postgres(_))));
        assert_eq!(
            Backend::from_url("sqlite://data/aukiolo.db").unwrap(),
            Backend::Sqlite("data/aukiolo.db".into())
        );
        assert_eq!(Backend::from_url("/tmp/x.db").unwrap(), Backend::Sqlite("/tmp/x.db".into()));
        for bad in ["mysql://u@h/db", "postgres:", "sqlite://", "data/aukiolo", "http://x.db"] {
            let err = Backend::from_url(bad).unwrap_err().to_string();
            assert!(err.contains("database URL"), "{bad}: {err}");
        }
    }

    #[test]
    fn passwords_are_redacted() {
        let backend = Backend::from_url("postgres://app:secret@db:5432/x").unwrap();
        assert_eq!(backend.describe(), "PostgreSQL at postgres://app:***@db:5432/x");
    }

    #[test]
    fn the_driver_error_reaches_the_operator() {
        let err = Backend::from_url("postgres://nobody@127.0.0.1:1/none")
            .unwrap()
            .connect()
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("127.0.0.1"), "{err}");
        assert!(err.to_lowercase().contains("connect"), "{err}");
    }
}
