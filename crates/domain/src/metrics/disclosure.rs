//! Which questionnaire figures stay withheld, so that no figure withheld for too few
//! responses or answers can be recovered by adding and subtracting published ones (issue 12:
//! Oulu's week of 3 responses came back as the office total minus its 11 visible weeks).
//!
//! One pattern is decided per request's facts, for every cell that any answer publishes —
//! the 32 groupings of `compute`, the pilot and control sides, each office's before and
//! after sides, the four sides of the difference-in-differences — so a cell's status never
//! depends on which grouping was asked for.
//!
//! The model. Responses live at the grain (office, pilot group, topic, channel, week); every
//! published cell is the sum of some grain cells. A *family* is one way of publishing: a
//! grouping, or a comparison whose sides are disjoint unions of grain cells. Between two
//! families the only linear relations are, for each connected part of the graph that links
//! a cell of one with a cell of the other when they share responses, "the cells of the first
//! in it add up to the cells of the second in it" (for groupings with common dimensions `C`
//! these parts are the `C`-cells, or finer where the data is sparse or an office is always in
//! one pilot group). So a withheld cell can be derived from the pair exactly when it is the
//! only withheld cell in its part. Responses a comparison leaves out (the switch week,
//! offices in neither group) are, for the attacker, the cells of grouping (office,
//! pilot_group, week) they fall in — known when that cell is shown, unknown when withheld.
//!
//! Secondary suppression repeats over every pair of families until no part holds exactly one
//! withheld cell, each time withholding a shown cell of that part: the one that leaves the
//! fewest parts holding exactly one, then the one with the fewest responses, then the one met
//! first in a fixed order, so the pattern is deterministic. Cells of different families
//! holding the same responses are one figure and share one status.
//!
//! Per question, not per questionnaire block: each question has its own answer counts, and
//! the figures of one question (say the counts behind `prefers_appointment`) add up only with
//! the same question's, so the complement of an optional question few answered is withheld
//! for that question alone, and the others stay shown. CSAT and its top box share their
//! answers, so they are one question here; so are the four channels known and the two
//! could-online shares.

use super::comparison::{around, Place, When, CONTROL_GROUP, PILOT_GROUP};
use super::difference_in_differences::pilot_group_start;
use super::facts::{Facts, ResponseFact};
use super::figures::{complementary, fewer_answers, fewer_responses};
use super::group::{Dimension, GroupBy, GroupKey};
use super::tally::Tally;
use super::Week;
use crate::stats;
use crate::OfficeId;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// A question of the pilot questionnaire whose figures are withheld together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Question {
    /// `recommend`: the NPS and its counts.
    Nps,
    /// `satisfaction`: CSAT and CSAT top box.
    Csat,
    /// `effort`: CES.
    Ces,
    /// `preference`: prefers an appointment.
    Preference,
    /// `channels_known`: every channel's awareness.
    ChannelsKnown,
    /// `could_online`: yes and partly.
    CouldOnline,
}

impl Question {
    pub const ALL: [Question; 6] = [
        Question::Nps,
        Question::Csat,
        Question::Ces,
        Question::Preference,
        Question::ChannelsKnown,
        Question::CouldOnline,
    ];

    /// The question a compared measure rests on, by the measure's key; `None` for measures
    /// not from the questionnaire.
    pub fn of_measure(key: &str) -> Option<Question> {
        Some(match key {
            "nps" => Question::Nps,
            "csat" | "csat_top_box" => Question::Csat,
            "ces" => Question::Ces,
            "prefers_appointment" => Question::Preference,
            k if k.starts_with("knows_channel_") => Question::ChannelsKnown,
            "could_online_yes" | "could_online_partly" => Question::CouldOnline,
            _ => return None,
        })
    }

    /// The answers to this question in `t`.
    pub(super) fn answers(self, t: &Tally) -> u64 {
        match self {
            Question::Nps => t.nps.n(),
            Question::Csat => t.csat.len() as u64,
            Question::Ces => t.ces.len() as u64,
            Question::Preference => t.preference,
            Question::ChannelsKnown => t.channels_answered,
            Question::CouldOnline => t.could_online,
        }
    }
}

