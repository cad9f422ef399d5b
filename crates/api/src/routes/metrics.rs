//! The pilot dashboard's figures: every measure of DESIGN §5 per group, and pilot against
//! control with 95 % intervals, as JSON or, with `Accept: text/csv`, as CSV. Pilot leads
//! and admins see every office, office managers only their own.

use crate::auth::{MetricsReaders, Staff};
use crate::{ApiError, AppState};
use actix_web::get;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use aukiolo_domain::dates::{self, PeriodError, MAX_REPORT_DAYS};
use aukiolo_domain::metrics::table::csv::Dialect;
use aukiolo_domain::metrics::table::Names;
use aukiolo_domain::metrics::{self, table, Comparison, Dimension, GroupBy, MetricsRow};
use aukiolo_domain::staff::{Principal, Role};
use aukiolo_domain::{Locale, OfficeId, Validation};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(rows).service(comparison);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MetricsParams {
    /// First office-local day, `YYYY-MM-DD`.
    #[param(required = true, value_type = String, format = Date, example = "2026-11-02")]
    from: Option<String>,
    /// The day after the last (exclusive), `YYYY-MM-DD`; at most 731 days after `from`.
    #[param(required = true, value_type = String, format = Date, example = "2026-11-30")]
    to: Option<String>,
    /// Dimensions to group by, comma-separated: `office`, `pilot_group`, `topic`,
    /// `channel`, `week`. None: one row for everything.
    #[param(example = "office,week")]
    group_by: Option<String>,
    /// CSV only: the language of `office_name` and `topic_name`, `fi` (default), `sv` or `en`.
    #[param(example = "sv")]
    lang: Option<String>,
    /// CSV only: `rfc4180` (default: `,` and `.`), or `fi` for spreadsheets in a Finnish
    /// locale (`;`, decimal comma, UTF-8 byte order mark).
    #[param(example = "fi")]
    dialect: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComparisonParams {
    /// First office-local day, `YYYY-MM-DD`.
    #[param(required = true, value_type = String, format = Date, example = "2026-11-02")]
    from: Option<String>,
    /// The day after the last (exclusive), `YYYY-MM-DD`; at most 731 days after `from`.
    #[param(required = true, value_type = String, format = Date, example = "2026-11-30")]
    to: Option<String>,
    /// CSV only: the language of `office_name`, `fi` (default), `sv` or `en`.
    #[param(example = "sv")]
    lang: Option<String>,
    /// CSV only: `rfc4180` (default: `,` and `.`), or `fi` for spreadsheets in a Finnish
    /// locale (`;`, decimal comma, UTF-8 byte order mark).
    #[param(example = "fi")]
    dialect: Option<String>,
}

/// How a CSV answer is written: names in `lang`, text in `dialect`.
#[derive(Clone, Copy, Debug)]
struct CsvOptions {
    lang: Locale,
    dialect: Dialect,
}

/// `lang` and `dialect`, checked; absent ones take their defaults (Finnish, as the site's
/// `/` does, and RFC 4180).
fn csv_options(v: &mut Validation, lang: Option<&str>, dialect: Option<&str>) -> Option<CsvOptions> {
    let lang = match lang {
        None => Some(Locale::Fi),
        Some(l) => v.check("lang", l.parse::<Locale>().map_err(|_| "must be fi, sv or en")),
    };
    let dialect = match dialect {
        None => Some(Dialect::default()),
        Some(d) => v.check("dialect", Dialect::parse(d).ok_or("must be rfc4180 or fi")),
    };
    Some(CsvOptions { lang: lang?, dialect: dialect? })
}

/// The metrics of a period, one row per group.
#[derive(Debug, Serialize, ToSchema)]
pub struct MetricsReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[schema(value_type = Vec<Dimension>, example = json!(["office", "week"]))]
    pub group_by: GroupBy,
    pub rows: Vec<MetricsRow>,
}

