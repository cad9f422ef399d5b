//! Tables as CSV (RFC 4180): a header line, CRLF line ends, and fields quoted when they
//! hold a comma, a quote or a line break, with quotes doubled.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use aukiolo_domain::metrics::table::{Cell, Table};
use std::fmt::Write;

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

/// Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return at
/// the start) gets a leading apostrophe. Only free text is touched; numbers are written as
/// numbers, negative ones included.
fn defused(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

fn line<'a>(out: &mut String, fields: impl IntoIterator<Item = std::borrow::Cow<'a, str>>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, &f);
    }
    out.push_str("\r\n");
}

/// The table as CSV text: empty cells stay empty (a withheld figure shows no value).
pub fn render(table: &Table) -> String {
    let mut out = String::new();
    line(&mut out, table.header.iter().map(|h| h.as_str().into()));
    for row in &table.rows {
        line(
            &mut out,
            row.iter().map(|cell| match cell {
                Cell::Empty => "".into(),
                Cell::Count(n) => n.to_string().into(),
                Cell::Number(x) => {
                    let mut s = String::new();
                    let _ = write!(s, "{x}");
                    s.into()
                }
                Cell::Text(t) => defused(t).into(),
            }),
        );
    }
    out
}

/// A `200` CSV download named `filename`.
pub fn response(table: &Table, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8; header=present"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .insert_header((header::VARY, "Accept"))
        .body(render(table))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn quotes_only_what_needs_it() {
        let table = Table {
            header: vec!["name".into(), "n".into(), "x".into(), "reason".into()],
            rows: vec![
                vec![Cell::Text("plain".into()), Cell::Count(3), Cell::Number(-0.5), Cell::Empty],
                vec![
                    Cell::Text("a, \"b\"\r\nc".into()),
                    Cell::Empty,
                    Cell::Number(0.1 + 0.2),
                    Cell::Text("=SUM(A1)".into()),
                ],
            ],
        };
        assert_eq!(
            render(&table),
            "name,n,x,reason\r\nplain,3,-0.5,\r\n\"a, \"\"b\"\"\r\nc\",,0.30000000000000004,'=SUM(A1)\r\n"
        );
    }

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
