//! Charts as inline SVG drawn here on the server: a forest plot of differences with their
//! intervals, and a weekly series of two groups with the pilot start marked.
//!
//! Small hand-written SVG rather than a plotting crate: the charts need a `role="img"`
//! with `<title>` and `<desc>`, presentation attributes instead of inline styles (the CSP
//! has no `'unsafe-inline'`), numbers in the page's language and no font files on the
//! server, and two kinds of chart are a few dozen lines each. Every chart is followed on
//! its page by a table of the same numbers; the chart never holds a number the table
//! lacks, and a withheld figure is missing from both.

use std::fmt::Write;

/// Text for SVG content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// What every chart says about itself.
pub struct Label<'a> {
    /// Unique on the page: the ids of its title and description derive from it.
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

fn open(out: &mut String, label: &Label, width: f64, height: f64) {
    let id = escape(label.id);
    let _ = write!(
        out,
        r#"<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(label.title),
        escape(label.desc),
    );
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, content: &str) {
    let _ = write!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" class="{class}" font-size="13" fill="currentColor">{}</text>"#,
        escape(content)
    );
}

fn line(out: &mut String, (x1, y1): (f64, f64), (x2, y2): (f64, f64), class: &str, dashed: bool) {
    let dash = if dashed { r#" stroke-dasharray="5 4""# } else { "" };
    let _ = write!(
        out,
        r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" class="{class}" stroke="currentColor" stroke-width="1.5"{dash}/>"#
    );
}

/// A linear scale from `[low, high]` onto `[from, to]` pixels.
#[derive(Clone, Copy)]
struct Scale {
    low: f64,
    high: f64,
    from: f64,
    to: f64,
}

impl Scale {
    /// Covering every value and zero, with a little room at both ends.
    fn around(values: impl Iterator<Item = f64>, from: f64, to: f64) -> Scale {
        let (mut low, mut high) = (0.0f64, 0.0f64);
        for v in values {
            low = low.min(v);
            high = high.max(v);
        }
        if high - low < 1e-9 {
            high += 1.0;
        }
        let pad = (high - low) * 0.05;
        Scale { low: low - pad, high: high + pad, from, to }
    }

    fn at(&self, v: f64) -> f64 {
        self.from + (v - self.low) / (self.high - self.low) * (self.to - self.from)
    }
}

/// One row of a forest plot: an estimate and its interval, any of them missing.
pub struct ForestRow {
    pub label: String,
    pub estimate: Option<f64>,
    pub interval: Option<(f64, f64)>,
}

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 230.0;
const ROW: f64 = 30.0;

/// A forest plot: one row per measure, the estimate as a square, the interval as a line
/// and the line of no difference at zero. `tick` writes the axis' end values.
pub fn forest(label: &Label, rows: &[ForestRow], tick: &dyn Fn(f64) -> String) -> String {
    let height = ROW * rows.len() as f64 + 40.0;
    let values = rows.iter().flat_map(|r| {
        r.estimate.into_iter().chain(r.interval.into_iter().flat_map(|(low, high)| [low, high]))
    });
    let x = Scale::around(values, LABEL_WIDTH + 10.0, WIDTH - 20.0);
    let mut out = String::new();
    open(&mut out, label, WIDTH, height);
    let bottom = ROW * rows.len() as f64 + 8.0;
    line(&mut out, (x.at(0.0), 4.0), (x.at(0.0), bottom), "chart-zero", true);
    line(&mut out, (x.from, bottom), (x.to, bottom), "chart-axis", false);
    text(&mut out, x.from, bottom + 20.0, "start", "chart-tick", &tick(x.low));
    text(&mut out, x.at(0.0), bottom + 20.0, "middle", "chart-tick", &tick(0.0));
    text(&mut out, x.to, bottom + 20.0, "end", "chart-tick", &tick(x.high));
    for (i, r) in rows.iter().enumerate() {
        let y = ROW * i as f64 + ROW / 2.0 + 4.0;
        text(&mut out, LABEL_WIDTH, y + 4.0, "end", "chart-label", &r.label);
        if let Some((low, high)) = r.interval {
            line(&mut out, (x.at(low), y), (x.at(high), y), "chart-interval", false);
        }
        if let Some(e) = r.estimate {
            let _ = write!(
                out,
                r#"<rect x="{:.1}" y="{:.1}" width="9" height="9" class="chart-point" fill="currentColor"/>"#,
                x.at(e) - 4.5,
                y - 4.5
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// One group's weekly values; `None` where a week has no value (or it is withheld), which
/// leaves a gap in the line.
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
    /// Drawn dashed with square markers, so the two groups differ by more than colour.
    pub dashed: bool,
}

/// Weekly series over the weeks labelled `weeks`, with a marked line before week index
/// `marker` (the pilot start) and its label.
pub fn weekly(
    label: &Label,
    weeks: &[String],
    series: &[Series],
    marker: Option<(usize, &str)>,
    tick: &dyn Fn(f64) -> String,
) -> String {
    let height = 300.0;
    let (left, right, top, bottom) = (70.0, WIDTH - 20.0, 30.0, height - 60.0);
    let values = series.iter().flat_map(|s| s.values.iter().flatten().copied());
    let y = Scale::around(values, bottom, top);
    let step = if weeks.len() > 1 { (right - left) / (weeks.len() - 1) as f64 } else { 0.0 };
    let x = |i: usize| left + step * i as f64;
    let mut out = String::new();
    open(&mut out, label, WIDTH, height);
    line(&mut out, (left, bottom), (right, bottom), "chart-axis", false);
    line(&mut out, (left, top), (left, bottom), "chart-axis", false);
    for v in [y.low, 0.0, y.high] {
        text(&mut out, left - 6.0, y.at(v) + 4.0, "end", "chart-tick", &tick(v));
    }
    let every = weeks.len().div_ceil(6).max(1);
    for (i, w) in weeks.iter().enumerate().filter(|(i, _)| i % every == 0) {
        text(&mut out, x(i), bottom + 20.0, "middle", "chart-tick", w);
    }
    if let Some((index, name)) = marker {
        let at = x(index) - step / 2.0;
        line(&mut out, (at, top - 10.0), (at, bottom), "chart-marker", true);
        text(&mut out, at + 4.0, top - 14.0, "start", "chart-label", name);
    }
    for (n, s) in series.iter().enumerate() {
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => runs.last_mut().map(|r| r.push((x(i), y.at(*v)))).unwrap_or_default(),
                None => runs.push(Vec::new()),
            }
        }
        let dash = if s.dashed { r#" stroke-dasharray="6 4""# } else { "" };
        for run in runs.iter().filter(|r| r.len() > 1) {
            let points: Vec<String> = run.iter().map(|(px, py)| format!("{px:.1},{py:.1}")).collect();
            let _ = write!(
                out,
                r#"<polyline points="{}" class="chart-series chart-series--{n}" fill="none" stroke="currentColor" stroke-width="2"{dash}/>"#,
                points.join(" ")
            );
        }
        for (px, py) in runs.iter().flatten() {
            if s.dashed {
                let _ = write!(
                    out,
                    r#"<rect x="{:.1}" y="{:.1}" width="8" height="8" class="chart-point" fill="currentColor"/>"#,
                    px - 4.0,
                    py - 4.0
                );
            } else {
                let _ = write!(
                    out,
                    r#"<circle cx="{px:.1}" cy="{py:.1}" r="4" class="chart-point" fill="currentColor"/>"#
                );
            }
        }
        // The legend: the line's pattern beside the group's name.
        let ly = height - 16.0;
        let lx = left + 200.0 * n as f64;
        line(&mut out, (lx, ly - 4.0), (lx + 30.0, ly - 4.0), "chart-series", s.dashed);
        text(&mut out, lx + 36.0, ly, "start", "chart-label", &s.name);
    }
    out.push_str("</svg>");
    out
}

/// Grouped horizontal bars: per category one bar for each group, its value written at its
/// end. The first group's bars are filled, the second's outlined, so they differ by more
/// than colour.
pub fn bars(
    label: &Label,
    categories: &[String],
    groups: &[(String, Vec<Option<f64>>)],
    value: &dyn Fn(f64) -> String,
) -> String {
    let bar = 12.0;
    let block = bar * groups.len() as f64 + 12.0;
    let (left, right, top) = (LABEL_WIDTH + 10.0, WIDTH - 70.0, 10.0);
    let height = top + block * categories.len() as f64 + 30.0;
    let high = groups.iter().flat_map(|(_, v)| v.iter().flatten().copied()).fold(0.0f64, f64::max);
    let x = Scale { low: 0.0, high: if high > 0.0 { high } else { 1.0 }, from: left, to: right };
    let mut out = String::new();
    open(&mut out, label, WIDTH, height);
    let bottom = top + block * categories.len() as f64;
    line(&mut out, (left, top), (left, bottom), "chart-axis", false);
    for (i, name) in categories.iter().enumerate() {
        let y0 = top + block * i as f64 + 6.0;
        text(&mut out, LABEL_WIDTH, y0 + bar * groups.len() as f64 / 2.0 + 4.0, "end", "chart-label", name);
        for (g, (_, values)) in groups.iter().enumerate() {
            let Some(v) = values.get(i).copied().flatten() else { continue };
            let y = y0 + bar * g as f64;
            let fill = if g == 0 { "currentColor" } else { "none" };
            let _ = write!(
                out,
                r#"<rect x="{left:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" class="chart-bar chart-bar--{g}" fill="{fill}" stroke="currentColor"/>"#,
                (x.at(v) - left).max(0.5),
                bar - 2.0
            );
            text(&mut out, x.at(v) + 4.0, y + bar - 3.0, "start", "chart-tick", &value(v));
        }
    }
    for (g, (name, _)) in groups.iter().enumerate() {
        let lx = left + 200.0 * g as f64;
        let fill = if g == 0 { "currentColor" } else { "none" };
        let _ = write!(
            out,
            r#"<rect x="{lx:.1}" y="{:.1}" width="20" height="10" fill="{fill}" stroke="currentColor"/>"#,
            bottom + 12.0
        );
        text(&mut out, lx + 26.0, bottom + 21.0, "start", "chart-label", name);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label() -> Label<'static> {
        Label { id: "c1", title: "NPS & more", desc: "Pilot <minus> control" }
    }

    #[test]
    fn a_forest_plot_is_an_image_with_title_and_description() {
        let rows = [
            ForestRow { label: "NPS".into(), estimate: Some(5.0), interval: Some((-2.0, 12.0)) },
            ForestRow { label: "Withheld".into(), estimate: None, interval: None },
        ];
        let svg = forest(&label(), &rows, &|v| format!("{v:.0}"));
        assert!(svg.starts_with(r#"<svg class="chart" role="img" aria-labelledby="c1-title c1-desc""#));
        assert!(svg.contains(r#"<title id="c1-title">NPS &amp; more</title>"#));
        assert!(svg.contains(r#"<desc id="c1-desc">Pilot &lt;minus&gt; control</desc>"#));
        assert_eq!(svg.matches("<rect").count(), 1, "no square for the withheld row");
        assert_eq!(svg.matches("chart-interval").count(), 1);
        assert!(!svg.contains("style="), "no inline styles under the CSP");
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn bars_are_filled_and_outlined() {
        let categories = vec!["Yes".to_owned(), "No".to_owned()];
        let groups = [
            ("Pilot".to_owned(), vec![Some(60.0), Some(40.0)]),
            ("Control".to_owned(), vec![Some(50.0), None]),
        ];
        let svg = bars(&label(), &categories, &groups, &|v| format!("{v:.0} %"));
        assert_eq!(svg.matches("chart-bar--0").count(), 2);
        assert_eq!(svg.matches("chart-bar--1").count(), 1, "nothing drawn for a missing value");
        assert!(svg.contains(">60 %</text>") && svg.contains(r#"fill="none""#));
    }

    #[test]
    fn a_withheld_week_breaks_the_line() {
        let weeks: Vec<String> = (1..=5).map(|w| format!("W{w}")).collect();
        let series = [
            Series {
                name: "Pilot".into(),
                values: vec![Some(1.0), Some(2.0), None, Some(3.0), Some(4.0)],
                dashed: false,
            },
            Series { name: "Control".into(), values: vec![Some(2.0); 5], dashed: true },
        ];
        let svg = weekly(&label(), &weeks, &series, Some((2, "Pilot start")), &|v| format!("{v:.1}"));
        // Pilot: two runs of two; control: one run.
        assert_eq!(svg.matches("<polyline").count(), 3);
        assert_eq!(svg.matches("<circle").count(), 4);
        assert_eq!(svg.matches(r#"<rect x"#).count(), 5);
        assert!(svg.contains("Pilot start"));
    }
}
