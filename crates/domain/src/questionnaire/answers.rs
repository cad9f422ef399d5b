//! Answers as they arrive from a citizen's client, and the check that turns them into typed,
//! normalised values for anonymous storage.
//!
//! Reading the JSON never fails on a value: a wrong number, a nested list or an object is
//! kept as "unreadable" and reported by [`Questionnaire::check`] under `answers.<key>` with
//! the question's own expectation, so the client gets one 422 listing every bad answer
//! instead of a parse error about the first.

use super::{QuestionKind, QuestionType, Questionnaire};
use crate::{FieldError, Validation};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// One answer. On the wire it is an untagged JSON value: a number is a `Score`, `true` or
/// `false` is `YesNo`, a list of strings is `Choices`, and a string arrives as `Text`,
/// which a single-choice question reads as an option key. After
/// [`Questionnaire::check`], a single-choice answer is always `Choice`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// A score on the question's scale (NPS 0–10, CSAT 1–5, CES 1–7).
    Score(u8),
    /// The key of the chosen option of a single-choice question.
    Choice(String),
    /// The keys of the chosen options of a multiple-choice question.
    Choices(Vec<String>),
    /// A yes/no answer.
    YesNo(bool),
    /// Free text.
    Text(String),
}

/// A JSON value that is no kind of answer; kept so `check` can say what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Unreadable {
    /// A number that is not a whole number from 0 to 255, as written.
    Number(String),
    /// An object, or a list with something other than strings in it.
    Other,
}

/// What a JSON value read as.
enum Raw {
    Answer(Answer),
    Null,
    Unreadable(Unreadable),
}

struct RawVisitor;

impl RawVisitor {
    /// A whole number reads as a score if it fits in `u8`; the question checks its scale.
    fn number(n: impl Copy + fmt::Display + TryInto<u8>) -> Raw {
        match n.try_into() {
            Ok(score) => Raw::Answer(Answer::Score(score)),
            Err(_) => Raw::Unreadable(Unreadable::Number(n.to_string())),
        }
    }
}

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, a string, a list of strings, true or false")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Raw, E> {
        Ok(Raw::Answer(Answer::YesNo(b)))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Raw, E> {
        Ok(Self::number(n))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Raw, E> {
        Ok(Self::number(n))
    }

    /// `4.0` is a whole number and reads as 4; `4.5` is kept to be reported.
    fn visit_f64<E>(self, n: f64) -> Result<Raw, E> {
        Ok(if n.fract() == 0.0 && (0.0..=f64::from(u8::MAX)).contains(&n) {
            Raw::Answer(Answer::Score(n as u8))
        } else {
            Raw::Unreadable(Unreadable::Number(n.to_string()))
        })
    }

    fn visit_str<E>(self, s: &str) -> Result<Raw, E> {
        Ok(Raw::Answer(Answer::Text(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Raw, E> {
        Ok(Raw::Answer(Answer::Text(s)))
    }

    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut keys = Vec::new();
        let mut all_text = true;
        while let Some(item) = seq.next_element::<Raw>()? {
            match item {
                Raw::Answer(Answer::Text(s)) => keys.push(s),
                _ => all_text = false,
            }
        }
        Ok(if all_text { Raw::Answer(Answer::Choices(keys)) } else { Raw::Unreadable(Unreadable::Other) })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Raw::Unreadable(Unreadable::Other))
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

/// Strict on its own: a value that is no kind of answer is an error here. Inside
/// [`Answers`] it is kept and reported by `check` instead.
impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Raw::deserialize(d)? {
            Raw::Answer(a) => Ok(a),
            Raw::Null => Err(de::Error::custom("expected an answer, found null")),
            Raw::Unreadable(Unreadable::Number(n)) => {
                Err(de::Error::custom(format!("expected a whole number from 0 to 255, found {n}")))
            }
            Raw::Unreadable(Unreadable::Other) => {
                Err(de::Error::custom("expected a number, a string, a list of strings, true or false"))
            }
        }
    }
}

/// What arrived under one question key.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    Given(Answer),
    Unreadable(Unreadable),
    /// The key appeared more than once in the JSON object.
    Repeated,
}

/// Answers by question key, as submitted (`{"recommend": 9, "comments": "…"}`). A `null`
/// value is the same as leaving the key out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answers {
    entries: BTreeMap<String, Entry>,
}

