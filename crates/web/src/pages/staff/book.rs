//! `/{lang}/staff/book`: booking for a citizen (by an advisor, the phone service or at
//! the desk for a walk-in). One dense page: what the appointment is for and who books,
//! then one form with the day's times (each with its advisor's name; an advisor can be
//! chosen above) and the citizen's details, so that a time taken meanwhile costs only
//! another choice. Staff may take times citizens cannot (held back, inside the notice)
//! once they answer "book anyway?". Booked through `store::bookings::book`, the API's
//! way, with the audit entry in the same transaction.

use super::assessment::Choice;
use super::walk_ins::SelectOption;
use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::journey::{Details, Matter};
use crate::pages::book::about::{check_details, check_matter};
use crate::pages::book::questions::language_name;
use crate::pages::book::{see_other, with_query, Flow};
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::booking::{BookedBy, Needs};
use aukiolo_domain::contact::{Email, Phone};
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::slots::local_day_start;
use aukiolo_domain::staff::Role;
use aukiolo_domain::{dates, AdvisorId, Channel, Locale, OfficeId, TopicId};
use aukiolo_store::availability::{self, RulesApply, StaffTime, TimeQuery};
use aukiolo_store::bookings::{self, Actor, Booked, NewBooking};
use aukiolo_store::{audit, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The page's fields: the choices (in the query string while choosing, hidden fields
/// once a time is chosen) and the citizen's details (only ever in the POST body).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct BookForm {
    topic: String,
    channel: String,
    office: String,
    language: String,
    advisor: String,
    booked_by: String,
    date: String,
    /// The chosen time and its advisor, `start|advisor`.
    time: String,
    /// Ties a double-clicked "Book" to one booking.
    key: String,
    anyway: String,
    name: String,
    personal_id: String,
    email: String,
    phone: String,
    description: String,
    interpreter: String,
    accessibility: String,
}

/// Who may book for citizens: the staff who serve them.
const BOOKERS: &[Role] = &[Role::Advisor, Role::OfficeManager, Role::Admin];
const WHO_BOOKS: [BookedBy; 3] = [BookedBy::Advisor, BookedBy::PhoneService, BookedBy::WalkIn];

fn booked_by_text(t: Tr, b: BookedBy) -> &'static str {
    t.s(match b {
        BookedBy::PhoneService => S::BookedByPhoneService,
        BookedBy::WalkIn => S::BookedByWalkIn,
        BookedBy::Advisor | BookedBy::CitizenSelf => S::BookedByAdvisor,
    })
}

/// The choices read leniently (a value that does not parse is as good as absent).
#[derive(Clone, Debug)]
struct Choices {
    topic: Option<TopicId>,
    channel: Option<Channel>,
    office: Option<OfficeId>,
    language: Option<Locale>,
    advisor: Option<AdvisorId>,
    booked_by: BookedBy,
    date: Option<NaiveDate>,
    /// The chosen time and the advisor it is with.
    chosen: Option<(DateTime<Utc>, AdvisorId)>,
}

impl Choices {
    fn read(f: &BookForm, signed: &Signed) -> Self {
        let chosen = f.time.split_once('|').and_then(|(start, advisor)| {
            let start = DateTime::parse_from_rfc3339(start).ok()?.with_timezone(&Utc);
            Some((start, advisor.parse().ok()?))
        });
        Choices {
            topic: f.topic.parse().ok(),
            channel: f.channel.parse().ok(),
            office: f.office.parse().ok().or(signed.session.user.office_id),
            language: f.language.parse().ok(),
            advisor: f.advisor.parse().ok(),
            booked_by: WHO_BOOKS.into_iter().find(|b| b.as_str() == f.booked_by).unwrap_or(BookedBy::Advisor),
            date: super::input::day(&f.date),
            chosen,
        }
    }

    /// The query for the office's times, once topic, channel and language are known.
    fn query(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<TimeQuery> {
        Some(TimeQuery {
            topic_id: self.topic?,
            channel: self.channel?,
            // Staff book their office's advisors, for phone appointments too.
            office_id: Some(self.office?),
            advisor_id: self.advisor,
            language: self.language?.into(),
            from,
            to,
        })
    }

    /// The choices as query pairs (the time is the form's own question).
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("booked_by", self.booked_by.as_str().to_owned())];
        let mut put = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                out.push((k, v));
            }
        };
        put("topic", self.topic.map(|t| t.to_string()));
        put("channel", self.channel.map(|c| c.as_str().to_owned()));
        put("office", self.office.map(|o| o.to_string()));
        put("language", self.language.map(|l| l.as_str().to_owned()));
        put("advisor", self.advisor.map(|a| a.to_string()));
        put("date", self.date.map(|d| d.to_string()));
        out
    }
}

