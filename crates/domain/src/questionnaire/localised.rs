//! The questionnaire in one language, as a citizen's client renders it: plain strings, and
//! the scale bounds spelt out so a client need not know what NPS, CSAT or CES mean.

use super::{QuestionKind, Questionnaire};
use crate::Locale;
use serde::{Deserialize, Serialize};

/// A questionnaire in one language (`GET /api/v1/questionnaires/{token}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalisedQuestionnaire {
    #[cfg_attr(feature = "openapi", schema(example = "pilot"))]
    pub key: String,
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub version: u32,
    pub locale: Locale,
    pub title: String,
    pub intro: String,
    pub questions: Vec<LocalisedQuestion>,
}

/// One question in one language; `key` is the key to answer it under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalisedQuestion {
    #[cfg_attr(feature = "openapi", schema(example = "recommend"))]
    pub key: String,
    pub text: String,
    pub required: bool,
    pub kind: LocalisedKind,
}

/// The answer a question takes, with what a client needs to draw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LocalisedKind {
    /// A whole number from `min` to `max` (0–10).
    Nps { min: u8, max: u8 },
    /// A whole number from `min` to `max` (1–5).
    Csat { min: u8, max: u8 },
    /// A whole number from `min` to `max` (1–7).
    Ces { min: u8, max: u8 },
    /// Answer with one option key as a string.
    SingleChoice { options: Vec<LocalisedChoice> },
    /// Answer with a list of distinct option keys; `allow_empty` says whether `[]` is an answer.
    MultipleChoice { options: Vec<LocalisedChoice>, allow_empty: bool },
    /// Answer with `true` or `false`.
    YesNo,
    /// Answer with a string of at most `max_chars` characters after trimming.
    FreeText { max_chars: u32 },
}

/// One option in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalisedChoice {
    #[cfg_attr(feature = "openapi", schema(example = "appointment"))]
    pub key: String,
    pub label: String,
}

impl Questionnaire {
    /// The template in `locale`, keys and order unchanged.
    pub fn localised(&self, locale: Locale) -> LocalisedQuestionnaire {
        LocalisedQuestionnaire {
            key: self.key.clone(),
            version: self.version,
            locale,
            title: self.title.get(locale).to_owned(),
            intro: self.intro.get(locale).to_owned(),
            questions: self
                .questions
                .iter()
                .map(|q| LocalisedQuestion {
                    key: q.key.clone(),
                    text: q.text.get(locale).to_owned(),
                    required: q.required,
                    kind: localise_kind(&q.kind, locale),
                })
                .collect(),
        }
    }
}

fn localise_kind(kind: &QuestionKind, locale: Locale) -> LocalisedKind {
    let options = || {
        kind.options()
            .iter()
            .map(|o| LocalisedChoice { key: o.key.clone(), label: o.label.get(locale).to_owned() })
            .collect()
    };
    let (min, max) = kind.scale().map(|r| (*r.start(), *r.end())).unwrap_or_default();
    match kind {
        QuestionKind::Nps => LocalisedKind::Nps { min, max },
        QuestionKind::Csat => LocalisedKind::Csat { min, max },
        QuestionKind::Ces => LocalisedKind::Ces { min, max },
        QuestionKind::SingleChoice { .. } => LocalisedKind::SingleChoice { options: options() },
        QuestionKind::MultipleChoice { allow_empty, .. } => {
            LocalisedKind::MultipleChoice { options: options(), allow_empty: *allow_empty }
        }
        QuestionKind::YesNo => LocalisedKind::YesNo,
        QuestionKind::FreeText { max_chars } => LocalisedKind::FreeText { max_chars: *max_chars },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::pilot;

    /// Everything but the words: keys, order, requiredness, kinds and option keys.
    fn skeleton(q: &LocalisedQuestionnaire) -> Vec<(String, bool, String, Vec<String>)> {
        q.questions
            .iter()
            .map(|q| {
                let (kind, options) = match &q.kind {
                    LocalisedKind::SingleChoice { options }
                    | LocalisedKind::MultipleChoice { options, .. } => {
                        ("choice", options.iter().map(|o| o.key.clone()).collect())
                    }
                    other => (
                        if matches!(other, LocalisedKind::FreeText { .. }) { "text" } else { "scalar" },
                        vec![],
                    ),
                };
                (q.key.clone(), q.required, kind.to_owned(), options)
            })
            .collect()
    }

    #[test]
    fn every_locale_has_the_same_keys_and_shape() {
        let template = pilot();
        let fi = template.localised(Locale::Fi);
        for locale in [Locale::Sv, Locale::En] {
            let view = template.localised(locale);
            assert_eq!(view.locale, locale);
            assert_eq!((&view.key, view.version), (&fi.key, fi.version));
            assert_eq!(skeleton(&view), skeleton(&fi));
        }
    }

    #[test]
    fn view_uses_the_requested_language_and_spells_out_scales() {
        let view = pilot().localised(Locale::Sv);
        assert_eq!(view.title, "Berätta om din erfarenhet av FPA:s service");
        let recommend = view.questions.iter().find(|q| q.key == "recommend").map(|q| &q.kind);
        assert_eq!(recommend, Some(&LocalisedKind::Nps { min: 0, max: 10 }));
        let json = serde_json::to_value(&view.questions[3]).unwrap();
        assert_eq!(json["kind"]["type"], "single_choice");
        assert_eq!(
            json["kind"]["options"][0],
            serde_json::json!({"key": "appointment", "label": "Jag skulle boka en tid"})
        );
        assert_eq!(json["required"], false);
    }
}
