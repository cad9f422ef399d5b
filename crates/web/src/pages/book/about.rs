//! `/{lang}/book/matter` and `/{lang}/book/details`: what the citizen writes. Both are
//! POST forms (the answers may be personal, so they never go into a URL); a valid answer
//! is sealed into the journey cookie and the next page follows (redirect after POST), an
//! invalid one shows the page again with its errors and every value kept.

use super::{see_other, Flow, Step};
use crate::catalogue::{Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::{same_origin, Errors};
use crate::journey::{Choices, Details, Journey, Matter, Query};
use crate::lang::Cx;
use crate::site::Site;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use aukiolo_domain::contact::{Email, Phone};
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::{Channel, Language, Locale};
use serde::Deserialize;

/// Longest matter and accessibility texts, as the API allows.
const MATTER_MAX: usize = 1000;
const ACCESSIBILITY_MAX: usize = 500;
const NAME_MAX: usize = 200;

#[derive(Template)]
#[template(path = "matter.html")]
struct MatterPage {
    c: Chrome,
    form: Form,
    bring_label: &'static str,
    bring: String,
    errors: Errors,
    values: Matter,
}

#[derive(Template)]
#[template(path = "details.html")]
struct DetailsPage {
    c: Chrome,
    form: Form,
    phone_required: bool,
    errors: Errors,
    values: Details,
}

/// The journey so far, or where to go instead: an earlier question, or (for a POST whose
/// answers ran out) the page again.
struct Context {
    lang: Locale,
    flow: Flow,
    journey: Journey,
    /// The cookie was made just now.
    fresh: bool,
}

async fn context(
    req: &HttpRequest,
    lang: Locale,
    site: &Site,
    query: &Query,
    step: Step,
) -> Result<Result<Context, HttpResponse>, Problem> {
    let choices = Choices::from_query(query);
    let flow = site.read(move |c| Flow::load(c, choices)).await?;
    if let Some(missing) = flow.missing_before(step) {
        return Ok(Err(see_other(&flow.url(lang, missing))));
    }
    let now = site.now();
    let (journey, fresh) = match Journey::from_request(req, &site.sealer, now) {
        Some(j) if j.booked.is_none() => (j, false),
        _ => (Journey::fresh(), true),
    };
    if step == Step::Details && journey.matter.is_none() {
        return Ok(Err(see_other(&flow.url(lang, Step::Matter))));
    }
    Ok(Ok(Context { lang, flow, journey, fresh }))
}

/// A POST's journey: it must come from our page, with its journey's token. A journey
/// that expired meanwhile sends the citizen to the page again.
pub(super) fn posted(req: &HttpRequest, site: &Site, token: &str) -> Result<Option<Journey>, Problem> {
    same_origin(req)?;
    let Some(journey) = Journey::from_request(req, &site.sealer, site.now()) else { return Ok(None) };
    if !site.sealer.check_form_token("journey", &journey.id, token) {
        return Err(Problem::FormRefused);
    }
    Ok(Some(journey))
}

/// `context` for a POST of `step`'s form, with the journey it was posted in.
async fn posted_context(
    req: &HttpRequest,
    lang: Locale,
    site: &Site,
    query: &Query,
    step: Step,
    token: &str,
) -> Result<Result<Context, HttpResponse>, Problem> {
    let journey = posted(req, site, token)?;
    let mut ctx = match context(req, lang, site, query, step).await? {
        Ok(ctx) => ctx,
        Err(redirect) => return Ok(Err(redirect)),
    };
    let Some(journey) = journey else { return Ok(Err(see_other(&ctx.flow.url(lang, Step::Matter)))) };
    ctx.journey = journey;
    ctx.fresh = false;
    Ok(Ok(ctx))
}

pub(super) fn with_cookie(
    mut res: HttpResponse,
    req: &HttpRequest,
    site: &Site,
    journey: &Journey,
) -> HttpResponse {
    let cookie = journey.cookie(req, &site.sealer, site.now());
    if let Err(e) = res.add_cookie(&cookie) {
        tracing::error!(error = %e, "journey cookie not set");
    }
    res
}

/// What the matter and details forms share around their fields.
struct Form {
    /// "Vaihe 6/8".
    step: String,
    action: String,
    token: String,
}

/// The frame and form of `step`'s page, titled `heading`, marked when it shows errors.
fn frame(
    req: &HttpRequest,
    site: &Site,
    ctx: &Context,
    query: &Query,
    step: Step,
    heading: Text,
    errors: &Errors,
) -> (Chrome, Form) {
    let lang = ctx.lang;
    let t = Tr(lang);
    let mut c = Chrome::new(req, lang, t.get(heading)).with_back(ctx.flow.back(lang, step));
    if !errors.is_empty() {
        c.mark_error();
    }
    let (n, of) = ctx.flow.position(step);
    let form = Form {
        step: t.fill(Text::StepOf, &[("n", &n.to_string()), ("of", &of.to_string())]),
        action: action(lang, step, &ctx.flow.choices, query),
        token: ctx.journey.token(&site.sealer),
    };
    (c, form)
}

/// Where a valid answer leads: back to the check page when it came from there.
fn onward(flow: &Flow, lang: Locale, step: Step, query: &Query, journey: &Journey) -> String {
    let complete = journey.matter.is_some() && journey.details.is_some();
    if complete && query.get("from").is_some_and(|f| f == "check") {
        flow.url(lang, Step::Check)
    } else {
        flow.next(lang, step)
    }
}

fn matter_page_for(
    req: &HttpRequest,
    lang: Locale,
    site: &Site,
    ctx: &Context,
    query: &Query,
    errors: Errors,
    values: Matter,
) -> Result<HttpResponse, Problem> {
    let t = Tr(lang);
    let (c, form) = frame(req, site, ctx, query, Step::Matter, Text::MatterQuestion, &errors);
    let phone = ctx.flow.choices.channel == Some(Channel::Phone);
    let page = MatterPage {
        c,
        form,
        bring_label: t.get(if phone { Text::BringPhone } else { Text::BringOffice }),
        bring: ctx.flow.topic().map(|tp| tp.fields.what_to_bring.get(lang).to_owned()).unwrap_or_default(),
        errors,
        values,
    };
    let res = crate::pages::html(&page)?;
    Ok(if ctx.fresh { with_cookie(res, req, site, &ctx.journey) } else { res })
}

/// The form's own address with the choices (and where it was reached from).
fn action(lang: Locale, step: Step, choices: &Choices, query: &Query) -> String {
    let mut pairs = choices.pairs();
    if query.get("from").is_some_and(|f| f == "check") {
        pairs.push(("from", "check".to_owned()));
    }
    super::with_query(&format!("/{}/book/{}", lang.as_str(), step.slug()), &pairs)
}

pub async fn matter_page(
    Cx { req, lang, site }: Cx,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    let ctx = or_redirect!(context(&req, lang, &site, &query, Step::Matter).await);
    let values = ctx.journey.matter.clone().unwrap_or_default();
    matter_page_for(&req, lang, &site, &ctx, &query, Errors::default(), values)
}

#[derive(Debug, Deserialize)]
pub struct MatterForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    interpreter: String,
    #[serde(default)]
    accessibility: String,
}

