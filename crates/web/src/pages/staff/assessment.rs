//! `/{lang}/staff/bookings/{id}/assessment`: the pilot's one-minute form after a completed
//! visit, on one page. Saved through `store::visits::assess` (the same rules as the API:
//! completed visits only, corrected by its author on the same day).

use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::pages::book::see_other;
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::booking::BookingStatus;
use aukiolo_domain::visit::{Assessment, OtherChannel, PersonalServiceReason, Segment};
use aukiolo_domain::BookingId;
use aukiolo_store::{audit, bookings, visits, StoreError};

/// One choice of a question (its value and label fixed texts, or made from data: a
/// topic's id and name).
pub struct Choice<T = &'static str> {
    pub value: T,
    pub label: T,
    pub checked: bool,
}

/// One question: a group of radios (or checkboxes), its legend and its error.
pub struct Question {
    pub name: &'static str,
    pub legend: &'static str,
    pub multiple: bool,
    pub choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "staff/assessment.html")]
struct AssessmentPage {
    c: Chrome,
    heading: String,
    questions: Vec<Question>,
    errors: Errors,
    csrf: String,
    action: String,
    /// Why the form cannot be used (the visit is not completed, or the day has passed).
    closed: Option<String>,
    back: String,
}

pub fn segment(t: Tr, s: Segment) -> &'static str {
    t.s(match s {
        Segment::Occasional => S::SegmentOccasional,
        Segment::Continuous => S::SegmentContinuous,
        Segment::LifeChange => S::SegmentLifeChange,
        Segment::Special => S::SegmentSpecial,
        Segment::Potential => S::SegmentPotential,
    })
}

pub fn other_channel(t: Tr, o: OtherChannel) -> &'static str {
    t.s(match o {
        OtherChannel::No => S::OtherChannelNo,
        OtherChannel::EService => S::OtherChannelEService,
        OtherChannel::PhoneService => S::OtherChannelPhone,
        OtherChannel::PartnerServicePoint => S::OtherChannelPartner,
    })
}

pub fn reason(t: Tr, r: PersonalServiceReason) -> &'static str {
    t.s(match r {
        PersonalServiceReason::Health => S::ReasonHealth,
        PersonalServiceReason::Language => S::ReasonLanguage,
        PersonalServiceReason::ComplexSituation => S::ReasonComplex,
        PersonalServiceReason::NoOnlineBankCredentials => S::ReasonNoCredentials,
        PersonalServiceReason::Documents => S::ReasonDocuments,
        PersonalServiceReason::WantsPersonalService => S::ReasonWantsPersonal,
        PersonalServiceReason::Other => S::ReasonOther,
    })
}

/// The answers given so far, by field name (one value, or several for the reasons).
type Given = Vec<(String, String)>;

fn given_has(given: &Given, name: &str, value: &str) -> bool {
    given.iter().any(|(k, v)| k == name && v == value)
}

fn yes_no(t: Tr, name: &'static str, legend: S, given: &Given) -> Question {
    Question {
        name,
        legend: t.s(legend),
        multiple: false,
        choices: [("true", Text::Yes), ("false", Text::No)]
            .into_iter()
            .map(|(value, label)| Choice {
                value,
                label: t.get(label),
                checked: given_has(given, name, value),
            })
            .collect(),
    }
}

/// A question of `choices` (value, label): one of them, or any of them (`multiple`).
fn one_of(
    t: Tr,
    name: &'static str,
    legend: S,
    choices: Vec<(&'static str, &'static str)>,
    given: &Given,
    multiple: bool,
) -> Question {
    Question {
        name,
        legend: t.s(legend),
        multiple,
        choices: choices
            .into_iter()
            .map(|(value, label)| Choice { value, label, checked: given_has(given, name, value) })
            .collect(),
    }
}

fn questions(t: Tr, given: &Given) -> Vec<Question> {
    let segments = Segment::ALL.iter().map(|s| (s.as_str(), segment(t, *s))).collect();
    let channels = OtherChannel::ALL.iter().map(|o| (o.as_str(), other_channel(t, *o))).collect();
    let reasons = PersonalServiceReason::ALL.iter().map(|r| (r.as_str(), reason(t, *r))).collect();
    vec![
        yes_no(t, "resolved_at_once", S::AskResolved, given),
        one_of(t, "segment", S::AskSegment, segments, given, false),
        one_of(t, "other_channel", S::AskOtherChannel, channels, given, false),
        one_of(t, "personal_service_reasons", S::AskReasons, reasons, given, true),
        yes_no(t, "other_channels_discussed", S::AskDiscussed, given),
    ]
}

/// The answers of a saved assessment, as a form would send them.
fn as_given(a: &Assessment) -> Given {
    let mut g = vec![
        ("resolved_at_once".to_owned(), a.resolved_at_once.to_string()),
        ("segment".to_owned(), a.segment.as_str().to_owned()),
        ("other_channel".to_owned(), a.other_channel.as_str().to_owned()),
        ("other_channels_discussed".to_owned(), a.other_channels_discussed.to_string()),
    ];
    g.extend(
        a.personal_service_reasons
            .iter()
            .map(|r| ("personal_service_reasons".to_owned(), r.as_str().to_owned())),
    );
    g
}

