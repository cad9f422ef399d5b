//! `POST /auth/login`: e-mail and password for a token, through the same
//! `store::sign_in` as the staff pages (its throttle counted in the database).

use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::{get, post};
use actix_web::{web, HttpRequest, HttpResponse};
use aukiolo_store::sign_in::{sign_in, SignIn};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(example = "admin@aukiolo.example")]
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(login).service(me);
}

/// Who the token belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    #[schema(value_type = uuid::Uuid)]
    pub id: aukiolo_domain::StaffUserId,
    pub email: String,
    pub role: aukiolo_domain::staff::Role,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub office_id: Option<aukiolo_domain::OfficeId>,
    /// The advisor this account serves as, for the day view.
    #[schema(value_type = Option<uuid::Uuid>)]
    pub advisor_id: Option<aukiolo_domain::AdvisorId>,
}

/// The signed-in staff member: role, office and advisor.
#[utoipa::path(tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = Me),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
    )
)]
#[get("/auth/me")]
pub async fn me(staff: crate::auth::Staff) -> HttpResponse {
    let user = staff.user;
    HttpResponse::Ok().json(Me {
        id: user.id,
        email: user.email,
        role: user.role,
        office_id: user.office_id,
        advisor_id: user.advisor_id,
    })
}

/// Sign in as staff.
#[utoipa::path(tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 401, description = "Wrong e-mail or password (not saying which)", body = crate::error::Problem),
        (status = 422, description = "A field is missing or of the wrong type", body = crate::error::Problem),
        (status = 429, description = "Too many failed attempts for this account or address", body = crate::error::Problem),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let address = state.client_address(&req);
    let rules = state.settings.sign_in;
    let token_ttl = Duration::from_std(state.settings.token_ttl).unwrap_or(Duration::hours(10));
    let now = state.now();
    let pool = state.pool.clone();
    let outcome = web::block(move || sign_in(&pool, rules, &body.email, &body.password, &address, now))
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))??;
    let user = match outcome {
        SignIn::Accepted(user) => user,
        SignIn::Refused => return Err(ApiError::Unauthorized("wrong e-mail or password")),
        SignIn::Throttled { retry_after_secs } => return Err(ApiError::TooManyRequests { retry_after_secs }),
    };
    let expires_at = now + token_ttl;
    let token = state.keys.issue(&user, now, expires_at);
    Ok(HttpResponse::Ok().insert_header(crate::headers::NO_STORE).json(LoginResponse { token, expires_at }))
}
