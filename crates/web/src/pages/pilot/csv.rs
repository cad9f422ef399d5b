//! The pilot pages' tables as CSV, the same tables the metrics API writes:
//! `/{lang}/pilot/table.csv` (the dashboard's comparisons) and
//! `/{lang}/pilot/measures/{key}/table.csv` (every measure by office and week), office and
//! topic names in the page's language, `?dialect=fi` for spreadsheets in a Finnish locale.

use super::period::{asked, PeriodQuery};
use crate::error::Problem;
use crate::staff::Signed;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use aukiolo_domain::metrics::table::csv::{render, Dialect};
use aukiolo_domain::metrics::table::{self, Table};
use aukiolo_domain::metrics::{self, GroupBy};
use aukiolo_domain::Locale;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CsvQuery {
    from: Option<String>,
    to: Option<String>,
    dialect: Option<String>,
}

/// The links to a page's CSV in both dialects, with their labels.
pub fn links(lang: Locale, path: &str, period: super::period::Period) -> Vec<(String, &'static str)> {
    let t = crate::catalogue::Tr(lang);
    let base = format!("/{}{path}?{}", lang.as_str(), period.query());
    vec![
        (base.clone(), t.p(crate::catalogue::PilotText::Csv)),
        (format!("{base}&dialect={}", Dialect::Fi.as_str()), t.p(crate::catalogue::PilotText::CsvFinnish)),
    ]
}

/// The period and dialect asked for; a period the form would refuse is refused here too.
async fn read(signed: &Signed, q: &CsvQuery) -> Result<(super::period::Asked, Dialect), Problem> {
    let dialect = match q.dialect.as_deref() {
        None | Some("") => Dialect::default(),
        Some(d) => Dialect::parse(d).ok_or(Problem::BadForm)?,
    };
    let asked = asked(signed, &PeriodQuery { from: q.from.clone(), to: q.to.clone() }, "/pilot").await?;
    if !asked.errors.is_empty() {
        return Err(Problem::BadForm);
    }
    Ok((asked, dialect))
}

fn response(table: &Table, filename: &str, dialect: Dialect) -> HttpResponse {
    crate::pages::booking::private(
        HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8; header=present"))
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
            .body(render(table, dialect)),
    )
}

pub async fn dashboard(signed: Signed, web::Query(q): web::Query<CsvQuery>) -> Result<HttpResponse, Problem> {
    let (asked, dialect) = read(&signed, &q).await?;
    let (office, now, period, lang) = (asked.office, asked.now, asked.period, signed.lang());
    let (from, end) = (period.from, period.end());
    let table = signed
        .site()
        .read(move |c| {
            let facts = aukiolo_store::metrics::load(c, from, end, office, now)?;
            let names = aukiolo_store::metrics::names(c)?;
            Ok(table::comparison_table(&metrics::compare(&facts, from, end)).with_names(&names, lang))
        })
        .await?;
    Ok(response(&table, &format!("aukiolo-pilot-{from}-{}.csv", period.last), dialect))
}

pub async fn measure(
    signed: Signed,
    path: web::Path<(String, String)>,
    web::Query(q): web::Query<CsvQuery>,
) -> Result<HttpResponse, Problem> {
    let key = path.into_inner().1;
    if !metrics::measure_keys().iter().any(|(k, _)| *k == key) {
        return Err(Problem::NotFound);
    }
    let (asked, dialect) = read(&signed, &q).await?;
    let (office, now, period, lang) = (asked.office, asked.now, asked.period, signed.lang());
    let (from, end) = (period.from, period.end());
    let by_office = GroupBy::parse("office,week").map_err(|_| Problem::Internal)?;
    let table = signed
        .site()
        .read(move |c| {
            let facts = aukiolo_store::metrics::load(c, from, end, office, now)?;
            let names = aukiolo_store::metrics::names(c)?;
            Ok(table::metrics_table(by_office, &metrics::compute(&facts, by_office)).with_names(&names, lang))
        })
        .await?;
    Ok(response(&table, &format!("aukiolo-{key}-by-office-and-week-{from}-{}.csv", period.last), dialect))
}
