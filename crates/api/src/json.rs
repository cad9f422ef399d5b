//! Request bodies whose errors name every offending field, and the extractor settings
//! (query, path, size) whose errors are problem+json like every other.

use crate::fields::{self, Failure, Input, Stand, Step};
use crate::ApiError;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// Largest JSON body accepted.
const MAX_BODY: usize = 256 * 1024;

/// A JSON body. Values of the wrong type and missing fields give one 422 naming each
/// (`address.postal_code`) with a code; text that is not JSON gives 400, another media
/// type 415, a body over the limit 413.
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
        let is_json = is_json(req);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType);
            }
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::TooLarge(MAX_BODY)
                } else {
                    ApiError::BadRequest("the body could not be read".into())
                }
            })?;
            parse(&bytes).map(ValidJson)
        })
    }
}

/// Whether the request's `Content-Type` is JSON, read as a media type (RFC 9110 §8.3.1:
/// type and subtype case-insensitive, parameters after `;` with optional white space):
/// `application/json` or a `+json` subtype such as `application/problem+json`, never
/// `application/jsonp`.
fn is_json(req: &HttpRequest) -> bool {
    let Some(value) = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.split_once('/') {
        Some(("application", subtype)) => {
            subtype == "json"
                || subtype
                    .strip_suffix("+json")
                    .is_some_and(|s| !s.is_empty() && s.bytes().all(is_token_char))
        }
        _ => false,
    }
}

/// A character of an RFC 9110 token (media type names are tokens).
fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Deserialises `bytes`. Text that is not one JSON document is a 400; a document that is
/// not the request is a 422 naming every bad field with its code (`crate::fields`).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::BadRequest(format!(
            "the body is not one JSON document (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let body = Body(value);
    match body.read::<T>() {
        Ok(parsed) => Ok(parsed),
        Err(first) => Err(ApiError::Validation(fields::collect::<T, _>(body, first))),
    }
}

/// A JSON body as [`fields::collect`] reads it.
#[derive(Clone)]
struct Body(Value);

impl Body {
    fn at_mut(&mut self, at: &[Step]) -> Option<&mut Value> {
        at.iter().try_fold(&mut self.0, |v, step| match step {
            Step::Key(k) => v.get_mut(k.as_str()),
            Step::Index(i) => v.get_mut(*i),
        })
    }
}

impl Input for Body {
    fn read<T: DeserializeOwned>(&self) -> Result<T, Failure> {
        serde_path_to_error::deserialize(&self.0).map_err(|e| Failure::new(e.path(), e.inner().to_string()))
    }

    fn put(&mut self, at: &[Step], stand: &Stand) -> bool {
        let value = match stand {
            Stand::Number => Value::from(0),
            Stand::Bool => Value::Bool(true),
            Stand::List => Value::Array(Vec::new()),
            Stand::Object => Value::Object(Default::default()),
            other => Value::String(other.text().unwrap_or_default().to_owned()),
        };
        let Some((last, parent)) = at.split_last() else {
            self.0 = value;
            return true;
        };
        match (self.at_mut(parent), last) {
            (Some(Value::Object(map)), Step::Key(k)) => {
                map.insert(k.clone(), value);
                true
            }
            (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
                items[*i] = value;
                true
            }
            _ => false,
        }
    }

    fn remove(&mut self, at: &[Step]) {
        if let Some((Step::Key(k), parent)) = at.split_last() {
            if let Some(Value::Object(map)) = self.at_mut(parent) {
                map.remove(k);
            }
        }
    }

    fn is_null(&self, at: &[Step]) -> bool {
        let found = at.iter().try_fold(&self.0, |v, step| match step {
            Step::Key(k) => v.get(k.as_str()),
            Step::Index(i) => v.get(*i),
        });
        matches!(found, Some(Value::Null))
    }
}

/// Query strings that `web::Query` cannot read (the API's handlers take
/// [`crate::query::ValidQuery`], which names the fields).
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|_, _| ApiError::BadRequest("the query cannot be read".into()).into())
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

    #[derive(serde::Deserialize, Debug, PartialEq, Eq)]
    #[serde(rename_all = "snake_case")]
    enum Channel {
        Office,
        Phone,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Request {
        id: uuid::Uuid,
        day: chrono::NaiveDate,
        at: chrono::DateTime<chrono::Utc>,
        channel: Channel,
        weekday: u8,
        inner: Inner,
        list: Vec<Inner>,
        note: Option<String>,
    }

    /// `(field, code)` of every error `body` gets as a `Request`.
    fn errors_of(body: serde_json::Value) -> Vec<(String, &'static str)> {
        match parse::<Request>(body.to_string().as_bytes()) {
            Err(ApiError::Validation(f)) => f.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_every_missing_field_once_and_not_their_insides() {
        let got = errors_of(serde_json::json!({}));
        let want = ["id", "day", "at", "channel", "weekday", "inner", "list"];
        assert_eq!(got, want.iter().map(|f| ((*f).to_owned(), "required")).collect::<Vec<_>>());
    }

    #[test]
    fn a_mistyped_field_gets_the_code_of_what_it_should_be() {
        let mut got = errors_of(serde_json::json!({
            "id": "x", "day": "2027-02-30", "at": 5, "channel": "fax", "weekday": 300,
            "inner": {"code": "a", "count": 1}, "list": [{"code": "a", "count": 1}, {"code": 1, "count": 1}],
            "note": null, "extra": true,
        }));
        got.sort();
        let mut want = vec![
            ("id".to_owned(), "invalid_uuid"),
            ("day".to_owned(), "invalid_date"),
            ("at".to_owned(), "invalid_date"),
            ("channel".to_owned(), "unknown_value"),
            ("weekday".to_owned(), "out_of_range"),
            ("list[1].code".to_owned(), "invalid_type"),
            ("extra".to_owned(), "unknown_field"),
        ];
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn messages_say_what_is_expected_and_nothing_of_the_value() {
        let body = serde_json::json!({"id": "131052-308T", "channel": "131052-308T"});
        let Err(ApiError::Validation(errors)) = parse::<Request>(body.to_string().as_bytes()) else {
            panic!()
        };
        for e in &errors {
            assert!(!e.message.contains("131052"), "{e:?}");
        }
        let channel = errors.iter().find(|e| e.field == "channel").expect("channel named");
        assert_eq!(channel.message, "must be one of: office, phone");
    }
}