/// A required day in the supported years, written exactly `YYYY-MM-DD`.
fn day(v: &mut Validation, field: &str, raw: Option<&str>) -> Option<NaiveDate> {
    let Some(raw) = raw else {
        v.add(field, "is required: a date (YYYY-MM-DD)");
        return None;
    };
    let day = v.check(field, dates::parse_iso(raw).ok_or("must be a date (YYYY-MM-DD)"))?;
    v.year(field, day.year()).then_some(day)
}

/// `[from, to)`, checked; every bad field goes to `v`.
fn period(v: &mut Validation, from: Option<&str>, to: Option<&str>) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = (day(v, "from", from), day(v, "to", to));
    let (from, to) = (from?, to?);
    match dates::report_period(from, to) {
        Ok(()) => Some((from, to)),
        Err(PeriodError::Empty) => {
            v.add("to", "must be after from");
            None
        }
        Err(PeriodError::TooLong) => {
            v.add("to", format!("the period may cover at most {MAX_REPORT_DAYS} days (two years)"));
            None
        }
    }
}

impl MetricsParams {
    fn validate(&self) -> Result<(NaiveDate, NaiveDate, GroupBy, CsvOptions), ApiError> {
        let mut v = Validation::new();
        let period = period(&mut v, self.from.as_deref(), self.to.as_deref());
        let csv = csv_options(&mut v, self.lang.as_deref(), self.dialect.as_deref());
        let group_by = match GroupBy::parse(self.group_by.as_deref().unwrap_or_default()) {
            Ok(g) => Some(g),
            Err(unknown) => {
                v.add("group_by", unknown.to_string());
                None
            }
        };
        v.finish()?;
        let (((from, to), group_by), csv) = period
            .zip(group_by)
            .zip(csv)
            .ok_or_else(|| ApiError::Internal("parameters without errors or values".into()))?;
        Ok((from, to, group_by, csv))
    }
}

impl ComparisonParams {
    fn validate(&self) -> Result<(NaiveDate, NaiveDate, CsvOptions), ApiError> {
        let mut v = Validation::new();
        let period = period(&mut v, self.from.as_deref(), self.to.as_deref());
        let csv = csv_options(&mut v, self.lang.as_deref(), self.dialect.as_deref());
        v.finish()?;
        let ((from, to), csv) =
            period.zip(csv).ok_or_else(|| ApiError::Internal("a period without errors or value".into()))?;
        Ok((from, to, csv))
    }
}

/// The names a CSV answer shows, read only when CSV is wanted.
fn names(c: &mut aukiolo_store::DbConnection, csv: bool) -> aukiolo_store::Result<Names> {
    if csv {
        aukiolo_store::metrics::names(c)
    } else {
        Ok(Names::default())
    }
}

/// The offices a caller's figures cover: all (`None`) or the manager's own.
fn scope(principal: &Principal) -> Result<Option<OfficeId>, ApiError> {
    match principal.role {
        Role::PilotLead | Role::Admin => Ok(None),
        Role::OfficeManager => {
            principal.office.map(Some).ok_or(ApiError::Forbidden("your account belongs to no office"))
        }
        Role::Advisor => Err(ApiError::Forbidden("your role does not allow this")),
    }
}

fn json<T: Serialize>(body: &T) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::VARY, "Accept")).json(body)
}

/// Every measure of the pilot dashboard for `[from, to)`, one row per group. Questionnaire
/// figures of a group with fewer than 5 responses (or 5 answers to the question) are null,
/// with the reason in `withheld`, and so are those that would let a withheld one be worked
/// out from the others; in CSV they are empty cells. CSV names offices and topics beside
/// their ids in `lang`, in `dialect`. See docs/api.md for each measure's definition.
#[utoipa::path(tag = "metrics", security(("bearer" = [])),
    params(MetricsParams),
    responses(
        (status = 200, description = "One row per group; CSV when `Accept: text/csv`",
            content((MetricsReport = "application/json"), (String = "text/csv"))),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Advisors; managers see only their office", body = crate::error::Problem),
        (status = 422, description = "A bad `from`, `to`, `group_by`, `lang` or `dialect`, each named", body = crate::error::Problem),
    ))]
