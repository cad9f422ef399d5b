//! Languages: the three the service is localised in, and any language an advisor speaks.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language of the user interface and of messages: Finnish, Swedish or English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    Fi,
    Sv,
    En,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Fi => "fi",
            Locale::Sv => "sv",
            Locale::En => "en",
        }
    }
}

impl FromStr for Locale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "fi" => Ok(Locale::Fi),
            "sv" => Ok(Locale::Sv),
            "en" => Ok(Locale::En),
            other => Err(format!("unknown locale `{other}`: expected fi, sv or en")),
        }
    }
}

/// A language an advisor or office serves in, as an ISO 639-1 code (`fi`, `sv`, `en`, `ru`…).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Language(String);

impl Language {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_lowercase()) {
            Ok(Language(s.to_owned()))
        } else {
            Err(format!("`{s}` is not a language code: expected two lowercase letters such as fi, sv or en"))
        }
    }
}

impl TryFrom<String> for Language {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Language> for String {
    fn from(l: Language) -> Self {
        l.0
    }
}

impl From<Locale> for Language {
    fn from(l: Locale) -> Self {
        Language(l.as_str().to_owned())
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A text in each of the service languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalisedText {
    pub fi: String,
    pub sv: String,
    pub en: String,
}

impl LocalisedText {
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Fi => &self.fi,
            Locale::Sv => &self.sv,
            Locale::En => &self.en,
        }
    }

    /// Checks each language is present, one line of at most `max` characters without
    /// control characters (`field.fi`, …).
    pub fn validate(&self, v: &mut crate::Validation, field: &str, max: usize) {
        for (lang, text) in [("fi", &self.fi), ("sv", &self.sv), ("en", &self.en)] {
            v.text(&format!("{field}.{lang}"), text, max);
        }
    }

    /// The same for text of several lines (line breaks and tabs allowed).
    pub fn validate_multiline(&self, v: &mut crate::Validation, field: &str, max: usize) {
        for (lang, text) in [("fi", &self.fi), ("sv", &self.sv), ("en", &self.en)] {
            v.multiline_text(&format!("{field}.{lang}"), text, max);
        }
    }
}

/// Checks a list of languages is non-empty and has no repeats.
pub fn validate_languages(v: &mut crate::Validation, field: &str, languages: &[Language]) {
    if languages.is_empty() {
        v.add(field, "must name at least one language");
    }
    let mut seen = std::collections::HashSet::new();
    for l in languages {
        if !seen.insert(l) {
            v.add(field, format!("lists `{l}` twice"));
        }
    }
}
