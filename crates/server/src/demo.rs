//! The demo network for `serve --demo` and `seed`: four offices (two appointment-only
//! pilot offices, two control offices), the topics of DESIGN.md §3, advisors with mixed
//! languages and realistic weekly templates, one closure, one absence, and staff logins.
//! It also writes twelve weeks of past activity (see [`history`]) so that every metric
//! has data. Seeds only an empty database, all or nothing, so restarting with `--demo`
//! keeps what is there.

mod history;
mod upcoming;

use crate::config::Settings;
use anyhow::{Context, Result};
use aukiolo_domain::advisor::AdvisorFields;
use aukiolo_domain::calendar::{AbsenceFields, AbsenceKind, ClosureFields, ScheduleRuleFields, TimeRange};
use aukiolo_domain::office::{Address, OfficeFields, ServiceMode};
use aukiolo_domain::slots::local_day_start;
use aukiolo_domain::staff::Role;
use aukiolo_domain::topic::TopicFields;
use aukiolo_domain::{Channel, Language, LocalisedText, TopicId};
use aukiolo_store::passwords as password;
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::slots::Horizon;
use aukiolo_store::staff::NewStaffUser;
use aukiolo_store::{advisors, closures, offices, schedule_rules, staff, topics, DbConnection, Pool};
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc, Weekday};

/// (code, fi, sv, en, minutes, bring fi, bring sv, bring en)
type DemoTopic =
    (&'static str, &'static str, &'static str, &'static str, i32, &'static str, &'static str, &'static str);

const TOPICS: &[DemoTopic] = &[
    (
        "pensions",
        "Eläkkeet",
        "Pensioner",
        "Pensions",
        45,
        "Tiedot tuloistasi ja eläkepäätöksistä",
        "Uppgifter om dina inkomster och pensionsbeslut",
        "Details of your income and pension decisions",
    ),
    (
        "unemployment",
        "Työttömyys",
        "Arbetslöshet",
        "Unemployment",
        30,
        "TE-toimiston päätös ja palkkatiedot",
        "TE-byråns beslut och löneuppgifter",
        "The employment office decision and pay slips",
    ),
    (
        "housing_allowance",
        "Asumistuki",
        "Bostadsbidrag",
        "Housing allowance",
        30,
        "Vuokrasopimus ja tulotiedot",
        "Hyresavtal och inkomstuppgifter",
        "Your rental agreement and income details",
    ),
    (
        "basic_social_assistance",
        "Perustoimeentulotuki",
        "Grundläggande utkomststöd",
        "Basic social assistance",
        45,
        "Tiliotteet kahdelta kuukaudelta",
        "Kontoutdrag för två månader",
        "Bank statements for two months",
    ),
    (
        "families",
        "Lapsiperheet",
        "Barnfamiljer",
        "Families with children",
        30,
        "Lasten henkilötiedot",
        "Barnens personuppgifter",
        "Your children's personal details",
    ),
    (
        "students",
        "Opiskelijat",
        "Studerande",
        "Students",
        30,
        "Opiskelutodistus",
        "Studieintyg",
        "Certificate of enrolment",
    ),
    (
        "sickness_disability",
        "Sairaus ja vammaisuus",
        "Sjukdom och funktionsnedsättning",
        "Sickness and disability",
        45,
        "Lääkärintodistus",
        "Läkarintyg",
        "Medical certificate",
    ),
    (
        "rehabilitation",
        "Kuntoutus",
        "Rehabilitering",
        "Rehabilitation",
        45,
        "Kuntoutussuunnitelma",
        "Rehabiliteringsplan",
        "Your rehabilitation plan",
    ),
    (
        "moving_to_from_finland",
        "Muutto Suomeen tai Suomesta",
        "Flytt till eller från Finland",
        "Moving to or from Finland",
        45,
        "Passi ja oleskelulupa",
        "Pass och uppehållstillstånd",
        "Passport and residence permit",
    ),
    ("other", "Muu asia", "Annat ärende", "Other matter", 30, "", "", ""),
];

struct DemoOffice {
    key: &'static str,
    name: (&'static str, &'static str, &'static str),
    street: &'static str,
    postal_code: &'static str,
    municipality: &'static str,
    mode: ServiceMode,
    group: &'static str,
    languages: &'static [&'static str],
    /// (name, languages, phone day: the weekday this advisor serves by phone)
    advisors: &'static [(&'static str, &'static [&'static str], Option<Weekday>)],
}

