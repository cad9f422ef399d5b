//! Post-visit experience questionnaires: versioned templates of localised questions, the
//! one-language view a citizen answers, and the check that turns submitted answers into
//! typed values ready for anonymous storage.
//!
//! A published template never changes: new wording or options make a new `version`, so a
//! stored answer always refers to the exact question that was asked.

mod answers;
mod localised;
mod pilot;

pub use answers::{Answer, AnswerError, Answers, SubmittedAnswers, ValidAnswers};
pub use localised::{LocalisedChoice, LocalisedKind, LocalisedQuestion, LocalisedQuestionnaire};
pub use pilot::pilot;

use crate::{FieldError, LocalisedText, Validation};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::ops::RangeInclusive;

/// Free-text limit when a template does not set one.
pub const DEFAULT_MAX_CHARS: u32 = 2000;
/// Upper bound a template may set for free text, so one answer cannot bloat the tables.
pub const MAX_FREE_TEXT_CHARS: u32 = 10_000;
const MAX_KEY_CHARS: usize = 64;
const MAX_TITLE_CHARS: usize = 200;
const MAX_INTRO_CHARS: usize = 2000;
const MAX_QUESTION_CHARS: usize = 500;
const MAX_LABEL_CHARS: usize = 200;

/// One option of a choice question. The `key` is what is stored and counted, so labels can
/// be reworded in a new version without breaking comparisons between versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    #[cfg_attr(feature = "openapi", schema(example = "appointment"))]
    pub key: String,
    pub label: LocalisedText,
}

/// What kind of answer a question takes. Scales are fixed by kind (NPS 0–10, CSAT 1–5,
/// CES 1–7) so that scores are comparable across questionnaires and versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum QuestionKind {
    /// Net Promoter Score: 0 = not at all likely … 10 = extremely likely to recommend.
    Nps,
    /// Customer satisfaction: 1 = very dissatisfied … 5 = very satisfied.
    Csat,
    /// Customer effort: 1 = very difficult … 7 = very easy.
    Ces,
    /// Exactly one option.
    SingleChoice { options: Vec<ChoiceOption> },
    /// Any number of distinct options. With `allow_empty`, an empty list is a real answer
    /// ("none of these"); without it, an empty list counts as not answered.
    MultipleChoice {
        options: Vec<ChoiceOption>,
        #[serde(default)]
        allow_empty: bool,
    },
    /// Yes or no.
    YesNo,
    /// Text, trimmed; blank text counts as not answered.
    FreeText {
        #[serde(default = "default_max_chars")]
        max_chars: u32,
    },
}

fn default_max_chars() -> u32 {
    DEFAULT_MAX_CHARS
}

impl QuestionKind {
    /// The plain type name, for storage and for grouping in statistics.
    pub fn question_type(&self) -> QuestionType {
        match self {
            QuestionKind::Nps => QuestionType::Nps,
            QuestionKind::Csat => QuestionType::Csat,
            QuestionKind::Ces => QuestionType::Ces,
            QuestionKind::SingleChoice { .. } => QuestionType::SingleChoice,
            QuestionKind::MultipleChoice { .. } => QuestionType::MultipleChoice,
            QuestionKind::YesNo => QuestionType::YesNo,
            QuestionKind::FreeText { .. } => QuestionType::FreeText,
        }
    }

    /// The allowed scores of a scale question.
    pub fn scale(&self) -> Option<RangeInclusive<u8>> {
        self.question_type().scale()
    }

    /// The options of a choice question; empty for every other kind.
    pub fn options(&self) -> &[ChoiceOption] {
        match self {
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => options,
            _ => &[],
        }
    }
}

/// The kind of a question without its options: the `question_type` column of stored answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Nps,
    Csat,
    Ces,
    SingleChoice,
    MultipleChoice,
    YesNo,
    FreeText,
}

