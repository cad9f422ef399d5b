//! The pilot's instruments, each question answered as a distribution for the pilot and the
//! control group: `/{lang}/pilot/questionnaire` (the citizens' questionnaire, in its own
//! words), `/{lang}/pilot/assessments` (the advisors' assessments) and
//! `/{lang}/pilot/walk-ins` (walk-ins by outcome). Each question is a bar chart followed by
//! the table of its counts and shares.

use super::chart::{self, Label};
use super::period::{asked, Period, PeriodForm, PeriodQuery};
use crate::catalogue::{PilotText as P, StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::Errors;
use crate::pages::staff::assessment::{other_channel, reason, segment};
use crate::pages::staff::walk_ins::outcome_text;
use crate::staff::Signed;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::metrics::{self, Distribution, GroupInstruments, Instruments, NONE_KNOWN};
use aukiolo_domain::questionnaire::{self, QuestionKind};
use aukiolo_domain::visit::{OtherChannel, PersonalServiceReason, Segment, WalkInOutcome};
use aukiolo_domain::Locale;

/// One answer's row.
pub struct AnswerRow {
    pub label: String,
    pub pilot_count: String,
    pub pilot_share: String,
    pub control_count: String,
    pub control_share: String,
}

/// One question: its chart, then its table; `withheld` instead when a group is.
pub struct QuestionView {
    pub id: String,
    pub heading: String,
    pub chart: String,
    pub rows: Vec<AnswerRow>,
    pub n: String,
    pub withheld: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "pilot/instruments.html")]
struct InstrumentsPage {
    c: Chrome,
    heading: String,
    intro: &'static str,
    counts: String,
    errors: Errors,
    form: PeriodForm,
    questions: Vec<QuestionView>,
    back: String,
}

/// Which instrument a page reports.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Instrument {
    Questionnaire,
    Assessments,
    WalkIns,
}

impl Instrument {
    fn path(self) -> &'static str {
        match self {
            Instrument::Questionnaire => "/pilot/questionnaire",
            Instrument::Assessments => "/pilot/assessments",
            Instrument::WalkIns => "/pilot/walk-ins",
        }
    }

    fn title(self) -> P {
        match self {
            Instrument::Questionnaire => P::Questionnaire,
            Instrument::Assessments => P::Assessments,
            Instrument::WalkIns => P::WalkIns,
        }
    }

    /// The instruments' pages as links (for the dashboard).
    pub fn links(lang: Locale, period: Period) -> Vec<(String, &'static str)> {
        [Instrument::Questionnaire, Instrument::Assessments, Instrument::WalkIns]
            .into_iter()
            .map(|i| (format!("/{}{}?{}", lang.as_str(), i.path(), period.query()), Tr(lang).p(i.title())))
            .collect()
    }
}

fn share(lang: Locale, d: &Distribution, answer: &str) -> String {
    d.share(answer)
        .map(|s| format!("{} %", crate::numbers::decimal(lang, 100.0 * s, 1)))
        .unwrap_or_else(|| "–".into())
}

fn count(d: &Distribution, answer: &str) -> String {
    d.counts.iter().find(|(a, _)| a == answer).map(|(_, c)| c.to_string()).unwrap_or_else(|| "–".into())
}

/// A question over `answers` (`(key, label)`) with the two groups' distributions.
fn question(
    t: Tr,
    id: &str,
    heading: &str,
    answers: &[(String, String)],
    pilot: &Distribution,
    control: &Distribution,
) -> QuestionView {
    let lang = t.0;
    let withheld = (pilot.withheld.is_some() || control.withheld.is_some()).then(|| t.p(P::Withheld));
    let rows = answers
        .iter()
        .map(|(key, label)| AnswerRow {
            label: label.clone(),
            pilot_count: count(pilot, key),
            pilot_share: share(lang, pilot, key),
            control_count: count(control, key),
            control_share: share(lang, control, key),
        })
        .collect();
    let values = |d: &Distribution| answers.iter().map(|(k, _)| d.share(k).map(|s| 100.0 * s)).collect();
    let title = t.fill_p(P::BarsTitle, &[("question", heading)]);
    let label = Label { id, title: &title, desc: t.p(P::BarsDesc) };
    let categories: Vec<String> = answers.iter().map(|(_, l)| l.clone()).collect();
    let groups = [(t.p(P::Pilot).to_owned(), values(pilot)), (t.p(P::Control).to_owned(), values(control))];
    let value = |v: f64| format!("{} %", crate::numbers::decimal(lang, v, 0));
    QuestionView {
        id: id.to_owned(),
        heading: heading.to_owned(),
        chart: if withheld.is_some() {
            String::new()
        } else {
            chart::bars(&label, &categories, &groups, &value)
        },
        rows,
        n: format!("{} / {}", pilot.n, control.n),
        withheld,
    }
}

