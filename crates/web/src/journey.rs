//! The booking journey's state. The choices (topic, channel, office, language, time)
//! hold nothing personal and live in the query string, so every page of the journey can
//! be linked to, reloaded and gone back to. What the citizen writes (the matter, needs,
//! name, identity code, contact) lives only in a sealed cookie that expires an hour
//! after the last answer (see `seal.rs`).

use crate::seal::Sealer;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::HttpRequest;
use aukiolo_domain::{Channel, Locale, OfficeId, TopicId};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The choices so far, as the query string carries them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choices {
    pub topic: Option<TopicId>,
    pub channel: Option<Channel>,
    pub office: Option<OfficeId>,
    pub language: Option<Locale>,
    pub start: Option<DateTime<Utc>>,
    /// The first day of the period the time page shows.
    pub week: Option<NaiveDate>,
}

/// A query string read leniently: a value that does not parse is as good as absent, so
/// an edited URL leads back to the question instead of to an error.
pub type Query = HashMap<String, String>;

impl Choices {
    pub fn from_query(q: &Query) -> Self {
        let get = |k: &str| q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        Choices {
            topic: get("topic").and_then(|v| v.parse().ok()),
            channel: get("channel").and_then(|v| v.parse().ok()),
            office: get("office").and_then(|v| v.parse().ok()),
            language: get("language").and_then(|v| v.parse().ok()),
            start: get("start")
                .and_then(|v| DateTime::parse_from_rfc3339(v).ok())
                .map(|t| t.with_timezone(&Utc)),
            week: get("week").and_then(|v| v.parse().ok()),
        }
    }

    /// The choices as `(name, value)` pairs, for links and hidden fields.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(t) = self.topic {
            out.push(("topic", t.to_string()));
        }
        if let Some(c) = self.channel {
            out.push(("channel", c.as_str().to_owned()));
        }
        if let Some(o) = self.office {
            out.push(("office", o.to_string()));
        }
        if let Some(l) = self.language {
            out.push(("language", l.as_str().to_owned()));
        }
        if let Some(s) = self.start {
            out.push(("start", s.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)));
        }
        if let Some(w) = self.week {
            out.push(("week", w.to_string()));
        }
        out
    }

    /// `?topic=…&channel=…`, or nothing.
    pub fn query(&self) -> String {
        query_string(&self.pairs())
    }
}

/// `?a=1&b=2` with the values percent-encoded, or an empty string.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    format!("?{}", serde_urlencoded::to_string(pairs).expect("string pairs encode"))
}

/// What the citizen wrote about the matter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matter {
    pub description: String,
    /// The language of an interpreter, as written ("arabia", "ar").
    pub interpreter: String,
    pub accessibility: String,
}

/// Who the booking is for and how to reach them, as written (checked on the way in).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    pub name: String,
    pub personal_id: String,
    pub email: String,
    pub phone: String,
}

/// The sealed part of a journey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journey {
    /// Random; ties form tokens to this journey and makes the final "Book" idempotent.
    pub id: String,
    pub matter: Option<Matter>,
    pub details: Option<Details>,
    /// Once booked: the confirmation page's address, so a resubmitted "Book" (or a
    /// reload, or the back button) shows the same booking instead of booking again.
    pub booked: Option<String>,
}

pub const COOKIE: &str = "aukiolo_journey";
/// How long answers are kept after the last one.
pub const LIFETIME_MINUTES: i64 = 60;

impl Journey {
    pub fn fresh() -> Self {
        let mut id = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut id);
        Journey { id: aukiolo_domain::hex::hex(&id), matter: None, details: None, booked: None }
    }

    /// The journey the request's cookie holds, if it is ours and still valid.
    pub fn from_request(req: &HttpRequest, sealer: &Sealer, now: DateTime<Utc>) -> Option<Self> {
        req.cookie(COOKIE).and_then(|c| sealer.open(c.value(), now))
    }

    /// The cookie that holds this journey for another hour.
    pub fn cookie(&self, req: &HttpRequest, sealer: &Sealer, now: DateTime<Utc>) -> Cookie<'static> {
        let value = sealer.seal(self, now + Duration::minutes(LIFETIME_MINUTES));
        Cookie::build(COOKIE, value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(req.connection_info().scheme() == "https")
            .max_age(actix_web::cookie::time::Duration::minutes(LIFETIME_MINUTES))
            .finish()
    }

    /// The form token of this journey.
    pub fn token(&self, sealer: &Sealer) -> String {
        sealer.form_token("journey", &self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_survive_the_query_string() {
        let choices = Choices {
            topic: Some(TopicId::new()),
            channel: Some(Channel::Phone),
            office: None,
            language: Some(Locale::Sv),
            start: Some("2027-10-31T07:30:00Z".parse().unwrap()),
            week: NaiveDate::from_ymd_opt(2027, 10, 25),
        };
        let query = choices.query();
        assert!(query.contains("start=2027-10-31T07%3A30%3A00Z"), "{query}");
        let parsed: Query = query
            .trim_start_matches('?')
            .split('&')
            .map(|p| p.split_once('=').unwrap())
            .map(|(k, v)| (k.to_owned(), v.replace("%3A", ":")))
            .collect();
        assert_eq!(Choices::from_query(&parsed), choices);
    }

    #[test]
    fn unreadable_values_count_as_unanswered() {
        let q: Query = [("topic", "nonsense"), ("channel", "fax"), ("language", "de")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(Choices::from_query(&q), Choices::default());
    }
}
