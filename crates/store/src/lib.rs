//! Aukiolo's storage: one diesel code base over SQLite (the embedded default) and
//! PostgreSQL (production), with transactions that keep the invariants of DESIGN.md §4.

pub mod absences;
pub mod admin;
pub mod advisors;
pub mod audit;
pub mod backend;
pub mod bookings;
pub mod clock;
pub mod closures;
pub mod conflicts;
pub mod day;
mod error;
pub mod find;
pub mod history;
mod json;
pub mod links;
pub mod login_throttle;
pub mod metrics;
pub mod migrations;
pub mod offices;
pub mod outbox;
pub mod passwords;
pub mod personal_data;
pub mod pool;
pub mod questionnaires;
pub mod retention;
pub mod rules;
pub mod schema;
pub mod sessions;
pub mod sign_in;
pub mod slots;
pub mod sql_types;
pub mod staff;
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;
pub mod topics;
pub mod visits;

pub use backend::{Backend, DbConnection};
pub use error::{Refusal, StoreError};
pub use pool::{Pool, PooledConn};

/// The result type of every store function.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Writers to SQLite in this process, one at a time and in turn. SQLite allows one
/// writer anyway; left to its busy handler, waiting writers are woken unfairly and one can
/// time out ("database is locked") while newcomers get through.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

thread_local! {
    /// Set while this thread holds `SQLITE_WRITER`, so nested write transactions
    /// (savepoints) do not wait for themselves.
    static HOLDS_SQLITE_WRITER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Clears the flag when the outermost write transaction ends, even by a panic.
struct WriterFlag;

impl Drop for WriterFlag {
    fn drop(&mut self) {
        HOLDS_SQLITE_WRITER.set(false);
    }
}

/// Runs `f` in a transaction that writes. On SQLite, writers of this process queue for
/// their turn first, and the write lock is taken before anything is read, so a writer
/// never fails on upgrading a read transaction that another writer has overtaken.
pub fn write_transaction<T, E: From<diesel::result::Error>>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    use diesel::connection::{Connection, SimpleConnection};
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    let _turn = (sqlite && !HOLDS_SQLITE_WRITER.get()).then(|| {
        let guard = SQLITE_WRITER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        HOLDS_SQLITE_WRITER.set(true);
        (guard, WriterFlag)
    });
    conn.transaction(|conn| {
        if sqlite {
            conn.batch_execute("UPDATE offices SET id = id WHERE 1 = 0")?;
        }
        f(conn)
    })
}
