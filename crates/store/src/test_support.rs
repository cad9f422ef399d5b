//! Fresh databases for tests: a new SQLite file, or a new PostgreSQL database on the
//! server named by `AUKIOLO_TEST_DATABASE_URL`; each is dropped when the test ends.

use crate::backend::Backend;
use crate::{pool, Pool};
use diesel::connection::SimpleConnection;
use std::path::PathBuf;

/// The variable that points tests at a PostgreSQL server.
pub const PG_ENV: &str = "AUKIOLO_TEST_DATABASE_URL";

/// A migrated database that exists for the lifetime of this value.
pub struct TestDb {
    pub pool: Pool,
    pub backend: Backend,
    /// A URL the real binary can be given to reach this same database.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.backend.describe())
    }
}

/// A fresh, empty directory under the system temp dir, removed by the caller.
pub fn temp_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

impl TestDb {
    pub fn sqlite() -> Self {
        let dir = temp_dir("aukiolo-test");
        let path = dir.join("test.db");
        let backend = Backend::Sqlite(path.clone());
        let pool = pool::connect_and_migrate(backend.clone(), pool::PoolSettings::sized(8))
            .expect("migrate SQLite test database");
        TestDb { pool, backend, url: format!("sqlite://{}", path.display()), cleanup: Cleanup::Dir(dir) }
    }

    /// A new database on the test server; panics when the variable is not set, since the
    /// test was compiled to expect it.
    pub fn postgres() -> Self {
        let db = TestDb::postgres_unmigrated();
        crate::migrations::run(&mut db.conn()).expect("migrate PostgreSQL test database");
        db
    }

    /// A new, empty database on the test server, for a test whose subject migrates it.
    pub fn postgres_unmigrated() -> Self {
        let admin_url = std::env::var(PG_ENV).unwrap_or_else(|_| panic!("{PG_ENV} is not set"));
        let name = format!("aukiolo_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin =
            Backend::Postgres(admin_url.clone()).connect().expect("reach the PostgreSQL test server");
        admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("create test database");
        let url = with_database(&admin_url, &name);
        let backend = Backend::Postgres(url.clone());
        let pool = pool::connect(backend.clone(), pool::PoolSettings::sized(8))
            .expect("connect to the test database");
        TestDb { pool, backend, url, cleanup: Cleanup::PgDatabase { admin_url, name } }
    }

    pub fn conn(&self) -> crate::PooledConn {
        self.pool.get().expect("test pool connection")
    }
}

/// `postgres://u@h:p/old?x` with the database name replaced.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, name } => {
                if let Ok(mut admin) = Backend::Postgres(admin_url.clone()).connect() {
                    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
        }
    }
}

/// Writes each test twice: on SQLite, and on PostgreSQL when `AUKIOLO_TEST_DATABASE_URL`
/// was set at build time (else the PostgreSQL half is listed as ignored, with the reason).
/// The crate using it needs the `aukiolo_pg_tests` cfg from a build script like store's.
#[macro_export]
macro_rules! backend_tests {
    ($($(#[$doc:meta])* fn $name:ident($db:ident) $body:block)*) => {$(
        $(#[$doc])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn run($db: &$crate::test_support::TestDb) $body

            #[test]
            fn sqlite() {
                run(&$crate::test_support::TestDb::sqlite())
            }

            #[test]
            #[cfg_attr(not(aukiolo_pg_tests), ignore = "PostgreSQL: set AUKIOLO_TEST_DATABASE_URL to run")]
            fn postgres() {
                run(&$crate::test_support::TestDb::postgres())
            }
        }
    )*};
    ($($(#[$doc:meta])* async fn $name:ident($db:ident) $body:block)*) => {$(
        $(#[$doc])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($db: &$crate::test_support::TestDb) $body

            #[actix_web::test]
            async fn sqlite() {
                run(&$crate::test_support::TestDb::sqlite()).await
            }

            #[actix_web::test]
            #[cfg_attr(not(aukiolo_pg_tests), ignore = "PostgreSQL: set AUKIOLO_TEST_DATABASE_URL to run")]
            async fn postgres() {
                run(&$crate::test_support::TestDb::postgres()).await
            }
        }
    )*};
}
