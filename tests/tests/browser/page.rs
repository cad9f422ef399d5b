//! What every page must be, checked in the browser: no axe violations (WCAG 2.1 A and AA),
//! `<html lang>` equal to the path's language, one `h1`, a title (unique among the pages
//! of a language, [`check_pages`]), a skip link that moves the focus to `main`, language
//! links to the same path and query, nothing fetched from another host, no horizontal
//! scrolling at 320 CSS px and a visible focus on every control reached by Tab.

use super::session::{Key, Session, DESKTOP, MAX_TABS};
use super::LANGS;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The axe-core release vendored in `tests/browser/` (see its README.md).
pub const AXE_VERSION: &str = "4.14.1";
/// The rules axe runs: WCAG 2.0 and 2.1, levels A and AA.
pub const AXE_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
/// `axe.min.js` of that release, injected into each page.
const AXE_SOURCE: &str = include_str!("../../browser/axe.min.js");
/// The width at which a page must not scroll sideways (WCAG 1.4.10 Reflow).
pub const NARROW: (u32, u32) = (320, 640);

/// What a checked page turned out to be.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The address as the browser shows it.
    pub url: String,
    pub lang: String,
    pub title: String,
    pub h1: String,
    /// Where the page's links lead on this server (without fragments, each once); a
    /// link within the page must have its target (checked here).
    pub links: Vec<String>,
}

/// Checks the page at `url` (under `/{lang}/…`) in `session`, which must have
/// JavaScript on (axe runs in the page); panics listing every problem found. The page is
/// loaded anew several times, so `url` must be one a GET can show again.
pub fn check_page(session: &Session, url: &str) -> Checked {
    let (checked, problems) = inspect(session, url, &|s: &Session| s.goto(url));
    assert!(problems.is_empty(), "{}", report(&problems));
    checked
}

/// Checks each of `urls` (pages of one language) with [`check_page`], and that no two
/// have the same title; panics listing every problem on every page.
pub fn check_pages(session: &Session, urls: &[String]) -> Vec<Checked> {
    let mut checker = Checker::new(session);
    for url in urls {
        checker.url(url);
    }
    checker.finish()
}

/// [`check_pages`] for pages met on the way through a flow: each is checked when the
/// flow has reached it, by its URL ([`Checker::url`]) or, for a page that only a form's
/// answer shows (a page with errors, "request received"), by the steps that show it
/// ([`Checker::reached`]); [`Checker::finish`] then panics listing every problem of
/// every page, and any title two pages share.
pub struct Checker<'s> {
    session: &'s Session,
    checked: Vec<Checked>,
    problems: Vec<String>,
    titles: BTreeMap<String, String>,
}

impl<'s> Checker<'s> {
    /// `session` must have JavaScript on (see [`check_page`]).
    pub fn new(session: &'s Session) -> Self {
        Checker { session, checked: Vec::new(), problems: Vec::new(), titles: BTreeMap::new() }
    }

    /// Checks the page at `url`, which a GET shows again each time.
    pub fn url(&mut self, url: &str) -> Checked {
        self.reached(url, |s| s.goto(url))
    }

    /// Checks the page that `reach` shows; `reach` runs each time the page must be
    /// loaded afresh (three times: the checks, the skip link, the walk with Tab), so it
    /// must show the same page each time (e.g. open a form and submit it). `what` names
    /// it in the problems.
    pub fn reached(&mut self, what: &str, reach: impl Fn(&Session)) -> Checked {
        let (checked, found) = inspect(self.session, what, &reach);
        self.problems.extend(found);
        if let Some(first) = self.titles.get(&checked.title) {
            self.problems.push(format!("{}: the same title {:?} as {first}", checked.url, checked.title));
        } else {
            self.titles.insert(checked.title.clone(), checked.url.clone());
        }
        self.checked.push(checked.clone());
        checked
    }

    /// Panics listing every problem found; else the pages checked, in order.
    pub fn finish(self) -> Vec<Checked> {
        assert!(self.problems.is_empty(), "{}", report(&self.problems));
        self.checked
    }
}

fn report(problems: &[String]) -> String {
    format!("{} problem(s):\n{}", problems.len(), problems.join("\n"))
}

