//! The pilot pages through HTTP, on both backends: the dashboard with a forest plot and a
//! table per unit, pilot against control and before against after with the difference in
//! differences; a measure week by week; the period form's errors; who may see them.

mod common;

use actix_web::http::StatusCode;
use aukiolo_domain::staff::Role;
use aukiolo_domain::visit::WalkInOutcome;
use aukiolo_store::slots::Horizon;
use aukiolo_store::{backend_tests, offices, visits};
use common::staff::{account, first_advisor, sign_in, PASSWORD};
use common::{Browser, World};

backend_tests! {
    async fn a_pilot_lead_reads_the_dashboard_and_a_measure(db) {
        let w = World::new(db);
        let app = app!(w);
        let now = w.clock.now();
        // Tampere went appointment-only on 1.9.2027; Turku is its control.
        for (office, group, start) in [(&w.tampere, "pilot", Some("2027-09-01")), (&w.turku, "control", None)] {
            let mut fields = office.fields.clone();
            fields.pilot_group = group.into();
            fields.pilot_start = start.map(|s| s.parse().expect("a day"));
            offices::change(&mut db.conn(), office.id, &fields, now, &Horizon::weeks(now, 8)).expect("pilot group");
        }
        let lead = account(db, "pilotti@kela.test", Role::PilotLead, w.tampere.id, None);
        for (office, n) in [(w.tampere.id, 1), (w.turku.id, 2)] {
            for _ in 0..n {
                let walk_in = visits::NewWalkIn { office, topic: w.housing.id, outcome: WalkInOutcome::BookedLater, booking_reference: None };
                visits::log_walk_in(&mut db.conn(), &walk_in, lead.id, now).expect("a walk-in");
            }
        }
        account(db, "neuvoja@kela.test", Role::Advisor, w.tampere.id, Some(first_advisor(db, w.tampere.id)));

        let mut b = Browser::default();
        let home = sign_in(&app, &mut b, "pilotti@kela.test", PASSWORD, "").await;
        assert_eq!(home.location(), "/fi/staff");
        let start = b.get(&app, "/fi/staff").await;
        assert_eq!(start.location(), "/fi/pilot", "a pilot lead starts on the dashboard");

        // Without a period: the pilot (1.9.–14.9.) and as long before it.
        let page = b.get(&app, "/fi/pilot").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.h1(), "Pilotin tulokset 18.8.2027–14.9.2027");
        assert_eq!(page.header("cache-control"), "no-store");
        let measures = aukiolo_domain::metrics::measure_keys().len();
        assert_eq!(page.body.matches("data-measure-row").count(), measures);
        assert_eq!(page.body.matches("data-change-row").count(), measures);
        // One chart per unit, twice (pilot against control; the difference in differences),
        // each an image with a title and a description.
        assert_eq!(page.body.matches(r#"<svg class="chart" role="img""#).count(), 10);
        assert_eq!(page.body.matches("<title id=").count(), 10);
        assert_eq!(page.body.matches("<desc id=").count(), 10);
        // Walk-ins: every office visitor at both walked in (1 and 2), all after the start.
        let row = page.between("data-measure-row=\"walk_in_share\">", "</tr>").expect("the walk-in row");
        assert!(row.contains("<td>100,0</td>\n<td>100,0</td>\n<td>0,0</td>"), "{row}");
        assert!(row.contains("<td>1 / 2</td>"), "{row}");
        // Too few responses anywhere: the questionnaire is withheld, in words.
        let nps = page.between("data-measure-row=\"nps\">", "</tr>").expect("the NPS row");
        assert!(nps.contains("ei näytetä (alle 5 vastausta)"), "{nps}");

        for lang in ["sv", "en"] {
            let page = b.get(&app, &format!("/{lang}/pilot?from=2027-09-01&to=14.9.2027")).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(page.body.contains(&format!("<html lang=\"{lang}\"")));
        }
        let sv = b.get(&app, "/sv/pilot?from=2027-09-01&to=2027-09-14").await;
        assert!(sv.body.contains("<td>100,0</td>"), "a decimal comma in Swedish");
        let en = b.get(&app, "/en/pilot?from=2027-09-01&to=2027-09-14").await;
        assert!(en.body.contains("<td>100.0</td>"));

        // A bad period: said on the page, the default shown meanwhile.
        let bad = b.get(&app, "/en/pilot?from=31.2.2027&to=2027-09-14").await;
        assert_eq!(bad.status, StatusCode::OK);
        assert!(bad.body.contains("<title>Error:"), "{}", bad.body);
        assert!(bad.body.contains("href=\"#from\""));
        assert_eq!(bad.input("from").as_deref(), Some("31.2.2027"), "the value is kept");

        // One measure week by week: the four weeks whose Monday is in the period.
        let m = b.get(&app, "/fi/pilot/measures/walk_in_share").await;
        assert_eq!(m.status, StatusCode::OK, "{}", m.body);
        assert_eq!(m.body.matches("data-week-row").count(), 4);
        assert_eq!(m.body.matches(r#"<svg class="chart" role="img""#).count(), 1);
        assert!(m.body.contains("Pilotin alku"), "the pilot start is marked");
        assert!(m.body.contains("<th scope=\"row\">Tampere</th>"));
        assert_eq!(b.get(&app, "/fi/pilot/measures/nonsense").await.status, StatusCode::NOT_FOUND);

        // The instruments: walk-ins by outcome (all three "booked later"), the questionnaire
        // withheld with no responses, assessments with none yet.
        let walk_ins = b.get(&app, "/fi/pilot/walk-ins?from=2027-09-01&to=2027-09-14").await;
        assert_eq!(walk_ins.status, StatusCode::OK, "{}", walk_ins.body);
        assert_eq!(walk_ins.body.matches("data-answer-row").count(), 6, "one row per outcome");
        assert!(walk_ins.body.contains("<td>1</td>\n<td>100,0 %</td>\n<td>2</td>\n<td>100,0 %</td>"), "{}", walk_ins.body);
        assert_eq!(walk_ins.body.matches(r#"<svg class="chart" role="img""#).count(), 1);
        let survey = b.get(&app, "/fi/pilot/questionnaire").await;
        assert_eq!(survey.status, StatusCode::OK);
        assert_eq!(survey.body.matches("data-withheld").count(), 6, "six questions, all withheld");
        assert!(!survey.body.contains("<svg"), "no chart of withheld answers");
        let assessed = b.get(&app, "/sv/pilot/assessments").await;
        assert_eq!(assessed.status, StatusCode::OK);
        assert_eq!(assessed.body.matches(r#"<svg class="chart" role="img""#).count(), 4);

        // The tables as CSV: names beside ids in the page's language, the Finnish dialect
        // for spreadsheets.
        let csv = b.get(&app, "/sv/pilot/table.csv?from=2027-09-01&to=2027-09-14").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.header("content-type").starts_with("text/csv"));
        assert!(csv.body.starts_with("comparison,office,office_name,"), "{}", &csv.body[..80]);
        assert!(csv.body.contains(",Tampere (sv),"), "the Swedish name of Tampere");
        let fi = b.get(&app, "/fi/pilot/table.csv?from=2027-09-01&to=2027-09-14&dialect=fi").await;
        assert!(fi.body.starts_with("\u{feff}comparison;office;office_name;"), "{}", &fi.body[..80]);
        assert!(fi.body.contains(";Tampere;"));
        let by_office = b.get(&app, "/en/pilot/measures/nps/table.csv").await;
        assert_eq!(by_office.status, StatusCode::OK);
        assert!(by_office.body.starts_with("office,office_name,week,"), "{}", &by_office.body[..80]);
        assert!(common::unescape(&page.body).contains("/fi/pilot/table.csv?from=2027-08-18&to=2027-09-14&dialect=fi"));
        assert_eq!(b.get(&app, "/fi/pilot/table.csv?dialect=excel").await.status, StatusCode::BAD_REQUEST);
        assert_eq!(b.get(&app, "/fi/pilot/table.csv?from=31.2.2027").await.status, StatusCode::BAD_REQUEST);

        // An advisor sees no figures.
        let mut adv = Browser::default();
        sign_in(&app, &mut adv, "neuvoja@kela.test", PASSWORD, "").await;
        assert_eq!(adv.get(&app, "/fi/pilot").await.status, StatusCode::FORBIDDEN);
        for path in ["/fi/pilot/measures/nps", "/fi/pilot/questionnaire", "/fi/pilot/assessments", "/fi/pilot/walk-ins", "/fi/pilot/table.csv"] {
            assert_eq!(adv.get(&app, path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
}
