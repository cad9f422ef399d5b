//! The pilot lead's pages in a real browser (see `browser/mod.rs`), against `serve --demo`
//! and its twelve weeks of history: the dashboard, a measure week by week and the three
//! instruments' pages pass axe and the page checks in fi, sv and en; every chart is an
//! `svg[role=img]` with a title and a description, followed by a table; the pages work
//! with JavaScript off; and the dashboard's figures for NPS, waiting time and walk-ins
//! (pilot against control, each group's change, the difference in differences, each with
//! its interval) are the JSON API's to the digit shown.
//! Needs `chromium` and `chromium-driver`.

#[path = "browser/mod.rs"]
mod browser;
mod common;

use browser::{demo_site, Checker, DemoSite, Session};
use chrono::Datelike;
use serde_json::Value;

const LEAD: &str = "pilot.lead@aukiolo.example";

/// Signs the pilot lead in; they land on the dashboard.
fn lead_signs_in(s: &Session, site: &DemoSite, lang: &str) {
    s.sign_in_staff(&site.url(&format!("/{lang}/staff/sign-in")), lang, LEAD, &site.server.demo_password());
    assert_eq!(s.current_path(), format!("/{lang}/pilot"), "a pilot lead starts on the dashboard");
}

/// Charts on the page that lack a title, a description or a table right after them.
const CHART_PROBLEMS: &str = r#"
const problems = [];
for (const svg of document.querySelectorAll('svg')) {
  const title = svg.querySelector(':scope > title');
  const desc = svg.querySelector(':scope > desc');
  const figure = svg.closest('figure');
  const next = figure && figure.nextElementSibling;
  if (svg.getAttribute('role') !== 'img') problems.push('no role=img');
  if (!title || !title.textContent.trim()) problems.push('no title');
  if (!desc || !desc.textContent.trim()) problems.push('no description');
  const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
  if (!title || !desc || ids[0] !== title.id || ids[1] !== desc.id) problems.push('not labelled by them');
  if (!next || !next.querySelector('table')) problems.push('no table after it');
}
return [document.querySelectorAll('svg[role=img]').length, problems];
"#;

fn charts(s: &Session) -> (u64, Vec<String>) {
    let found = s.execute(CHART_PROBLEMS, vec![]);
    let count = found[0].as_u64().expect("a count");
    let problems = found[1].as_array().expect("a list").iter().map(|p| p.to_string()).collect();
    (count, problems)
}

fn every_pilot_page_in(lang: &str) {
    let site = demo_site();
    let js = Session::with_javascript();
    lead_signs_in(&js, &site, lang);
    let paths = [
        format!("/{lang}/pilot"),
        format!("/{lang}/pilot/measures/nps"),
        format!("/{lang}/pilot/measures/waiting_minutes"),
        format!("/{lang}/pilot/questionnaire"),
        format!("/{lang}/pilot/assessments"),
        format!("/{lang}/pilot/walk-ins"),
    ];
    let mut pages = Checker::new(&js);
    for path in &paths {
        pages.url(&site.url(path));
        let (count, problems) = charts(&js);
        assert!(count > 0, "{path} has a chart");
        assert!(problems.is_empty(), "{path}: {problems:?}");
    }
    pages.finish();
    // Without JavaScript: the same pages, the same tables, and a ready period followed.
    let plain = Session::without_javascript();
    lead_signs_in(&plain, &site, lang);
    for path in &paths {
        plain.goto(&site.url(path));
        assert_eq!(plain.count("h1"), 1, "{path}");
        assert!(plain.count("svg[role=img]") > 0 && plain.count("table") > 0, "{path}");
    }
    plain.goto(&site.url(&paths[0]));
    let before = plain.text_of("h1");
    plain.follow(match lang {
        "fi" => "Viimeiset 4 viikkoa",
        "sv" => "De senaste 4 veckorna",
        _ => "Last 4 weeks",
    });
    assert_ne!(plain.text_of("h1"), before, "a ready period followed without JavaScript");
    assert!(plain.current_url().query().unwrap_or_default().starts_with("from="));
}

#[test]
fn every_pilot_page_in_finnish() {
    every_pilot_page_in("fi");
}

#[test]
fn every_pilot_page_in_swedish() {
    every_pilot_page_in("sv");
}

#[test]
fn every_pilot_page_in_english() {
    every_pilot_page_in("en");
}

/// `x` as the English page writes it with `decimals` decimals: a sign on differences, none
/// on a value that rounds to zero.
fn english(x: f64, decimals: usize, signed: bool) -> String {
    let text = format!("{x:.decimals$}");
    let zero = text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.');
    match (zero, signed && x > 0.0) {
        (true, _) => text.trim_start_matches('-').to_owned(),
        (false, true) => format!("+{text}"),
        (false, false) => text,
    }
}

/// A JSON number on the page's scale: shares in per cent.
fn figure(v: &Value, scale: f64, decimals: usize, signed: bool) -> String {
    v.as_f64().map(|x| english(x * scale, decimals, signed)).unwrap_or_else(|| "–".into())
}

fn interval(m: &Value, scale: f64) -> String {
    format!("{} … {}", figure(&m["ci_low"], scale, 1, true), figure(&m["ci_high"], scale, 1, true))
}