fn too_long(s: &str, max: usize) -> bool {
    s.chars().count() > max
}

/// Checks the matter and needs the way the booking will, in the page's language.
pub fn check_matter(t: Tr, m: &Matter) -> Errors {
    let mut errors = Errors::default();
    if m.description.is_empty() {
        errors.add("description", t.get(Text::MatterMissing));
    } else if too_long(&m.description, MATTER_MAX) {
        errors.add("description", t.fill(Text::TooLong, &[("max", &MATTER_MAX.to_string())]));
    }
    if !m.interpreter.is_empty() && m.interpreter.parse::<Language>().is_err() {
        errors.add("interpreter", t.get(Text::InterpreterInvalid));
    }
    if too_long(&m.accessibility, ACCESSIBILITY_MAX) {
        errors.add("accessibility", t.fill(Text::TooLong, &[("max", &ACCESSIBILITY_MAX.to_string())]));
    }
    errors
}

pub async fn matter_post(
    Cx { req, lang, site }: Cx,
    web::Query(query): web::Query<Query>,
    web::Form(form): web::Form<MatterForm>,
) -> Result<HttpResponse, Problem> {
    let mut ctx = or_redirect!(posted_context(&req, lang, &site, &query, Step::Matter, &form.token).await);
    let t = Tr(lang);
    let values = Matter {
        description: form.description.trim().to_owned(),
        interpreter: form.interpreter.trim().to_lowercase(),
        accessibility: form.accessibility.trim().to_owned(),
    };
    let errors = check_matter(t, &values);
    if !errors.is_empty() {
        return matter_page_for(&req, lang, &site, &ctx, &query, errors, values);
    }
    ctx.journey.matter = Some(values);
    let next = onward(&ctx.flow, lang, Step::Matter, &query, &ctx.journey);
    Ok(with_cookie(see_other(&next), &req, &site, &ctx.journey))
}

