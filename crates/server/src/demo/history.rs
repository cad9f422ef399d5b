//! Twelve weeks of plausible past activity for the demo network, so that every pilot
//! metric has data: bookings with their events, the past slots they took (and open ones
//! beside them), advisors' assessments, walk-ins, questionnaire invitations and anonymous
//! responses. Pilot offices serve by appointment only from their `pilot_start` (six weeks
//! ago) and behave like the control offices before it.
//!
//! Everything is drawn from a PRNG with a fixed seed, so the demo is the same every time
//! (dates move with today). Personal data is fake: names from short lists, identity codes
//! with individual numbers 900–999 (never issued to real people), `example.fi` addresses.

use aukiolo_domain::booking::reference_from;
use aukiolo_domain::holidays::holiday_name;
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_store::demo_history::{
    AnswerRow, AssessmentRow, BookingRow, EventRow, History, InvitationRow, ResponseRow, SlotRow, WalkInRow,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use uuid::Uuid;

/// Weeks of history before today.
pub const WEEKS: i64 = 12;
/// The pilot offices began serving by appointment only this many weeks ago.
pub const PILOT_WEEKS: i64 = 6;
/// Appointment slots each advisor published per day (the rest of the day went to
/// walk-ins and back-office work), before and during the pilot.
const SLOTS_PER_DAY: (usize, usize) = (2, 3);

pub struct Advisor {
    pub id: Uuid,
    pub staff_id: Uuid,
    pub topics: Vec<Uuid>,
    pub languages: Vec<&'static str>,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub lunch: NaiveTime,
    pub phone_day: Option<Weekday>,
}

pub struct Office {
    pub id: Uuid,
    pub group: &'static str,
    pub tz: Tz,
    /// The first day of appointment-only service (pilot offices).
    pub pilot_start: Option<NaiveDate>,
    pub languages: Vec<&'static str>,
    pub advisors: Vec<Advisor>,
}

/// How an office worked on a given day: as a pilot office or as a walk-in office.
struct Mode {
    pilot: bool,
}

impl Mode {
    /// Share of published appointment slots that were booked.
    fn booked_share(&self) -> f64 {
        if self.pilot {
            0.82
        } else {
            0.7
        }
    }
    fn no_show(&self) -> f64 {
        if self.pilot {
            0.06
        } else {
            0.08
        }
    }
    fn resolved(&self) -> f64 {
        if self.pilot {
            0.86
        } else {
            0.71
        }
    }
    fn walk_ins_per_day(&self) -> (u32, u32) {
        if self.pilot {
            (0, 3)
        } else {
            (5, 11)
        }
    }
}

pub(super) const FIRST_NAMES: &[&str] = &[
    "Anna", "Matti", "Liisa", "Juhani", "Maria", "Timo", "Helena", "Kari", "Johanna", "Jari", "Sanna",
    "Mikael", "Emilia", "Pekka", "Laura", "Ahmed", "Elsa", "Oskar", "Linnea", "Ville", "Fatima", "Eero",
];
pub(super) const LAST_NAMES: &[&str] = &[
    "Korhonen",
    "Virtanen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lindqvist",
    "Salonen",
    "Turunen",
    "Ali",
    "Holmberg",
    "Kallio",
    "Rantanen",
];
pub(super) const DESCRIPTIONS: &[&str] = &[
    "Kysymys hakemuksen käsittelystä",
    "Tarvitsen apua hakemuksen täyttämisessä",
    "Päätöksen selvittäminen",
    "Liitteiden toimittaminen",
    "Muutos elämäntilanteessa",
    "Takaisinperintä",
];
const COMMENTS: &[&str] = &[
    "Palvelu oli nopeaa ja ystävällistä.",
    "Ajanvaraus verkossa oli helppo.",
    "Jouduin odottamaan pitkään.",
    "Sain asiani hoidettua kerralla.",
    "Bra service, tack!",
];

pub(super) fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ä' | 'å' => 'a',
            'ö' => 'o',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// A fake but well-formed identity code (individual number 900–999).
pub(super) fn personal_id(rng: &mut StdRng) -> PersonalId {
    const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let born = NaiveDate::from_ymd_opt(1940, 1, 1).expect("valid date")
        + Duration::days(rng.random_range(0..23_000));
    let (day, month, yy) = (born.day(), born.month(), born.year().rem_euclid(100) as u32);
    let individual: u32 = rng.random_range(900..1000);
    let n = day * 10_000_000 + month * 100_000 + yy * 1000 + individual;
    let century = if born.year() >= 2000 { 'A' } else { '-' };
    let code =
        format!("{day:02}{month:02}{yy:02}{century}{individual:03}{}", CHECK[(n % 31) as usize] as char);
    PersonalId::parse(&code).expect("generated identity codes are valid")
}

pub(super) fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// One of `choices` by weight.
fn weighted<T: Copy>(rng: &mut StdRng, choices: &[(T, u32)]) -> T {
    let total: u32 = choices.iter().map(|c| c.1).sum();
    let mut n = rng.random_range(0..total);
    for &(value, weight) in choices {
        if n < weight {
            return value;
        }
        n -= weight;
    }
    choices[choices.len() - 1].0
}

fn minutes(rng: &mut StdRng, lo: i64, hi: i64) -> Duration {
    Duration::seconds(rng.random_range(lo * 60..=hi * 60))
}

fn at(tz: Tz, day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    // Office hours never fall in a daylight-saving gap; should one, UTC wall time will do.
    tz.from_local_datetime(&day.and_time(time))
        .earliest()
        .map_or_else(|| day.and_time(time).and_utc(), |t| t.with_timezone(&Utc))
}

fn uuid(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

/// The history of `offices` for the twelve weeks before `today` (office-local days),
/// as of `now`.
pub fn generate(offices: &[Office], today: NaiveDate, now: DateTime<Utc>) -> History {
    let mut rng = StdRng::seed_from_u64(2016);
    let mut h = History::default();
    let mut references = HashSet::new();
    for office in offices {
        let mut day = today - Duration::weeks(WEEKS);
        while day < today {
            let weekday = day.weekday();
            if weekday.number_from_monday() <= 5 && holiday_name(day).is_none() {
                let mode = Mode { pilot: office.pilot_start.is_some_and(|s| day >= s) };
                office_day(&mut rng, &mut h, &mut references, office, &mode, day, now);
            }
            day += Duration::days(1);
        }
    }
    h
}

#[allow(clippy::too_many_arguments)]
fn office_day(
    rng: &mut StdRng,
    h: &mut History,
    references: &mut HashSet<String>,
    office: &Office,
    mode: &Mode,
    day: NaiveDate,
    now: DateTime<Utc>,
) {
    let tz = office.tz;
    for advisor in &office.advisors {
        let phone = advisor.phone_day == Some(day.weekday());
        let (channel, length) = if phone { ("phone", 20) } else { ("office", 30) };
        // The day's grid, without lunch; a few of its times were published for booking.
        let mut grid = Vec::new();
        let mut t = advisor.start;
        while t + Duration::minutes(length) <= advisor.end {
            let lunch_end = advisor.lunch + Duration::minutes(30);
            if t + Duration::minutes(length) <= advisor.lunch || t >= lunch_end {
                grid.push(t);
            }
            t += Duration::minutes(length);
        }
        let published = if mode.pilot { SLOTS_PER_DAY.1 } else { SLOTS_PER_DAY.0 };
        let mut times: Vec<NaiveTime> = rand::seq::index::sample(rng, grid.len(), published.min(grid.len()))
            .into_iter()
            .map(|i| grid[i])
            .collect();
        times.sort();
        for time in times {
            let start = at(tz, day, time);
            let end = start + Duration::minutes(length);
            let slot_id = uuid(rng);
            let booked = rng.random_bool(mode.booked_share()) && !advisor.topics.is_empty();
            let booking_id = booked.then(|| {
                booking(rng, h, references, office, advisor, mode, slot_id, channel, start, end, now)
            });
            h.slots.push(SlotRow {
                id: slot_id,
                advisor_id: advisor.id,
                office_id: office.id,
                starts_at: start,
                ends_at: end,
                channel,
                booking_id: booking_id.flatten(),
            });
        }
    }
    walk_ins(rng, h, office, mode, day);
}

/// Writes one booking on the slot and what followed it; the booking's id when it still
/// holds the slot (cancelled ones gave it back).
#[allow(clippy::too_many_arguments)]
fn booking(
    rng: &mut StdRng,
    h: &mut History,
    references: &mut HashSet<String>,
    office: &Office,
    advisor: &Advisor,
    mode: &Mode,
    slot_id: Uuid,
    channel: &'static str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Uuid> {
    let id = uuid(rng);
    let booked_by = if mode.pilot {
        weighted(rng, &[("citizen_self", 66), ("phone_service", 14), ("advisor", 10), ("walk_in", 10)])
    } else {
        weighted(rng, &[("citizen_self", 34), ("phone_service", 24), ("advisor", 30), ("walk_in", 12)])
    };
    let created_at = match booked_by {
        "walk_in" => start - minutes(rng, 20, 240),
        _ if mode.pilot => start - minutes(rng, 3 * 60, 9 * 24 * 60),
        _ => start - minutes(rng, 6 * 60, 14 * 24 * 60),
    };
    let staff = format!("staff:{}", advisor.staff_id);
    let actor = if booked_by == "citizen_self" { "citizen".to_owned() } else { staff.clone() };
    let reference = loop {
        let r = reference_from(rng.random());
        if references.insert(r.clone()) {
            break r;
        }
    };
    let first = pick(rng, FIRST_NAMES);
    let last = pick(rng, LAST_NAMES);
    let event =
        |h: &mut History, at: DateTime<Utc>, actor: &str, kind: &'static str, detail: Option<&str>| {
            h.events.push(EventRow {
                booking_id: id,
                at,
                actor: actor.to_owned(),
                kind,
                detail: detail.map(str::to_owned),
            });
        };
    event(h, created_at, &actor, "booked", Some(booked_by));

    let roll: f64 = rng.random();
    let (status, updated_at) = if roll < 0.07 {
        // Cancelled by the citizen, a third of them late (under 24 hours before).
        let before =
            if rng.random_bool(0.3) { minutes(rng, 60, 23 * 60) } else { minutes(rng, 25 * 60, 5 * 24 * 60) };
        let at = (start - before).max(created_at + (start - created_at) / 2);
        event(h, at, "citizen", "cancelled_by_citizen", None);
        ("cancelled_by_citizen", at)
    } else if roll < 0.085 {
        let at = (start - minutes(rng, 24 * 60, 3 * 24 * 60)).max(created_at + (start - created_at) / 2);
        event(h, at, &staff, "cancelled_by_office", Some("advisor absent"));
        ("cancelled_by_office", at)
    } else if channel == "phone" && rng.random_bool(0.06) {
        let at = start + minutes(rng, 25, 40);
        event(h, at, &staff, "not_reached", None);
        ("not_reached", at)
    } else if channel == "office" && rng.random_bool(mode.no_show()) {
        let at = start + minutes(rng, 15, 30);
        event(h, at, &staff, "no_show", None);
        ("no_show", at)
    } else {
        let in_service = if channel == "phone" {
            start + minutes(rng, 0, if mode.pilot { 4 } else { 10 })
        } else if mode.pilot {
            // Arrives a little early and is called in on time: a few minutes' wait.
            let arrived = start - minutes(rng, 1, 8);
            let in_service = (start + minutes(rng, -2, 3)).max(arrived + minutes(rng, 1, 3));
            event(h, arrived, &staff, "arrived", None);
            in_service
        } else {
            // Queues behind walk-ins: 15–25 minutes from arrival to service.
            let arrived = start - minutes(rng, 0, 10);
            event(h, arrived, &staff, "arrived", None);
            arrived + minutes(rng, 15, 25)
        };
        event(h, in_service, &staff, "in_service", None);
        let completed = in_service + minutes(rng, 12, if channel == "phone" { 25 } else { 40 });
        event(h, completed, &staff, "completed", None);
        after_visit(rng, h, office, advisor, mode, id, channel, start, completed, booked_by, now);
        ("completed", completed)
    };
    let language =
        if office.languages.contains(&"sv") && advisor.languages.contains(&"sv") && rng.random_bool(0.25) {
            "sv"
        } else if rng.random_bool(0.05) {
            "en"
        } else {
            "fi"
        };
    h.bookings.push(BookingRow {
        id,
        reference,
        office_id: office.id,
        advisor_id: advisor.id,
        topic_id: pick(rng, &advisor.topics),
        slot_id,
        slot_count: 1,
        channel,
        starts_at: start,
        ends_at: end,
        language,
        status,
        booked_by,
        name: format!("{first} {last}"),
        personal_id: personal_id(rng),
        email: format!("{}.{}{}@example.fi", ascii(first), ascii(last), rng.random_range(1..100)),
        phone: rng.random_bool(0.7).then(|| {
            format!("+358 40 {:03} {:04}", rng.random_range(100..1000), rng.random_range(0..10_000))
        }),
        description: pick(rng, DESCRIPTIONS).to_owned(),
        created_at,
        updated_at,
    });
    (!status.starts_with("cancelled")).then_some(id)
}

/// The assessment, the questionnaire invitation and, for about a third, the answer.
#[allow(clippy::too_many_arguments)]
fn after_visit(
    rng: &mut StdRng,
    h: &mut History,
    office: &Office,
    advisor: &Advisor,
    mode: &Mode,
    booking_id: Uuid,
    channel: &'static str,
    start: DateTime<Utc>,
    completed: DateTime<Utc>,
    booked_by: &'static str,
    now: DateTime<Utc>,
) {
    let reasons: &[&str] = &[
        "health",
        "language",
        "complex_situation",
        "no_online_bank_credentials",
        "documents",
        "wants_personal_service",
    ];
    let mut personal_service_reasons = vec![pick(rng, reasons)];
    if rng.random_bool(0.3) {
        let second = pick(rng, reasons);
        if !personal_service_reasons.contains(&second) {
            personal_service_reasons.push(second);
        }
    }
    h.assessments.push(AssessmentRow {
        booking_id,
        author_id: advisor.staff_id,
        resolved_at_once: rng.random_bool(mode.resolved()),
        segment: weighted(
            rng,
            &[("occasional", 40), ("continuous", 25), ("life_change", 20), ("special", 10), ("potential", 5)],
        ),
        other_channel: weighted(
            rng,
            &[("no", 58), ("e_service", 32), ("phone_service", 8), ("partner_service_point", 2)],
        ),
        personal_service_reasons,
        other_channels_discussed: rng.random_bool(if mode.pilot { 0.7 } else { 0.4 }),
        at: completed + minutes(rng, 1, 10),
    });

    let answered_on = completed + Duration::days(rng.random_range(0..4));
    let answered = rng.random_bool(if mode.pilot { 0.36 } else { 0.3 }) && answered_on < now;
    // The day only: an exact time would let the answer be matched to its invitation.
    let answered_at = answered.then(|| answered_on.date_naive().and_time(NaiveTime::MIN).and_utc());
    h.invitations.push(InvitationRow {
        booking_id,
        created_at: completed,
        expires_at: completed + Duration::days(14) + Duration::hours(1),
        answered_at,
    });
    if !answered {
        return;
    }
    let p = mode.pilot;
    let satisfaction = if p {
        weighted(rng, &[(1, 2), (2, 3), (3, 10), (4, 35), (5, 50)])
    } else {
        weighted(rng, &[(1, 5), (2, 10), (3, 25), (4, 36), (5, 24)])
    };
    let recommend = if p {
        weighted(rng, &[(4, 2), (5, 2), (6, 4), (7, 8), (8, 19), (9, 30), (10, 35)])
    } else {
        weighted(rng, &[(2, 3), (4, 5), (5, 7), (6, 10), (7, 18), (8, 22), (9, 20), (10, 15)])
    };
    let effort = if p {
        weighted(rng, &[(2, 2), (3, 4), (4, 8), (5, 20), (6, 34), (7, 32)])
    } else {
        weighted(rng, &[(1, 3), (2, 6), (3, 10), (4, 18), (5, 25), (6, 23), (7, 15)])
    };
    let score = |key, n: i32| AnswerRow {
        question_key: key,
        score: Some(n),
        choice: None,
        choices: None,
        text: None,
    };
    let mut answers =
        vec![score("satisfaction", satisfaction), score("recommend", recommend), score("effort", effort)];
    let choice =
        |key, c| AnswerRow { question_key: key, score: None, choice: Some(c), choices: None, text: None };
    if rng.random_bool(0.9) {
        let preference = if p {
            weighted(rng, &[("appointment", 70), ("without_appointment", 14), ("no_preference", 16)])
        } else {
            weighted(rng, &[("appointment", 40), ("without_appointment", 35), ("no_preference", 25)])
        };
        answers.push(choice("preference", preference));
    }
    if rng.random_bool(0.8) {
        let known: Vec<&'static str> =
            [("online", 0.85), ("phone", 0.7), ("partner_point", 0.2), ("chat", 0.35)]
                .into_iter()
                .filter(|&(_, share)| rng.random_bool(share))
                .map(|(key, _)| key)
                .collect();
        answers.push(AnswerRow {
            question_key: "channels_known",
            score: None,
            choice: None,
            choices: Some(known),
            text: None,
        });
    }
    if rng.random_bool(0.85) {
        answers.push(choice("could_online", weighted(rng, &[("yes", 30), ("partly", 25), ("no", 45)])));
    }
    if rng.random_bool(0.15) {
        answers.push(AnswerRow {
            question_key: "comments",
            score: None,
            choice: None,
            choices: None,
            text: Some(pick(rng, COMMENTS).to_owned()),
        });
    }
    h.responses.push(ResponseRow {
        office_id: office.id,
        topic_id: pick(rng, &advisor.topics),
        channel,
        week: aukiolo_store::questionnaires::iso_week(start, office.tz),
        pilot_group: office.group,
        booking_mode: match booked_by {
            "citizen_self" => "self_service",
            "walk_in" => "walk_in",
            _ => "advisor",
        },
        answers,
    });
}

fn walk_ins(rng: &mut StdRng, h: &mut History, office: &Office, mode: &Mode, day: NaiveDate) {
    let (lo, hi) = mode.walk_ins_per_day();
    for _ in 0..rng.random_range(lo..=hi) {
        let outcome = if mode.pilot {
            weighted(
                rng,
                &[
                    ("booked_now", 36),
                    ("booked_later", 20),
                    ("directed_to_eservice", 24),
                    ("directed_to_phone", 8),
                    ("served_urgent", 7),
                    ("left", 5),
                ],
            )
        } else {
            weighted(
                rng,
                &[
                    ("served_urgent", 48),
                    ("booked_now", 14),
                    ("booked_later", 10),
                    ("directed_to_eservice", 12),
                    ("directed_to_phone", 6),
                    ("left", 10),
                ],
            )
        };
        let advisor = &office.advisors[rng.random_range(0..office.advisors.len())];
        let time = NaiveTime::from_hms_opt(8, 0, 0).expect("valid time") + minutes(rng, 0, 8 * 60);
        h.walk_ins.push(WalkInRow {
            office_id: office.id,
            at: at(office.tz, day, time),
            topic_id: pick(rng, &advisor.topics),
            outcome,
            staff_id: advisor.staff_id,
        });
    }
}
