//! What can go wrong on a page, and how the citizen is told: a localised page with the
//! right status (403 "link not valid", 410 "link expired", 429 and 503 "try again
//! shortly", …), rendered by [`render`] from the problem a handler returned.

use crate::catalogue::{Text, Tr};
use crate::chrome::Chrome;
use crate::lang;
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use aukiolo_store::links::LinkProblem;
use aukiolo_store::StoreError;

/// A page that cannot be shown as asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    NotFound,
    /// A link that was altered, belongs to another booking, or was never ours.
    LinkInvalid,
    /// A link that was good but has run out.
    LinkExpired,
    /// A form that did not come from our page (no or a wrong token, another origin).
    FormRefused,
    /// A questionnaire link that was used already.
    AlreadyAnswered,
    TooManyRequests,
    /// One client's requests over a limit of `store::rate_limits`; back after this many
    /// seconds.
    RateLimited(u64),
    /// A staff page the signed-in person's role or office does not reach.
    Forbidden,
    /// A staff form sent without a live session (it ended, or was never there).
    SignedOut,
    /// A form whose fields cannot be read at all (not one of our pages' forms).
    BadForm,
    /// The database cannot be reached or is overloaded.
    Unavailable,
    Internal,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl From<LinkProblem> for Problem {
    fn from(p: LinkProblem) -> Self {
        match p {
            LinkProblem::Invalid => Problem::LinkInvalid,
            LinkProblem::Expired => Problem::LinkExpired,
        }
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => Problem::NotFound,
            StoreError::Gone(_) => Problem::LinkExpired,
            StoreError::NotAllowed(_) => Problem::Forbidden,
            StoreError::Pool(_) | StoreError::Connect(_) | StoreError::Unavailable(_) => {
                tracing::warn!(error = %e, "page: database unavailable");
                Problem::Unavailable
            }
            e => {
                tracing::error!(error = %e, "page failed");
                Problem::Internal
            }
        }
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        match self {
            Problem::NotFound => StatusCode::NOT_FOUND,
            Problem::LinkInvalid | Problem::FormRefused | Problem::Forbidden | Problem::SignedOut => {
                StatusCode::FORBIDDEN
            }
            Problem::BadForm => StatusCode::BAD_REQUEST,
            Problem::LinkExpired => StatusCode::GONE,
            Problem::AlreadyAnswered => StatusCode::CONFLICT,
            Problem::TooManyRequests | Problem::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Problem::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Problem::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        match self {
            Problem::TooManyRequests | Problem::Unavailable => {
                res.insert_header((header::RETRY_AFTER, "60"));
            }
            Problem::RateLimited(secs) => {
                res.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
            _ => {}
        }
        let mut res = res.finish();
        res.extensions_mut().insert(*self);
        res
    }
}

/// The problem behind an error status that no handler named (a bad query, an unknown path).
fn by_status(status: StatusCode) -> Problem {
    match status.as_u16() {
        403 => Problem::LinkInvalid,
        404 | 405 => Problem::NotFound,
        409 => Problem::AlreadyAnswered,
        410 => Problem::LinkExpired,
        429 => Problem::TooManyRequests,
        s if s > 500 => Problem::Unavailable,
        500 => Problem::Internal,
        _ => Problem::FormRefused,
    }
}

fn texts(problem: Problem) -> (Text, Text) {
    match problem {
        Problem::NotFound => (Text::NotFoundTitle, Text::NotFoundBody),
        Problem::LinkInvalid => (Text::LinkInvalidTitle, Text::LinkInvalidBody),
        Problem::LinkExpired => (Text::LinkExpiredTitle, Text::LinkExpiredBody),
        Problem::FormRefused => (Text::FormRefusedTitle, Text::FormRefusedBody),
        Problem::AlreadyAnswered => (Text::AnsweredTitle, Text::AnsweredBody),
        Problem::TooManyRequests => (Text::TooManyTitle, Text::TryAgainShortly),
        Problem::RateLimited(_) => (Text::TooManyTitle, Text::RateLimitedBody),
        Problem::Forbidden => (Text::ForbiddenTitle, Text::ForbiddenBody),
        Problem::SignedOut => (Text::SignedOutTitle, Text::SignedOutBody),
        Problem::BadForm => (Text::FormRefusedTitle, Text::BadFormBody),
        Problem::Unavailable => (Text::UnavailableTitle, Text::TryAgainShortly),
        Problem::Internal => (Text::InternalTitle, Text::TryAgainShortly),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    heading: &'static str,
    body: &'static str,
    /// Whether the citizen can ask for a new manage link.
    resend: bool,
    /// Where a staff member signs in again.
    sign_in: Option<String>,
}

/// Marks an error response whose body already is the page to show (a form shown again
/// with its errors under 401, 409 or 429): [`render`] leaves it as it is.
#[derive(Clone, Copy, Debug)]
pub struct OwnPage;

/// `res` (a rendered page) with an error `status`, kept as it is by [`render`].
pub fn with_status(mut res: HttpResponse, status: StatusCode) -> HttpResponse {
    *res.status_mut() = status;
    res.extensions_mut().insert(OwnPage);
    res
}

/// Every error status of a page becomes a page in its language, keeping the status and
/// headers such as `Retry-After`.
pub fn render<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(|res: ServiceResponse<B>| {
        if res.response().extensions().get::<OwnPage>().is_some() {
            return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
        }
        let problem = res.response().extensions().get::<Problem>().copied();
        let (req, old) = res.into_parts();
        let status = old.status();
        let problem = problem.unwrap_or_else(|| by_status(status));
        let locale = lang::from_path(req.path()).unwrap_or(aukiolo_domain::Locale::Fi);
        let (heading, body) = texts(problem);
        let t = Tr(locale);
        let page = ErrorPage {
            c: Chrome::new(&req, locale, t.get(heading)),
            heading: t.get(heading),
            body: t.get(body),
            resend: matches!(problem, Problem::LinkInvalid | Problem::LinkExpired)
                && req.path().contains("/manage/"),
            sign_in: (problem == Problem::SignedOut).then(|| format!("/{}/staff/sign-in", locale.as_str())),
        };
        let mut new = HttpResponse::build(status);
        new.content_type("text/html; charset=utf-8");
        for (name, value) in old.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                new.insert_header((name.clone(), value.clone()));
            }
        }
        // Error pages often answer a link that carries a token: never pass it on.
        new.insert_header((header::REFERRER_POLICY, "no-referrer"));
        let new = match page.render() {
            Ok(html) => new.body(html),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                new.body(t.get(body))
            }
        };
        Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, new).map_into_right_body::<B>()))
    })
}
