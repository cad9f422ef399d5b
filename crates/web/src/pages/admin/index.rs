//! `/{lang}/admin`: where an admin lands after signing in: a link to each admin page with
//! what it is for, and how many messages could not be sent (the figure that needs acting on).

use crate::catalogue::{AdminText as A, Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::Errors;
use crate::staff::Signed;
use actix_web::HttpResponse;
use askama::Template;
use aukiolo_store::outbox;

/// One admin page as the index lists it.
pub struct Entry {
    pub href: String,
    pub label: &'static str,
    pub hint: &'static str,
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexPage {
    c: Chrome,
    heading: &'static str,
    entries: Vec<Entry>,
    dead: Option<String>,
}

pub async fn page(signed: Signed) -> Result<HttpResponse, Problem> {
    super::require_admin(&signed)?;
    let t = Tr(signed.lang());
    let now = signed.site().now();
    let counts = signed.site().read(move |c| outbox::counts(c, now)).await?;
    let entry = |path: &str, label, hint| Entry {
        href: super::path(&signed, path),
        label: t.a(label),
        hint: t.a(hint),
    };
    let entries = vec![
        entry("/users", A::UsersLink, A::UsersLinkHint),
        entry("/audit", A::AuditLink, A::AuditLinkHint),
        entry("/outbox", A::OutboxLink, A::OutboxLinkHint),
        entry("/questionnaire", A::QuestionnaireLink, A::QuestionnaireLinkHint),
    ];
    let heading = t.a(A::IndexTitle);
    let page = IndexPage {
        c: super::chrome(&signed, heading, &Errors::default()),
        heading,
        entries,
        dead: (counts.dead > 0).then(|| t.fill_a(A::DeadWaiting, &[("count", &counts.dead.to_string())])),
    };
    crate::pages::staff::html(&page)
}