#[get("/metrics")]
pub async fn rows(
    staff: Staff<MetricsReaders>,
    state: web::Data<AppState>,
    req: HttpRequest,
    params: crate::query::ValidQuery<MetricsParams>,
) -> Result<HttpResponse, ApiError> {
    let office = scope(&staff.principal)?;
    let (from, to, group_by, options) = params.validate()?;
    let now = state.now();
    let csv = crate::csv::wanted(&req);
    let (rows, names) = state
        .db(move |c| {
            let facts = aukiolo_store::metrics::load(c, from, to, office, now)?;
            Ok((metrics::compute(&facts, group_by), names(c, csv)?))
        })
        .await?;
    if csv {
        let name = format!("aukiolo-metrics-{from}-{to}.csv");
        let table = table::metrics_table(group_by, &rows).with_names(&names, options.lang);
        return Ok(crate::csv::response(&table, &name, options.dialect));
    }
    Ok(json(&MetricsReport { from, to, group_by, rows }))
}

/// Pilot (`pilot_group` = `pilot`) against control (`pilot_group` = `control`) over
/// `[from, to)`, and each office with a `pilot_start` before against after it: both values,
/// the difference `a − b`, its 95 % interval and the method. An office manager's comparison
/// covers only their own office.
#[utoipa::path(tag = "metrics", security(("bearer" = [])),
    params(ComparisonParams),
    responses(
        (status = 200, description = "The comparisons; CSV (one row per measure) when `Accept: text/csv`",
            content((Comparison = "application/json"), (String = "text/csv"))),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Advisors", body = crate::error::Problem),
        (status = 422, description = "A bad `from`, `to`, `lang` or `dialect`, each named", body = crate::error::Problem),
    ))]
#[get("/metrics/comparison")]
pub async fn comparison(
    staff: Staff<MetricsReaders>,
    state: web::Data<AppState>,
    req: HttpRequest,
    params: crate::query::ValidQuery<ComparisonParams>,
) -> Result<HttpResponse, ApiError> {
    let office = scope(&staff.principal)?;
    let (from, to, options) = params.validate()?;
    let now = state.now();
    let csv = crate::csv::wanted(&req);
    let (comparison, names) = state
        .db(move |c| {
            let facts = aukiolo_store::metrics::load(c, from, to, office, now)?;
            Ok((metrics::compare(&facts, from, to), names(c, csv)?))
        })
        .await?;
    if csv {
        let name = format!("aukiolo-comparison-{from}-{to}.csv");
        let table = table::comparison_table(&comparison).with_names(&names, options.lang);
        return Ok(crate::csv::response(&table, &name, options.dialect));
    }
    Ok(json(&comparison))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(from: Option<&str>, to: Option<&str>) -> Vec<(String, String)> {
        let mut v = Validation::new();
        period(&mut v, from, to);
        match v.finish() {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
        }
    }

    #[test]
    fn periods() {
        assert!(fields(Some("2026-11-01"), Some("2026-12-01")).is_empty());
        assert!(fields(Some("2024-01-01"), Some("2026-01-01")).is_empty(), "731 days");
        let long = fields(Some("2024-01-01"), Some("2026-01-02"));
        assert_eq!(long, [("to".into(), "the period may cover at most 731 days (two years)".into())]);
        assert_eq!(fields(Some("2026-11-01"), Some("2026-11-01"))[0].1, "must be after from");
        let both: Vec<String> = fields(None, Some("2026-1-1")).into_iter().map(|f| f.0).collect();
        assert_eq!(both, ["from", "to"]);
        assert_eq!(
            fields(Some("1999-12-31"), Some("2000-01-02"))[0],
            ("from".into(), "must be in the years 2000–2100".into())
        );
        assert_eq!(fields(Some("2026-11-01T00:00:00Z"), Some("2026-12-01"))[0].0, "from");
    }
}
