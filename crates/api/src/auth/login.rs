//! `POST /auth/login`: e-mail and password for a token, with throttling of failures per
//! account and per client address (kept in the database, so all replicas agree).

use crate::auth::password;
use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::{web, HttpRequest, HttpResponse};
use aukiolo_store::{login_throttle, staff};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

/// The client's address, as `login_throttle::client_address` reads it.
fn client_address(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    login_throttle::client_address(forwarded, req.peer_addr().map(|a| a.ip()), trust_forwarded_for)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/login", web::post().to(login)).route("/auth/me", web::get().to(me));
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
#[utoipa::path(
    get,
    path = "/api/v1/auth/me",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = Me),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
    )
)]
pub async fn me(staff: crate::auth::Staff, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let id = staff.id;
    let user = state
        .db(move |conn| {
            staff::get(conn, id).map_err(|e| match e {
                aukiolo_store::StoreError::NotFound(_) => {
                    ApiError::Unauthorized("the account no longer exists")
                }
                other => other.into(),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(Me {
        id: user.id,
        email: user.email,
        role: user.role,
        office_id: user.office_id,
        advisor_id: user.advisor_id,
    }))
}

/// Sign in as staff.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 401, description = "Wrong e-mail or password (not saying which)", body = crate::error::Problem),
        (status = 422, description = "A field is missing or of the wrong type", body = crate::error::Problem),
        (status = 429, description = "Too many failed attempts for this account or address", body = crate::error::Problem),
    )
)]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let email = staff::normalise_email(&body.email);
    let address = client_address(&req, state.settings.trust_forwarded_for);
    let keys = vec![format!("account:{email}"), format!("ip:{address}")];
    let limits = [state.settings.login_max_failures_account, state.settings.login_max_failures_address];
    let window = Duration::from_std(state.settings.login_window).unwrap_or(Duration::minutes(15));
    let token_ttl = Duration::from_std(state.settings.token_ttl).unwrap_or(Duration::hours(10));
    let app = state.clone();
    let now = state.now();
    let response = state
        .db(move |conn| {
            // Counted and recorded in one step, before the (slow) password check, so that
            // parallel attempts cannot all slip in under the limit.
            let attempt = aukiolo_store::write_transaction(conn, |conn| {
                login_throttle::lock(conn, &keys)?;
                for (key, limit) in keys.iter().zip(limits) {
                    let (failures, latest) = login_throttle::failures_since(conn, key, now - window)?;
                    if failures >= limit {
                        let until = latest.unwrap_or(now) + window;
                        let retry_after_secs = (until - now).num_seconds().max(1) as u64;
                        return Err(ApiError::TooManyRequests { retry_after_secs });
                    }
                }
                login_throttle::prune(conn, now - window * 4)?;
                Ok(login_throttle::record_failure(conn, &keys, now)?)
            })?;
            let user = staff::find_by_email(conn, &email)?;
            let ok = match &user {
                Some(u) => password::verify(&body.password, &u.password_hash),
                None => {
                    password::verify_dummy(&body.password);
                    false
                }
            };
            let Some(user) = user.filter(|_| ok) else {
                tracing::info!("failed staff sign-in");
                return Err(ApiError::Unauthorized("wrong e-mail or password"));
            };
            aukiolo_store::write_transaction(conn, |conn| {
                login_throttle::clear(conn, &keys[0])?;
                login_throttle::forget(conn, &attempt)
            })?;
            let expires_at = now + token_ttl;
            let token = app.keys.issue(user.id, user.role, user.office_id, now, expires_at);
            tracing::info!(staff = %user.id, "staff signed in");
            Ok(LoginResponse { token, expires_at })
        })
        .await?;
    Ok(HttpResponse::Ok().json(response))
}
