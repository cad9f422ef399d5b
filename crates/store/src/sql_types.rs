//! Two SQL types that keep ids and instants native on PostgreSQL (`uuid`, `timestamptz`)
//! and readable TEXT on SQLite, so one `schema.rs` serves both backends.
//!
//! Instants are truncated to microseconds on the way in: PostgreSQL keeps no more, and a
//! value must read back equal on both backends. On SQLite they are written as fixed-width
//! RFC 3339 UTC (`2027-03-28T06:00:00.000000Z`), so text order is time order.

use crate::backend::MultiBackend;
use chrono::{DateTime, SubsecRound, Utc};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::query_builder::QueryId;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::SqlType;
use diesel::sql_types::{HasSqlType, Text};
use diesel::sqlite::Sqlite;
use uuid::Uuid;

/// A UUID: `uuid` on PostgreSQL, hyphenated TEXT on SQLite.
#[derive(Clone, Copy, Debug, SqlType, QueryId)]
#[diesel(postgres_type(name = "uuid"))]
#[diesel(sqlite_type(name = "Text"))]
pub struct Id;

/// A UTC instant: `timestamptz` on PostgreSQL, RFC 3339 TEXT on SQLite.
#[derive(Clone, Copy, Debug, SqlType, QueryId)]
#[diesel(postgres_type(name = "timestamptz"))]
#[diesel(sqlite_type(name = "Text"))]
pub struct Instant;

/// A UUID as stored; convert from and into the domain's id types with `From`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow)]
#[diesel(sql_type = Id)]
pub struct DbId(pub Uuid);

/// A UTC instant as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow)]
#[diesel(sql_type = Instant)]
pub struct DbTime(pub DateTime<Utc>);

impl From<DateTime<Utc>> for DbTime {
    fn from(t: DateTime<Utc>) -> Self {
        DbTime(t)
    }
}

impl From<DbTime> for DateTime<Utc> {
    fn from(t: DbTime) -> Self {
        t.0
    }
}

impl From<Uuid> for DbId {
    fn from(id: Uuid) -> Self {
        DbId(id)
    }
}

/// Lets every domain id go in and out of the database without naming `DbId`.
macro_rules! domain_ids {
    ($($id:ident),*) => {$(
        impl From<aukiolo_domain::$id> for DbId {
            fn from(id: aukiolo_domain::$id) -> Self {
                DbId(id.0)
            }
        }

        impl From<DbId> for aukiolo_domain::$id {
            fn from(id: DbId) -> Self {
                aukiolo_domain::$id(id.0)
            }
        }
    )*};
}

domain_ids!(
    OfficeId,
    AdvisorId,
    TopicId,
    ScheduleRuleId,
    AbsenceId,
    ClosureId,
    SlotId,
    StaffUserId,
    BookingId,
    MessageId
);

const SQLITE_INSTANT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

impl ToSql<Id, Pg> for DbId {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <Uuid as ToSql<diesel::sql_types::Uuid, Pg>>::to_sql(&self.0, out)
    }
}

impl FromSql<Id, Pg> for DbId {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        <Uuid as FromSql<diesel::sql_types::Uuid, Pg>>::from_sql(bytes).map(DbId)
    }
}

impl ToSql<Id, Sqlite> for DbId {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.0.hyphenated().to_string());
        Ok(IsNull::No)
    }
}

impl FromSql<Id, Sqlite> for DbId {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let text = <String as FromSql<Text, Sqlite>>::from_sql(bytes)?;
        Ok(DbId(Uuid::parse_str(&text)?))
    }
}

impl ToSql<Instant, Pg> for DbTime {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        let micros = self.0.trunc_subsecs(6);
        <DateTime<Utc> as ToSql<diesel::sql_types::Timestamptz, Pg>>::to_sql(&micros, &mut out.reborrow())
    }
}

impl FromSql<Instant, Pg> for DbTime {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        <DateTime<Utc> as FromSql<diesel::sql_types::Timestamptz, Pg>>::from_sql(bytes).map(DbTime)
    }
}

impl ToSql<Instant, Sqlite> for DbTime {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.0.format(SQLITE_INSTANT).to_string());
        Ok(IsNull::No)
    }
}

impl FromSql<Instant, Sqlite> for DbTime {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let text = <String as FromSql<Text, Sqlite>>::from_sql(bytes)?;
        Ok(DbTime(DateTime::parse_from_rfc3339(&text)?.with_timezone(&Utc)))
    }
}

/// Forwards a custom type through the backend that `#[derive(MultiConnection)]` generates.
macro_rules! multi_backend_type {
    ($sql:ty, $rust:ty) => {
        impl HasSqlType<$sql> for MultiBackend {
            fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
                MultiBackend::lookup_sql_type::<$sql>(lookup)
            }
        }

        impl FromSql<$sql, MultiBackend> for $rust {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<$rust, $sql>()
            }
        }

        impl ToSql<$sql, MultiBackend> for $rust {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((<$sql>::default(), self));
                Ok(IsNull::No)
            }
        }
    };
}

impl Default for Id {
    fn default() -> Self {
        Id
    }
}

impl Default for Instant {
    fn default() -> Self {
        Instant
    }
}

multi_backend_type!(Id, DbId);
multi_backend_type!(Instant, DbTime);
