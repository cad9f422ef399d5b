//! Collects every bad field of an input at once, so a client can fix them all in one go.

use serde::Serialize;

/// Years a date may fall in: far enough for any real calendar, near enough that date
/// arithmetic and the databases' own limits never overflow.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// One invalid field: its JSON path (`name.fi`, `rules[2].start`), a stable
/// machine-readable `code` that pages and clients translate (one of [`codes`]), and a
/// readable English reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code, message: message.into() }
    }
}

/// The codes of [`FieldError`]: part of the API, so never renamed.
pub mod codes {
    /// Missing or empty.
    pub const REQUIRED: &str = "required";
    /// Longer than allowed.
    pub const TOO_LONG: &str = "too_long";
    /// Holds a control character (NUL, escape, …).
    pub const CONTROL_CHARACTER: &str = "control_character";
    /// Not one of the values allowed (an enum, a language).
    pub const UNKNOWN_VALUE: &str = "unknown_value";
    /// Not an id (UUID).
    pub const INVALID_UUID: &str = "invalid_uuid";
    /// Not a day `YYYY-MM-DD`, an instant (RFC 3339) or a wall-clock time `HH:MM`.
    pub const INVALID_DATE: &str = "invalid_date";
    /// A number, string, list or object where another kind of value belongs.
    pub const INVALID_TYPE: &str = "invalid_type";
    /// A number, date or count outside its range.
    pub const OUT_OF_RANGE: &str = "out_of_range";
    /// A field the request does not have.
    pub const UNKNOWN_FIELD: &str = "unknown_field";
    /// Anything else wrong with the value; the message says what.
    pub const INVALID: &str = "invalid";
}

/// Whether `c` is a control character a name or text may not hold: every one but the
/// line breaks and tabs of multi-line text, which `multiline` allows.
fn forbidden_control(c: char, multiline: bool) -> bool {
    c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'))
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

    /// An error whose code is [`codes::INVALID`]: the message says what is wrong.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.add_code(field, codes::INVALID, message);
    }

    pub fn add_code(&mut self, field: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, message));
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

    /// The same with the code of the error (`check` gives [`codes::INVALID`]).
    pub fn check_as<T, E: ToString>(
        &mut self,
        field: &str,
        code: &'static str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add_code(field, code, e.to_string());
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

    /// A required, trimmed, non-empty line (a name, a title) of at most `max` characters,
    /// without control characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        self.text_of(field, value, max, false);
    }

    /// The same for text that may run over several lines (a matter description): line
    /// breaks and tabs are allowed, other control characters are not.
    pub fn multiline_text(&mut self, field: &str, value: &str, max: usize) {
        self.text_of(field, value, max, true);
    }

    /// An optional text: empty is fine, otherwise as [`Validation::text`] (or
    /// [`Validation::multiline_text`]) would have it.
    pub fn optional_text(&mut self, field: &str, value: &str, max: usize, multiline: bool) {
        if !value.trim().is_empty() {
            self.text_of(field, value, max, multiline);
        }
    }

    fn text_of(&mut self, field: &str, value: &str, max: usize, multiline: bool) {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.add_code(field, codes::REQUIRED, "must not be empty");
        } else if trimmed.chars().count() > max {
            self.add_code(field, codes::TOO_LONG, format!("must be at most {max} characters"));
        } else if value.chars().any(|c| forbidden_control(c, multiline)) {
            self.add_code(field, codes::CONTROL_CHARACTER, "must not contain control characters");
        }
    }

    /// Adds an error unless `year` is one of [`YEARS`]; returns whether it is.
    pub fn year(&mut self, field: &str, year: i32) -> bool {
        let ok = YEARS.contains(&year);
        if !ok {
            self.add_code(field, codes::OUT_OF_RANGE, "must be in the years 2000–2100");
        }
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