impl QuestionType {
    pub const ALL: [QuestionType; 7] = [
        QuestionType::Nps,
        QuestionType::Csat,
        QuestionType::Ces,
        QuestionType::SingleChoice,
        QuestionType::MultipleChoice,
        QuestionType::YesNo,
        QuestionType::FreeText,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::Nps => "nps",
            QuestionType::Csat => "csat",
            QuestionType::Ces => "ces",
            QuestionType::SingleChoice => "single_choice",
            QuestionType::MultipleChoice => "multiple_choice",
            QuestionType::YesNo => "yes_no",
            QuestionType::FreeText => "free_text",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The allowed scores of a scale type.
    pub fn scale(self) -> Option<RangeInclusive<u8>> {
        match self {
            QuestionType::Nps => Some(0..=10),
            QuestionType::Csat => Some(1..=5),
            QuestionType::Ces => Some(1..=7),
            _ => None,
        }
    }
}

impl fmt::Display for QuestionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One question of a template. `key` names the question in answers and in storage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Question {
    #[cfg_attr(feature = "openapi", schema(example = "recommend"))]
    pub key: String,
    pub text: LocalisedText,
    pub kind: QuestionKind,
    pub required: bool,
}

/// A versioned questionnaire template; `(key, version)` identifies it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    #[cfg_attr(feature = "openapi", schema(example = "pilot"))]
    pub key: String,
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub version: u32,
    pub title: LocalisedText,
    pub intro: LocalisedText,
    pub questions: Vec<Question>,
}

impl Questionnaire {
    /// Checks the template itself before it is seeded or published: keys are snake_case
    /// and unique, every text exists in fi, sv and en, choices have at least two options.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut v = Validation::new();
        check_key(&mut v, "key", &self.key);
        v.require(self.version >= 1, "version", "must be at least 1");
        self.title.validate(&mut v, "title", MAX_TITLE_CHARS);
        self.intro.validate_multiline(&mut v, "intro", MAX_INTRO_CHARS);
        v.require(!self.questions.is_empty(), "questions", "must have at least one question");

        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, q) in self.questions.iter().enumerate() {
            let field = format!("questions[{i}]");
            check_key(&mut v, &format!("{field}.key"), &q.key);
            if let Some(first) = seen.insert(&q.key, i) {
                v.add(format!("{field}.key"), format!("repeats `{}` of questions[{first}]", q.key));
            }
            q.text.validate(&mut v, &format!("{field}.text"), MAX_QUESTION_CHARS);
            validate_kind(&mut v, &format!("{field}.kind"), &q.kind);
        }
        v.finish()
    }

    /// The question with this key.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }
}

fn validate_kind(v: &mut Validation, field: &str, kind: &QuestionKind) {
    match kind {
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
            if options.len() < 2 {
                v.add(format!("{field}.options"), "must have at least two options");
            }
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (j, o) in options.iter().enumerate() {
                let field = format!("{field}.options[{j}]");
                check_key(v, &format!("{field}.key"), &o.key);
                if let Some(first) = seen.insert(&o.key, j) {
                    v.add(format!("{field}.key"), format!("repeats `{}` of options[{first}]", o.key));
                }
                o.label.validate(v, &format!("{field}.label"), MAX_LABEL_CHARS);
            }
        }
        QuestionKind::FreeText { max_chars } => {
            if !(1..=MAX_FREE_TEXT_CHARS).contains(max_chars) {
                v.add(format!("{field}.max_chars"), format!("must be from 1 to {MAX_FREE_TEXT_CHARS}"));
            }
        }
        QuestionKind::Nps | QuestionKind::Csat | QuestionKind::Ces | QuestionKind::YesNo => {}
    }
}

