//! The store's one error type.

use aukiolo_domain::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The configuration names no usable database.
    #[error("{0}")]
    Config(String),
    /// The database could not be reached; the driver's message is kept.
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("migration failed: {0}")]
    Migration(String),
    /// No row of this kind with this id.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The input refers to things that do not exist or breaks a rule that needs the data.
    #[error("invalid input: {}", describe(.0))]
    Invalid(Vec<FieldError>),
    /// The signer's role may not change these fields (each named, with why).
    #[error("not allowed to change: {}", describe(.0))]
    NotAllowed(Vec<FieldError>),
    /// The change clashes with the current state (a booked slot, a duplicate, …).
    #[error("{0}")]
    Conflict(String),
    /// A well-formed change that is not possible now, typed so that pages can say why in
    /// their own language.
    #[error("{0}")]
    Refused(#[from] Refusal),
    /// The thing existed but is no longer usable (an expired questionnaire link); unlike
    /// `NotFound`, it tells the citizen that waiting or retrying will not help.
    #[error("{0}")]
    Gone(String),
    /// The time was taken meanwhile; these are the next free ones.
    #[error("the time is no longer free")]
    TimeTaken(Vec<aukiolo_domain::availability::FreeTime>),
    /// The database is unreachable, lost the connection mid-request, or is too busy
    /// (a lock wait past its timeout, a deadlock victim): the client may retry.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A unique constraint refused the change. `constraint` names it where the database
    /// says (PostgreSQL), else the message does (SQLite: `UNIQUE constraint failed: t.c`).
    #[error("duplicate: {detail}")]
    Duplicate { constraint: Option<String>, detail: String },
    /// A foreign key refused the change: other rows still refer to this one.
    #[error("still referenced: {0}")]
    StillReferenced(String),
    #[error("database error: {0}")]
    Database(diesel::result::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// Why a change to a booking or its visit record is not possible now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The status machine or the visit clock says no.
    #[error("{0}")]
    Visit(#[from] aukiolo_domain::visit_clock::VisitRefusal),
    /// Someone else changed the booking between reading and writing it.
    #[error("the booking was changed meanwhile; reload it")]
    ChangedMeanwhile,
    #[error("only a completed visit is assessed")]
    NotCompleted,
    #[error("the assessment can be corrected only by its author on the same day")]
    AssessmentClosed,
}

impl From<diesel::result::Error> for StoreError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match &e {
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                crate::pool::connection_lost();
                StoreError::Unavailable(info.message().to_owned())
            }
            Error::DatabaseError(kind, info)
                if matches!(kind, DatabaseErrorKind::SerializationFailure)
                    || RETRYABLE.iter().any(|m| info.message().contains(m)) =>
            {
                if info.message().contains("terminating connection") {
                    crate::pool::connection_lost();
                }
                StoreError::Unavailable(info.message().to_owned())
            }
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => StoreError::Duplicate {
                constraint: info.constraint_name().map(str::to_owned),
                detail: info.message().to_owned(),
            },
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                StoreError::StillReferenced(info.message().to_owned())
            }
            _ => StoreError::Database(e),
        }
    }
}

/// Messages of failures that are the database's state, not the request's: SQLite's write
/// lock held past the busy timeout by another process, a PostgreSQL deadlock victim, a
/// server shutting down or restarting.
const RETRYABLE: [&str; 4] =
    ["database is locked", "deadlock detected", "terminating connection", "the database system is"];

impl StoreError {
    /// A single field error, as `Invalid`.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        StoreError::Invalid(vec![FieldError::new(field, aukiolo_domain::validation::codes::INVALID, message)])
    }
}

fn describe(fields: &[FieldError]) -> String {
    fields.iter().map(|f| format!("{} {}", f.field, f.message)).collect::<Vec<_>>().join("; ")
}
