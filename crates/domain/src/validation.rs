//! Collects every bad field of an input at once, so a client can fix them all in one go.

use serde::Serialize;

/// Years a date may fall in: far enough for any real calendar, near enough that date
/// arithmetic and the databases' own limits never overflow.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// One invalid field: its JSON path (`name.fi`, `rules[2].start`) and a readable reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// An accumulator of field errors.
#[derive(Debug, Default)]
pub struct Validation {
    errors: Vec<FieldError>,
}

impl Validation {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError { field: field.into(), message: message.into() });
    }

    /// Records `Err` results under `field` and hands back the good value, if any.
    pub fn check<T, E: ToString>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    /// Adds an error when `ok` is false.
    pub fn require(&mut self, ok: bool, field: &str, message: &str) {
        if !ok {
            self.add(field, message);
        }
    }

    /// A required, trimmed, non-empty text of at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.add(field, "must not be empty");
        } else if trimmed.chars().count() > max {
            self.add(field, format!("must be at most {max} characters"));
        }
    }

    /// Adds an error unless `year` is one of [`YEARS`]; returns whether it is.
    pub fn year(&mut self, field: &str, year: i32) -> bool {
        let ok = YEARS.contains(&year);
        self.require(ok, field, "must be in the years 2000–2100");
        ok
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when nothing was wrong, else every error collected.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}
