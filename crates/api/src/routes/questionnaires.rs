//! The post-visit questionnaire, opened and answered through the link in its invitation.
//! There is no sign-in: the link's token is the key, to one booking's questionnaire, for
//! one answer, until it expires. What is stored carries no identity (see the store).

use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{get, post};
use actix_web::{web, HttpResponse};
use aukiolo_domain::questionnaire::{LocalisedQuestionnaire, SubmittedAnswers};
use aukiolo_store::questionnaires;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(open).service(answer);
}

/// The questionnaire of a link, in the language of the booking it follows.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionnaireView {
    pub questionnaire: LocalisedQuestionnaire,
    /// Answers are accepted until then.
    pub expires_at: DateTime<Utc>,
}

/// The answers were stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswersReceived {
    #[schema(example = "received")]
    pub status: &'static str,
}

/// The questionnaire to answer (no sign-in: the token from the invitation is the key).
#[utoipa::path(tag = "questionnaires",
    params(("token" = String, Path, description = "The link token from the invitation")),
    responses(
        (status = 200, description = "The questionnaire in the booking's language, and until when it can be answered", body = QuestionnaireView),
        (status = 404, description = "No questionnaire has this token", body = crate::error::Problem),
        (status = 409, description = "Already answered", body = crate::error::Problem),
        (status = 410, description = "The link has expired", body = crate::error::Problem),
    ))]
#[get("/questionnaires/{token}")]
pub async fn open(state: web::Data<AppState>, token: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let token = token.into_inner();
    let now = state.now();
    let open = state.db(move |c| Ok(questionnaires::open(c, &token, now)?)).await?;
    let view = QuestionnaireView {
        questionnaire: open.questionnaire.localised(open.locale),
        expires_at: open.expires_at,
    };
    // The address holds the key: keep it out of shared caches.
    Ok(HttpResponse::Ok().insert_header(CacheControl(vec![CacheDirective::NoStore])).json(view))
}

/// Answer the questionnaire, once. Every invalid answer is listed at once as
/// `answers.<question key>`; nothing is stored unless all are valid.
#[utoipa::path(tag = "questionnaires",
    params(("token" = String, Path, description = "The link token from the invitation")),
    request_body = SubmittedAnswers,
    responses(
        (status = 201, description = "Stored, without anything that identifies the citizen", body = AnswersReceived),
        (status = 404, description = "No questionnaire has this token", body = crate::error::Problem),
        (status = 409, description = "Already answered", body = crate::error::Problem),
        (status = 410, description = "The link has expired", body = crate::error::Problem),
        (status = 422, description = "Invalid answers, each named `answers.<question key>`", body = crate::error::Problem),
    ))]
#[post("/questionnaires/{token}")]
pub async fn answer(
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: ValidJson<SubmittedAnswers>,
) -> Result<HttpResponse, ApiError> {
    let token = token.into_inner();
    let answers = body.0.answers;
    let now = state.now();
    state
        .db(move |c| {
            // The link decides which questionnaire the answers are checked against; the
            // answer itself settles the single use, so a race between the two is harmless.
            let opened = questionnaires::open(c, &token, now)?;
            let valid = opened.questionnaire.check(&answers)?;
            Ok(questionnaires::answer(c, &token, &valid, now)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(AnswersReceived { status: "received" }))
}