/// The name of `id` among the flow's active advisors.
fn advisor_name(net: &Flow, id: AdvisorId) -> String {
    net.advisors.iter().find(|a| a.id == id).map(|a| a.fields.name.clone()).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "staff/book.html")]
struct BookPage {
    c: Chrome,
    heading: String,
    errors: Errors,
    notice: Option<&'static str>,
    action: String,
    topics: Vec<SelectOption>,
    channels: Vec<SelectOption>,
    offices: Vec<SelectOption>,
    languages: Vec<SelectOption>,
    advisors: Vec<SelectOption>,
    who_books: Vec<SelectOption>,
    date: String,
    /// The day's times, once the choices allow a search.
    times: Option<Vec<Choice<String>>>,
    day_caption: String,
    day_links: Vec<(String, String)>,
    hidden: Vec<(&'static str, String)>,
    /// "Book anyway?", when the posted time is held back from citizens.
    anyway: Option<Vec<Choice<String>>>,
    form: BookForm,
    phone_required: bool,
    csrf: String,
}

fn options<T: PartialEq + Copy>(
    items: impl IntoIterator<Item = (T, String)>,
    value: impl Fn(T) -> String,
    selected: Option<T>,
) -> Vec<SelectOption> {
    items
        .into_iter()
        .map(|(item, label)| SelectOption { value: value(item), label, selected: selected == Some(item) })
        .collect()
}

/// The day's times for the choices (each advisor's own), or `None` until they allow a
/// search.
fn day_times(
    c: &mut aukiolo_store::DbConnection,
    choices: &Choices,
    tz: Tz,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<Vec<StaffTime>>, StoreError> {
    let (from, to) = (local_day_start(tz, day), local_day_start(tz, day + Duration::days(1)));
    let Some(q) = choices.query(from.max(now), to) else { return Ok(None) };
    match availability::staff_times(c, &q, now) {
        Ok(times) => Ok(Some(times)),
        // A topic not served over the channel has no times.
        Err(StoreError::Invalid(_)) => Ok(Some(Vec::new())),
        Err(e) => Err(e),
    }
}

fn time_value(start: DateTime<Utc>, advisor: AdvisorId) -> String {
    format!("{}|{advisor}", start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// The page's questions with `form`'s answers; `asked_anyway`: the posted time is held
/// back and the page asks whether to book it anyway.
async fn render(
    signed: &Signed,
    form: BookForm,
    errors: Errors,
    asked_anyway: bool,
) -> Result<HttpResponse, Problem> {
    let lang = signed.lang();
    let t = Tr(lang);
    let mut choices = Choices::read(&form, signed);
    let principal = signed.session.user.principal();
    if let Some(office) = choices.office {
        signed.require_office(office)?;
    }
    let now = signed.site().now();
    let probe = choices.clone();
    let (net, times, tz, day) = signed
        .site()
        .read(move |c| {
            // The topics, offices and active advisors as the citizens' journey reads them;
            // the zone is the chosen office's.
            let mut net = Flow::load(c, Default::default())?;
            net.choices.office = probe.office;
            let tz = net.tz();
            let day = probe.date.unwrap_or_else(|| now.with_timezone(&tz).date_naive());
            let times = day_times(c, &probe, tz, day, now)?;
            Ok((net, times, tz, day))
        })
        .await?;
    choices.date = Some(day);
    let local = |at: DateTime<Utc>| at.with_timezone(&tz);
    let mut topics: Vec<(TopicId, String)> =
        net.topics.iter().map(|tp| (tp.id, tp.fields.name.get(lang).to_owned())).collect();
    topics.sort_by(|a, b| a.1.cmp(&b.1));
    let channels =
        [Channel::Office, Channel::Phone].map(|ch| (ch, super::day::channel_text(t, ch).to_owned()));
    let offices = net
        .offices
        .iter()
        .filter(|o| principal.covers(o.id))
        .map(|o| (o.id, o.fields.name.get(lang).to_owned()));
    let languages = crate::lang::ALL.map(|l| (l, t.get(language_name(l)).to_owned()));
    let serving: Vec<(AdvisorId, String)> = net
        .advisors
        .iter()
        .filter(|a| Some(a.fields.office_id) == choices.office)
        .filter(|a| choices.topic.is_none_or(|tp| a.fields.topic_ids.contains(&tp)))
        .filter(|a| choices.channel.is_none_or(|ch| a.fields.channels.contains(&ch)))
        .map(|a| (a.id, a.fields.name.clone()))
        .collect();
    let mut advisors =
        vec![SelectOption { value: String::new(), label: t.s(S::AnyAdvisor).to_owned(), selected: false }];
    advisors.extend(options(serving, |a| a.to_string(), choices.advisor));
    let who_books = options(
        WHO_BOOKS.map(|b| (b, booked_by_text(t, b).to_owned())),
        |b| b.as_str().to_owned(),
        Some(choices.booked_by),
    );
    let label = |st: &StaffTime| {
        let time = dates::clock_range(local(st.run.start).time(), local(st.run.end).time());
        let advisor = advisor_name(&net, st.run.advisor_id);
        match st.open_to_citizens {
            true => format!("{time} {advisor}"),
            false => format!("{time} {advisor} ({})", t.s(S::HeldBackTime)),
        }
    };
    let radios = times.as_ref().map(|times| {
        times
            .iter()
            .map(|st| {
                let value = time_value(st.run.start, st.run.advisor_id);
                Choice { checked: form.time == value, value, label: label(st) }
            })
            .collect::<Vec<_>>()
    });
    let anyway = asked_anyway
        .then(|| {
            let (start, advisor) = choices.chosen?;
            let st =
                times.as_ref()?.iter().find(|st| st.run.start == start && st.run.advisor_id == advisor)?;
            Some(vec![Choice {
                value: "yes".to_owned(),
                label: t.fill_s(S::BookAnywayQuestion, &[("time", &label(st))]),
                checked: form.anyway == "yes",
            }])
        })
        .flatten();
    let base = format!("/{}/staff/book", lang.as_str());
    let day_link = |d: NaiveDate, text: S| {
        let mut other = choices.clone();
        other.date = Some(d);
        (with_query(&base, &other.pairs()), t.s(text).to_owned())
    };
    let mut day_links = Vec::new();
    if day > now.with_timezone(&tz).date_naive() {
        day_links.push(day_link(day - Duration::days(1), S::PreviousDay));
    }
    day_links.push(day_link(day + Duration::days(1), S::NextDay));
    let mut hidden = choices.pairs();
    let key = match form.key.is_empty() {
        true => aukiolo_domain::hex::hex(&rand::random::<[u8; 16]>()),
        false => form.key.clone(),
    };
    hidden.push(("key", key));
    let heading = t.s(S::BookForCitizen).to_owned();
    let mut c = super::chrome(signed, &heading, "/book");
    if !errors.is_empty() {
        c.mark_error();
    }
    let day_name = format!("{} {}", dates::weekday(lang, day), dates::numeric(day));
    let page = BookPage {
        c,
        heading,
        errors,
        notice: None,
        action: base,
        topics: options(topics, |id| id.to_string(), choices.topic),
        channels: options(channels, |ch| ch.as_str().to_owned(), choices.channel),
        offices: options(offices, |id| id.to_string(), choices.office),
        languages: options(languages, |l| l.as_str().to_owned(), choices.language),
        advisors,
        who_books,
        date: super::input::day_text(Some(day)),
        times: radios,
        day_caption: t.fill_s(S::TimesOn, &[("day", &day_name)]),
        day_links,
        hidden,
        anyway,
        phone_required: choices.channel == Some(Channel::Phone),
        form,
        csrf: signed.session.csrf_token.clone(),
    };
    super::html(&page)
}

pub async fn page(signed: Signed, web::Query(form): web::Query<BookForm>) -> Result<HttpResponse, Problem> {
    signed.require_role(BOOKERS)?;
    // Details never come through the address.
    render(&signed, form.choices_only(), Errors::default(), false).await
}

impl BookForm {
    fn choices_only(self) -> BookForm {
        BookForm {
            topic: self.topic,
            channel: self.channel,
            office: self.office,
            language: self.language,
            advisor: self.advisor,
            booked_by: self.booked_by,
            date: self.date,
            time: self.time,
            ..BookForm::default()
        }
    }

    fn details(&self) -> Details {
        Details {
            name: self.name.trim().to_owned(),
            personal_id: self.personal_id.trim().to_owned(),
            email: self.email.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
        }
    }

    fn matter(&self) -> Matter {
        Matter {
            description: self.description.trim().to_owned(),
            interpreter: self.interpreter.trim().to_lowercase(),
            accessibility: self.accessibility.trim().to_owned(),
        }
    }
}

/// The booking the form asks for, once its answers have been checked.
fn new_booking(choices: &Choices, form: &BookForm) -> Option<NewBooking> {
    let (start, advisor) = choices.chosen?;
    let mut query = choices.query(start, start)?;
    query.advisor_id = Some(advisor);
    let (details, matter) = (form.details(), form.matter());
    Some(NewBooking {
        query,
        start,
        locale: choices.language?,
        name: details.name,
        personal_id: PersonalId::parse(&details.personal_id).ok()?,
        email: Email::parse(&details.email).ok()?.as_str().to_owned(),
        phone: Phone::parse(&details.phone).ok().map(|p| p.as_str().to_owned()),
        description: matter.description,
        needs: Needs {
            interpreter: matter.interpreter.parse().ok(),
            accessibility: Some(matter.accessibility).filter(|a| !a.is_empty()),
        },
        booked_by: choices.booked_by,
    })
}

/// Why a booking was not made, as the page says it.
enum Refused {
    /// Citizens cannot book the time, and "book anyway" was not ticked.
    NotConfirmed,
    Taken,
    Fields(Vec<aukiolo_domain::FieldError>),
}

pub async fn post(form: StaffForm<BookForm>) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: form } = form;
    signed.require_role(BOOKERS)?;
    let lang = signed.lang();
    let t = Tr(lang);
    let choices = Choices::read(&form, &signed);
    if let Some(office) = choices.office {
        signed.require_office(office)?;
    }
    let phone_required = choices.channel == Some(Channel::Phone);
    let mut errors = check_details(t, &form.details(), phone_required);
    errors.0.extend(check_matter(t, &form.matter()).0);
    let Some(new) = new_booking(&choices, &form).filter(|_| errors.is_empty()) else {
        if errors.is_empty() {
            errors.add("time", t.s(S::ChooseTimeFirst));
        }
        return Ok(with_status(
            render(&signed, form, errors, false).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let anyway = form.anyway == "yes";
    let hash = crate::pages::book::check::request_hash(&new);
    let key = format!("staff:{}:{}", form.key, &hash[..16]);
    let site = signed.site().clone();
    let (keys, now, me) = (site.personal.clone(), site.now(), signed.session.user.id);
    let booked = site
        .read(move |c| {
            let at = TimeQuery { from: new.start, to: new.start + Duration::seconds(1), ..new.query.clone() };
            let offered = availability::staff_times(c, &at, now)?;
            // A time no longer offered is the booking's to refuse (or to replay, when this
            // form was sent before).
            if offered.iter().any(|st| st.run.start == new.start && !st.open_to_citizens) && !anyway {
                return Ok(Err(Refused::NotConfirmed));
            }
            let made = aukiolo_store::write_transaction(c, |c| {
                let booked = bookings::book(
                    c,
                    &keys,
                    &new,
                    Some((&key, &hash)),
                    Actor::Staff(me),
                    now,
                    RulesApply::StaffOverride,
                )?;
                let (Booked::Created(b) | Booked::Replayed(b)) = booked;
                audit::record(c, me, "create_booking", &[b.id], now)?;
                Ok::<_, StoreError>(b)
            });
            match made {
                Ok(b) => Ok(Ok(b)),
                Err(StoreError::TimeTaken(_)) => Ok(Err(Refused::Taken)),
                Err(StoreError::Invalid(fields)) => Ok(Err(Refused::Fields(fields))),
                Err(e) => Err(e),
            }
        })
        .await?;
    let mut errors = Errors::default();
    let mut asked_anyway = false;
    match booked {
        Ok(b) => return Ok(see_other(&format!("/{}/staff/bookings/{}?booked=1", lang.as_str(), b.id.0))),
        Err(Refused::NotConfirmed) => {
            asked_anyway = true;
            errors.add("anyway", t.s(S::ConfirmHeldBack));
        }
        Err(Refused::Taken) => errors.add("time", t.s(S::TimeTakenStaff)),
        Err(Refused::Fields(fields)) => {
            for f in fields {
                match f.field.as_str() {
                    "personal_id" => errors.add("personal_id", t.get(Text::TooManyBookings)),
                    _ => errors.add("time", t.s(S::TimeRefusedForCitizen)),
                }
            }
        }
    }
    Ok(with_status(render(&signed, form, errors, asked_anyway).await?, StatusCode::UNPROCESSABLE_ENTITY))
}