/// Everything [`check_page`] checks, as a list of problems (each naming the page).
/// `reach` shows the page (`what` names it where no page could be shown).
fn inspect(session: &Session, what: &str, reach: &dyn Fn(&Session)) -> (Checked, Vec<String>) {
    assert!(
        session.has_javascript(),
        "check_page needs a Session::with_javascript(): axe never finishes where the page's \
         JavaScript is off; open the same URL ({what}) in a second session with JavaScript"
    );
    let mut problems = Vec::new();
    session.set_viewport(DESKTOP.0, DESKTOP.1);
    reach(session);
    let facts = session.execute(FACTS, vec![]);
    let here = facts["href"].as_str().unwrap_or_default().to_owned();
    let mut problem = |what: String| problems.push(format!("{here}: {what}"));

    let page = url::Url::parse(&here).unwrap_or_else(|e| panic!("the browser shows {here:?}: {e}"));
    let path_lang = page.path().split('/').nth(1).unwrap_or_default().to_owned();
    if !LANGS.contains(&path_lang.as_str()) {
        problem(format!("the path is not under /{{lang}}/ for any of {LANGS:?}"));
    }
    let lang = facts["lang"].as_str().unwrap_or_default().to_owned();
    if lang != path_lang {
        problem(format!("<html lang={lang:?}>, but the path's language is {path_lang:?}"));
    }
    let h1: Vec<&str> = facts["h1"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    if h1.len() != 1 {
        problem(format!("{} h1 elements, not one: {h1:?}", h1.len()));
    }
    let title = facts["title"].as_str().unwrap_or_default().trim().to_owned();
    if title.is_empty() {
        problem("no title".to_owned());
    }
    for entry in facts["foreign"].as_array().into_iter().flatten() {
        problem(format!("{} from another origin than {}: {}", entry[0], facts["origin"], entry[1]));
    }
    language_links(&page, &path_lang, &facts["languageNavs"], &mut problem);
    axe(session, &mut problem);
    skip_link(session, reach, &mut problem);
    focus_visible(session, reach, &mut problem);
    reflow(session, &mut problem);
    session.set_viewport(DESKTOP.0, DESKTOP.1);

    let mut links: Vec<String> = Vec::new();
    for link in facts["links"].as_array().into_iter().flatten() {
        let (written, href) = (link[0].as_str().unwrap_or_default(), link[1].as_str().unwrap_or_default());
        if let Some(id) = written.strip_prefix('#') {
            let found =
                session.execute("return document.getElementById(arguments[0]) !== null", vec![json!(id)]);
            if found != Value::Bool(true) {
                problems.push(format!("{here}: a link to {written:?}, which is no element's id"));
            }
            continue;
        }
        match url::Url::parse(href) {
            Ok(mut to) if to.origin() == page.origin() => {
                to.set_fragment(None);
                if !links.contains(&to.to_string()) {
                    links.push(to.to_string());
                }
            }
            Ok(_) => {}
            Err(e) => problems.push(format!("{here}: the link {written:?}: {e}")),
        }
    }
    let h1 = h1.first().copied().unwrap_or_default().to_owned();
    (Checked { url: here, lang, title, h1, links }, problems)
}

/// What one script reads from the loaded page.
const FACTS: &str = r#"
const origin = location.origin;
const urls = [];
const add = (what, u) => { if (u) urls.push([what, u]); };
for (const e of document.querySelectorAll('link[href]')) add('<link rel=' + e.rel + '>', e.href);
for (const e of document.querySelectorAll(
  'script[src], img[src], iframe[src], frame[src], embed[src], audio[src], video[src], source[src], track[src], input[type=image][src]'))
  add('<' + e.localName + ' src>', e.src);
for (const e of document.querySelectorAll('[srcset]'))
  for (const part of e.srcset.split(',')) {
    const u = part.trim().split(/\s+/)[0];
    if (u) add('<' + e.localName + ' srcset>', new URL(u, document.baseURI).href);
  }
for (const e of document.querySelectorAll('object[data]')) add('<object data>', e.data);
for (const e of document.querySelectorAll('video[poster]')) add('<video poster>', e.poster);
for (const e of performance.getEntriesByType('navigation')) add('the page itself', e.name);
for (const e of performance.getEntriesByType('resource')) add('fetched (' + e.initiatorType + ')', e.name);
const foreign = urls.filter(([, u]) => { try { return new URL(u).origin !== origin; } catch (_) { return true; } });
const navs = [...document.querySelectorAll('nav')].filter(n => n.querySelector('[hreflang]'));
return {
  origin,
  href: location.href,
  lang: document.documentElement.getAttribute('lang'),
  title: document.title,
  h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()),
  foreign,
  links: [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.href]),
  languageNavs: navs.map(n => ({
    label: n.getAttribute('aria-label') || '',
    links: [...n.querySelectorAll('a')].map(a => ({
      hreflang: a.getAttribute('hreflang'),
      href: a.href,
      current: a.getAttribute('aria-current'),
      text: a.textContent.trim(),
    })),
    current: [...n.querySelectorAll('[aria-current]')].map(c => ({
      value: c.getAttribute('aria-current'),
      lang: c.getAttribute('hreflang') || c.getAttribute('lang'),
      text: c.textContent.trim(),
    })),
  })),
};
"#;