/// The cells of the dashboard's table row `marker` of `measure`.
fn rows(s: &Session, marker: &str, measure: &str) -> Vec<String> {
    let script = format!(
        "return [...document.querySelector('tr[{marker}=\"{measure}\"]').children].map(c => c.textContent.trim());"
    );
    let cells = s.execute(&script, vec![]);
    cells
        .as_array()
        .expect("the row's cells")
        .iter()
        .map(|c| c.as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_dashboard_shows_the_apis_figures_on_the_demo_history() {
    let site = demo_site();
    let s = Session::with_javascript();
    lead_signs_in(&s, &site, "en");
    // The field says the day as it was given: D.M.YYYY, or YYYY-MM-DD from a link.
    let iso = |d: &str| {
        if let Ok(day) = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            return day;
        }
        let parts: Vec<u32> = d.split('.').map(|p| p.parse().expect("a number")).collect();
        chrono::NaiveDate::from_ymd_opt(parts[2] as i32, parts[1], parts[0]).expect("a day")
    };
    // The default period (the pilot and as long before it) when the demo's figures are
    // all shown in it; else the first of a few periods of whole weeks inside the demo's
    // twelve weeks of history that shows them. Which weeks hold a group with too few
    // answers (withholding the whole "before" side with it) depends on the weekday the
    // demo was seeded on, as its history ends today. The server's today is the default
    // period's last day.
    let default_from = iso(&s.attr_of("#from", "value").expect("the first day"));
    let today = iso(&s.attr_of("#to", "value").expect("the last day"));
    let monday =
        |d: chrono::NaiveDate| d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()));
    let first_whole = monday(today - chrono::Duration::weeks(12) + chrono::Duration::days(6));
    let last_whole = monday(today) - chrono::Duration::days(1);
    let candidates = std::iter::once((default_from, today))
        .chain((0..4).map(|k| (first_whole + chrono::Duration::weeks(k), last_whole)));
    let comparison = |(from, last): (chrono::NaiveDate, chrono::NaiveDate)| {
        let end = last + chrono::Duration::days(1);
        site.server
            .get(&format!("/api/v1/metrics/comparison?from={from}&to={end}"), Some(&site.pilot_lead()))
            .expect_status(200)
            .json()
    };
    let shown = |api: &Value| {
        let did = &api["difference_in_differences"];
        [&api["pilot_vs_control"], &did["pilot_change"], &did["control_change"], did].iter().all(|list| {
            list["measures"].as_array().is_some_and(|ms| {
                ms.iter()
                    .filter(|m| {
                        ["nps", "waiting_minutes", "walk_in_share"]
                            .contains(&m["measure"].as_str().unwrap_or(""))
                    })
                    .all(|m| m["withheld"].is_null())
            })
        })
    };
    let ((from, last), api) = candidates
        .map(|period| (period, comparison(period)))
        .find(|(_, api)| shown(api))
        .expect("a period of the demo history that shows NPS, waiting and walk-ins");
    if (from, last) != (default_from, today) {
        s.goto(&site.url(&format!("/en/pilot?from={from}&to={last}")));
        let shown_period = (
            iso(&s.attr_of("#from", "value").expect("the first day")),
            iso(&s.attr_of("#to", "value").expect("the last day")),
        );
        assert_eq!(shown_period, (from, last), "the period asked for");
    }
    let did = &api["difference_in_differences"];
    for (measure, scale) in [("nps", 1.0), ("waiting_minutes", 1.0), ("walk_in_share", 100.0)] {
        let find = |list: &Value| -> Value {
            list.as_array()
                .expect("measures")
                .iter()
                .find(|m| m["measure"] == measure)
                .cloned()
                .expect(measure)
        };
        let pc = find(&api["pilot_vs_control"]["measures"]);
        let (pilot, control, d) = (
            find(&did["pilot_change"]["measures"]),
            find(&did["control_change"]["measures"]),
            find(&did["measures"]),
        );
        for m in [&pc, &pilot, &control, &d] {
            assert!(m["withheld"].is_null(), "{measure} is shown on the demo history: {m}");
            assert!(m["ci_low"].is_number() && m["ci_high"].is_number(), "{measure} has an interval: {m}");
        }
        let cells = rows(&s, "data-measure-row", measure);
        let n = |side: &Value| side["n"].as_u64().map(|n| n.to_string()).unwrap_or_else(|| "–".into());
        assert_eq!(
            cells[1..],
            [
                figure(&pc["a"]["value"], scale, 1, false),
                figure(&pc["b"]["value"], scale, 1, false),
                figure(&pc["difference"], scale, 1, true),
                interval(&pc, scale),
                format!("{} / {}", n(&pc["a"]), n(&pc["b"])),
            ],
            "{measure}: pilot against control"
        );
        let cells = rows(&s, "data-change-row", measure);
        assert_eq!(
            cells[1..],
            [
                figure(&d["pilot_before"]["value"], scale, 1, false),
                figure(&d["pilot_after"]["value"], scale, 1, false),
                figure(&pilot["difference"], scale, 1, true),
                interval(&pilot, scale),
                figure(&d["control_before"]["value"], scale, 1, false),
                figure(&d["control_after"]["value"], scale, 1, false),
                figure(&control["difference"], scale, 1, true),
                interval(&control, scale),
                figure(&d["estimate"], scale, 1, true),
                interval(&d, scale),
            ],
            "{measure}: before and after"
        );
    }
}