fn details_page_for(
    req: &HttpRequest,
    site: &Site,
    ctx: &Context,
    query: &Query,
    errors: Errors,
    values: Details,
) -> Result<HttpResponse, Problem> {
    let (c, form) = frame(req, site, ctx, query, Step::Details, Text::DetailsTitle, &errors);
    let page = DetailsPage {
        c,
        form,
        phone_required: ctx.flow.choices.channel == Some(Channel::Phone),
        errors,
        values,
    };
    crate::pages::html(&page)
}

pub async fn details_page(
    Cx { req, lang, site }: Cx,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    let ctx = or_redirect!(context(&req, lang, &site, &query, Step::Details).await);
    let values = ctx.journey.details.clone().unwrap_or_default();
    details_page_for(&req, &site, &ctx, &query, Errors::default(), values)
}

#[derive(Debug, Deserialize)]
pub struct DetailsForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    personal_id: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
}

/// Checks the details the way the booking will, with the messages in the page's language.
pub fn check_details(t: Tr, d: &Details, phone_required: bool) -> Errors {
    let mut errors = Errors::default();
    if d.name.is_empty() {
        errors.add("name", t.get(Text::NameMissing));
    } else if too_long(&d.name, NAME_MAX) {
        errors.add("name", t.fill(Text::TooLong, &[("max", &NAME_MAX.to_string())]));
    }
    if d.personal_id.is_empty() {
        errors.add("personal_id", t.get(Text::PersonalIdMissing));
    } else if PersonalId::parse(&d.personal_id).is_err() {
        errors.add("personal_id", t.get(Text::PersonalIdInvalid));
    }
    if d.email.is_empty() {
        errors.add("email", t.get(Text::EmailMissing));
    } else if Email::parse(&d.email).is_err() {
        errors.add("email", t.get(Text::EmailInvalid));
    }
    if d.phone.is_empty() {
        if phone_required {
            errors.add("phone", t.get(Text::PhoneMissing));
        }
    } else if Phone::parse(&d.phone).is_err() {
        errors.add("phone", t.get(Text::PhoneInvalid));
    }
    errors
}

pub async fn details_post(
    Cx { req, lang, site }: Cx,
    web::Query(query): web::Query<Query>,
    web::Form(form): web::Form<DetailsForm>,
) -> Result<HttpResponse, Problem> {
    let mut ctx = or_redirect!(posted_context(&req, lang, &site, &query, Step::Details, &form.token).await);
    let values = Details {
        name: form.name.trim().to_owned(),
        // Spaces are how people write the code in groups; they are no part of it.
        personal_id: form
            .personal_id
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase(),
        email: form.email.trim().to_owned(),
        phone: form.phone.trim().to_owned(),
    };
    let errors = check_details(Tr(lang), &values, ctx.flow.choices.channel == Some(Channel::Phone));
    if !errors.is_empty() {
        return details_page_for(&req, &site, &ctx, &query, errors, values);
    }
    ctx.journey.details = Some(values);
    let next = ctx.flow.url(lang, Step::Check);
    Ok(with_cookie(see_other(&next), &req, &site, &ctx.journey))
}
