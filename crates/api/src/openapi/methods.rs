//! What answers a request that no route of the API took: a known path with a method it
//! does not have is `405 Method Not Allowed` with `Allow` (RFC 9110 §15.5.6), anything
//! else `404`, both as problem+json. The paths and their methods are read from the
//! document of the mounted routes, so the answer cannot disagree with the router.

use crate::ApiError;
use actix_web::dev::ResourceDef;
use actix_web::http::{header, Method};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use std::collections::BTreeSet;
use std::sync::Arc;
use utoipa::openapi::OpenApi;

/// Every documented path pattern with the methods it has.
#[derive(Clone)]
pub(crate) struct MethodTable(Arc<Vec<(ResourceDef, Vec<Method>)>>);

impl MethodTable {
    pub(crate) fn new(doc: &OpenApi) -> Self {
        let table = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    (Method::GET, item.get.is_some()),
                    (Method::PUT, item.put.is_some()),
                    (Method::POST, item.post.is_some()),
                    (Method::DELETE, item.delete.is_some()),
                    (Method::PATCH, item.patch.is_some()),
                ]
                .into_iter()
                .filter_map(|(m, present)| present.then_some(m))
                .collect();
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        MethodTable(Arc::new(table))
    }

    /// The methods of the resource at `path`, in a stable order. Where several patterns
    /// match (`…/{id}/events` and `…/{id}/{action}`), the one with the fewest parameters
    /// is the resource: the router tries it first, and the pattern is only its fallback.
    pub(crate) fn allowed(&self, path: &str) -> Vec<Method> {
        let matching: Vec<_> = self.0.iter().filter(|(def, _)| def.is_match(path)).collect();
        let fewest = matching.iter().map(|(def, _)| parameters(def)).min().unwrap_or(0);
        let set: BTreeSet<&str> = matching
            .iter()
            .filter(|(def, _)| parameters(def) == fewest)
            .flat_map(|(_, methods)| methods.iter().map(Method::as_str))
            .collect();
        set.into_iter().filter_map(|m| m.parse().ok()).collect()
    }

    pub(crate) fn answer(&self, req: &HttpRequest) -> HttpResponse {
        let allowed = self.allowed(req.path());
        if allowed.is_empty() {
            return ApiError::NotFound("resource").error_response();
        }
        let list = allowed.iter().map(Method::as_str).collect::<Vec<_>>().join(", ");
        let mut response = ApiError::MethodNotAllowed(list.clone()).error_response();
        if let Ok(value) = header::HeaderValue::from_str(&list) {
            response.headers_mut().insert(header::ALLOW, value);
        }
        response
    }
}

fn parameters(def: &ResourceDef) -> usize {
    def.pattern().map_or(0, |p| p.matches('{').count())
}