/// The assessment the form's answers make, or each missing answer named.
fn parse(t: Tr, given: &Given) -> Result<Assessment, Errors> {
    let one = |name: &str| given.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let mut errors = Errors::default();
    let mut need = |name: &'static str, ok: bool| {
        if !ok {
            errors.add(name, t.s(S::ChooseOne));
        }
    };
    let resolved = one("resolved_at_once").and_then(|v| v.parse::<bool>().ok());
    need("resolved_at_once", resolved.is_some());
    let seg = one("segment").and_then(Segment::parse);
    need("segment", seg.is_some());
    let other = one("other_channel").and_then(OtherChannel::parse);
    need("other_channel", other.is_some());
    let discussed = one("other_channels_discussed").and_then(|v| v.parse::<bool>().ok());
    need("other_channels_discussed", discussed.is_some());
    let reasons: Vec<PersonalServiceReason> = given
        .iter()
        .filter(|(k, _)| k == "personal_service_reasons")
        .filter_map(|(_, v)| PersonalServiceReason::parse(v))
        .collect();
    match (resolved, seg, other, discussed) {
        (Some(resolved_at_once), Some(segment), Some(other_channel), Some(other_channels_discussed)) => {
            Ok(Assessment {
                resolved_at_once,
                segment,
                other_channel,
                personal_service_reasons: reasons,
                other_channels_discussed,
            })
        }
        _ => Err(errors),
    }
}

fn page_of(
    signed: &Signed,
    id: BookingId,
    reference: &str,
    given: &Given,
    errors: Errors,
    closed: Option<String>,
) -> AssessmentPage {
    let lang = signed.lang();
    let t = Tr(lang);
    let heading = t.fill_s(S::AssessmentTitle, &[("reference", reference)]);
    let mut c = super::chrome(signed, &heading, "/day");
    if !errors.is_empty() {
        c.mark_error();
    }
    let base = format!("/{}/staff/bookings/{}", lang.as_str(), id.0);
    AssessmentPage {
        c,
        heading,
        questions: questions(t, given),
        errors,
        csrf: signed.session.csrf_token.clone(),
        action: format!("{base}/assessment"),
        closed,
        back: base,
    }
}

/// The booking's reference and status and its saved assessment, if the signer's office.
async fn load(
    signed: &Signed,
    id: BookingId,
) -> Result<(String, BookingStatus, Option<Assessment>, chrono_tz::Tz), Problem> {
    let site = signed.site().clone();
    let (keys, principal) = (site.personal.clone(), signed.session.user.principal());
    let loaded = site
        .read(move |c| {
            let b = bookings::get(c, &keys, id)?;
            let saved = visits::assessment(c, id)?.map(|r| r.assessment);
            let tz = aukiolo_store::offices::get(c, b.office_id)?.fields.tz();
            Ok((b.office_id, b.reference, b.status, saved, tz))
        })
        .await?;
    if !principal.covers(loaded.0) {
        return Err(Problem::Forbidden);
    }
    Ok((loaded.1, loaded.2, loaded.3, loaded.4))
}

pub async fn page(signed: Signed, id: web::Path<(String, BookingId)>) -> Result<HttpResponse, Problem> {
    let id = id.1;
    let (reference, status, saved, _) = load(&signed, id).await?;
    let t = Tr(signed.lang());
    let closed = (status != BookingStatus::Completed).then(|| t.s(S::AssessOnlyCompleted).to_owned());
    let given = saved.as_ref().map(as_given).unwrap_or_default();
    super::html(&page_of(&signed, id, &reference, &given, Errors::default(), closed))
}

pub async fn post(
    form: StaffForm<Given>,
    id: web::Path<(String, BookingId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: given } = form;
    let id = id.1;
    let (reference, _, _, tz) = load(&signed, id).await?;
    let t = Tr(signed.lang());
    let assessment = match parse(t, &given) {
        Ok(a) => a,
        Err(errors) => {
            let page = page_of(&signed, id, &reference, &given, errors, None);
            return Ok(with_status(super::html(&page)?, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let site = signed.site().clone();
    let (now, me) = (site.now(), signed.session.user.id);
    let saved = site
        .read(move |c| {
            aukiolo_store::write_transaction(c, |c| {
                audit::record(c, me, "assess_visit", &[id], now)?;
                match visits::assess(c, id, me, &assessment, now) {
                    Ok(_) => Ok(Ok(())),
                    Err(StoreError::Refused(why)) => Ok(Err(why)),
                    Err(e) => Err(e),
                }
            })
        })
        .await?;
    match saved {
        Ok(()) => Ok(see_other(&format!("/{}/staff/bookings/{}?assessed=1", signed.lang().as_str(), id.0))),
        Err(why) => {
            let why = super::refusal::refusal_text(t, &why, tz);
            let closed = Some(t.fill_s(S::ChangeRefused, &[("why", &why)]));
            let page = page_of(&signed, id, &reference, &given, Errors::default(), closed);
            Ok(with_status(super::html(&page)?, StatusCode::CONFLICT))
        }
    }
}