const OFFICES: &[DemoOffice] = &[
    DemoOffice {
        key: "tampere",
        name: ("Tampereen palvelupiste", "Tammerfors servicekontor", "Tampere service point"),
        street: "Hämeenkatu 12",
        postal_code: "33100",
        municipality: "Tampere",
        mode: ServiceMode::AppointmentOnly,
        group: "pilot",
        languages: &["fi", "sv", "en"],
        advisors: &[
            ("Aino Virtanen", &["fi", "en"], Some(Weekday::Wed)),
            ("Mikko Korhonen", &["fi"], None),
            ("Sara Lindholm", &["sv", "fi"], Some(Weekday::Fri)),
            ("Juha Mäkinen", &["fi", "en"], None),
            ("Leila Haddad", &["fi", "en"], Some(Weekday::Tue)),
        ],
    },
    DemoOffice {
        key: "turku",
        name: ("Turun palvelupiste", "Åbo servicekontor", "Turku service point"),
        street: "Humalistonkatu 3",
        postal_code: "20100",
        municipality: "Turku",
        mode: ServiceMode::AppointmentOnly,
        group: "pilot",
        languages: &["fi", "sv", "en"],
        advisors: &[
            ("Elina Nieminen", &["fi", "sv"], None),
            ("Johan Sjöberg", &["sv", "fi", "en"], Some(Weekday::Thu)),
            ("Pekka Heikkinen", &["fi"], Some(Weekday::Mon)),
            ("Maria Lehtonen", &["fi", "en"], None),
        ],
    },
    DemoOffice {
        key: "oulu",
        name: ("Oulun palvelupiste", "Uleåborgs servicekontor", "Oulu service point"),
        street: "Isokatu 20",
        postal_code: "90100",
        municipality: "Oulu",
        mode: ServiceMode::WalkInAndAppointment,
        group: "control",
        languages: &["fi", "en"],
        advisors: &[
            ("Tiina Karjalainen", &["fi"], None),
            ("Antti Laine", &["fi", "en"], Some(Weekday::Wed)),
            ("Noora Salo", &["fi", "sv"], None),
            ("Ville Hämäläinen", &["fi", "en"], Some(Weekday::Fri)),
            ("Kaisa Rantanen", &["fi"], None),
        ],
    },
    DemoOffice {
        key: "vaasa",
        name: ("Vaasan palvelupiste", "Vasa servicekontor", "Vaasa service point"),
        street: "Hovioikeudenpuistikko 15",
        postal_code: "65100",
        municipality: "Vaasa",
        mode: ServiceMode::WalkInAndAppointment,
        group: "control",
        languages: &["fi", "sv"],
        advisors: &[
            ("Anna Westerlund", &["sv", "fi"], None),
            ("Matti Koskinen", &["fi"], Some(Weekday::Tue)),
            ("Emma Björk", &["sv", "fi", "en"], Some(Weekday::Thu)),
            ("Oskari Järvinen", &["fi", "sv"], None),
        ],
    },
];

