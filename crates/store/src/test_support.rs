//! Fresh databases for tests: a new SQLite file, or a new PostgreSQL database on the
//! server named by `AUKIOLO_TEST_DATABASE_URL`; each is dropped when the test ends.

use crate::backend::{Backend, DbConnection};
use crate::{pool, Pool};
use diesel::connection::SimpleConnection;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

    /// A new migrated database on the test server, copied from the template of the
    /// current migrations; panics when the variable is not set, since the test was
    /// compiled to expect it.
    pub fn postgres() -> Self {
        let admin_url = admin_url();
        let template = template(&admin_url);
        let name = create(&admin_url, &format!("TEMPLATE {template}"));
        TestDb::postgres_opened(admin_url, name)
    }

    /// A new, empty database on the test server, for a test whose subject migrates it.
    pub fn postgres_unmigrated() -> Self {
        let admin_url = admin_url();
        let name = create(&admin_url, "");
        TestDb::postgres_opened(admin_url, name)
    }

    fn postgres_opened(admin_url: String, name: String) -> Self {
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

fn admin_url() -> String {
    std::env::var(PG_ENV).unwrap_or_else(|_| panic!("{PG_ENV} is not set"))
}

fn admin(url: &str) -> DbConnection {
    Backend::Postgres(url.to_owned()).connect().expect("reach the PostgreSQL test server")
}

/// Creates a test database on the server (`options`, e.g. its template) and names it.
fn create(admin_url: &str, options: &str) -> String {
    let mut admin = admin(admin_url);
    sweep(&mut admin);
    // The process id lets a later run tell the databases of a killed run from those of
    // one still going.
    let name = format!("aukiolo_test_{}_{}", std::process::id(), uuid::Uuid::new_v4().simple());
    admin.batch_execute(&format!("CREATE DATABASE {name} {options}")).expect("create test database");
    // A test's data need not outlive a crash of the server: commits do not wait for the disk.
    admin
        .batch_execute(&format!("ALTER DATABASE {name} SET synchronous_commit = off"))
        .expect("set up the test database");
    name
}

fn drop_database(admin_url: &str, name: &str) {
    if let Ok(mut admin) = Backend::Postgres(admin_url.to_owned()).connect() {
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}

/// The migrated database that test databases are copied from (`CREATE DATABASE … TEMPLATE`,
/// a file copy, instead of running every migration for every test), named after the
/// migrations it holds. The first process to need it makes it, under an advisory lock
/// that others wait on; it is migrated under another name and renamed when complete, so a
/// killed run never leaves a half-made template behind.
fn template(admin_url: &str) -> String {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let name = format!("aukiolo_template_{}", env!("AUKIOLO_PG_MIGRATIONS_HASH"));
            let mut admin = admin(admin_url);
            admin.batch_execute("SELECT pg_advisory_lock(7262461)").expect("the template lock");
            if databases(&mut admin, "aukiolo_template_%").contains(&name) {
                admin.batch_execute("SELECT pg_advisory_unlock(7262461)").expect("the template lock");
                return name;
            }
            let building = format!("{name}_building");
            // One statement each: PostgreSQL runs a batch as one transaction, which these refuse.
            for statement in [
                format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"),
                format!("CREATE DATABASE {building}"),
            ] {
                admin.batch_execute(&statement).expect("create the template database");
            }
            {
                let mut conn = Backend::Postgres(with_database(admin_url, &building))
                    .connect()
                    .expect("reach the template");
                crate::migrations::run(&mut conn).expect("migrate the template database");
            }
            // Templates of other migrations (older checkouts) go, unless in use.
            for stale in databases(&mut admin, "aukiolo_template_%").into_iter().filter(|d| *d != building) {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {stale}"));
            }
            admin
                .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                .expect("name the template database");
            admin.batch_execute("SELECT pg_advisory_unlock(7262461)").expect("the template lock");
            name
        })
        .clone()
}

/// Drops, once per process, the test databases of runs whose process is gone (killed, or
/// stopped in a debugger): a test's own drop never ran for them. The server is assumed to
/// be on this machine, as it is for the tests; on another, no process id matches and
/// nothing is swept.
fn sweep(admin: &mut DbConnection) {
    static SWEPT: OnceLock<()> = OnceLock::new();
    SWEPT.get_or_init(|| {
        for name in databases(admin, "aukiolo_test_%") {
            let pid =
                name.strip_prefix("aukiolo_test_").and_then(|rest| rest.split_once('_')).map(|(pid, _)| pid);
            let gone = pid
                .and_then(|pid| pid.parse::<u32>().ok())
                .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
            if gone {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    });
}

/// The databases on the server whose names are `LIKE pattern`.
fn databases(admin: &mut DbConnection, pattern: &str) -> Vec<String> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Named {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let DbConnection::Pg(pg) = admin else {
        return Vec::new();
    };
    diesel::sql_query("SELECT datname FROM pg_database WHERE datname LIKE $1")
        .bind::<diesel::sql_types::Text, _>(pattern)
        .load::<Named>(pg)
        .expect("list databases")
        .into_iter()
        .map(|n| n.datname)
        .collect()
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
            Cleanup::PgDatabase { admin_url, name } => drop_database(admin_url, name),
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
