//! `/{lang}/admin/questionnaire`: the questionnaire citizens answer, every text of it in
//! Finnish, Swedish and English side by side: its title and introduction, each question,
//! its answers, and the scale ends and yes/no as the citizen's page labels them. The
//! questions come from the stored template the invitations refer to (the code's current
//! version), the labels from the page catalogue the citizen's page uses, so a wording
//! shown here is the wording citizens see.

use crate::catalogue::{AdminText as A, Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::Errors;
use crate::staff::Signed;
use actix_web::HttpResponse;
use askama::Template;
use aukiolo_domain::questionnaire::{pilot, Question, QuestionKind, Questionnaire};
use aukiolo_domain::{Locale, LocalisedText};
use aukiolo_store::questionnaires;

/// One text in the three languages.
pub struct TextRow {
    pub what: String,
    pub fi: String,
    pub sv: String,
    pub en: String,
}

impl TextRow {
    fn of(what: String, text: &LocalisedText) -> Self {
        TextRow { what, fi: text.fi.clone(), sv: text.sv.clone(), en: text.en.clone() }
    }

    /// A text of the page catalogue, as the citizen's page shows it in each language.
    fn catalogue(what: String, text: Text, prefix: &str) -> Self {
        let one = |l: Locale| format!("{prefix}{}", Tr(l).get(text));
        TextRow { what, fi: one(Locale::Fi), sv: one(Locale::Sv), en: one(Locale::En) }
    }
}

/// One question: its key, kind and texts.
pub struct QuestionTexts {
    pub id: String,
    pub heading: String,
    pub kind: String,
    pub rows: Vec<TextRow>,
}

#[derive(Template)]
#[template(path = "admin/questionnaire.html")]
struct QuestionnairePage {
    c: Chrome,
    heading: &'static str,
    intro: String,
    general: Vec<TextRow>,
    questions: Vec<QuestionTexts>,
}

fn kind_text(kind: &QuestionKind) -> A {
    match kind {
        QuestionKind::Nps => A::TypeNps,
        QuestionKind::Csat => A::TypeCsat,
        QuestionKind::Ces => A::TypeCes,
        QuestionKind::SingleChoice { .. } => A::TypeSingle,
        QuestionKind::MultipleChoice { .. } => A::TypeMultiple,
        QuestionKind::YesNo => A::TypeYesNo,
        QuestionKind::FreeText { .. } => A::TypeFreeText,
    }
}

fn question(t: Tr, n: usize, q: &Question) -> QuestionTexts {
    let mut rows = vec![TextRow::of(t.a(A::RowQuestion).to_owned(), &q.text)];
    let ends = match q.kind {
        QuestionKind::Nps => Some((Text::NpsLow, Text::NpsHigh)),
        QuestionKind::Csat => Some((Text::CsatLow, Text::CsatHigh)),
        QuestionKind::Ces => Some((Text::CesLow, Text::CesHigh)),
        _ => None,
    };
    if let (Some((low, high)), Some(scale)) = (ends, q.kind.scale()) {
        let (min, max) = (scale.start().to_string(), scale.end().to_string());
        rows.push(TextRow::catalogue(t.fill_a(A::RowLow, &[("n", &min)]), low, &format!("{min} – ")));
        rows.push(TextRow::catalogue(t.fill_a(A::RowHigh, &[("n", &max)]), high, &format!("{max} – ")));
    }
    if q.kind == QuestionKind::YesNo {
        rows.push(TextRow::catalogue(t.a(A::RowYes).to_owned(), Text::Yes, ""));
        rows.push(TextRow::catalogue(t.a(A::RowNo).to_owned(), Text::No, ""));
    }
    rows.extend(
        q.kind.options().iter().map(|o| TextRow::of(t.fill_a(A::RowOption, &[("key", &o.key)]), &o.label)),
    );
    let optional = if q.required { String::new() } else { format!(" ({})", t.a(A::Optional)) };
    QuestionTexts {
        id: format!("q-{}", q.key),
        heading: format!("{n}. {}{optional}", q.key),
        kind: t.a(kind_text(&q.kind)).to_owned(),
        rows,
    }
}

fn view(signed: &Signed, q: &Questionnaire) -> QuestionnairePage {
    let t = Tr(signed.lang());
    let heading = t.a(A::QuestionnaireTitle);
    QuestionnairePage {
        c: super::chrome(signed, heading, &Errors::default()),
        heading,
        intro: t.fill_a(A::QuestionnaireIntro, &[("key", &q.key), ("version", &q.version.to_string())]),
        general: vec![
            TextRow::of(t.a(A::RowTitle).to_owned(), &q.title),
            TextRow::of(t.a(A::RowIntro).to_owned(), &q.intro),
        ],
        questions: q.questions.iter().enumerate().map(|(i, x)| question(t, i + 1, x)).collect(),
    }
}

pub async fn page(signed: Signed) -> Result<HttpResponse, Problem> {
    super::require_admin(&signed)?;
    let current = pilot();
    let stored =
        signed.site().read(move |c| questionnaires::template(c, &current.key, current.version)).await?;
    crate::pages::staff::html(&view(&signed, &stored))
}
