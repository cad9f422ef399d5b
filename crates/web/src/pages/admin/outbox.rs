//! `/{lang}/admin/outbox`: the messages to citizens by status and since when the oldest
//! waiting one is due (`store::outbox::counts`), and the newest messages that could not be
//! sent, each with its attempts, last error and a "send again" POST
//! (`store::admin::retry_message`: due now with a fresh budget, audited). Recipients are
//! masked, in the last error too, as in the API.

use crate::catalogue::{AdminText as A, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::pages::book::see_other;
use crate::pages::staff::input::Given;
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::contact::mask_email;
use aukiolo_domain::dates;
use aukiolo_domain::outbox::{MessageKind, MessageStatus};
use aukiolo_domain::MessageId;
use aukiolo_store::outbox::{self, Message, OutboxCounts};
use aukiolo_store::StoreError;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::Helsinki;

/// Dead messages shown, newest first.
pub const DEAD_SHOWN: i64 = 100;

pub struct Dead {
    pub created: String,
    pub kind: &'static str,
    pub recipient: String,
    pub attempts: u32,
    pub last_error: String,
    pub retry: String,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    c: Chrome,
    heading: &'static str,
    errors: Errors,
    notice: Option<&'static str>,
    csrf: String,
    counts: Vec<(&'static str, i64)>,
    oldest: String,
    dead: Vec<Dead>,
    shown: Option<String>,
}

fn kind_name(kind: MessageKind) -> A {
    match kind {
        MessageKind::Confirmation => A::KindConfirmation,
        MessageKind::Reminder => A::KindReminder,
        MessageKind::Rescheduled => A::KindRescheduled,
        MessageKind::Cancelled => A::KindCancelled,
        MessageKind::QuestionnaireInvitation => A::KindQuestionnaireInvitation,
        MessageKind::NotReached => A::KindNotReached,
    }
}

fn when(signed: &Signed, t: DateTime<Utc>) -> String {
    dates::date_time(signed.lang(), t.with_timezone(&Helsinki).naive_local())
}

fn dead(signed: &Signed, m: Message) -> Dead {
    let masked = mask_email(&m.recipient);
    Dead {
        created: when(signed, m.created_at),
        kind: Tr(signed.lang()).a(kind_name(m.kind)),
        last_error: m.last_error.map(|e| e.replace(&m.recipient, &masked)).unwrap_or_default(),
        recipient: masked,
        attempts: m.attempts,
        retry: super::path(signed, &format!("/outbox/{}/retry", m.id)),
    }
}

async fn render(signed: &Signed, notice: Option<&'static str>) -> Result<HttpResponse, Problem> {
    let t = Tr(signed.lang());
    let now = signed.site().now();
    let (counts, list): (OutboxCounts, Vec<Message>) = signed
        .site()
        .read(move |c| {
            Ok((outbox::counts(c, now)?, outbox::list(c, Some(MessageStatus::Dead), DEAD_SHOWN, 0)?))
        })
        .await?;
    let shown = (counts.dead > DEAD_SHOWN).then(|| {
        t.fill_a(A::DeadShown, &[("shown", &DEAD_SHOWN.to_string()), ("count", &counts.dead.to_string())])
    });
    let heading = t.a(A::OutboxTitle);
    let page = OutboxPage {
        c: super::chrome(signed, heading, &Errors::default()),
        heading,
        errors: Errors::default(),
        notice,
        csrf: signed.session.csrf_token.clone(),
        counts: vec![
            (t.a(A::Pending), counts.pending),
            (t.a(A::Failed), counts.failed),
            (t.a(A::Dead), counts.dead),
            (t.a(A::Sent), counts.sent),
            (t.a(A::Void), counts.void),
        ],
        oldest: counts
            .oldest_due
            .map(|at| t.fill_a(A::OldestDue, &[("when", &when(signed, at))]))
            .unwrap_or_else(|| t.a(A::NothingDue).to_owned()),
        dead: list.into_iter().map(|m| dead(signed, m)).collect(),
        shown,
    };
    crate::pages::staff::html(&page)
}

pub async fn page(signed: Signed) -> Result<HttpResponse, Problem> {
    super::require_admin(&signed)?;
    let notice = (signed.cx.req.query_string() == "done=retried").then(|| Tr(signed.lang()).a(A::Retried));
    render(&signed, notice).await
}

/// POST `…/outbox/{id}/retry`: the message due again now; one that is no longer failed or
/// dead (sent meanwhile, retried from another page) is the page again with why (409).
pub async fn retry(
    form: StaffForm<Given>,
    id: web::Path<(String, MessageId)>,
) -> Result<HttpResponse, Problem> {
    let signed = form.signed;
    super::require_admin(&signed)?;
    let (admin, now, id) = (signed.session.user.id, signed.site().now(), id.1);
    let retried = signed
        .site()
        .read(move |c| match aukiolo_store::admin::retry_message(c, admin, id, now) {
            Ok(_) => Ok(true),
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        })
        .await?;
    if retried {
        Ok(see_other(&super::path(&signed, "/outbox?done=retried")))
    } else {
        let page = render(&signed, Some(Tr(signed.lang()).a(A::NotRetryable))).await?;
        Ok(with_status(page, StatusCode::CONFLICT))
    }
}
