//! `/{lang}/questionnaire/{token}`, the link in the invitation after a visit: every
//! question on one page, answered once. The token in the path is the only key; what is
//! stored carries nothing that leads back to the citizen (see the store).

use crate::catalogue::{Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::{same_origin, Errors};
use crate::lang::{Cx, Lang};
use crate::site::Site;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use aukiolo_domain::questionnaire::{Answer, Answers, QuestionKind, Questionnaire};
use aukiolo_domain::Locale;
use aukiolo_store::{questionnaires, StoreError};
use std::collections::HashMap;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/questionnaire/thanks", crate::pages::get().to(thanks))
        .route("/questionnaire/{token}", crate::pages::get().to(page))
        .route("/questionnaire/{token}", web::post().to(post));
}

/// One option of a question: a radio or a checkbox.
#[derive(Clone, Debug)]
pub struct Opt {
    pub id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Clone, Debug)]
pub enum Input {
    Radios { options: Vec<Opt>, inline: bool },
    Checkboxes(Vec<Opt>),
    Text { value: String, max: u32 },
}

#[derive(Clone, Debug)]
pub struct QuestionView {
    pub key: String,
    pub id: String,
    pub text: String,
    pub optional: bool,
    pub input: Input,
}

#[derive(Template)]
#[template(path = "questionnaire.html")]
struct QuestionnairePage {
    c: Chrome,
    title: String,
    intro: String,
    action: String,
    token: String,
    questions: Vec<QuestionView>,
    errors: Errors,
}

#[derive(Template)]
#[template(path = "info.html")]
struct ThanksPage {
    c: Chrome,
    heading: &'static str,
    paragraphs: Vec<String>,
}

/// An unknown token is a link that is not valid, an answered one says so, an expired
/// one has expired.
fn problem(e: StoreError) -> Problem {
    match e {
        StoreError::NotFound(_) => Problem::LinkInvalid,
        StoreError::Conflict(_) => Problem::AlreadyAnswered,
        e => Problem::from(e),
    }
}

fn scale_label(t: Tr, kind: &QuestionKind, n: u8, min: u8, max: u8) -> String {
    let ends = match kind {
        QuestionKind::Nps => Some((Text::NpsLow, Text::NpsHigh)),
        QuestionKind::Csat => Some((Text::CsatLow, Text::CsatHigh)),
        QuestionKind::Ces => Some((Text::CesLow, Text::CesHigh)),
        _ => None,
    };
    match ends {
        Some((low, _)) if n == min => format!("{n} – {}", t.get(low)),
        Some((_, high)) if n == max => format!("{n} – {}", t.get(high)),
        _ => n.to_string(),
    }
}

fn views(q: &Questionnaire, lang: Locale, given: &HashMap<String, Vec<String>>) -> Vec<QuestionView> {
    let t = Tr(lang);
    q.questions
        .iter()
        .map(|question| {
            let key = &question.key;
            let id = format!("q-{key}");
            let values = given.get(key).cloned().unwrap_or_default();
            let opt = |i: usize, value: String, label: String| Opt {
                id: if i == 0 { id.clone() } else { format!("{id}-{i}") },
                checked: values.contains(&value),
                value,
                label,
            };
            let input = match &question.kind {
                kind @ (QuestionKind::Nps | QuestionKind::Csat | QuestionKind::Ces) => {
                    let range = kind.scale().unwrap_or(0..=0);
                    let (min, max) = (*range.start(), *range.end());
                    let options = range
                        .enumerate()
                        .map(|(i, n)| opt(i, n.to_string(), scale_label(t, kind, n, min, max)))
                        .collect();
                    Input::Radios { options, inline: true }
                }
                QuestionKind::SingleChoice { options } => Input::Radios {
                    options: options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| opt(i, o.key.clone(), o.label.get(lang).to_owned()))
                        .collect(),
                    inline: false,
                },
                QuestionKind::MultipleChoice { options, .. } => Input::Checkboxes(
                    options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| opt(i, o.key.clone(), o.label.get(lang).to_owned()))
                        .collect(),
                ),
                QuestionKind::YesNo => Input::Radios {
                    options: vec![
                        opt(0, "yes".into(), t.get(Text::Yes).into()),
                        opt(1, "no".into(), t.get(Text::No).into()),
                    ],
                    inline: true,
                },
                QuestionKind::FreeText { max_chars } => {
                    Input::Text { value: values.first().cloned().unwrap_or_default(), max: *max_chars }
                }
            };
            QuestionView {
                key: key.clone(),
                id,
                text: question.text.get(lang).to_owned(),
                optional: !question.required,
                input,
            }
        })
        .collect()
}