/// Staff logins created: e-mail and role.
type Logins = Vec<(String, &'static str)>;

/// What the seed created, for the start-up banner.
pub struct DemoReport {
    /// `None` when the database already had data.
    logins: Option<Vec<(String, &'static str)>>,
    password: Option<String>,
    history: Option<(aukiolo_store::demo_history::HistoryCounts, std::time::Duration)>,
}

impl DemoReport {
    pub fn print(&self) {
        let Some(logins) = &self.logins else {
            println!("demo: the database already has data; nothing seeded");
            return;
        };
        if let Some((c, took)) = &self.history {
            println!(
                "demo: {} weeks of history: {} bookings, {} events, {} slots, {} assessments, {} walk-ins, \
                 {} invitations, {} responses ({} answers) in {:.1} s",
                history::WEEKS,
                c.bookings,
                c.events,
                c.slots,
                c.assessments,
                c.walk_ins,
                c.invitations,
                c.responses,
                c.answers,
                took.as_secs_f64()
            );
        }
        println!("demo: seeded {} offices; staff logins:", OFFICES.len());
        for (email, role) in logins {
            println!("  {email:<40} {role}");
        }
        match &self.password {
            Some(p) => println!("demo password for every login (shown once): {p}"),
            None => println!("demo password: the value of AUKIOLO_DEMO_PASSWORD"),
        }
    }
}

pub fn seed_and_report(pool: &Pool, settings: &Settings) -> Result<()> {
    seed(pool, settings)?.print();
    Ok(())
}

pub fn seed(pool: &Pool, settings: &Settings) -> Result<DemoReport> {
    let mut conn = pool.get()?;
    if !offices::list(&mut conn)?.is_empty()
        || !topics::list(&mut conn)?.is_empty()
        || staff::count(&mut conn)? > 0
    {
        return Ok(DemoReport { logins: None, password: None, history: None });
    }
    let (password, shown) = match std::env::var("AUKIOLO_DEMO_PASSWORD") {
        Ok(p) if p.chars().count() >= password::MIN_LENGTH => (p, None),
        Ok(p) if !p.is_empty() => {
            anyhow::bail!("AUKIOLO_DEMO_PASSWORD must be at least {} characters", password::MIN_LENGTH)
        }
        _ => {
            let p = password::generate();
            (p.clone(), Some(p))
        }
    };
    let hash = password::hash(&password);
    let keys = PersonalDataKeys::from_secret(&crate::secrets::personal_data_secret(settings)?);
    let now = Utc::now();
    let horizon = Horizon::weeks(now, settings.slots.horizon_weeks);
    // All or nothing: a failed seed leaves the database empty.
    let (logins, counts, took) = aukiolo_store::write_transaction::<_, anyhow::Error>(&mut conn, |conn| {
        let (logins, offices) = seed_network(conn, &hash, &horizon)?;
        let started = std::time::Instant::now();
        let today = now.with_timezone(&chrono_tz::Europe::Helsinki).date_naive();
        let past = history::generate(&offices, today, now);
        let counts = aukiolo_store::demo_history::insert(conn, &keys, &past)?;
        let topics = topics::list(conn)?;
        let upcoming = upcoming::book(conn, &keys, &offices, &topics, now)?;
        tracing::info!(upcoming, "demo: citizens booked for today and the next days");
        Ok((logins, counts, started.elapsed()))
    })
    .context("seeding the demo network")?;
    Ok(DemoReport { logins: Some(logins), password: shown, history: Some((counts, took)) })
}

fn langs(codes: &[&str]) -> Vec<Language> {
    codes.iter().map(|c| c.parse().expect("demo language codes are valid")).collect()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid demo time")
}

fn seed_network(
    conn: &mut DbConnection,
    hash: &str,
    horizon: &Horizon,
) -> Result<(Logins, Vec<history::Office>)> {
    let topic_ids: Vec<TopicId> = TOPICS
        .iter()
        .map(|&(code, fi, sv, en, minutes, bfi, bsv, ben)| {
            let fields = TopicFields {
                code: code.into(),
                name: LocalisedText { fi: fi.into(), sv: sv.into(), en: en.into() },
                duration_minutes: minutes,
                channels: vec![Channel::Office, Channel::Phone],
                what_to_bring: LocalisedText { fi: bfi.into(), sv: bsv.into(), en: ben.into() },
            };
            topics::create(conn, &fields).map(|t| t.id)
        })
        .collect::<Result<_, _>>()?;

    // One "now" for the whole seed: the network and its history agree on the day.
    let now = horizon.now;
    let mut logins = vec![
        user(conn, hash, "admin@aukiolo.example", Role::Admin, None, None, now)?.0,
        user(conn, hash, "pilot.lead@aukiolo.example", Role::PilotLead, None, None, now)?.0,
    ];
    let today = now.with_timezone(&chrono_tz::Europe::Helsinki).date_naive();
    let mut history_offices = Vec::new();
    for (o, spec) in OFFICES.iter().enumerate() {
        let pilot = spec.mode == ServiceMode::AppointmentOnly;
        let office = offices::create(
            conn,
            &OfficeFields {
                name: LocalisedText {
                    fi: spec.name.0.into(),
                    sv: spec.name.1.into(),
                    en: spec.name.2.into(),
                },
                address: Address {
                    street: spec.street.into(),
                    postal_code: spec.postal_code.into(),
                    municipality: spec.municipality.into(),
                },
                time_zone: "Europe/Helsinki".into(),
                service_mode: spec.mode,
                pilot_group: spec.group.into(),
                languages: langs(spec.languages),
                phone: Some(format!("+358 20 692 {:03}", 200 + o)),
                booking_rules: Default::default(),
                // The pilot began six weeks ago, so before/after has data on both sides.
                pilot_start: pilot.then(|| today - Duration::weeks(history::PILOT_WEEKS)),
            },
            now,
        )?;
        let mut past = history::Office {
            id: office.id.0,
            group: spec.group,
            tz: office.fields.tz(),
            pilot_start: office.fields.pilot_start,
            languages: spec.languages.to_vec(),
            advisors: Vec::new(),
        };
        logins.push(
            user(
                conn,
                hash,
                &format!("manager.{}@aukiolo.example", spec.key),
                Role::OfficeManager,
                Some(office.id),
                None,
                now,
            )?
            .0,
        );
        for (a, &(name, languages, phone_day)) in spec.advisors.iter().enumerate() {
            // Each advisor handles most topics; specialists skip a few.
            let topic_ids: Vec<TopicId> =
                topic_ids.iter().enumerate().filter(|(t, _)| (t + a) % 4 != 0).map(|(_, id)| *id).collect();
            let advisor = advisors::create(
                conn,
                &AdvisorFields {
                    office_id: office.id,
                    name: name.into(),
                    languages: langs(languages),
                    topic_ids: topic_ids.clone(),
                    channels: if phone_day.is_some() {
                        vec![Channel::Office, Channel::Phone]
                    } else {
                        vec![Channel::Office]
                    },
                    active: true,
                },
            )?;
            // Staggered days: early starters 08:00–15:30, others 09:00–16:00, lunch 11:30 or 12:00.
            let (start, end, lunch) = if a % 2 == 0 {
                (hm(8, 0), hm(15, 30), hm(11, 30))
            } else {
                (hm(9, 0), hm(16, 0), hm(12, 0))
            };
            for weekday in 1..=5i16 {
                let phone =
                    phone_day.is_some_and(|d| i16::try_from(d.number_from_monday()).ok() == Some(weekday));
                schedule_rules::create(
                    conn,
                    &ScheduleRuleFields {
                        advisor_id: advisor.id,
                        weekday,
                        start,
                        end,
                        channel: if phone { Channel::Phone } else { Channel::Office },
                        slot_minutes: if phone { 20 } else { 30 },
                        breaks: vec![TimeRange { start: lunch, end: lunch + Duration::minutes(30) }],
                        valid_from: None,
                        valid_until: None,
                    },
                    horizon,
                )?;
            }
            let first = name.split(' ').next().unwrap_or(name).to_lowercase();
            let email = format!("{}.{}@aukiolo.example", ascii(&first), spec.key);
            let (login, staff_id) =
                user(conn, hash, &email, Role::Advisor, Some(office.id), Some(advisor.id), now)?;
            logins.push(login);
            past.advisors.push(history::Advisor {
                id: advisor.id.0,
                staff_id,
                topics: topic_ids.iter().map(|t| t.0).collect(),
                languages: languages.to_vec(),
                start,
                end,
                lunch,
                phone_day,
            });
            // One absence: the first advisor of the first office is on training next Tuesday.
            if o == 0 && a == 0 {
                let tz = office.fields.tz();
                let today = now.with_timezone(&tz).date_naive();
                let tuesday =
                    today + Duration::days(i64::from(7 - today.weekday().num_days_from_monday() + 1));
                aukiolo_store::absences::create(
                    conn,
                    &AbsenceFields {
                        advisor_id: advisor.id,
                        starts_at: local_day_start(tz, tuesday),
                        ends_at: local_day_start(tz, tuesday + Duration::days(1)),
                        kind: AbsenceKind::Training,
                        note: Some("Benefit reform training".into()),
                    },
                    horizon,
                )?;
            }
        }
        // One closure: the last control office closes for a staff day in three weeks.
        if o == OFFICES.len() - 1 {
            let day = now.date_naive() + Duration::days(21);
            let day =
                day - Duration::days(i64::from(day.weekday().num_days_from_monday())) + Duration::days(2);
            closures::create(
                conn,
                &ClosureFields {
                    office_id: office.id,
                    first_day: day,
                    last_day: day,
                    reason: "Staff development day".into(),
                },
                horizon,
            )?;
        }
        history_offices.push(past);
    }
    Ok((logins, history_offices))
}

fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ä' | 'å' => 'a',
            'ö' => 'o',
            other => other,
        })
        .collect()
}

fn user(
    conn: &mut DbConnection,
    hash: &str,
    email: &str,
    role: Role,
    office: Option<aukiolo_domain::OfficeId>,
    advisor: Option<aukiolo_domain::AdvisorId>,
    now: DateTime<Utc>,
) -> Result<((String, &'static str), uuid::Uuid)> {
    let created = staff::create(
        conn,
        &NewStaffUser { email, password_hash: hash, role, office_id: office, advisor_id: advisor },
        now,
    )?;
    Ok(((email.to_owned(), role.as_str()), created.id.0))
}
