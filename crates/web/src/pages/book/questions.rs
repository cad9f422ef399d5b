//! The journey's choice questions: topic, channel, office (with its next free time) and
//! language. Each is a GET form: answering builds the next page's query string, so
//! nothing is stored and the back button always works.

use super::{see_other, Flow, Step};
use crate::catalogue::{Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::Errors;
use crate::journey::{Choices, Query};
use crate::lang::{Cx, Lang};
use crate::site::Site;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use aukiolo_domain::{dates, Channel, Locale};
use aukiolo_store::availability::{self, TimeQuery};
use aukiolo_store::rate_limits::Counted;
use chrono::Duration;

/// One answer of a radio question.
#[derive(Clone, Debug)]
pub struct Answer {
    pub value: String,
    pub label: String,
    pub hint: Option<String>,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "question.html")]
pub struct QuestionPage {
    pub c: Chrome,
    pub step: String,
    pub heading: String,
    pub hint: Option<String>,
    pub action: String,
    pub name: &'static str,
    pub answers: Vec<Answer>,
    pub hidden: Vec<(&'static str, String)>,
    pub errors: Errors,
    /// Said after the answers (offices without free times, the phone service).
    pub notes: Vec<String>,
}

/// `/{lang}/book`: the first question.
pub async fn begin(Lang(lang): Lang, site: web::Data<Site>) -> Result<HttpResponse, Problem> {
    let flow = site.read(|c| Flow::load(c, Choices::default())).await?;
    let first = flow.steps().into_iter().next().unwrap_or(Step::Time);
    Ok(see_other(&flow.url(lang, first)))
}

/// The choices a question's form carries: only those before it, so a changed answer
/// cannot leave a later one (a time of another topic) behind.
fn before(choices: &Choices, step: Step) -> Choices {
    let mut c = choices.clone();
    let keep = |s: Step| Step::ALL.iter().position(|x| *x == s) < Step::ALL.iter().position(|x| *x == step);
    if !keep(Step::Topic) {
        c.topic = None;
    }
    if !keep(Step::Channel) {
        c.channel = None;
    }
    if !keep(Step::Office) {
        c.office = None;
    }
    if !keep(Step::Language) {
        c.language = None;
    }
    c.start = None;
    c.week = None;
    c
}

/// What a question page needs besides its answers.
struct Asked {
    step: Step,
    name: &'static str,
    heading: Text,
    hint: Option<String>,
    missing: Text,
}

/// The common course of a question: earlier answers first, a single answer skipped, a
/// submitted answer on to the next page, else the question (with its error).
async fn ask(
    req: HttpRequest,
    lang: Locale,
    site: web::Data<Site>,
    query: Query,
    asked: Asked,
    answers: impl FnOnce(&Flow, &Site) -> Result<(Vec<Answer>, Vec<String>), Problem> + Send + 'static,
) -> Result<HttpResponse, Problem> {
    let choices = Choices::from_query(&query);
    let step = asked.step;
    let flow = site.read(move |c| Flow::load(c, choices)).await?;
    if let Some(missing) = flow.missing_before(step) {
        return Ok(see_other(&flow.url(lang, missing)));
    }
    if !flow.asks(step) || (query.contains_key("go") && flow.answered(step)) {
        return Ok(see_other(&flow.next(lang, step)));
    }
    let site2 = site.clone();
    let flow2 = flow.clone();
    let (answers, notes) =
        web::block(move || answers(&flow2, &site2)).await.map_err(|_| Problem::Unavailable)??;
    let t = Tr(lang);
    let mut errors = Errors::default();
    if query.contains_key("go") {
        errors.add(asked.name, t.get(asked.missing));
    }
    let heading = t.get(asked.heading).to_owned();
    let mut c = Chrome::new(&req, lang, &heading).with_back(flow.back(lang, step));
    if !errors.is_empty() {
        c.mark_error();
    }
    let (n, of) = flow.position(step);
    crate::pages::html(&QuestionPage {
        c,
        step: t.fill(Text::StepOf, &[("n", &n.to_string()), ("of", &of.to_string())]),
        heading,
        hint: asked.hint,
        action: format!("/{}/book/{}", lang.as_str(), step.slug()),
        name: asked.name,
        answers,
        hidden: before(&flow.choices, step).pairs(),
        errors,
        notes,
    })
}

pub async fn topic(
    Cx { req, lang, site }: Cx,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    let asked = Asked {
        step: Step::Topic,
        name: "topic",
        heading: Text::TopicQuestion,
        hint: None,
        missing: Text::TopicMissing,
    };
    ask(req, lang, site, query, asked, move |flow, _| {
        let answers = flow
            .topics
            .iter()
            .map(|t| Answer {
                value: t.id.to_string(),
                label: t.fields.name.get(lang).to_owned(),
                hint: None,
                checked: flow.choices.topic == Some(t.id),
            })
            .collect();
        Ok((answers, vec![]))
    })
    .await
}

pub async fn channel(
    Cx { req, lang, site }: Cx,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    let t = Tr(lang);
    let asked = Asked {
        step: Step::Channel,
        name: "channel",
        heading: Text::ChannelQuestion,
        hint: None,
        missing: Text::ChannelMissing,
    };
    ask(req, lang, site, query, asked, move |flow, _| {
        let answers = flow
            .channels()
            .into_iter()
            .map(|ch| {
                let (label, hint) = match ch {
                    Channel::Office => (Text::ChannelOffice, Text::ChannelOfficeHint),
                    Channel::Phone => (Text::ChannelPhone, Text::ChannelPhoneHint),
                };
                Answer {
                    value: ch.as_str().to_owned(),
                    label: t.get(label).to_owned(),
                    hint: Some(t.get(hint).to_owned()),
                    checked: flow.choices.channel == Some(ch),
                }
            })
            .collect();
        Ok((answers, vec![]))
    })
    .await
}

pub async fn office(
    Cx { req, lang, site }: Cx,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    // Each office's first free time is a look-up of availability.
    site.limit(Counted::AvailabilityByAddress, &site.client_address(&req))?;
    let t = Tr(lang);
    let asked = Asked {
        step: Step::Office,
        name: "office",
        heading: Text::OfficeQuestion,
        hint: Some(t.get(Text::OfficeHint).to_owned()),
        missing: Text::OfficeMissing,
    };
    ask(req, lang, site, query, asked, move |flow, site| {
        let mut conn = site.pool.get().map_err(|_| Problem::Unavailable)?;
        let now = site.now();
        let Some(topic) = flow.topic() else { return Ok((vec![], vec![])) };
        let mut answers = Vec::new();
        let mut without = Vec::new();
        for office in &flow.offices {
            // The earliest time in any language the office serves: the language is
            // asked next, and a citizen comparing offices wants to know who can help soonest.
            let mut next = None;
            for l in crate::lang::ALL {
                if !office.fields.languages.iter().any(|x| x.as_str() == l.as_str()) {
                    continue;
                }
                let q = TimeQuery {
                    topic_id: topic.id,
                    channel: Channel::Office,
                    office_id: Some(office.id),
                    advisor_id: None,
                    language: l.into(),
                    from: now,
                    to: now + Duration::weeks(i64::from(site.horizon_weeks)),
                };
                let first = availability::citizen_times(&mut conn, &q, now)
                    .map_err(Problem::from)?
                    .into_iter()
                    .next();
                next = match (next, first) {
                    (Some(a), Some(b)) if b.start < a => Some(b.start),
                    (None, Some(b)) => Some(b.start),
                    (n, _) => n,
                };
            }
            let name = office.fields.name.get(lang);
            let a = &office.fields.address;
            let address = format!("{}, {} {}", a.street, a.postal_code, a.municipality);
            match next {
                Some(start) => {
                    let when = dates::date_time(lang, office.fields.local(start));
                    answers.push(Answer {
                        value: office.id.to_string(),
                        label: name.to_owned(),
                        hint: Some(t.fill(Text::OfficeNextFree, &[("address", &address), ("when", &when)])),
                        checked: flow.choices.office == Some(office.id),
                    });
                }
                None => without.push(t.fill(Text::OfficeNoTimes, &[("office", name), ("address", &address)])),
            }
        }
        Ok((answers, without))
    })
    .await
}

pub async fn language(
    Cx { req, lang, site }: Cx,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    let t = Tr(lang);
    let asked = Asked {
        step: Step::Language,
        name: "language",
        heading: Text::LanguageQuestion,
        hint: None,
        missing: Text::LanguageMissing,
    };
    ask(req, lang, site, query, asked, move |flow, site| {
        let answers: Vec<Answer> = flow
            .languages()
            .into_iter()
            .map(|l| Answer {
                value: l.as_str().to_owned(),
                label: t.get(language_name(l)).to_owned(),
                hint: None,
                checked: flow.choices.language == Some(l),
            })
            .collect();
        let notes = if answers.is_empty() {
            vec![t.get(Text::NothingAtAll).to_owned(), site.service.phone_line(lang)]
        } else {
            vec![]
        };
        Ok((answers, notes))
    })
    .await
}

/// The name of a language in the page's language.
pub fn language_name(l: Locale) -> Text {
    match l {
        Locale::Fi => Text::Finnish,
        Locale::Sv => Text::Swedish,
        Locale::En => Text::English,
    }
}
