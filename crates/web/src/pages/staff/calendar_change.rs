//! A manager's change to an office's calendar (an advisor, a weekly rule, a closure): the
//! store's own function in one transaction with the slot horizon, as the API runs it, and
//! how many bookings it put in conflict (those in conflict after it and not before), so the page after it can say so and link to the
//! conflicts page.

use crate::catalogue::{StaffText as S, Tr};
use crate::error::Problem;
use crate::pages::book::{see_other, with_query};
use crate::staff::Signed;
use actix_web::HttpResponse;
use aukiolo_domain::{BookingId, FieldError, OfficeId};
use aukiolo_store::slots::{self, Horizon};
use aukiolo_store::{DbConnection, StoreError};
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// Runs `change` for `office` in one transaction; `Ok(Err(fields))` when the store
/// refuses the input (each field named, for the form), else the result and the number of
/// the office's bookings whose time the change stopped offering.
pub async fn run<T: Send + 'static>(
    signed: &Signed,
    office: OfficeId,
    change: impl FnOnce(&mut DbConnection, &Horizon) -> Result<T, StoreError> + Send + 'static,
) -> Result<Result<(T, usize), Vec<FieldError>>, Problem> {
    let site = signed.site().clone();
    let now = site.now();
    let horizon = Horizon::weeks(now, site.horizon_weeks);
    site.read(move |c| {
        let done = aukiolo_store::write_transaction(c, |c| {
            let before = conflicting(c, office, now)?;
            let value = change(c, &horizon)?;
            let appeared = conflicting(c, office, now)?.into_iter().filter(|b| !before.contains(b)).count();
            Ok((value, appeared))
        });
        match done {
            Ok(done) => Ok(Ok(done)),
            Err(StoreError::Invalid(fields)) => Ok(Err(fields)),
            // A change refused by the data as it stands (not one field's fault).
            Err(StoreError::Conflict(why)) => {
                Ok(Err(vec![FieldError::new(String::new(), aukiolo_domain::validation::codes::INVALID, why)]))
            }
            Err(e) => Err(e),
        }
    })
    .await
}

/// The office's bookings in conflict from `now` on.
fn conflicting(
    c: &mut DbConnection,
    office: OfficeId,
    now: DateTime<Utc>,
) -> Result<Vec<BookingId>, StoreError> {
    Ok(slots::conflict_bookings(c, office, now)?.into_iter().map(|b| b.booking_id).collect())
}

/// What the page after a change says: `done` names the change, `conflicts` how many
/// bookings it put in conflict.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    pub done: String,
    #[serde(default)]
    pub conflicts: usize,
}

impl Done {
    pub fn of(signed: &Signed) -> Done {
        serde_urlencoded::from_str(signed.cx.req.query_string()).unwrap_or_default()
    }

    /// The notice of the change done, from the page's `(change, text)` pairs.
    pub fn notice(&self, t: Tr, texts: &[(&str, S)]) -> Option<&'static str> {
        texts.iter().find(|(done, _)| *done == self.done).map(|(_, text)| t.s(*text))
    }
}

/// Back to `path` (under `/{lang}/staff`) after the change `done`.
pub fn back(signed: &Signed, path: &str, done: &str, conflicts: usize) -> HttpResponse {
    let mut query = vec![("done", done.to_owned())];
    if conflicts > 0 {
        query.push(("conflicts", conflicts.to_string()));
    }
    see_other(&with_query(&format!("/{}/staff{path}", signed.lang().as_str()), &query))
}

/// The notice of bookings a change put in conflict, with the link to resolve them.
pub struct ConflictNotice {
    pub text: String,
    pub href: String,
    pub link: &'static str,
}

impl ConflictNotice {
    pub fn of(signed: &Signed, office: OfficeId, done: &Done) -> Option<ConflictNotice> {
        let t = Tr(signed.lang());
        (done.conflicts > 0).then(|| ConflictNotice {
            text: t.fill_s(S::ConflictsAppeared, &[("count", &done.conflicts.to_string())]),
            href: format!("/{}/staff/offices/{office}/conflicts", signed.lang().as_str()),
            link: t.s(S::ResolveConflicts),
        })
    }
}