impl Answers {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces the answer to `key`.
    pub fn insert(&mut self, key: impl Into<String>, answer: Answer) {
        self.entries.insert(key.into(), Entry::Given(answer));
    }

    /// The same as `insert`, for building answers in one expression.
    pub fn with(mut self, key: impl Into<String>, answer: Answer) -> Self {
        self.insert(key, answer);
        self
    }

    /// The readable answer given to `key`, if any.
    pub fn get(&self, key: &str) -> Option<&Answer> {
        match self.entries.get(key) {
            Some(Entry::Given(a)) => Some(a),
            _ => None,
        }
    }
}

impl<K: Into<String>> FromIterator<(K, Answer)> for Answers {
    fn from_iter<I: IntoIterator<Item = (K, Answer)>>(iter: I) -> Self {
        let mut answers = Answers::new();
        for (k, a) in iter {
            answers.insert(k, a);
        }
        answers
    }
}

/// Writes the readable answers only; unreadable ones exist only between parse and check.
impl Serialize for Answers {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let given: Vec<(&String, &Answer)> = self
            .entries
            .iter()
            .filter_map(|(k, e)| match e {
                Entry::Given(a) => Some((k, a)),
                _ => None,
            })
            .collect();
        let mut map = s.serialize_map(Some(given.len()))?;
        for (k, a) in given {
            map.serialize_entry(k, a)?;
        }
        map.end()
    }
}

struct AnswersVisitor;

impl<'de> Visitor<'de> for AnswersVisitor {
    type Value = Answers;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of answers by question key")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answers, A::Error> {
        let mut answers = Answers::new();
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let raw = map.next_value::<Raw>()?;
            if !seen.insert(key.clone()) {
                answers.entries.insert(key, Entry::Repeated);
                continue;
            }
            match raw {
                Raw::Answer(a) => answers.entries.insert(key, Entry::Given(a)),
                Raw::Unreadable(u) => answers.entries.insert(key, Entry::Unreadable(u)),
                Raw::Null => None,
            };
        }
        Ok(answers)
    }
}

impl<'de> Deserialize<'de> for Answers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(AnswersVisitor)
    }
}

/// The body of a questionnaire response: `{"answers": {"recommend": 9, …}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmittedAnswers {
    pub answers: Answers,
}

/// Why one answer was refused; shown as the message of the `answers.<key>` field error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("is required")]
    Missing,
    #[error("is not a question of this questionnaire: expected one of {expected}")]
    UnknownQuestion { expected: String },
    #[error("is given twice")]
    Repeated,
    #[error("must be a whole number from {min} to {max}, not {got}")]
    OutOfRange { min: u8, max: u8, got: String },
    #[error("must be a whole number from {min} to {max}")]
    NotAScore { min: u8, max: u8 },
    #[error("unknown option `{got}`: expected one of {allowed}")]
    UnknownOption { got: String, allowed: String },
    #[error("lists `{0}` twice")]
    DuplicateChoice(String),
    #[error("must be one option key as a string: one of {allowed}")]
    NotAChoice { allowed: String },
    #[error("must be a list of option keys from {allowed}")]
    NotChoices { allowed: String },
    #[error("must be true (yes) or false (no)")]
    NotYesNo,
    #[error("must be a string")]
    NotText,
    #[error("must be at most {max} characters, not {got}")]
    TooLong { max: u32, got: usize },
}

/// One accepted answer, normalised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct ValidAnswer {
    question: String,
    question_type: QuestionType,
    value: Answer,
}

/// Answers that passed [`Questionnaire::check`], in the template's question order, each
/// normalised for storage: scales hold `Score` within range, single choices `Choice` with a
/// known key, multiple choices `Choices` of distinct known keys in the template's option
/// order, yes/no `YesNo`, free text `Text` trimmed and non-empty. Unanswered optional
/// questions are absent. Only `check` builds one, so holding one means the answers are good.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValidAnswers {
    questionnaire: String,
    version: u32,
    answers: Vec<ValidAnswer>,
}

impl ValidAnswers {
    /// The key of the questionnaire answered.
    pub fn questionnaire(&self) -> &str {
        &self.questionnaire
    }

