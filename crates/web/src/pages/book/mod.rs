//! The citizen's booking journey under `/{lang}/book/…`: one question a page, a step
//! skipped when it has one answer, the choices in the query string (see `journey.rs`).

pub mod about;
pub mod check;
pub mod questions;
pub mod time;

use crate::journey::{query_string, Choices};
use actix_web::{web, HttpResponse};
use aukiolo_domain::advisor::Advisor;
use aukiolo_domain::office::Office;
use aukiolo_domain::topic::Topic;
use aukiolo_domain::{Channel, Locale};
use aukiolo_store::{advisors, offices, topics, DbConnection, StoreError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/book", crate::pages::get().to(questions::begin))
        .route("/book/topic", crate::pages::get().to(questions::topic))
        .route("/book/channel", crate::pages::get().to(questions::channel))
        .route("/book/office", crate::pages::get().to(questions::office))
        .route("/book/language", crate::pages::get().to(questions::language))
        .route("/book/time", crate::pages::get().to(time::page))
        .route("/book/matter", crate::pages::get().to(about::matter_page))
        .route("/book/matter", web::post().to(about::matter_post))
        .route("/book/details", crate::pages::get().to(about::details_page))
        .route("/book/details", web::post().to(about::details_post))
        .route("/book/check", crate::pages::get().to(check::page))
        .route("/book/check", web::post().to(check::book));
}

/// The steps of a journey, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Topic,
    Channel,
    Office,
    Language,
    Time,
    Matter,
    Details,
    Check,
}

impl Step {
    const ALL: [Step; 8] = [
        Step::Topic,
        Step::Channel,
        Step::Office,
        Step::Language,
        Step::Time,
        Step::Matter,
        Step::Details,
        Step::Check,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Step::Topic => "topic",
            Step::Channel => "channel",
            Step::Office => "office",
            Step::Language => "language",
            Step::Time => "time",
            Step::Matter => "matter",
            Step::Details => "details",
            Step::Check => "check",
        }
    }
}

/// What the journey's questions are asked about: the topics and offices as they stand.
#[derive(Clone, Debug)]
pub struct Flow {
    pub topics: Vec<Topic>,
    pub offices: Vec<Office>,
    pub advisors: Vec<Advisor>,
    pub choices: Choices,
}

impl Flow {
    pub fn load(conn: &mut DbConnection, choices: Choices) -> Result<Flow, StoreError> {
        let (topics, offices, advisors) =
            (topics::list(conn)?, offices::list(conn)?, advisors::list_active(conn)?);
        let mut flow = Flow { topics, offices, advisors, choices };
        flow.fill_in_single_answers();
        Ok(flow)
    }

    pub fn topic(&self) -> Option<&Topic> {
        self.choices.topic.and_then(|id| self.topics.iter().find(|t| t.id == id))
    }

    pub fn office(&self) -> Option<&Office> {
        self.choices.office.and_then(|id| self.offices.iter().find(|o| o.id == id))
    }

    /// The zone times are shown in: the office's; for a phone appointment, which any office
    /// may serve, the zone of the offices (one country, one zone).
    pub fn tz(&self) -> chrono_tz::Tz {
        self.office().or(self.offices.first()).map_or(chrono_tz::Europe::Helsinki, |o| o.fields.tz())
    }

    pub fn channels(&self) -> Vec<Channel> {
        self.topic().map(|t| t.fields.channels.clone()).unwrap_or_default()
    }

    /// The languages the appointment can be in: those of our three that an advisor who
    /// serves the topic over the channel speaks (at the chosen office, in its languages).
    pub fn languages(&self) -> Vec<Locale> {
        let (Some(topic), Some(channel)) = (self.choices.topic, self.choices.channel) else { return vec![] };
        let office = self.office();
        let serving: Vec<&Advisor> = self
            .advisors
            .iter()
            .filter(|a| a.fields.topic_ids.contains(&topic) && a.fields.channels.contains(&channel))
            .filter(|a| channel != Channel::Office || office.is_some_and(|o| o.id == a.fields.office_id))
            .collect();
        let speaks =
            |l: Locale, langs: &[aukiolo_domain::Language]| langs.iter().any(|x| x.as_str() == l.as_str());
        crate::lang::ALL
            .into_iter()
            .filter(|l| serving.iter().any(|a| speaks(*l, &a.fields.languages)))
            .filter(|l| channel != Channel::Office || office.is_some_and(|o| speaks(*l, &o.fields.languages)))
            .collect()
    }