/// Keys are stored and used as column values and JSON keys, so they are plain snake_case.
fn check_key(v: &mut Validation, field: &str, key: &str) {
    let ok = key.len() <= MAX_KEY_CHARS
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !ok {
        v.add(
            field,
            format!(
                "`{key}` is not a key: expected snake_case (a–z, 0–9, _), starting with a letter, \
                 at most {MAX_KEY_CHARS} characters"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> LocalisedText {
        LocalisedText { fi: s.into(), sv: s.into(), en: s.into() }
    }

    fn option(key: &str) -> ChoiceOption {
        ChoiceOption { key: key.into(), label: t(key) }
    }

    fn fields(r: Result<(), Vec<FieldError>>) -> Vec<String> {
        r.expect_err("should be invalid").into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn pilot_template_is_valid() {
        assert_eq!(pilot().validate(), Ok(()));
    }

    #[test]
    fn repeated_question_key_is_rejected() {
        let mut q = pilot();
        q.questions[1].key = q.questions[0].key.clone();
        assert_eq!(fields(q.validate()), ["questions[1].key"]);
    }

    #[test]
    fn repeated_option_key_and_single_option_are_rejected() {
        let mut q = pilot();
        q.questions.push(Question {
            key: "dup".into(),
            text: t("Dup?"),
            kind: QuestionKind::SingleChoice { options: vec![option("a"), option("a")] },
            required: false,
        });
        q.questions.push(Question {
            key: "lonely".into(),
            text: t("Lonely?"),
            kind: QuestionKind::MultipleChoice { options: vec![option("a")], allow_empty: false },
            required: false,
        });
        let n = q.questions.len();
        assert_eq!(
            fields(q.validate()),
            [
                format!("questions[{}].kind.options[1].key", n - 2),
                format!("questions[{}].kind.options", n - 1)
            ]
        );
    }

    #[test]
    fn missing_translation_and_bad_keys_are_rejected() {
        let mut q = pilot();
        q.key = "Pilot".into();
        q.version = 0;
        q.intro.sv = "  ".into();
        q.questions[0].text.en.clear();
        q.questions[2].key = "2nd".into();
        q.questions.push(Question {
            key: "long".into(),
            text: t("Long?"),
            kind: QuestionKind::FreeText { max_chars: 0 },
            required: false,
        });
        let last = q.questions.len() - 1;
        assert_eq!(
            fields(q.validate()),
            [
                "key".to_string(),
                "version".into(),
                "intro.sv".into(),
                "questions[0].text.en".into(),
                "questions[2].key".into(),
                format!("questions[{last}].kind.max_chars"),
            ]
        );
    }

    #[test]
    fn empty_template_is_rejected() {
        let mut q = pilot();
        q.questions.clear();
        assert_eq!(fields(q.validate()), ["questions"]);
    }

    #[test]
    fn kinds_serialise_tagged_and_free_text_limit_defaults() {
        assert_eq!(serde_json::to_value(QuestionKind::Nps).unwrap(), serde_json::json!({"type": "nps"}));
        let kind: QuestionKind = serde_json::from_str(r#"{"type":"free_text"}"#).unwrap();
        assert_eq!(kind, QuestionKind::FreeText { max_chars: DEFAULT_MAX_CHARS });
        let kind: QuestionKind = serde_json::from_str(
            r#"{"type":"multiple_choice","options":[{"key":"a","label":{"fi":"a","sv":"a","en":"a"}}]}"#,
        )
        .unwrap();
        assert_eq!(kind, QuestionKind::MultipleChoice { options: vec![option("a")], allow_empty: false });
    }

    #[test]
    fn misspelt_template_fields_are_refused() {
        let json = r#"{"key":"x","text":{"fi":"a","sv":"a","en":"a"},"kind":{"type":"nps"},"requird":true}"#;
        assert!(serde_json::from_str::<Question>(json).is_err());
        assert!(serde_json::from_str::<QuestionKind>(r#"{"type":"free_text","max_char":10}"#).is_err());
    }

    #[test]
    fn template_round_trips_through_json() {
        let json = serde_json::to_string(&pilot()).unwrap();
        let back: Questionnaire = serde_json::from_str(&json).unwrap();
        assert_eq!(back, pilot());
    }

    #[test]
    fn question_types_round_trip_and_know_their_scales() {
        for t in QuestionType::ALL {
            assert_eq!(QuestionType::parse(t.as_str()), Some(t));
        }
        assert_eq!(QuestionType::Nps.scale(), Some(0..=10));
        assert_eq!(QuestionType::Csat.scale(), Some(1..=5));
        assert_eq!(QuestionType::Ces.scale(), Some(1..=7));
        assert_eq!(QuestionType::YesNo.scale(), None);
    }
}