/// One `nav` with an `aria-label` holding a link with `hreflang` to this very page (same
/// path after the language, same query) in each other language, and the current language
/// marked `aria-current="page"`.
fn language_links(page: &url::Url, lang: &str, navs: &Value, problem: &mut impl FnMut(String)) {
    let navs = navs.as_array().cloned().unwrap_or_default();
    let [nav] = navs.as_slice() else {
        problem(format!("{} navs with hreflang links, not one", navs.len()));
        return;
    };
    if nav["label"].as_str().unwrap_or_default().trim().is_empty() {
        problem("the language nav has no aria-label".to_owned());
    }
    let rest = page.path().get(1 + lang.len()..).unwrap_or_default();
    let links = nav["links"].as_array().cloned().unwrap_or_default();
    for other in LANGS.iter().filter(|l| **l != lang) {
        let to: Vec<&Value> = links.iter().filter(|l| l["hreflang"] == *other).collect();
        let [link] = to.as_slice() else {
            problem(format!("{} language links with hreflang={other}, not one", to.len()));
            continue;
        };
        let href = link["href"].as_str().unwrap_or_default();
        let mut expected = page.clone();
        expected.set_path(&format!("/{other}{rest}"));
        expected.set_fragment(None);
        match url::Url::parse(href) {
            Ok(mut got) => {
                got.set_fragment(None);
                if got != expected {
                    problem(format!("the {other} link goes to {got}, not to {expected}"));
                }
            }
            Err(e) => problem(format!("the {other} link's href {href:?}: {e}")),
        }
    }
    let current: Vec<&Value> = nav["current"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["value"] == "page" || c["value"] == "true")
        .collect();
    match current.as_slice() {
        [one] if one["lang"] == lang => {}
        [one] => problem(format!("aria-current marks {one}, not the {lang} page")),
        _ => problem(format!("{} language entries with aria-current, not one", current.len())),
    }
}

/// Injects axe-core and runs it with [`AXE_TAGS`]; each violation is a problem naming
/// the rule, its impact and every element it found.
fn axe(session: &Session, problem: &mut impl FnMut(String)) {
    session.execute(AXE_SOURCE, vec![]);
    let result = session.execute(
        r#"
        return axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
          .then(r => ({
            version: axe.version,
            violations: r.violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
              nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary })),
            })),
          }), e => ({ error: String(e) }));
        "#,
        vec![json!(AXE_TAGS)],
    );
    if let Some(error) = result["error"].as_str() {
        problem(format!("axe failed: {error}"));
        return;
    }
    assert_eq!(result["version"], AXE_VERSION, "the vendored axe.min.js is not the pinned release");
    for v in result["violations"].as_array().into_iter().flatten() {
        let mut text = format!(
            "axe {} ({}): {} <{}>",
            v["id"].as_str().unwrap_or_default(),
            v["impact"].as_str().unwrap_or("no impact given"),
            v["help"].as_str().unwrap_or_default(),
            v["helpUrl"].as_str().unwrap_or_default(),
        );
        for node in v["nodes"].as_array().into_iter().flatten() {
            text.push_str(&format!(
                "\n    at {}: {}\n      {}",
                node["target"],
                node["html"].as_str().unwrap_or_default(),
                node["summary"].as_str().unwrap_or_default().replace('\n', "\n      "),
            ));
        }
        problem(text);
    }
}

/// Describes the focused element for the scripts below.
const FOCUSED: &str = r#"
const e = document.activeElement;
if (!e || e === document.body || e === document.documentElement) return null;
const s = getComputedStyle(e);
const r = e.getBoundingClientRect();
// The same number for the same element on every call, so a walk knows where it started.
const seen = window.__aukioloFocused || (window.__aukioloFocused = []);
if (!seen.includes(e)) seen.push(e);
const name = (e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].textContent) || e.textContent || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 60);
return {
  index: seen.indexOf(e),
  what: '<' + e.localName + (e.id ? '#' + e.id : '') + (e.className ? '.' + [...e.classList].join('.') : '') + '> ' + JSON.stringify(name),
  skip: e.matches('a.skip-link'),
  main: e.matches('main#main'),
  outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? s.outlineStyle + ' ' + s.outlineWidth : null,
  shadow: s.boxShadow !== 'none' ? s.boxShadow : null,
  onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
  hash: location.hash,
};
"#;

