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
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
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

impl StoreError {
    /// A single field error, as `Invalid`.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        StoreError::Invalid(vec![FieldError::new(field, aukiolo_domain::validation::codes::INVALID, message)])
    }
}

fn describe(fields: &[FieldError]) -> String {
    fields.iter().map(|f| format!("{} {}", f.field, f.message)).collect::<Vec<_>>().join("; ")
}
