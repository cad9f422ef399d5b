//! An online copy of the embedded SQLite database, consistent while `serve` keeps writing:
//! `VACUUM INTO` reads one snapshot and writes a compact new file. PostgreSQL has its own
//! tools (pg_dump, base backups with WAL archiving; docs/operations.md).

use crate::{DbConnection, Result, StoreError};
use diesel::prelude::*;
use std::path::Path;

/// Copies the SQLite database behind `conn` to `target`, a file that must not exist yet:
/// an earlier backup is never overwritten by mistake.
pub fn sqlite_to(conn: &mut DbConnection, target: &Path) -> Result<u64> {
    let DbConnection::Sqlite(sqlite) = conn else {
        return Err(StoreError::Config(
            "`aukiolo backup` copies the embedded SQLite database; back PostgreSQL up with \
             pg_dump or base backups with WAL archiving (docs/operations.md)"
                .into(),
        ));
    };
    if target.exists() {
        return Err(StoreError::Config(format!("{} exists: back up to a new file", target.display())));
    }
    diesel::sql_query("VACUUM INTO ?")
        .bind::<diesel::sql_types::Text, _>(target.to_string_lossy())
        .execute(sqlite)?;
    std::fs::metadata(target)
        .map(|m| m.len())
        .map_err(|e| StoreError::Config(format!("the backup {} cannot be read: {e}", target.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{temp_dir, TestDb};
    use aukiolo_domain::topic::TopicFields;
    use aukiolo_domain::{Channel, LocalisedText};

    #[test]
    fn the_copy_holds_the_data_and_an_existing_file_is_kept() {
        let db = TestDb::sqlite();
        let mut conn = db.conn();
        let text = |s: &str| LocalisedText { fi: s.into(), sv: s.into(), en: s.into() };
        let fields = TopicFields {
            code: "pensions".into(),
            name: text("Eläkkeet"),
            duration_minutes: 30,
            channels: vec![Channel::Office],
            what_to_bring: text(""),
        };
        crate::topics::create(&mut conn, &fields).unwrap();
        let dir = temp_dir("aukiolo-backup");
        let target = dir.join("copy.db");
        let bytes = sqlite_to(&mut conn, &target).unwrap();
        assert!(bytes > 0);
        let mut copy = crate::Backend::Sqlite(target.clone()).connect().unwrap();
        let topics: i64 = crate::schema::topics::table.count().get_result(&mut copy).unwrap();
        assert_eq!(topics, 1, "the topic written before the backup is in the copy");
        let again = sqlite_to(&mut conn, &target);
        assert!(matches!(again, Err(StoreError::Config(m)) if m.contains("exists")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