    /// Drops answers that do not fit the ones before them (an office for a phone
    /// appointment, a channel the topic does not offer), then fills in every question
    /// with a single answer.
    fn fill_in_single_answers(&mut self) {
        if self.choices.topic.is_some() && self.topic().is_none() {
            self.choices.topic = None;
        }
        if self.topics.len() == 1 {
            self.choices.topic = Some(self.topics[0].id);
        }
        let channels = self.channels();
        if self.choices.channel.is_some_and(|c| !channels.contains(&c)) {
            self.choices.channel = None;
        }
        if channels.len() == 1 {
            self.choices.channel = Some(channels[0]);
        }
        if self.choices.channel != Some(Channel::Office) || self.office().is_none() {
            self.choices.office = None;
        }
        if self.choices.channel == Some(Channel::Office) && self.offices.len() == 1 {
            self.choices.office = Some(self.offices[0].id);
        }
        let languages = self.languages();
        if self.choices.language.is_some_and(|l| !languages.contains(&l)) {
            self.choices.language = None;
        }
        if languages.len() == 1 {
            self.choices.language = Some(languages[0]);
        }
    }

    /// Whether the journey asks `step` at all: not when it has one answer. A question
    /// with no answer is asked, so its page can say so (and offer the other ways).
    pub fn asks(&self, step: Step) -> bool {
        match step {
            Step::Topic => self.topics.len() != 1,
            Step::Channel => self.channels().len() != 1,
            Step::Office => {
                let office_visit = match self.choices.channel {
                    Some(c) => c == Channel::Office,
                    None => self.channels().contains(&Channel::Office) || self.choices.topic.is_none(),
                };
                office_visit && self.offices.len() != 1
            }
            Step::Language => self.languages().len() != 1,
            _ => true,
        }
    }

    /// Whether `step` has its answer (the sealed steps are judged by their pages).
    pub fn answered(&self, step: Step) -> bool {
        match step {
            Step::Topic => self.choices.topic.is_some(),
            Step::Channel => self.choices.channel.is_some(),
            Step::Office => self.choices.channel != Some(Channel::Office) || self.choices.office.is_some(),
            Step::Language => self.choices.language.is_some(),
            Step::Time => self.choices.start.is_some(),
            _ => true,
        }
    }

    /// The first step before `step` that still lacks its answer.
    pub fn missing_before(&self, step: Step) -> Option<Step> {
        Step::ALL.into_iter().take_while(|s| *s != step).find(|s| !self.answered(*s))
    }

    /// The steps this journey asks, in order.
    pub fn steps(&self) -> Vec<Step> {
        Step::ALL.into_iter().filter(|s| self.asks(*s)).collect()
    }

    /// "2/7": where `step` is among the steps asked.
    pub fn position(&self, step: Step) -> (usize, usize) {
        let steps = self.steps();
        (steps.iter().position(|s| *s == step).map_or(1, |i| i + 1), steps.len())
    }

    /// The page of `step` with the choices made so far.
    pub fn url(&self, lang: Locale, step: Step) -> String {
        format!("/{}/book/{}{}", lang.as_str(), step.slug(), self.choices.query())
    }

    /// Where "Continue" leads from `step`.
    pub fn next(&self, lang: Locale, step: Step) -> String {
        let next = Step::ALL.into_iter().skip_while(|s| *s != step).skip(1).find(|s| self.asks(*s));
        self.url(lang, next.unwrap_or(Step::Check))
    }

    /// Where the back link of `step` leads: the step asked before it, or the start page.
    pub fn back(&self, lang: Locale, step: Step) -> String {
        let before = Step::ALL.into_iter().take_while(|s| *s != step).filter(|s| self.asks(*s)).last();
        match before {
            Some(s) => self.url(lang, s),
            None => format!("/{}/", lang.as_str()),
        }
    }
}

/// A 303 to `location`: every GET that answers a question and every POST ends so.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header(("Location", location)).finish()
}

/// `path` with `pairs` as its query.
pub fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    format!("{path}{}", query_string(pairs))
}
