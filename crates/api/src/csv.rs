//! CSV over HTTP: whether a client asked for it, and the download. The text itself, in
//! either dialect, is written by `aukiolo_domain::metrics::table::csv`, which the pages use
//! too.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use aukiolo_domain::metrics::table::csv::{render, Dialect};
use aukiolo_domain::metrics::table::Table;

/// Whether the client prefers CSV to JSON: `text/csv` in `Accept` with a higher quality than
/// any JSON type (on a tie, whichever is listed first). Without `Accept`, or with only other
/// types, the answer is JSON.
pub fn wanted(req: &HttpRequest) -> bool {
    let Some(accept) = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mut best: Option<(f32, bool)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let csv = match media.as_str() {
            "text/csv" => true,
            "application/json" | "application/*" | "*/*" => false,
            _ => continue,
        };
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
            .next()
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(best_q, _)| q > best_q) {
            best = Some((q, csv));
        }
    }
    best.is_some_and(|(_, csv)| csv)
}

/// A `200` CSV download named `filename`, in `dialect`.
pub fn response(table: &Table, filename: &str, dialect: Dialect) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8; header=present"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .insert_header((header::VARY, "Accept"))
        .body(render(table, dialect))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn csv_only_when_preferred() {
        let wants = |accept: Option<&str>| {
            let mut req = TestRequest::default();
            if let Some(a) = accept {
                req = req.insert_header((header::ACCEPT, a));
            }
            wanted(&req.to_http_request())
        };
        assert!(!wants(None));
        assert!(wants(Some("text/csv")));
        assert!(wants(Some("text/csv;charset=utf-8")));
        assert!(wants(Some("TEXT/CSV")));
        assert!(!wants(Some("application/json")));
        assert!(!wants(Some("*/*")));
        assert!(!wants(Some("text/html")));
        assert!(wants(Some("text/html, text/csv")));
        assert!(wants(Some("application/json;q=0.5, text/csv")));
        assert!(!wants(Some("application/json, text/csv;q=0.9")));
        assert!(!wants(Some("text/csv;q=0")));
        assert!(!wants(Some("application/json, text/csv")));
        assert!(wants(Some("text/csv, application/json")));
    }
}
