//! `/{lang}/admin/audit?actor=&action=&office=&from=&to=&page=`: the audit log, newest
//! first, 50 entries a page, filtered by who acted, the action, the office (its own
//! entries and its bookings') and a range of days in Finnish time (`store::audit::search`).
//! A filter is a GET: the address can be kept and sent on.

use super::users::Directory;
use crate::catalogue::{admin::action_name, AdminText as A, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::pages::staff::walk_ins::SelectOption;
use crate::staff::Signed;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::dates;
use aukiolo_store::audit::{self, AuditEntry, Filter};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Helsinki;
use serde::{Deserialize, Serialize};

/// Entries on one page.
pub const PAGE_SIZE: i64 = 50;
/// The last page reachable (older entries need a narrower filter): keeps every query's
/// offset bounded.
pub const MAX_PAGE: i64 = 200;

/// The filter as the address carries it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Query {
    actor: String,
    action: String,
    office: String,
    from: String,
    to: String,
    #[serde(skip_serializing)]
    page: Option<i64>,
}

/// One entry as the table shows it.
pub struct Row {
    pub when: String,
    pub who: String,
    pub action: String,
    pub office: String,
    pub booking: Option<(String, String)>,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    c: Chrome,
    heading: &'static str,
    errors: Errors,
    notice: Option<&'static str>,
    action: String,
    query: Query,
    actors: Vec<SelectOption>,
    actions: Vec<SelectOption>,
    offices: Vec<SelectOption>,
    rows: Vec<Row>,
    page_label: String,
    newer: Option<String>,
    older: Option<String>,
}

/// The start of `day` in Helsinki (midnight exists on every day there: the clocks change
/// at 3 and 4 o'clock).
fn midnight(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_time(chrono::NaiveTime::MIN);
    Helsinki.from_local_datetime(&local).earliest().map_or_else(|| local.and_utc(), |t| t.to_utc())
}

/// The query's filter, or each bad field named.
fn filter(t: Tr, dir: &Directory, q: &Query) -> Result<Filter, Errors> {
    let mut errors = Errors::default();
    let mut day = |field: &'static str, raw: &str| match raw.trim() {
        "" => None,
        raw => crate::pages::staff::input::day(raw).or_else(|| {
            errors.add(field, t.a(A::DateInvalid));
            None
        }),
    };
    let (from, to) = (day("from", &q.from), day("to", &q.to));
    if let (Some(f), Some(l)) = (from, to) {
        if l < f {
            errors.add("to", t.a(A::ToBeforeFrom));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Filter {
        actor: dir.users.iter().find(|u| u.id.to_string() == q.actor).map(|u| u.id),
        action: Some(q.action.clone()).filter(|a| !a.is_empty()),
        office: dir.offices.iter().find(|o| o.id.to_string() == q.office).map(|o| o.id),
        booking: None,
        from: from.map(midnight),
        until: to.map(|d| midnight(d + Duration::days(1))),
    })
}

fn detail(t: Tr, dir: &Directory, e: &AuditEntry) -> String {
    let Some(d) = &e.detail else { return String::new() };
    let mut parts = Vec::new();
    if let Some(account) = d.account {
        parts.push(t.fill_a(A::AccountDetail, &[("email", &dir.email(account))]));
    }
    if let Some(message) = d.message {
        parts.push(t.fill_a(A::MessageDetail, &[("id", &message.to_string())]));
    }
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".into());
    parts.extend(d.changes.iter().map(|c| format!("{}: {} → {}", c.field, value(&c.old), value(&c.new))));
    parts.join("; ")
}

fn row(signed: &Signed, dir: &Directory, e: &AuditEntry) -> Row {
    let t = Tr(signed.lang());
    let office = e.office_id.map(|o| dir.office(t, Some(o))).unwrap_or_else(|| "–".into());
    Row {
        when: dates::date_time(signed.lang(), e.at.with_timezone(&Helsinki).naive_local()),
        who: dir.email(e.staff_id),
        action: action_name(&e.action).map_or_else(|| e.action.clone(), |a| t.a(a).to_owned()),
        office,
        booking: e.booking_id.map(|b| {
            let id = b.to_string();
            (format!("/{}/staff/bookings/{id}", signed.lang().as_str()), id[..8].to_owned())
        }),
        detail: detail(t, dir, e),
    }
}

fn options(any: &str, chosen: &str, items: impl Iterator<Item = (String, String)>) -> Vec<SelectOption> {
    std::iter::once((String::new(), any.to_owned()))
        .chain(items)
        .map(|(value, label)| SelectOption { selected: value == chosen, value, label })
        .collect()
}

/// The page's address with `q` and `page`.
fn address(signed: &Signed, q: &Query, page: i64) -> String {
    let query = serde_urlencoded::to_string(q).unwrap_or_default();
    super::path(signed, &format!("/audit?{query}&page={page}"))
}

pub async fn page(signed: Signed, q: web::Query<Query>) -> Result<HttpResponse, Problem> {
    super::require_admin(&signed)?;
    let q = q.into_inner();
    let t = Tr(signed.lang());
    let dir = Directory::load(&signed).await?;
    let page = q.page.unwrap_or(1).clamp(1, MAX_PAGE);
    let (filter, errors) = match filter(t, &dir, &q) {
        Ok(f) => (Some(f), Errors::default()),
        Err(errors) => (None, errors),
    };
    let (entries, known) = {
        let filter = filter.clone();
        signed
            .site()
            .read(move |c| {
                let entries = match filter {
                    Some(f) => audit::search(c, &f, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)?,
                    None => Vec::new(),
                };
                Ok((entries, audit::actions(c)?))
            })
            .await?
    };
    let more = entries.len() as i64 > PAGE_SIZE;
    let rows = entries.iter().take(PAGE_SIZE as usize).map(|e| row(&signed, &dir, e)).collect();
    let action_label = |a: &String| action_name(a).map_or_else(|| a.clone(), |n| t.a(n).to_owned());
    let heading = t.a(A::AuditTitle);
    let failed = !errors.is_empty();
    let view = AuditPage {
        c: super::chrome(&signed, heading, &errors),
        heading,
        errors,
        notice: None,
        action: super::path(&signed, "/audit"),
        actors: options(
            t.a(A::Anyone),
            &q.actor,
            dir.users.iter().map(|u| (u.id.to_string(), u.email.clone())),
        ),
        actions: options(t.a(A::AnyAction), &q.action, known.iter().map(|a| (a.clone(), action_label(a)))),
        offices: options(
            t.a(A::AnyOffice),
            &q.office,
            dir.offices.iter().map(|o| (o.id.to_string(), o.fields.name.get(t.0).to_owned())),
        ),
        rows,
        page_label: t.fill_a(A::PageOf, &[("page", &page.to_string())]),
        newer: (page > 1).then(|| address(&signed, &q, page - 1)),
        older: (more && page < MAX_PAGE).then(|| address(&signed, &q, page + 1)),
        query: q,
    };
    let response = crate::pages::staff::html(&view)?;
    Ok(if failed { with_status(response, StatusCode::UNPROCESSABLE_ENTITY) } else { response })
}
