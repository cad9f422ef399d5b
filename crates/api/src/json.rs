//! Request bodies and path parameters whose errors name the offending field.

use crate::ApiError;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest};
use aukiolo_domain::FieldError;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

/// Largest JSON body accepted.
const MAX_BODY: usize = 256 * 1024;

/// A JSON body. A value of the wrong type or a missing field gives 422 naming the field
/// (`address.postal_code`); text that is not JSON gives 400.
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

impl<T> std::ops::Deref for ValidJson<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let bytes = web::Bytes::from_request(req, payload);
        let is_json = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/json") || ct.contains("+json"));
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::BadRequest("send the body as application/json".into()));
            }
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::TooLarge(MAX_BODY)
                } else {
                    ApiError::BadRequest(format!("unreadable body: {e}"))
                }
            })?;
            parse(&bytes).map(ValidJson)
        })
    }
}

/// Deserialises `bytes`, turning a type error into a 422 that names the field. Anything
/// after the JSON document makes the body malformed (400).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::BadRequest(format!("the body is not valid JSON: {inner}"));
        }
        let message = inner.to_string();
        // "missing field `x`" is reported at the parent: name the field itself.
        let field = match message.strip_prefix("missing field `").and_then(|m| m.split('`').next()) {
            Some(missing) if path == "." => missing.to_owned(),
            Some(missing) => format!("{path}.{missing}"),
            None => path,
        };
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        ApiError::Validation(vec![FieldError { field, message }])
    })?;
    de.end().map_err(|e| ApiError::BadRequest(format!("the body has text after the JSON document: {e}")))?;
    Ok(value)
}

/// Query strings that cannot be read at all (a repeated parameter, bad encoding).
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|e, _| ApiError::BadRequest(e.to_string()).into())
}

/// Bodies over the limit are refused with 413 by the extractor underneath.
pub fn payload_config() -> web::PayloadConfig {
    web::PayloadConfig::new(MAX_BODY)
}

/// A malformed id in the path is a resource that does not exist.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, _| ApiError::NotFound("resource").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        code: String,
        count: i32,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        inner: Inner,
    }

    fn field_of(body: &str) -> String {
        match parse::<Outer>(body.as_bytes()) {
            Err(ApiError::Validation(f)) => f[0].field.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_the_field() {
        assert_eq!(field_of(r#"{"inner": {"code": "a", "count": 1}}"#), "name");
        assert_eq!(field_of(r#"{"name": "x", "inner": {"code": "a"}}"#), "inner.count");
        assert_eq!(field_of(r#"{"name": "x", "inner": {"code": "a", "count": "many"}}"#), "inner.count");
        assert!(matches!(parse::<Outer>(b"{not json"), Err(ApiError::BadRequest(_))));
    }
}