/// The first Tab of a fresh page reaches `a.skip-link`; Enter on it moves the focus to
/// `main#main`.
fn skip_link(session: &Session, reach: &dyn Fn(&Session), problem: &mut impl FnMut(String)) {
    reach(session);
    session.tab();
    let first = session.execute(FOCUSED, vec![]);
    if first["skip"] != true {
        problem(format!("the first Tab reaches {}, not a.skip-link", describe(&first)));
        return;
    }
    if first["onScreen"] != true {
        problem("the focused skip link is not on screen".to_owned());
    }
    session.press(Key::Enter);
    // Following the link within the page may finish just after the key press returns.
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut after = session.execute(FOCUSED, vec![]);
    while after["main"] != true && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        after = session.execute(FOCUSED, vec![]);
    }
    if after["main"] != true {
        problem(format!("the skip link moves the focus to {}, not to main#main", describe(&after)));
    }
}

/// Tabs through the whole page from the top: every control it reaches shows a focus
/// indicator (a computed outline or box-shadow) and is on screen, and it reaches every
/// visible control that is in the tab order (a radio group counting once).
fn focus_visible(session: &Session, reach: &dyn Fn(&Session), problem: &mut impl FnMut(String)) {
    reach(session);
    let tabbable = session.execute(
        r#"
        const stops = new Set();
        for (const e of document.querySelectorAll('a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable=""], [contenteditable=true]')) {
          if (e.tabIndex < 0 || e.disabled || e.closest('[inert]') || e.type === 'hidden'
              || getComputedStyle(e).visibility === 'hidden' || e.getClientRects().length === 0) continue;
          // A group of radio buttons is one stop: Tab enters it, the arrow keys move within.
          stops.add(e.type === 'radio' && e.name ? 'radio ' + (e.form ? [...document.forms].indexOf(e.form) : '') + ' ' + e.name : e);
        }
        return stops.size;
        "#,
        vec![],
    );
    let mut seen: Vec<(Value, String)> = Vec::new();
    for _ in 0..MAX_TABS {
        session.tab();
        let now = session.execute(FOCUSED, vec![]);
        if now.is_null() {
            // Past the last control (the focus left the page); the next Tab starts over.
            break;
        }
        let what = describe(&now);
        if seen.iter().any(|(index, _)| *index == now["index"]) {
            break;
        }
        if now["outline"].is_null() && now["shadow"].is_null() {
            problem(format!("no visible focus (outline none or 0, no box-shadow) on {what}"));
        }
        if now["onScreen"] != true {
            problem(format!("the focused {what} is not on screen"));
        }
        seen.push((now["index"].clone(), what));
    }
    let tabbable = tabbable.as_u64().unwrap_or(0);
    if (seen.len() as u64) < tabbable {
        let reached: Vec<&str> = seen.iter().map(|(_, what)| what.as_str()).collect();
        problem(format!(
            "Tab reached {} of the {tabbable} controls in the tab order: {reached:?}",
            seen.len()
        ));
    }
}

/// At a viewport 320 CSS px wide the page does not scroll sideways; the problem names
/// the elements that stick out.
fn reflow(session: &Session, problem: &mut impl FnMut(String)) {
    session.set_viewport(NARROW.0, NARROW.1);
    let wide = session.execute(
        r#"
        const root = document.documentElement;
        const width = root.clientWidth;
        if (root.scrollWidth <= width) return null;
        const out = [...document.body.querySelectorAll('*')]
          .filter(e => e.getBoundingClientRect().right > width + 0.5)
          .map(e => '<' + e.localName + (e.className ? '.' + [...e.classList].join('.') : '') + '>')
          .slice(0, 10);
        return { scrollWidth: root.scrollWidth, width, out };
        "#,
        vec![],
    );
    if !wide.is_null() {
        problem(format!(
            "scrolls sideways at {} CSS px: {} px wide in a {} px viewport (without scrollbar); wider: {}",
            NARROW.0, wide["scrollWidth"], wide["width"], wide["out"]
        ));
    }
}

fn describe(focused: &Value) -> String {
    match focused["what"].as_str() {
        Some(what) => what.to_owned(),
        None => "nothing (the body)".to_owned(),
    }
}