/// One way the API publishes questionnaire figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// `compute` under this grouping; cells keyed [`CellKey::Group`].
    Grouping(GroupBy),
    /// Sides [`PILOT`] and [`CONTROL`] of `compare`.
    PilotVsControl,
    /// Sides [`AFTER`] and [`BEFORE`] of one office's before/after comparison.
    BeforeAfter(OfficeId),
    /// Groups [`PILOT_BEFORE`], [`PILOT_AFTER`], [`CONTROL_BEFORE`], [`CONTROL_AFTER`], split
    /// at the pilot group's start by whole weeks.
    DifferenceInDifferences,
}

/// A cell of a [`Family`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CellKey {
    Group(GroupKey),
    Side(&'static str),
}

pub const PILOT: &str = PILOT_GROUP;
pub const CONTROL: &str = CONTROL_GROUP;
pub const AFTER: &str = "after";
pub const BEFORE: &str = "before";
pub const PILOT_BEFORE: &str = "pilot_before";
pub const PILOT_AFTER: &str = "pilot_after";
pub const CONTROL_BEFORE: &str = "control_before";
pub const CONTROL_AFTER: &str = "control_after";

/// The difference-in-differences group of a response of `pilot_group` in `week`, split at
/// the pilot group's start by whole weeks as every before/after is; `None` for other groups
/// and the week of a mid-week start.
fn did_side(pilot_group: &str, week: Week, start: NaiveDate) -> Option<&'static str> {
    match (pilot_group, around(start, When::Week(week))) {
        (_, Place::Neither) => None,
        (PILOT_GROUP, Place::A) => Some(PILOT_AFTER),
        (PILOT_GROUP, Place::B) => Some(PILOT_BEFORE),
        (CONTROL_GROUP, Place::A) => Some(CONTROL_AFTER),
        (CONTROL_GROUP, Place::B) => Some(CONTROL_BEFORE),
        _ => None,
    }
}

/// A before/after side of a switch on `start`, for a response of `week`.
fn before_after_side(week: Week, start: NaiveDate) -> Option<&'static str> {
    match around(start, When::Week(week)) {
        Place::A => Some(AFTER),
        Place::B => Some(BEFORE),
        Place::Neither => None,
    }
}

/// The responses and each question's answers behind one published cell.
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    responses: u64,
    answers: [u64; 6],
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.responses += other.responses;
        for (a, b) in self.answers.iter_mut().zip(other.answers) {
            *a += b;
        }
    }

    /// The primary rule (DESIGN §4.7), unchanged.
    fn primary(&self, q: Question) -> Option<String> {
        if stats::is_withheld(self.responses) {
            Some(fewer_responses())
        } else if stats::is_withheld(self.answers[q as usize]) {
            Some(fewer_answers())
        } else {
            None
        }
    }
}

/// The disclosure pattern of one request's facts: for every published questionnaire cell
/// and question, whether it is withheld and why.
#[derive(Clone, Debug)]
pub struct Disclosure {
    families: Vec<Family>,
    /// Per family, its cells' nodes.
    cells: Vec<HashMap<CellKey, usize>>,
    nodes: Vec<Counts>,
    /// Per question, per node: withheld only so that another cannot be derived.
    secondary: [Vec<bool>; 6],
}

type Grain = (OfficeId, String, crate::TopicId, crate::Channel, Week);

impl Disclosure {
    /// The pattern of `facts`, every response of which is in the period (as the store reads
    /// them).
    pub fn of(facts: &Facts) -> Self {
        Self::build(facts, |_| true, true)
    }

    /// The pattern of `facts` when comparisons count only responses whose week's Monday is in
    /// `[from, to)`, as [`super::compare`] does.
    pub fn over(facts: &Facts, from: NaiveDate, to: NaiveDate) -> Self {
        Self::build(facts, |w| from <= w.monday() && w.monday() < to, true)
    }

    /// The primary pattern alone, for tests that work figures by hand on networks too small
    /// to show anything once complements are withheld.
    #[cfg(test)]
    pub(super) fn primary_only(facts: &Facts, from: NaiveDate, to: NaiveDate) -> Self {
        Self::build(facts, |w| from <= w.monday() && w.monday() < to, false)
    }