    /// The template version answered; together with the key it says which wording was shown.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// `(question key, question type, normalised value)` for each answered question.
    pub fn iter(&self) -> impl Iterator<Item = (&str, QuestionType, &Answer)> + '_ {
        self.answers.iter().map(|a| (a.question.as_str(), a.question_type, &a.value))
    }

    pub fn get(&self, question: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.question == question).map(|a| &a.value)
    }

    /// The score given to a scale question, if answered.
    pub fn score(&self, question: &str) -> Option<u8> {
        match self.get(question) {
            Some(Answer::Score(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        self.answers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

impl Questionnaire {
    /// Checks submitted answers against this template. Every problem is reported at once
    /// as a field error `answers.<key>`; blank text and blank choices count as not answered.
    pub fn check(&self, answers: &Answers) -> Result<ValidAnswers, Vec<FieldError>> {
        let mut v = Validation::new();
        let mut valid = Vec::new();
        for q in &self.questions {
            let field = format!("answers.{}", q.key);
            let outcome = match answers.entries.get(&q.key) {
                None => Ok(None),
                Some(Entry::Repeated) => Err(vec![AnswerError::Repeated]),
                Some(Entry::Unreadable(u)) => Err(vec![unreadable(&q.kind, u)]),
                Some(Entry::Given(a)) => normalise(&q.kind, a),
            };
            match outcome {
                Ok(Some(value)) => valid.push(ValidAnswer {
                    question: q.key.clone(),
                    question_type: q.kind.question_type(),
                    value,
                }),
                Ok(None) if q.required => v.add(field, AnswerError::Missing.to_string()),
                Ok(None) => {}
                Err(errors) => errors.into_iter().for_each(|e| v.add(&field, e.to_string())),
            }
        }
        for key in answers.entries.keys().filter(|k| self.question(k).is_none()) {
            let expected = quoted(self.questions.iter().map(|q| q.key.as_str()));
            v.add(format!("answers.{key}"), AnswerError::UnknownQuestion { expected }.to_string());
        }
        v.finish()?;
        Ok(ValidAnswers { questionnaire: self.key.clone(), version: self.version, answers: valid })
    }
}

/// "`a`, `b`, `c`", for messages that list what is allowed.
fn quoted<'a>(keys: impl Iterator<Item = &'a str>) -> String {
    keys.map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

fn allowed(kind: &QuestionKind) -> String {
    quoted(kind.options().iter().map(|o| o.key.as_str()))
}

/// The error for a value that read as no kind of answer, worded for the question's kind.
fn unreadable(kind: &QuestionKind, value: &Unreadable) -> AnswerError {
    match (kind.scale(), value) {
        (Some(r), Unreadable::Number(got)) => {
            AnswerError::OutOfRange { min: *r.start(), max: *r.end(), got: got.clone() }
        }
        _ => wrong_shape(kind),
    }
}

/// The error for an answer of the wrong shape for the question.
fn wrong_shape(kind: &QuestionKind) -> AnswerError {
    match kind {
        QuestionKind::Nps | QuestionKind::Csat | QuestionKind::Ces => {
            let (min, max) = kind.scale().map(|r| (*r.start(), *r.end())).unwrap_or_default();
            AnswerError::NotAScore { min, max }
        }
        QuestionKind::SingleChoice { .. } => AnswerError::NotAChoice { allowed: allowed(kind) },
        QuestionKind::MultipleChoice { .. } => AnswerError::NotChoices { allowed: allowed(kind) },
        QuestionKind::YesNo => AnswerError::NotYesNo,
        QuestionKind::FreeText { .. } => AnswerError::NotText,
    }
}

/// The normalised answer, `None` when blank, or what is wrong with it.
fn normalise(kind: &QuestionKind, answer: &Answer) -> Result<Option<Answer>, Vec<AnswerError>> {
    let known = |key: &str| kind.options().iter().any(|o| o.key == key);
    let unknown = |got: &str| AnswerError::UnknownOption { got: got.to_owned(), allowed: allowed(kind) };
    match (kind, answer) {
        (QuestionKind::Nps | QuestionKind::Csat | QuestionKind::Ces, Answer::Score(n)) => {
            match kind.scale() {
                Some(r) if r.contains(n) => Ok(Some(Answer::Score(*n))),
                Some(r) => {
                    Err(vec![AnswerError::OutOfRange { min: *r.start(), max: *r.end(), got: n.to_string() }])
                }
                None => Err(vec![wrong_shape(kind)]),
            }
        }
        (QuestionKind::SingleChoice { .. }, Answer::Choice(s) | Answer::Text(s)) => match s.trim() {
            "" => Ok(None),
            key if known(key) => Ok(Some(Answer::Choice(key.to_owned()))),
            key => Err(vec![unknown(key)]),
        },
        (QuestionKind::MultipleChoice { options, allow_empty }, Answer::Choices(keys)) => {
            let mut errors = Vec::new();
            let mut chosen = HashSet::new();
            for key in keys.iter().map(|k| k.trim()) {
                if !known(key) {
                    errors.push(unknown(key));
                } else if !chosen.insert(key) {
                    errors.push(AnswerError::DuplicateChoice(key.to_owned()));
                }
            }
            if !errors.is_empty() {
                Err(errors)
            } else if chosen.is_empty() && !allow_empty {
                Ok(None)
            } else {
                let in_order = options.iter().filter(|o| chosen.contains(o.key.as_str()));
                Ok(Some(Answer::Choices(in_order.map(|o| o.key.clone()).collect())))
            }
        }
        (QuestionKind::YesNo, Answer::YesNo(b)) => Ok(Some(Answer::YesNo(*b))),
        (QuestionKind::FreeText { max_chars }, Answer::Text(s) | Answer::Choice(s)) => {
            let text = clean_text(s);
            let count = text.chars().count();
            if text.is_empty() {
                Ok(None)
            } else if count > *max_chars as usize {
                Err(vec![AnswerError::TooLong { max: *max_chars, got: count }])
            } else {
                Ok(Some(Answer::Text(text)))
            }
        }
        _ => Err(vec![wrong_shape(kind)]),
    }
}

/// Trimmed, with line ends as `\n` and no control characters but newline and tab: a NUL
/// would be refused by PostgreSQL and others only garble the text when shown.
fn clean_text(s: &str) -> String {
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    let kept: String = unified.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
    kept.trim().to_owned()
}

/// The answers' OpenAPI shapes, written by hand: the wire form is untagged and the derive
/// cannot say so.
#[cfg(feature = "openapi")]
mod openapi {
    use super::{Answer, Answers};
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
    use utoipa::openapi::{Ref, RefOr};
    use utoipa::{PartialSchema, ToSchema};

    impl PartialSchema for Answer {
        fn schema() -> RefOr<Schema> {
            let string = || ObjectBuilder::new().schema_type(Type::String);
            OneOfBuilder::new()
                .item(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(0))
                        .maximum(Some(10))
                        .description(Some("A score: NPS 0–10, CSAT 1–5, CES 1–7")),
                )
                .item(string().description(Some("The option key of a single-choice question, or free text")))
                .item(
                    ArrayBuilder::new()
                        .items(string())
                        .description(Some("The distinct option keys of a multiple-choice question")),
                )
                .item(ObjectBuilder::new().schema_type(Type::Boolean).description(Some("A yes/no answer")))
                .description(Some("One answer; which shape depends on the question's kind"))
                .into()
        }
    }

    impl ToSchema for Answer {}
    impl PartialSchema for Answers {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .additional_properties(Some(RefOr::Ref(Ref::from_schema_name(Answer::name()))))
                .description(Some("Answers by question key; a missing or null answer is not answered"))
                .into()
        }
    }

    impl ToSchema for Answers {
        fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
            schemas.push((Answer::name().into(), Answer::schema()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::pilot;
    use proptest::prelude::*;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Answers {
        serde_json::from_value::<SubmittedAnswers>(json!({ "answers": value })).unwrap().answers
    }

    fn errors(value: serde_json::Value) -> Vec<(String, String)> {
        let errs = pilot().check(&parse(value)).expect_err("should be refused");
        errs.into_iter().map(|e| (e.field, e.message)).collect()
    }

    /// The required answers plus `extra`, which may override them.
    fn with_required(extra: serde_json::Value) -> serde_json::Value {
        let mut all = json!({"satisfaction": 4, "recommend": 9, "effort": 6});
        if let (Some(all), Some(extra)) = (all.as_object_mut(), extra.as_object()) {
            all.extend(extra.clone());
        }
        all
    }

    fn one_error(extra: serde_json::Value) -> (String, String) {
        let mut errs = errors(with_required(extra));
        assert_eq!(errs.len(), 1, "{errs:?}");
        errs.remove(0)
    }

    #[test]
    fn a_full_response_passes_and_is_normalised() {
        let valid = pilot()
            .check(&parse(json!({
                "satisfaction": 4,
                "recommend": 9,
                "effort": 6,
                "preference": "appointment",
                "channels_known": ["chat", "online"],
                "could_online": " partly ",
                "comments": "  Nopeaa palvelua, kiitos!\r\n\u{0}Hyvä.  "
            })))
            .unwrap();
        assert_eq!((valid.questionnaire(), valid.version()), ("pilot", 1));
        let stored: Vec<_> = valid.iter().map(|(k, t, v)| (k.to_owned(), t, v.clone())).collect();
        assert_eq!(
            stored,
            [
                ("satisfaction".to_owned(), QuestionType::Csat, Answer::Score(4)),
                ("recommend".to_owned(), QuestionType::Nps, Answer::Score(9)),
                ("effort".to_owned(), QuestionType::Ces, Answer::Score(6)),
                ("preference".to_owned(), QuestionType::SingleChoice, Answer::Choice("appointment".into())),
                (
                    "channels_known".to_owned(),
                    QuestionType::MultipleChoice,
                    Answer::Choices(vec!["online".into(), "chat".into()])
                ),
                ("could_online".to_owned(), QuestionType::SingleChoice, Answer::Choice("partly".into())),
                (
                    "comments".to_owned(),
                    QuestionType::FreeText,
                    Answer::Text("Nopeaa palvelua, kiitos!\nHyvä.".into())
                ),
            ]
        );
        assert_eq!(valid.score("recommend"), Some(9));
    }

    #[test]
    fn only_the_scores_are_required_and_blanks_count_as_unanswered() {
        let valid = pilot()
            .check(&parse(with_required(json!({
                "preference": "", "could_online": null, "comments": "   "
            }))))
            .unwrap();
        assert_eq!(valid.len(), 3);
        assert_eq!(valid.get("comments"), None);
    }

    #[test]
    fn an_empty_channel_list_means_knew_none() {
        let valid = pilot().check(&parse(with_required(json!({"channels_known": []})))).unwrap();
        assert_eq!(valid.get("channels_known"), Some(&Answer::Choices(vec![])));
    }

    #[test]
    fn missing_required_scores_are_each_named() {
        let errs = errors(json!({"comments": "Hyvä"}));
        let fields: Vec<&str> = errs.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["answers.satisfaction", "answers.recommend", "answers.effort"]);
        assert!(errs.iter().all(|(_, m)| m == "is required"));
    }

    #[test]
    fn scores_out_of_range_or_not_whole_are_refused() {
        assert_eq!(
            one_error(json!({"recommend": 11})),
            ("answers.recommend".into(), "must be a whole number from 0 to 10, not 11".into())
        );
        assert_eq!(one_error(json!({"satisfaction": 0})).1, "must be a whole number from 1 to 5, not 0");
        assert_eq!(one_error(json!({"effort": 8})).1, "must be a whole number from 1 to 7, not 8");
        assert_eq!(one_error(json!({"recommend": -1})).1, "must be a whole number from 0 to 10, not -1");
        assert_eq!(one_error(json!({"recommend": 4.5})).1, "must be a whole number from 0 to 10, not 4.5");
        assert_eq!(one_error(json!({"recommend": 300})).1, "must be a whole number from 0 to 10, not 300");
        assert_eq!(one_error(json!({"recommend": "9"})).1, "must be a whole number from 0 to 10");
        assert_eq!(one_error(json!({"recommend": {"score": 9}})).1, "must be a whole number from 0 to 10");
        assert!(pilot().check(&parse(with_required(json!({"recommend": 9.0})))).is_ok());
    }

    #[test]
    fn unknown_options_list_the_allowed_keys() {
        assert_eq!(
            one_error(json!({"preference": "walk_in"})),
            (
                "answers.preference".into(),
                "unknown option `walk_in`: expected one of `appointment`, `without_appointment`, \
                 `no_preference`"
                    .into()
            )
        );
        let (field, message) = one_error(json!({"channels_known": ["online", "email"]}));
        assert_eq!(field, "answers.channels_known");
        assert!(message.starts_with("unknown option `email`"), "{message}");
        assert_eq!(
            one_error(json!({"could_online": ["yes"]})).1,
            "must be one option key as a string: one of `yes`, `partly`, `no`"
        );
        assert_eq!(
            one_error(json!({"channels_known": "online"})).1,
            "must be a list of option keys from `online`, `phone`, `partner_point`, `chat`"
        );
        assert_eq!(one_error(json!({"channels_known": ["online", 3]})).0, "answers.channels_known");
    }

    #[test]
    fn a_repeated_choice_is_refused() {
        assert_eq!(
            one_error(json!({"channels_known": ["phone", "phone"]})),
            ("answers.channels_known".into(), "lists `phone` twice".into())
        );
    }

    #[test]
    fn text_that_is_too_long_or_not_text_is_refused() {
        let long = "ä".repeat(2001);
        assert_eq!(
            one_error(json!({"comments": long})),
            ("answers.comments".into(), "must be at most 2000 characters, not 2001".into())
        );
        assert!(pilot().check(&parse(with_required(json!({"comments": "ä".repeat(2000)})))).is_ok());
        assert_eq!(one_error(json!({"comments": 5})).1, "must be a string");
    }

    #[test]
    fn unknown_questions_and_repeated_keys_are_refused() {
        let (field, message) = one_error(json!({"mood": 3}));
        assert_eq!(field, "answers.mood");
        assert!(
            message.starts_with("is not a question of this questionnaire: expected one of `satisfaction`")
        );
        let answers: SubmittedAnswers = serde_json::from_str(
            r#"{"answers": {"satisfaction": 4, "recommend": 9, "recommend": 10, "effort": 6}}"#,
        )
        .unwrap();
        let errs = pilot().check(&answers.answers).unwrap_err();
        assert_eq!(
            (errs[0].field.as_str(), errs[0].message.as_str()),
            ("answers.recommend", "is given twice")
        );
    }

    #[test]
    fn yes_no_takes_only_booleans() {
        let mut q = pilot();
        q.questions.push(crate::questionnaire::Question {
            key: "resolved".into(),
            text: q.questions[0].text.clone(),
            kind: QuestionKind::YesNo,
            required: true,
        });
        let answers = parse(with_required(json!({"resolved": "yes"})));
        let errs = q.check(&answers).unwrap_err();
        assert_eq!(
            (errs[0].field.as_str(), errs[0].message.as_str()),
            ("answers.resolved", "must be true (yes) or false (no)")
        );
        let valid = q.check(&parse(with_required(json!({"resolved": false})))).unwrap();
        assert_eq!(valid.get("resolved"), Some(&Answer::YesNo(false)));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errs = errors(json!({"recommend": 12, "preference": "x", "comments": [], "extra": true}));
        let fields: Vec<&str> = errs.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "answers.satisfaction",
                "answers.recommend",
                "answers.effort",
                "answers.preference",
                "answers.comments",
                "answers.extra"
            ]
        );
    }

    #[test]
    fn answers_serialise_as_plain_json_values() {
        let answers = Answers::new()
            .with("recommend", Answer::Score(9))
            .with("preference", Answer::Choice("appointment".into()))
            .with("channels_known", Answer::Choices(vec!["online".into()]))
            .with("comments", Answer::Text("Hyvä".into()));
        let value = serde_json::to_value(&answers).unwrap();
        assert_eq!(
            value,
            json!({"recommend": 9, "preference": "appointment", "channels_known": ["online"], "comments": "Hyvä"})
        );
        assert_eq!(parse(value).get("recommend"), Some(&Answer::Score(9)));
        assert!(serde_json::from_value::<Answer>(json!(null)).is_err());
        assert!(serde_json::from_value::<SubmittedAnswers>(json!({"answer": {}})).is_err());
    }

    proptest! {
        #[test]
        fn any_nps_score_from_0_to_10_is_accepted(score in 0u8..=10) {
            let valid = pilot().check(&parse(with_required(json!({"recommend": score})))).unwrap();
            prop_assert_eq!(valid.score("recommend"), Some(score));
        }

        #[test]
        fn any_nps_score_above_10_is_refused(score in 11u64..) {
            let errs = errors(with_required(json!({"recommend": score})));
            prop_assert_eq!(errs.len(), 1);
            prop_assert_eq!(&errs[0].0, "answers.recommend");
            prop_assert_eq!(&errs[0].1, &format!("must be a whole number from 0 to 10, not {score}"));
        }

        #[test]
        fn any_typed_nps_score_above_10_is_refused(score in 11u8..) {
            let answers = parse(with_required(json!({}))).with("recommend", Answer::Score(score));
            prop_assert!(pilot().check(&answers).is_err());
        }
    }
}
