//! Aukiolo's storage: one diesel code base over SQLite (the embedded default) and
//! PostgreSQL (production), with transactions that keep the invariants of DESIGN.md §4.

pub mod absences;
pub mod admin;
pub mod advisors;
pub mod audit;
pub mod availability;
pub mod backend;
pub mod backup;
pub mod bookings;
pub mod clock;
pub mod closures;
pub mod conflicts;
pub mod day;
#[cfg(feature = "demo")]
pub mod demo_history;
mod error;
pub mod find;
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
pub mod rate_limits;
pub mod retention;
pub mod schedule_rules;
pub mod schema;
pub mod sessions;
pub mod sign_in;
pub mod slots;
pub mod sql_types;
pub mod staff;
pub mod telemetry;
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;
pub mod topics;
pub mod visits;

pub use backend::{Backend, DbConnection};
pub use error::{Refusal, StoreError};
pub use pool::{Pool, PooledConn};

use std::collections::BTreeMap;
use std::sync::Arc;

/// The result type of every store function.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Writers to each SQLite database of this process (by file), one at a time and in turn.
/// SQLite allows one writer per database anyway; left to its busy handler, waiting writers
/// are woken unfairly and one can time out ("database is locked") while newcomers get
/// through. Writers to different databases (tests side by side) do not wait for each other.
static SQLITE_WRITERS: std::sync::Mutex<BTreeMap<String, Arc<std::sync::Mutex<()>>>> =
    std::sync::Mutex::new(BTreeMap::new());

thread_local! {
    /// Set while this thread holds a writer's turn, so nested write transactions
    /// (savepoints) do not wait for themselves.
    static HOLDS_SQLITE_WRITER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The turn of the writers to the database `conn` is open on.
fn sqlite_writer(conn: &mut DbConnection) -> diesel::QueryResult<Arc<std::sync::Mutex<()>>> {
    #[derive(diesel::QueryableByName)]
    struct MainFile {
        #[diesel(sql_type = diesel::sql_types::Text)]
        file: String,
    }
    let main: MainFile = diesel::RunQueryDsl::get_result(
        diesel::sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'"),
        conn,
    )?;
    let mut writers = SQLITE_WRITERS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(writers.entry(main.file).or_default().clone())
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
pub fn write_transaction<T, E: From<StoreError>>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    use diesel::connection::{Connection, SimpleConnection};
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    let writer = if sqlite && !HOLDS_SQLITE_WRITER.get() {
        Some(sqlite_writer(conn).map_err(|e| E::from(e.into()))?)
    } else {
        None
    };
    let _turn = writer.as_ref().map(|writer| {
        let guard = writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        HOLDS_SQLITE_WRITER.set(true);
        (guard, WriterFlag)
    });
    conn.transaction(|conn| {
        if sqlite {
            conn.batch_execute("UPDATE offices SET id = id WHERE 1 = 0")?;
        }
        f(conn).map_err(Failed::Caller)
    })
    .map_err(|e| match e {
        Failed::Database(e) => E::from(e.into()),
        Failed::Caller(e) => e,
    })
}

/// Why a transaction ended without committing: the caller's error (in the caller's own
/// type, which need not know diesel), or diesel's at begin or commit, classified on the way out.
enum Failed<E> {
    Database(diesel::result::Error),
    Caller(E),
}

impl<E> From<diesel::result::Error> for Failed<E> {
    fn from(e: diesel::result::Error) -> Self {
        Failed::Database(e)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::TestDb;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn sqlite_writers_of_two_databases_do_not_wait_for_each_other() {
        let (a, b) = (TestDb::sqlite(), TestDb::sqlite());
        let (done, finished) = mpsc::channel();
        let other = std::thread::spawn(move || {
            crate::write_transaction(&mut b.conn(), |_| Ok::<_, crate::StoreError>(())).unwrap();
            done.send(()).unwrap();
        });
        // Inside a write transaction on `a`, the write on `b` completes; with one turn per
        // process it would wait for this one to end.
        let finished_meanwhile = crate::write_transaction(&mut a.conn(), |_| {
            Ok::<_, crate::StoreError>(finished.recv_timeout(Duration::from_secs(30)).is_ok())
        })
        .unwrap();
        other.join().unwrap();
        assert!(finished_meanwhile);
    }
}
