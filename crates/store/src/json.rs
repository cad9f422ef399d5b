//! Small lists (languages, channels, breaks) are kept as JSON text on both backends.

use crate::StoreError;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub(crate) fn to_text<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

pub(crate) fn from_text<T: DeserializeOwned>(column: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}