/// The questionnaire's questions with their own texts and answer labels.
fn questionnaire_views(t: Tr, i: &Instruments) -> Vec<QuestionView> {
    let lang = t.0;
    let q = questionnaire::pilot();
    let pick = |g: &GroupInstruments, key: &str| -> Distribution {
        match key {
            "recommend" => g.recommend.clone(),
            "satisfaction" => g.satisfaction.clone(),
            "effort" => g.effort.clone(),
            "preference" => g.preference.clone(),
            "channels_known" => g.channels_known.clone(),
            _ => g.could_online.clone(),
        }
    };
    let reported = ["recommend", "satisfaction", "effort", "preference", "channels_known", "could_online"];
    q.questions
        .iter()
        .filter(|asked| reported.contains(&asked.key.as_str()))
        .map(|asked| {
            let answers: Vec<(String, String)> = match &asked.kind {
                kind @ (QuestionKind::Nps | QuestionKind::Csat | QuestionKind::Ces) => {
                    kind.scale().unwrap_or(0..=0).map(|n| (n.to_string(), n.to_string())).collect()
                }
                QuestionKind::SingleChoice { options } => {
                    options.iter().map(|o| (o.key.clone(), o.label.get(lang).to_owned())).collect()
                }
                QuestionKind::MultipleChoice { options, .. } => options
                    .iter()
                    .map(|o| (o.key.clone(), o.label.get(lang).to_owned()))
                    .chain([(NONE_KNOWN.to_owned(), t.p(P::NoneKnown).to_owned())])
                    .collect(),
                _ => Vec::new(),
            };
            let key = asked.key.as_str();
            question(
                t,
                &format!("q-{key}"),
                asked.text.get(lang),
                &answers,
                &pick(&i.pilot, key),
                &pick(&i.control, key),
            )
        })
        .collect()
}

fn assessment_views(t: Tr, i: &Instruments) -> Vec<QuestionView> {
    let labelled = |items: Vec<(&str, &str)>| -> Vec<(String, String)> {
        items.into_iter().map(|(k, l)| (k.to_owned(), l.to_owned())).collect()
    };
    let channels = labelled(OtherChannel::ALL.iter().map(|o| (o.as_str(), other_channel(t, *o))).collect());
    let reasons = labelled(PersonalServiceReason::ALL.iter().map(|r| (r.as_str(), reason(t, *r))).collect());
    let segments = labelled(Segment::ALL.iter().map(|s| (s.as_str(), segment(t, *s))).collect());
    let yes_no = labelled(vec![("yes", t.get(Text::Yes)), ("no", t.get(Text::No))]);
    let (p, c) = (&i.pilot, &i.control);
    vec![
        question(
            t,
            "a-other-channel",
            t.s(S::AskOtherChannel),
            &channels,
            &p.other_channel,
            &c.other_channel,
        ),
        question(
            t,
            "a-reasons",
            t.s(S::AskReasons),
            &reasons,
            &p.personal_service_reasons,
            &c.personal_service_reasons,
        ),
        question(
            t,
            "a-discussed",
            t.s(S::AskDiscussed),
            &yes_no,
            &p.other_channels_discussed,
            &c.other_channels_discussed,
        ),
        question(t, "a-segment", t.s(S::AskSegment), &segments, &p.segment, &c.segment),
    ]
}

fn walk_in_views(t: Tr, i: &Instruments) -> Vec<QuestionView> {
    let outcomes: Vec<(String, String)> =
        WalkInOutcome::ALL.iter().map(|o| (o.as_str().to_owned(), outcome_text(t, *o).to_owned())).collect();
    vec![question(
        t,
        "w-outcome",
        t.s(S::WalkInOutcomeQuestion),
        &outcomes,
        &i.pilot.walk_ins,
        &i.control.walk_ins,
    )]
}

async fn show(signed: Signed, q: PeriodQuery, instrument: Instrument) -> Result<HttpResponse, Problem> {
    let asked = asked(&signed, &q, instrument.path()).await?;
    let lang = signed.lang();
    let t = Tr(lang);
    let (office, now, period) = (asked.office, asked.now, asked.period);
    let (from, end) = (period.from, period.end());
    let found = signed
        .site()
        .read(move |c| {
            Ok(metrics::instruments(&aukiolo_store::metrics::load(c, from, end, office, now)?, from, end))
        })
        .await?;
    let (p, c) = (&found.pilot, &found.control);
    let (questions, counts) = match instrument {
        Instrument::Questionnaire => {
            (questionnaire_views(t, &found), (P::ResponsesCount, p.responses, c.responses))
        }
        Instrument::Assessments => {
            (assessment_views(t, &found), (P::AssessmentsCount, p.assessments, c.assessments))
        }
        Instrument::WalkIns => (walk_in_views(t, &found), (P::WalkInsCount, p.walk_ins.n, c.walk_ins.n)),
    };
    let counts = t.fill_p(counts.0, &[("pilot", &counts.1.to_string()), ("control", &counts.2.to_string())]);
    let (from_text, last_text) = asked.days();
    let heading = format!("{} {from_text}–{last_text}", t.p(instrument.title()));
    let page = InstrumentsPage {
        c: super::chrome(&signed, &heading, &asked.errors),
        intro: t.p(match instrument {
            Instrument::Questionnaire => P::QuestionnaireIntro,
            Instrument::Assessments => P::AssessmentsIntro,
            Instrument::WalkIns => P::WalkInsIntro,
        }),
        heading,
        counts,
        errors: asked.errors,
        form: asked.form,
        questions,
        back: format!("{}?{}", super::dashboard_path(lang), period.query()),
    };
    super::super::staff::html(&page)
}

pub async fn questionnaire(
    signed: Signed,
    web::Query(q): web::Query<PeriodQuery>,
) -> Result<HttpResponse, Problem> {
    show(signed, q, Instrument::Questionnaire).await
}

pub async fn assessments(
    signed: Signed,
    web::Query(q): web::Query<PeriodQuery>,
) -> Result<HttpResponse, Problem> {
    show(signed, q, Instrument::Assessments).await
}

pub async fn walk_ins(
    signed: Signed,
    web::Query(q): web::Query<PeriodQuery>,
) -> Result<HttpResponse, Problem> {
    show(signed, q, Instrument::WalkIns).await
}
