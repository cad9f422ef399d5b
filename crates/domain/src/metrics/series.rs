//! One measure of a metrics row by its key: what the dashboard's "measure over time" page
//! draws per week and group. The keys are those of the compared measures, so a measure's
//! page and its line on the dashboard name the same figure.

use super::figures::{Durations, Mean, Rate};
use super::rows::MetricsRow;

/// A figure as one number, what it rests on, and why it is missing when it is withheld.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figure {
    pub value: Option<f64>,
    pub n: Option<u64>,
    pub withheld: Option<String>,
}

impl From<&Rate> for Figure {
    fn from(r: &Rate) -> Self {
        Figure { value: r.value, n: r.denominator, withheld: r.withheld.clone() }
    }
}

impl From<&Mean> for Figure {
    fn from(m: &Mean) -> Self {
        Figure { value: m.value, n: m.n, withheld: m.withheld.clone() }
    }
}

impl From<&Durations> for Figure {
    fn from(d: &Durations) -> Self {
        Figure { value: d.median, n: Some(d.n), withheld: None }
    }
}

/// The figure `key` of `row` (medians for durations); `None` for an unknown key.
pub fn figure(row: &MetricsRow, key: &str) -> Option<Figure> {
    let k = &row.knows_channel;
    Some(match key {
        "self_service" => (&row.self_service).into(),
        "lead_time_hours" => (&row.lead_time_hours).into(),
        "utilisation" => (&row.utilisation).into(),
        "no_show" => (&row.no_show).into(),
        "late_cancellation" => (&row.late_cancellation).into(),
        "punctuality_minutes" => (&row.punctuality_minutes).into(),
        "waiting_minutes" => (&row.waiting_minutes).into(),
        "service_minutes" => (&row.service_minutes).into(),
        "first_contact_resolution" => (&row.first_contact_resolution).into(),
        "channel_substitutable" => (&row.channel_substitutable).into(),
        "walk_in_share" => (&row.walk_in_share).into(),
        "nps" => Figure { value: row.nps.value, n: row.nps.n, withheld: row.nps.withheld.clone() },
        "csat" => (&row.csat).into(),
        "csat_top_box" => (&row.csat_top_box).into(),
        "ces" => (&row.ces).into(),
        "prefers_appointment" => (&row.prefers_appointment).into(),
        "knows_channel_online" => (&k.online).into(),
        "knows_channel_phone" => (&k.phone).into(),
        "knows_channel_partner_point" => (&k.partner_point).into(),
        "knows_channel_chat" => (&k.chat).into(),
        "could_online_yes" => (&row.could_online_yes).into(),
        "could_online_partly" => (&row.could_online_partly).into(),
        "response_rate" => (&row.response_rate).into(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::{compare, compute, GroupBy};
    use super::*;

    /// Every compared measure has a figure, and the figure of the whole period is the
    /// comparison's side.
    #[test]
    fn every_compared_measure_has_its_figure() {
        let f = facts();
        let rows = compute(&f, GroupBy::parse("pilot_group").unwrap());
        let pilot = rows.iter().find(|r| r.group.pilot_group.as_deref() == Some("pilot")).unwrap();
        let c = compare(&f, day(16), day(107));
        for m in &c.pilot_vs_control.measures {
            let fig = figure(pilot, &m.measure).unwrap_or_else(|| panic!("no figure for {}", m.measure));
            if m.withheld.is_none() {
                assert_eq!((fig.value, fig.n), (m.a.value, m.a.n), "{}", m.measure);
            }
        }
        assert_eq!(figure(pilot, "nonsense"), None);
    }
}
