//! Query strings whose errors name every offending parameter with a code, as bodies do
//! (`crate::fields`). A parameter given twice is a 400: which one was meant is unknown.

use crate::fields::{self, Failure, Input, Stand, Step};
use crate::ApiError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use std::future::{ready, Ready};

/// The query parameters as `T`.
#[derive(Debug)]
pub struct ValidQuery<T>(pub T);

impl<T> ValidQuery<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for ValidQuery<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for ValidQuery<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse(req.query_string()).map(ValidQuery))
    }
}

pub(crate) fn parse<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    if let Some((name, _)) =
        pairs.iter().enumerate().find(|(i, (k, _))| pairs[..*i].iter().any(|(k2, _)| k2 == k)).map(|(_, p)| p)
    {
        return Err(ApiError::BadRequest(format!("the parameter {name} is given more than once")));
    }
    let query = Pairs(pairs);
    match query.read::<T>() {
        Ok(parsed) => Ok(parsed),
        Err(first) => Err(ApiError::Validation(fields::collect::<T, _>(query, first))),
    }
}

/// Decoded parameters, in order.
#[derive(Clone)]
struct Pairs(Vec<(String, String)>);

impl Pairs {
    fn key(at: &[Step]) -> Option<&str> {
        match at {
            [Step::Key(k)] => Some(k),
            _ => None,
        }
    }
}

impl Input for Pairs {
    fn read<T: DeserializeOwned>(&self) -> Result<T, Failure> {
        let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(&self.0).finish();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
        serde_path_to_error::deserialize(de).map_err(|e| Failure::new(e.path(), e.inner().to_string()))
    }

    fn put(&mut self, at: &[Step], stand: &Stand) -> bool {
        let (Some(key), Some(text)) = (Self::key(at), stand.text()) else { return false };
        self.0.retain(|(k, _)| k != key);
        self.0.push((key.to_owned(), text.to_owned()));
        true
    }

    fn remove(&mut self, at: &[Step]) {
        if let Some(key) = Self::key(at) {
            self.0.retain(|(k, _)| k != key);
        }
    }

    fn is_null(&self, _: &[Step]) -> bool {
        false
    }
}