    /// Why the figures of `question` in cell `key` of `family` are withheld, or `None` when
    /// they are shown: fewer than five responses, fewer than five answers to the question, or
    /// [`complementary`]. A cell no response falls in has fewer than five responses.
    ///
    /// Every view of a questionnaire figure asks this, so JSON, CSV, tables and charts
    /// withhold the same cells; the difference-in-differences asks it for each of its four
    /// sides (`Family::DifferenceInDifferences`, `CellKey::Side(PILOT_BEFORE)` …) and
    /// withholds a measure when any side is withheld.
    pub fn is_withheld(&self, family: Family, key: &CellKey, question: Question) -> Option<String> {
        let node =
            self.families.iter().position(|f| *f == family).and_then(|f| self.cells[f].get(key).copied());
        let Some(node) = node else {
            return Some(fewer_responses());
        };
        self.nodes[node]
            .primary(question)
            .or_else(|| self.secondary[question as usize][node].then(complementary))
    }

    /// Why a compared measure (by its key) is withheld, as `label: reason` for one of
    /// `sides` (each a label and a cell of `family`) that withholds it: the first withheld
    /// for too few responses or answers, else the first withheld as a complement, so the
    /// reason names the cause. `None` for measures not from the questionnaire.
    pub fn withheld_side(
        &self,
        family: Family,
        measure: &str,
        sides: &[(&str, &'static str)],
    ) -> Option<String> {
        let question = Question::of_measure(measure)?;
        let reasons: Vec<(&str, String)> = sides
            .iter()
            .filter_map(|(label, key)| {
                Some((*label, self.is_withheld(family, &CellKey::Side(key), question)?))
            })
            .collect();
        let (label, reason) = reasons.iter().find(|(_, r)| *r != complementary()).or(reasons.first())?;
        Some(format!("{label}: {reason}"))
    }

    fn build(facts: &Facts, in_period: impl Fn(Week) -> bool, complements: bool) -> Self {
        let mut grain: BTreeMap<Grain, Tally> = BTreeMap::new();
        for r in &facts.responses {
            grain.entry(grain_of(r)).or_default().add_response(r);
        }
        let grain: Vec<(Grain, Counts)> = grain
            .into_iter()
            .map(|(g, t)| {
                let counts = Counts { responses: t.responses, answers: Question::ALL.map(|q| q.answers(&t)) };
                (g, counts)
            })
            .collect();

        let mut b = Builder::default();
        for group_by in GroupBy::all() {
            b.grouping(&grain, group_by);
        }
        let leftover: GroupBy =
            [Dimension::Office, Dimension::PilotGroup, Dimension::Week].into_iter().collect();
        let leftover = b.families.iter().position(|f| *f == Family::Grouping(leftover)).unwrap_or_default();
        b.sides(&grain, Family::PilotVsControl, leftover, |(_, group, _, _, week)| match group.as_str() {
            PILOT_GROUP if in_period(*week) => Some(PILOT),
            CONTROL_GROUP if in_period(*week) => Some(CONTROL),
            _ => None,
        });
        for office in &facts.offices {
            let Some(start) = office.pilot_start else { continue };
            b.sides(&grain, Family::BeforeAfter(office.id), leftover, |(o, _, _, _, week)| {
                (*o == office.id && in_period(*week)).then(|| before_after_side(*week, start)).flatten()
            });
        }
        if let Some(start) = pilot_group_start(&facts.offices) {
            b.sides(&grain, Family::DifferenceInDifferences, leftover, |(_, group, _, _, week)| {
                in_period(*week).then(|| did_side(group, *week, start)).flatten()
            });
        }

        let parts = if complements { parts(&b.map, b.nodes.len()) } else { Vec::new() };
        let mut solved: HashMap<Vec<bool>, Vec<bool>> = HashMap::new();
        let secondary = Question::ALL.map(|q| {
            let primary: Vec<bool> = b.nodes.iter().map(|n| n.primary(q).is_some()).collect();
            let withheld =
                solved.entry(primary.clone()).or_insert_with(|| suppress(&parts, &b.nodes, &primary)).clone();
            withheld.iter().zip(&primary).map(|(w, p)| *w && !p).collect()
        });
        Disclosure { families: b.families, cells: b.cells, nodes: b.nodes, secondary }
    }
}

fn grain_of(r: &ResponseFact) -> Grain {
    (r.office, r.pilot_group.clone(), r.topic, r.channel, r.week)
}

/// The families being assembled: their cells, and for each family and grain cell the node
/// the grain cell counts towards. A node is a set of grain cells: cells of different
/// families holding the same responses (an office's weeks, and the same by office and pilot
/// group) are one figure, and share one node and so one status.
#[derive(Default)]
struct Builder {
    families: Vec<Family>,
    cells: Vec<HashMap<CellKey, usize>>,
    nodes: Vec<Counts>,
    by_set: HashMap<Vec<u32>, usize>,
    map: Vec<Vec<u32>>,
}

impl Builder {
    /// A family whose grain cell `i` is in cell `cell_of(i)`, or else counts towards the node
    /// `node_of(i)` of a family already built.
    fn family(
        &mut self,
        family: Family,
        grain: &[(Grain, Counts)],
        cell_of: impl Fn(&Grain) -> Option<CellKey>,
        node_of: impl Fn(&Self, usize) -> u32,
    ) {
        let mut sets: HashMap<CellKey, Vec<u32>> = HashMap::new();
        let mut map = Vec::with_capacity(grain.len());
        for (i, (g, _)) in grain.iter().enumerate() {
            match cell_of(g) {
                Some(key) => {
                    sets.entry(key).or_default().push(i as u32);
                    map.push(u32::MAX);
                }
                None => map.push(node_of(self, i)),
            }
        }
        let mut cells = HashMap::new();
        // In grain order, so that node numbers (the tie-break) do not depend on hashing.
        let mut sets: Vec<(CellKey, Vec<u32>)> = sets.into_iter().collect();
        sets.sort_by_key(|(_, set)| set[0]);
        for (key, set) in sets {
            let node = match self.by_set.get(&set) {
                Some(&node) => node,
                None => {
                    let mut counts = Counts::default();
                    set.iter().for_each(|&i| counts.add(&grain[i as usize].1));
                    self.nodes.push(counts);
                    self.by_set.insert(set.clone(), self.nodes.len() - 1);
                    self.nodes.len() - 1
                }
            };
            set.iter().for_each(|&i| map[i as usize] = node as u32);
            cells.insert(key, node);
        }
        self.families.push(family);
        self.cells.push(cells);
        self.map.push(map);
    }

    fn grouping(&mut self, grain: &[(Grain, Counts)], group_by: GroupBy) {
        let key = |(office, group, topic, channel, week): &Grain| {
            let key = group_by.key(*office, group, Some(*topic), *channel, Some(*week));
            Some(CellKey::Group(key.expect("a response has every dimension")))
        };
        self.family(Family::Grouping(group_by), grain, key, |_, _| {
            unreachable!("every response is in a group")
        });
    }

    /// A comparison family: each grain cell on the side `side` names, or, when on none, known
    /// to the attacker exactly as its cell of grouping `leftover` is.
    fn sides(
        &mut self,
        grain: &[(Grain, Counts)],
        family: Family,
        leftover: usize,
        side: impl Fn(&Grain) -> Option<&'static str>,
    ) {
        let cell = |g: &Grain| side(g).map(CellKey::Side);
        self.family(family, grain, cell, |b, i| b.map[leftover][i]);
    }
}

fn find(parent: &mut [u32], mut n: u32) -> u32 {
    while parent[n as usize] != n {
        let up = parent[parent[n as usize] as usize];
        parent[n as usize] = up;
        n = up;
    }
    n
}

/// For every pair of families, the connected parts (of two or more cells) of the graph
/// linking a cell of one to a cell of the other when they share a grain cell. They depend on
/// the facts only, so they are found once for all questions.
fn parts(map: &[Vec<u32>], nodes: usize) -> Vec<Vec<u32>> {
    let mut parent: Vec<u32> = (0..nodes as u32).collect();
    let mut touched: Vec<u32> = Vec::new();
    let mut out = Vec::new();
    for (i, first) in map.iter().enumerate() {
        for second in &map[i + 1..] {
            for (&a, &b) in first.iter().zip(second) {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                parent[ra.max(rb) as usize] = ra.min(rb);
                touched.extend([a, b]);
            }
            touched.sort_unstable();
            touched.dedup();
            let mut by_root: Vec<(u32, u32)> = touched.iter().map(|&n| (find(&mut parent, n), n)).collect();
            by_root.sort_unstable();
            for part in by_root.chunk_by(|x, y| x.0 == y.0) {
                if part.len() > 1 {
                    out.push(part.iter().map(|&(_, n)| n).collect());
                }
            }
            for &n in &touched {
                parent[n as usize] = n;
            }
            touched.clear();
        }
    }
    out
}

/// The primary pattern completed so that no part holds exactly one withheld cell.
///
/// Each part that holds one gets a second: of its shown cells the one that leaves the fewest
/// parts holding exactly one (it mends those holding one and breaks those holding none),
/// then the one with the fewest responses, then the first. Weighing the parts mended closes
/// the rectangles a table needs (a withheld cell, one beside it in its row, one in its
/// column, and the fourth corner) instead of a chain across the whole table.
fn suppress(parts: &[Vec<u32>], nodes: &[Counts], primary: &[bool]) -> Vec<bool> {
    let mut withheld = primary.to_vec();
    let mut parts_of: Vec<Vec<u32>> = vec![Vec::new(); nodes.len()];
    let mut hidden: Vec<u32> = Vec::with_capacity(parts.len());
    for (p, part) in parts.iter().enumerate() {
        part.iter().for_each(|&n| parts_of[n as usize].push(p as u32));
        hidden.push(part.iter().filter(|&&n| withheld[n as usize]).count() as u32);
    }
    let score = |n: u32, hidden: &[u32]| -> i64 {
        parts_of[n as usize]
            .iter()
            .map(|&q| match hidden[q as usize] {
                0 => 1,
                1 => -1,
                _ => 0,
            })
            .sum()
    };
    loop {
        let mut changed = false;
        for (p, part) in parts.iter().enumerate() {
            if hidden[p] != 1 {
                continue;
            }
            let cheapest = part
                .iter()
                .copied()
                .filter(|&n| !withheld[n as usize])
                .min_by_key(|&n| (score(n, &hidden), nodes[n as usize].responses, n));
            if let Some(n) = cheapest {
                withheld[n as usize] = true;
                parts_of[n as usize].iter().for_each(|&q| hidden[q as usize] += 1);
                changed = true;
            }
        }
        if !changed {
            return withheld;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{response, week, C, P, T1};
    use super::super::{compare, compute, OfficeFact};
    use super::*;
    use crate::{Channel, OfficeId};
    use proptest::prelude::*;
    use uuid::Uuid;

    /// `n` responses of `office` in week `w`, the first a promoter, the others passives.
    fn responses(office: OfficeId, w: &str, n: usize) -> Vec<ResponseFact> {
        (0..n)
            .map(|i| {
                let nps = if i == 0 { 10 } else { 8 };
                response(office, T1, Channel::Office, w, (4, nps, 6, "appointment", &["online"], "yes"))
            })
            .collect()
    }

    fn facts(responses: impl IntoIterator<Item = Vec<ResponseFact>>) -> Facts {
        Facts {
            responses: responses.into_iter().flatten().collect(),
            ..Facts::empty(super::super::fixtures::now())
        }
    }

    fn weeks(first: u32, counts: &[usize]) -> Vec<String> {
        (0..counts.len()).map(|i| format!("2026-W{:02}", first + i as u32)).collect()
    }

    fn by(dims: &str) -> Family {
        Family::Grouping(GroupBy::parse(dims).unwrap())
    }

    fn office_week(office: OfficeId, w: &str) -> CellKey {
        CellKey::Group(GroupKey { office: Some(office), week: Some(week(w)), ..GroupKey::default() })
    }

    fn office(office: OfficeId) -> CellKey {
        CellKey::Group(GroupKey { office: Some(office), ..GroupKey::default() })
    }

    /// The case: an office of twelve weeks, W43 with 3 responses (1 promoter, 2
    /// passives). Its total minus the other eleven weeks gave W43 back; now the week with
    /// the fewest responses after it is withheld too, and the total stays shown.
    #[test]
    fn the_office_total_minus_its_visible_weeks_no_longer_gives_a_withheld_week() {
        let counts = [6, 6, 6, 6, 6, 6, 6, 3, 6, 5, 6, 6];
        let labels = weeks(36, &counts);
        let f = facts(labels.iter().zip(counts).map(|(w, n)| responses(P, w, n)));
        let d = Disclosure::of(&f);
        let status = |w: &str| d.is_withheld(by("office,week"), &office_week(P, w), Question::Nps);
        assert_eq!(status("2026-W43"), Some(fewer_responses()));
        assert_eq!(status("2026-W45"), Some(complementary()), "the fewest responses (5) after W43");
        for w in labels.iter().filter(|w| !["2026-W43", "2026-W45"].contains(&w.as_str())) {
            assert_eq!(status(w), None, "{w}");
        }
        assert_eq!(d.is_withheld(by("office"), &office(P), Question::Nps), None);
        // Every grouping agrees: by week alone the same two weeks are withheld.
        let week_only = CellKey::Group(GroupKey { week: Some(week("2026-W45")), ..GroupKey::default() });
        assert_eq!(d.is_withheld(by("week"), &week_only, Question::Csat), Some(complementary()));

        // And so do the rows `compute` gives.
        let rows = compute(&f, GroupBy::parse("office,week").unwrap());
        let w45 = rows.iter().find(|r| r.group.week == Some(week("2026-W45"))).unwrap();
        assert_eq!(
            (w45.responses, w45.nps.promoters, w45.nps.withheld.clone()),
            (5, None, Some(complementary()))
        );
        assert_eq!(w45.csat.withheld, Some(complementary()));
        let shown: u64 = rows.iter().filter_map(|r| r.nps.n).sum();
        let total = compute(&f, GroupBy::default())[0].nps.n.unwrap();
        assert_eq!((total, shown), (68, 68 - 3 - 5));
    }

    /// An office is always in one pilot group, so the pilot group's total is the sum of its
    /// offices: A (3 responses) would come back as pilot − B, although two offices (A and
    /// D) are withheld in the grouping by office.
    #[test]
    fn offices_add_up_to_their_pilot_group() {
        let ids: Vec<OfficeId> = (101..105).map(|i| OfficeId(Uuid::from_u128(i))).collect();
        let (a, b, c, d) = (ids[0], ids[1], ids[2], ids[3]);
        let mut f = facts([responses(a, "2026-W47", 3), responses(b, "2026-W47", 6)]);
        f.responses.extend(responses(c, "2026-W47", 6).into_iter().chain(responses(d, "2026-W47", 2)));
        for r in &mut f.responses {
            r.pilot_group = if r.office == a || r.office == b { "pilot" } else { "control" }.into();
        }
        let pattern = Disclosure::of(&f);
        let status = |o| pattern.is_withheld(by("office"), &office(o), Question::Nps);
        assert_eq!([status(a), status(d)], [Some(fewer_responses()), Some(fewer_responses())]);
        assert_eq!([status(b), status(c)], [Some(complementary()), Some(complementary())]);
        let pilot = CellKey::Group(GroupKey { pilot_group: Some("pilot".into()), ..GroupKey::default() });
        assert_eq!(pattern.is_withheld(by("pilot_group"), &pilot, Question::Nps), None);
    }

    /// An optional question few answered in one week: its complement is withheld for that
    /// question alone.
    #[test]
    fn complements_are_per_question() {
        let mut w48 = responses(P, "2026-W48", 6);
        for r in &mut w48[..3] {
            r.answers.preference = None;
        }
        let f = facts([responses(P, "2026-W47", 6), w48, responses(P, "2026-W49", 7)]);
        let d = Disclosure::of(&f);
        let status = |w, q| d.is_withheld(by("office,week"), &office_week(P, w), q);
        assert_eq!(status("2026-W48", Question::Preference), Some(fewer_answers()));
        assert_eq!(status("2026-W47", Question::Preference), Some(complementary()));
        assert_eq!(status("2026-W49", Question::Preference), None);
        for q in
            [Question::Nps, Question::Csat, Question::Ces, Question::ChannelsKnown, Question::CouldOnline]
        {
            assert_eq!([status("2026-W47", q), status("2026-W48", q)], [None, None], "{q:?}");
        }
    }

    fn pilot_office(start: NaiveDate) -> Vec<OfficeFact> {
        vec![OfficeFact { id: P, pilot_group: "pilot".into(), pilot_start: Some(start) }]
    }

    /// Pilot office P starting on `start`, with so many responses in each week.
    fn pilot_weeks(weeks: &[(&str, usize)], start: NaiveDate) -> Facts {
        let mut f = facts(weeks.iter().map(|(w, n)| responses(P, w, *n)));
        f.offices = pilot_office(start);
        f
    }

    /// Before = W45 + W46 and W46 is withheld: with the weeks shown, W45 is withheld too.
    #[test]
    fn a_comparison_side_is_a_sum_of_weeks() {
        let weeks = [("2026-W45", 7), ("2026-W46", 3), ("2026-W47", 6), ("2026-W48", 6)];
        let f = pilot_weeks(&weeks, week("2026-W47").monday());
        let d = Disclosure::of(&f);
        assert_eq!(
            d.is_withheld(by("office,week"), &office_week(P, "2026-W45"), Question::Nps),
            Some(complementary())
        );
        let before = d.is_withheld(Family::BeforeAfter(P), &CellKey::Side(BEFORE), Question::Nps);
        assert_eq!(before, None, "the side itself (10 responses) is shown");
    }

    /// The switch week is on neither side, so office − before − after gives it: with it
    /// withheld, one more cell of that sum is. Here the office total (one cell mends both
    /// that sum and the office's weeks); the sides stay shown.
    #[test]
    fn the_switch_week_stays_withheld() {
        let start = week("2026-W47").monday() + chrono::Duration::days(2);
        let weeks = [("2026-W45", 6), ("2026-W46", 6), ("2026-W47", 3), ("2026-W48", 6), ("2026-W49", 7)];
        let f = pilot_weeks(&weeks, start);
        let d = Disclosure::of(&f);
        let side = |s| d.is_withheld(Family::BeforeAfter(P), &CellKey::Side(s), Question::Nps);
        assert_eq!((side(BEFORE), side(AFTER)), (None, None));
        assert_eq!(d.is_withheld(by("office"), &office(P), Question::Nps), Some(complementary()));
        assert_eq!(
            d.is_withheld(by(""), &CellKey::Group(GroupKey::default()), Question::Nps),
            Some(complementary())
        );
        // The difference-in-differences splits at the same start.
        assert_eq!(pilot_group_start(&f.offices), Some(start));
        assert_eq!(did_side("pilot", week("2026-W47"), start), None);
        assert_eq!(did_side("control", week("2026-W46"), start), Some(CONTROL_BEFORE));
        assert_eq!(did_side("pilot", week("2026-W48"), start), Some(PILOT_AFTER));
        assert_eq!(did_side("reference", week("2026-W48"), start), None);
    }

    /// When the cheapest cell to withhold is a comparison's side (here "before" is the one
    /// week W46), the comparison says so.
    #[test]
    fn a_comparison_names_the_side_withheld_as_a_complement() {
        let weeks = [("2026-W46", 6), ("2026-W47", 3), ("2026-W48", 20)];
        let f = pilot_weeks(&weeks, week("2026-W47").monday() + chrono::Duration::days(2));
        let c = compare(&f, week("2026-W46").monday(), week("2026-W49").monday());
        let nps = c.before_after[0].compared.measures.iter().find(|m| m.measure == "nps").unwrap();
        assert_eq!(nps.withheld, Some(format!("before: {}", complementary())));
        let d = Disclosure::of(&f);
        assert_eq!(
            d.is_withheld(by("office,week"), &office_week(P, "2026-W46"), Question::Ces),
            Some(complementary())
        );
        assert_eq!(d.is_withheld(by("office,week"), &office_week(P, "2026-W48"), Question::Ces), None);
    }

    #[test]
    fn every_questionnaire_measure_has_its_question() {
        use super::super::measures::{self, Kind};
        for m in measures::all() {
            let questionnaire = matches!(m.kind, Kind::AnswerRate(_) | Kind::Mean(_) | Kind::Nps);
            assert_eq!(Question::of_measure(&m.name).is_some(), questionnaire, "{}", m.name);
        }
    }

    #[test]
    fn cells_without_responses_and_other_families() {
        let f = facts([responses(P, "2026-W47", 6)]);
        let d = Disclosure::of(&f);
        assert_eq!(d.is_withheld(by("office"), &office(C), Question::Nps), Some(fewer_responses()));
        assert_eq!(
            d.is_withheld(Family::DifferenceInDifferences, &CellKey::Side(PILOT_AFTER), Question::Nps),
            Some(fewer_responses())
        );
        assert_eq!(d.is_withheld(by("office"), &office(P), Question::Nps), None);
    }

    /// Whether the indicator of `target` (a set of grain cells) is a linear combination of
    /// `known` ones: Gaussian elimination, written apart from the union-find above.
    fn in_span(known: &[Vec<f64>], target: &[f64]) -> bool {
        let mut basis: Vec<(usize, Vec<f64>)> = Vec::new();
        let reduce = |v: &mut Vec<f64>, basis: &[(usize, Vec<f64>)]| {
            for (pivot, b) in basis {
                let k = v[*pivot];
                if k != 0.0 {
                    v.iter_mut().zip(b).for_each(|(x, y)| *x -= k * y);
                }
            }
        };
        for row in known {
            let mut v = row.clone();
            reduce(&mut v, &basis);
            if let Some(p) = v.iter().position(|x| x.abs() > 1e-9) {
                let k = v[p];
                v.iter_mut().for_each(|x| *x /= k);
                for (_, b) in basis.iter_mut() {
                    let m = b[p];
                    if m != 0.0 {
                        b.iter_mut().zip(&v).for_each(|(x, y)| *x -= m * y);
                    }
                }
                basis.push((p, v));
            }
        }
        let mut t = target.to_vec();
        reduce(&mut t, &basis);
        t.iter().all(|x| x.abs() < 1e-9)
    }

    fn arbitrary_responses() -> impl Strategy<Value = Facts> {
        let office = prop::sample::select(vec![P, C]);
        let topic = prop::sample::select(vec![T1, super::super::fixtures::T2]);
        let channel = prop::sample::select(vec![Channel::Office, Channel::Phone]);
        let w = prop::sample::select(vec!["2026-W47", "2026-W48", "2026-W49"]);
        let one = (office, topic, channel, w, 1usize..6).prop_map(|(o, t, c, w, n)| {
            (0..n).map(|_| response(o, t, c, w, (4, 9, 6, "appointment", &[], "yes"))).collect::<Vec<_>>()
        });
        // P switches on the Monday or the Wednesday of W48.
        (prop::collection::vec(one, 1..12), prop::sample::select(vec![0i64, 2])).prop_map(|(r, days)| {
            let mut f = facts(r);
            f.offices = pilot_office(week("2026-W48").monday() + chrono::Duration::days(days));
            f
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        /// For random networks and every pair of families (the 32 groupings, pilot against
        /// control, P before and after), no withheld cell's set of responses is a
        /// combination of the pair's shown cells — and, beside a comparison, of the shown
        /// cells by office, pilot group and week holding the responses it leaves out.
        #[test]
        fn no_pair_of_families_spans_a_withheld_cell(f in arbitrary_responses()) {
            let d = Disclosure::of(&f);
            let mut grain: Vec<Grain> = f.responses.iter().map(grain_of).collect();
            grain.sort();
            grain.dedup();
            let start = f.offices[0].pilot_start.unwrap();
            let leftover = GroupBy::parse("office,pilot_group,week").unwrap();
            let mut families: Vec<Family> = GroupBy::all().map(Family::Grouping).collect();
            families.extend([Family::PilotVsControl, Family::BeforeAfter(P)]);
            // Each family's cells as indicator vectors over the grain, and whether shown.
            let cells = |family: Family| {
                let mut out: BTreeMap<String, (CellKey, Vec<f64>)> = BTreeMap::new();
                for (i, (o, p, t, c, w)) in grain.iter().enumerate() {
                    let key = match family {
                        Family::Grouping(g) => Some(CellKey::Group(g.key(*o, p, Some(*t), *c, Some(*w)).unwrap())),
                        Family::PilotVsControl => Some(CellKey::Side(if p == "pilot" { PILOT } else { CONTROL })),
                        Family::BeforeAfter(office) => {
                            (*o == office).then(|| before_after_side(*w, start)).flatten().map(CellKey::Side)
                        }
                        Family::DifferenceInDifferences => None,
                    };
                    if let Some(key) = key {
                        let entry = out.entry(format!("{key:?}")).or_insert_with(|| (key, vec![0.0; grain.len()]));
                        entry.1[i] = 1.0;
                    }
                }
                out.into_values().map(|(key, v)| (d.is_withheld(family, &key, Question::Nps).is_none(), v)).collect::<Vec<_>>()
            };
            let by_leftover = cells(Family::Grouping(leftover));
            for (i, &f1) in families.iter().enumerate() {
                for &f2 in &families[i + 1..] {
                    let (mut known, mut hidden) = (Vec::new(), Vec::new());
                    let mut sides = Vec::new();
                    for family in [f1, f2] {
                        for (shown, v) in cells(family) {
                            if !matches!(family, Family::Grouping(_)) {
                                sides.push(v.clone());
                            }
                            if shown { known.push(v) } else { hidden.push(v) }
                        }
                    }
                    // What a comparison leaves out, by office, pilot group and week.
                    let apart = |v: &Vec<f64>| sides.iter().all(|s| s.iter().zip(v).all(|(a, b)| a * b == 0.0));
                    if !sides.is_empty() {
                        known.extend(by_leftover.iter().filter(|(shown, v)| *shown && apart(v)).map(|(_, v)| v.clone()));
                    }
                    for h in &hidden {
                        prop_assert!(!in_span(&known, h), "{:?} and {:?}", f1, f2);
                    }
                }
            }
        }
    }
}
