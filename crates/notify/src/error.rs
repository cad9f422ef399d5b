//! The one error type of the notify crate.

/// Why a message could not be prepared or the transport set up.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("storage: {0}")]
    Store(#[from] aukiolo_store::StoreError),
    #[error("e-mail address `{0}`: {1}")]
    Address(String, String),
    #[error("building the message: {0}")]
    Build(String),
    #[error("transport configuration: {0}")]
    Config(String),
    #[error("worker task: {0}")]
    Task(String),
}
