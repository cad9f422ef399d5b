//! Why the store refused a change, in the page's language: the store's own messages are
//! English, for the API and the logs.

use crate::catalogue::{StaffText as S, Tr};
use aukiolo_domain::booking::Action;
use aukiolo_domain::dates;
use aukiolo_domain::visit_clock::{Step, VisitRefusal};
use aukiolo_store::Refusal;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

fn step_text(t: Tr, step: Step) -> &'static str {
    t.s(match step {
        Step::Status(Action::Arrive) => S::StepArrive,
        Step::Status(Action::Start) => S::StepStart,
        Step::Status(Action::Complete) => S::StepComplete,
        Step::Status(Action::NoShow) => S::StepNoShow,
        Step::Status(Action::CancelByCitizen | Action::CancelByOffice) => S::StepCancel,
        Step::Status(Action::NotReached) => S::StepNotReached,
        Step::Status(Action::Reinstate) => S::StepReinstate,
        Step::Call => S::StepCall,
    })
}

/// `r` as a sentence; times in the office's zone `tz`.
pub fn refusal_text(t: Tr, r: &Refusal, tz: Tz) -> String {
    let when = |at: &DateTime<Utc>| dates::date_time(t.0, at.with_timezone(&tz).naive_local());
    match r {
        Refusal::Visit(VisitRefusal::NotAllowed { step: Step::Call, .. }) => {
            t.s(S::CallsOnlyBooked).to_owned()
        }
        Refusal::Visit(VisitRefusal::NotAllowed { step, status, .. }) => t.fill_s(
            S::RefusedNotAllowed,
            &[("step", step_text(t, *step)), ("status", super::booking::status_text(t, *status))],
        ),
        Refusal::Visit(VisitRefusal::TooEarly { step, opens }) => {
            t.fill_s(S::RefusedTooEarly, &[("step", step_text(t, *step)), ("when", &when(opens))])
        }
        Refusal::Visit(VisitRefusal::TooLate { step, closed }) => {
            t.fill_s(S::RefusedTooLate, &[("step", step_text(t, *step)), ("when", &when(closed))])
        }
        Refusal::ChangedMeanwhile => t.s(S::ChangedMeanwhile).to_owned(),
        Refusal::NotCompleted => t.s(S::AssessOnlyCompleted).to_owned(),
        Refusal::AssessmentClosed => t.s(S::AssessmentClosed).to_owned(),
    }
}