/// The form's answers as the questionnaire reads them.
fn answers(q: &Questionnaire, given: &HashMap<String, Vec<String>>) -> Answers {
    let mut answers = Answers::new();
    for question in &q.questions {
        let values: Vec<String> = given
            .get(&question.key)
            .into_iter()
            .flatten()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        let Some(first) = values.first().cloned() else { continue };
        let answer = match &question.kind {
            QuestionKind::Nps | QuestionKind::Csat | QuestionKind::Ces => {
                first.parse::<u8>().map(Answer::Score).unwrap_or(Answer::Text(first))
            }
            QuestionKind::MultipleChoice { .. } => Answer::Choices(values),
            QuestionKind::YesNo => match first.as_str() {
                "yes" => Answer::YesNo(true),
                "no" => Answer::YesNo(false),
                _ => Answer::Text(first),
            },
            QuestionKind::SingleChoice { .. } | QuestionKind::FreeText { .. } => Answer::Text(first),
        };
        answers.insert(question.key.clone(), answer);
    }
    answers
}

fn render(
    req: &HttpRequest,
    lang: Locale,
    site: &Site,
    token: &str,
    q: &Questionnaire,
    given: &HashMap<String, Vec<String>>,
    errors: Errors,
) -> Result<HttpResponse, Problem> {
    let localised = q.localised(lang);
    let mut c = Chrome::new(req, lang, &localised.title);
    if !errors.is_empty() {
        c.mark_error();
    }
    let page = QuestionnairePage {
        c,
        title: localised.title,
        intro: localised.intro,
        action: format!("/{}/questionnaire/{token}", lang.as_str()),
        token: site.sealer.form_token("questionnaire", token),
        questions: views(q, lang, given),
        errors,
    };
    Ok(super::booking::private(crate::pages::html(&page)?))
}

pub async fn page(
    Cx { req, lang, site }: Cx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Problem> {
    let token = path.into_inner().1;
    let (now, t2) = (site.now(), token.clone());
    let open = site.db(move |c| questionnaires::open(c, &t2, now)).await.map_err(problem)?;
    render(&req, lang, &site, &token, &open.questionnaire, &HashMap::new(), Errors::default())
}

pub async fn post(
    Cx { req, lang, site }: Cx,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, Problem> {
    same_origin(&req)?;
    let token = path.into_inner().1;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| Problem::FormRefused)?;
    let mut given: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in pairs {
        given.entry(k).or_default().push(v);
    }
    let form_token = given.get("token").and_then(|v| v.first()).cloned().unwrap_or_default();
    if !site.sealer.check_form_token("questionnaire", &token, &form_token) {
        return Err(Problem::FormRefused);
    }
    let (now, t2) = (site.now(), token.clone());
    let open = site.db(move |c| questionnaires::open(c, &t2, now)).await.map_err(problem)?;
    let submitted = answers(&open.questionnaire, &given);
    match open.questionnaire.check(&submitted) {
        Ok(valid) => {
            let t2 = token.clone();
            site.db(move |c| questionnaires::answer(c, &t2, &valid, now)).await.map_err(problem)?;
            Ok(super::book::see_other(&format!("/{}/questionnaire/thanks", lang.as_str())))
        }
        Err(fields) => {
            let t = Tr(lang);
            let mut errors = Errors::default();
            for q in &open.questionnaire.questions {
                if !fields.iter().any(|f| f.field == format!("answers.{}", q.key)) {
                    continue;
                }
                let message =
                    if submitted.get(&q.key).is_none() { Text::AnswerMissing } else { Text::AnswerInvalid };
                errors.add_owned(format!("q-{}", q.key), t.get(message));
            }
            render(&req, lang, &site, &token, &open.questionnaire, &given, errors)
        }
    }
}

pub async fn thanks(req: HttpRequest, Lang(lang): Lang) -> Result<HttpResponse, Problem> {
    let t = Tr(lang);
    let heading = t.get(Text::ThanksTitle);
    crate::pages::html(&ThanksPage {
        c: Chrome::new(&req, lang, heading),
        heading,
        paragraphs: vec![t.get(Text::ThanksBody).to_owned()],
    })
}
