//! One browser session: a fresh Chromium profile, JavaScript on or off, and blocking
//! helpers for what a person does with a keyboard (Tab to a control by its accessible
//! name, type, choose, submit) and for reading the page.

use super::driver::{chromium, Driver};
use crate::common::DataDir;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::fmt::Display;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use fantoccini::cookies::Cookie;
pub use fantoccini::key::Key;

/// The flags every session starts Chromium with (docs/testing.md); each session adds
/// its own profile, the host rule and the window size.
pub const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
];
/// Every host name fails to resolve except the loopback address the server listens on:
/// a page that needs anything from another host shows it instead of fetching it.
const HOST_RULES: &str = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1";
/// The window a session opens with (CSS px).
pub const DESKTOP: (u32, u32) = (1280, 1024);

/// Starting Chromium and opening the session.
const SESSION_TIMEOUT: Duration = Duration::from_secs(60);
/// Any one WebDriver command (page loads and scripts have 30 s of their own inside it).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);
/// Closing the session when it is dropped.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(20);
/// How many key presses a search for a control may take.
pub const MAX_TABS: usize = 200;
/// How long a page may take to replace the one shown ([`Session::expect_new_page`]).
const NAVIGATION_TIMEOUT: Duration = Duration::from_secs(30);
/// How long [`Session::wait_for`] polls.
const WAIT_TIMEOUT: Duration = Duration::from_secs(10);

/// A browser session; closed (and its profile removed) when dropped.
pub struct Session {
    rt: tokio::runtime::Runtime,
    client: Option<Client>,
    javascript: bool,
    driver: Arc<Driver>,
    // Removed after the session is closed (fields drop after `Drop::drop`).
    _profile: DataDir,
}

/// The control that has the keyboard focus.
#[derive(Clone, Debug)]
pub struct Focused {
    pub element: Element,
    /// `a`, `input`, `button`, … (`body` when nothing is focused)
    pub tag: String,
    /// The accessible name, as the browser computes it for assistive technology.
    pub label: String,
    /// The ARIA role the browser computes (`link`, `button`, `textbox`, `radio`, …).
    pub role: String,
}

impl Focused {
    fn same(&self, other: &Focused) -> bool {
        self.element.element_id() == other.element.element_id()
    }
}

impl Display for Focused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{}> {} {:?}", self.tag, self.role, self.label)
    }
}

impl Session {
    /// JavaScript on, as most citizens' browsers have it.
    pub fn with_javascript() -> Self {
        Session::start(true)
    }

    /// JavaScript off (the Chrome preference
    /// `profile.managed_default_content_settings.javascript = 2`): for driving a flow as
    /// a citizen whose browser runs no script. The page's scripts do not run; short
    /// scripts of the driver's ([`Session::execute`]) still do, but nothing that waits
    /// for the page's event loop: axe never finishes, so [`super::check_page`] needs a
    /// second session with JavaScript on the same URL.
    pub fn without_javascript() -> Self {
        Session::start(false)
    }

    fn start(javascript: bool) -> Self {
        let driver = Driver::shared();
        let profile = DataDir::new();
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| f.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.push(HOST_RULES.to_owned());
        args.push(format!("--window-size={},{}", DESKTOP.0, DESKTOP.1));
        let mut options = json!({ "binary": chromium(), "args": args });
        if !javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let Value::Object(capabilities) = json!({
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "pageLoadStrategy": "normal",
            "timeouts": { "pageLoad": 30_000, "script": 30_000, "implicit": 0 },
        }) else {
            unreachable!("an object literal")
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime for the session");
        // rustls has both ring and aws-lc-rs in this workspace and so no default provider:
        // without one, `ClientBuilder::rustls()` panics (the connection to chromedriver
        // is plain HTTP; the provider is never used).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let connect = async {
            ClientBuilder::rustls()
                .map_err(|e| e.to_string())?
                .capabilities(capabilities)
                .connect(&driver.url)
                .await
                .map_err(|e| e.to_string())
        };
        let client = match rt.block_on(async { tokio::time::timeout(SESSION_TIMEOUT, connect).await }) {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => panic!("cannot open a Chromium session: {e}\nchromedriver:\n{}", driver.log()),
            Err(_) => {
                panic!("no Chromium session within {SESSION_TIMEOUT:?}\nchromedriver:\n{}", driver.log())
            }
        };
        Session { rt, client: Some(client), javascript, driver, _profile: profile }
    }

    /// The fantoccini client, for what the helpers here do not cover (use it with
    /// [`Session::block_on`]).
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("the session is open until dropped")
    }

    /// Runs `future` on this session's runtime, bounded by the command timeout.
    pub fn block_on<T, E: Display>(
        &self,
        what: impl Display,
        future: impl Future<Output = Result<T, E>>,
    ) -> T {
        match self.try_block_on(future) {
            Ok(value) => value,
            Err(e) => {
                let log = self.driver.log();
                let lines: Vec<&str> = log.lines().collect();
                let last = &lines[lines.len().saturating_sub(20)..];
                panic!("{what}: {e}\nchromedriver's last words:\n{}", last.join("\n"))
            }
        }
    }

    fn try_block_on<T, E: Display>(&self, future: impl Future<Output = Result<T, E>>) -> Result<T, String> {
        match self.rt.block_on(async { tokio::time::timeout(COMMAND_TIMEOUT, future).await }) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer from chromedriver within {COMMAND_TIMEOUT:?}")),
        }
    }

    pub fn has_javascript(&self) -> bool {
        self.javascript
    }

    // -----------------------------------------------------------------------------------
    // Navigation and reading

    /// Opens `url` and waits for it to load.
    pub fn goto(&self, url: &str) {
        self.block_on(format!("opening {url}"), self.client().goto(url));
    }

    /// Opens `url`; the browser's error (`net::ERR_NAME_NOT_RESOLVED`, …) if it cannot.
    pub fn try_goto(&self, url: &str) -> Result<(), String> {
        self.try_block_on(self.client().goto(url))
    }

    /// The address of the page now shown.
    pub fn current_url(&self) -> url::Url {
        self.block_on("reading the current URL", self.client().current_url())
    }

    /// The path and query of the page now shown (`/fi/book/time?topic=…`).
    pub fn current_path(&self) -> String {
        let url = self.current_url();
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    pub fn title(&self) -> String {
        self.block_on("reading the title", self.client().title())
    }

    /// The page's HTML as the browser holds it now.
    pub fn source(&self) -> String {
        self.block_on("reading the page source", self.client().source())
    }

    /// Every element matching the CSS selector.
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        self.block_on(format!("finding {css}"), self.client().find_all(Locator::Css(css)))
    }

    /// The one element matching the CSS selector; panics (with the page's address) unless
    /// there is exactly one.
    pub fn find(&self, css: &str) -> Element {
        let mut found = self.find_all(css);
        match found.len() {
            1 => found.remove(0),
            n => panic!("{n} elements match {css:?} on {}, not one", self.current_path()),
        }
    }

    pub fn count(&self, css: &str) -> usize {
        self.find_all(css).len()
    }

    pub fn exists(&self, css: &str) -> bool {
        self.count(css) > 0
    }

    /// The rendered text of the one element matching `css`.
    pub fn text_of(&self, css: &str) -> String {
        let element = self.find(css);
        self.block_on(format!("reading the text of {css}"), element.text())
    }

    /// The rendered texts of every element matching `css`.
    pub fn texts_of(&self, css: &str) -> Vec<String> {
        self.find_all(css)
            .into_iter()
            .map(|e| self.block_on(format!("reading the text of {css}"), e.text()))
            .collect()
    }

    /// An attribute of the one element matching `css`.
    pub fn attr_of(&self, css: &str, attribute: &str) -> Option<String> {
        let element = self.find(css);
        self.block_on(format!("reading {attribute} of {css}"), element.attr(attribute))
    }

    /// Polls (at most 10 s) until an element matches `css`; returns the first.
    pub fn wait_for(&self, css: &str) -> Element {
        let deadline = Instant::now() + WAIT_TIMEOUT;
        loop {
            if let Some(found) = self.find_all(css).into_iter().next() {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "nothing matched {css:?} on {} within {WAIT_TIMEOUT:?}",
                self.current_path()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs `script` in the page (a function body: `arguments`, `return`; a returned
    /// promise is awaited). This is the driver's script, not the page's: it runs even in
    /// a session without JavaScript, where the page's own scripts do not.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.block_on(
            format!("running a script in {}", self.current_path()),
            self.client().execute(script, args),
        )
    }

    /// Sets the window so that the page's viewport is `width` × `height` CSS px
    /// (the viewport is measured and the window corrected if they differ).
    pub fn set_viewport(&self, width: u32, height: u32) {
        let resize =
            |w: u32, h: u32| self.block_on("resizing the window", self.client().set_window_size(w, h));
        resize(width, height);
        let measure = || {
            let inner = self.execute("return [window.innerWidth, window.innerHeight]", vec![]);
            (inner[0].as_i64().unwrap_or(0), inner[1].as_i64().unwrap_or(0))
        };
        let (w, h) = measure();
        if (w, h) != (i64::from(width), i64::from(height)) {
            let outer = |want: u32, got: i64| u32::try_from(2 * i64::from(want) - got).unwrap_or(want);
            resize(outer(width, w), outer(height, h));
        }
        assert_eq!(
            measure().0,
            i64::from(width),
            "the viewport cannot be made {width} CSS px wide (Chromium's minimum window size?)"
        );
    }

    // -----------------------------------------------------------------------------------
    // The keyboard

    /// Presses and releases each key in turn, as a person at a keyboard would.
    pub fn press_keys(&self, keys: &[Key]) {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for key in keys {
            let value = char::from(*key);
            actions = actions.then(KeyAction::Down { value }).then(KeyAction::Up { value });
        }
        self.block_on("pressing keys", self.client().perform_actions(actions));
    }

    pub fn press(&self, key: Key) {
        self.press_keys(&[key]);
    }

    pub fn tab(&self) {
        self.press(Key::Tab);
    }

    pub fn shift_tab(&self) {
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: Key::Shift.into() })
            .then(KeyAction::Down { value: Key::Tab.into() })
            .then(KeyAction::Up { value: Key::Tab.into() })
            .then(KeyAction::Up { value: Key::Shift.into() });
        self.block_on("pressing Shift+Tab", self.client().perform_actions(actions));
    }

    pub fn enter(&self) {
        self.press(Key::Enter);
    }

    pub fn space(&self) {
        self.press_keys(&[Key::Space]);
    }

    /// Types `text` into whatever has the focus, key by key.
    pub fn type_text(&self, text: &str) {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for value in text.chars() {
            actions = actions.then(KeyAction::Down { value }).then(KeyAction::Up { value });
        }
        self.block_on(format!("typing {text:?}"), self.client().perform_actions(actions));
    }

    /// Ctrl+A then Backspace: empties the focused field.
    pub fn clear_focused(&self) {
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: Key::Control.into() })
            .then(KeyAction::Down { value: 'a' })
            .then(KeyAction::Up { value: 'a' })
            .then(KeyAction::Up { value: Key::Control.into() })
            .then(KeyAction::Down { value: Key::Backspace.into() })
            .then(KeyAction::Up { value: Key::Backspace.into() });
        self.block_on("emptying the field", self.client().perform_actions(actions));
    }

    /// What has the keyboard focus now (the `body` when nothing has).
    pub fn focused(&self) -> Focused {
        let element = self.block_on("reading the focused element", self.client().active_element());
        self.describe(element)
    }

    /// Tag, accessible name and role of an element.
    pub fn describe(&self, element: Element) -> Focused {
        let tag = self.block_on("reading a tag name", element.tag_name()).to_lowercase();
        let label = normalise(&self.computed(&element, "computedlabel"));
        let role = self.computed(&element, "computedrole");
        Focused { element, tag, label, role }
    }

    /// WebDriver's "Get Computed Label" / "Get Computed Role": the accessibility tree's
    /// view, which needs no script in the page.
    fn computed(&self, element: &Element, what: &'static str) -> String {
        let command = Computed { element: element.element_id().to_string(), what };
        let value = self.block_on(format!("reading the {what}"), self.client().issue_cmd(command));
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Presses Tab until the focused control's accessible name is `label` (whitespace
    /// normalised), going round the page at most once; returns it. Panics with every
    /// name passed on the way.
    pub fn tab_to(&self, label: &str) -> Focused {
        self.tab_until(&format!("a control named {label:?}"), |f| f.label == normalise(label))
    }

    /// Presses Tab until `wanted` holds for the focused control (at most once round).
    pub fn tab_until(&self, what: &str, mut wanted: impl FnMut(&Focused) -> bool) -> Focused {
        let mut seen: Vec<Focused> = Vec::new();
        for _ in 0..MAX_TABS {
            self.tab();
            let now = self.focused();
            if wanted(&now) {
                return now;
            }
            if seen.iter().any(|s| s.same(&now)) {
                break;
            }
            seen.push(now);
        }
        let passed: Vec<String> = seen.iter().map(|f| format!("  {f}")).collect();
        panic!("Tab never reached {what} on {}; it passed:\n{}", self.current_path(), passed.join("\n"));
    }

    /// Tabs to the text field labelled `label`, empties it and types `value`.
    pub fn fill(&self, label: &str, value: &str) {
        let field = self.tab_to(label);
        assert!(
            matches!(field.tag.as_str(), "input" | "textarea"),
            "{field} on {} is no text field",
            self.current_path()
        );
        self.clear_focused();
        self.type_text(value);
        let now = self.block_on("reading a field's value", field.element.prop("value"));
        assert_eq!(now.as_deref(), Some(value), "typing into {field} on {}", self.current_path());
    }

    /// Signs a staff member in by keyboard on the sign-in page at `url`, whose language is
    /// `lang`.
    pub fn sign_in_staff(&self, url: &str, lang: &str, email: &str, password: &str) {
        let (email_label, password_label, button) = match lang {
            "fi" => ("Sähköposti", "Salasana", "Kirjaudu"),
            "sv" => ("E-post", "Lösenord", "Logga in"),
            _ => ("E-mail", "Password", "Sign in"),
        };
        self.goto(url);
        self.fill(email_label, email);
        self.fill(password_label, password);
        self.submit(button);
    }

    /// Tabs to the drop-down labelled `label` and picks `option` by typing its text, as a
    /// person at the keyboard does.
    pub fn select(&self, label: &str, option: &str) {
        let field = self.tab_to(label);
        assert_eq!(field.tag, "select", "{field} on {} is no drop-down", self.current_path());
        self.type_text(option);
        let now = self.execute("return document.activeElement.selectedOptions[0].textContent", vec![]);
        assert_eq!(
            now.as_str().map(str::trim),
            Some(option),
            "choosing in {field} on {}",
            self.current_path()
        );
    }

    /// Chooses the radio button labelled `label` by keyboard: Tab into its group, then
    /// the arrow keys (which check as they move), as a person without a mouse does.
    pub fn choose(&self, label: &str) {
        let target = self.labelled(label);
        self.choose_control(target, label);
    }

    /// [`Session::choose`] for the (first) radio button of group `name` whose value is
    /// `value` (for a group whose labels repeat, such as the times of a week: "9.00–9.30"
    /// on every day).
    pub fn choose_value(&self, name: &str, value: &str) {
        let css = format!("input[type=radio][name=\"{name}\"][value=\"{value}\"]");
        let Some(target) = self.find_all(&css).into_iter().next() else {
            panic!("no radio {name}={value} on {}", self.current_path())
        };
        let target = self.describe(target);
        self.choose_control(target, &format!("{name}={value}"));
    }

    fn choose_control(&self, target: Focused, label: &str) {
        let target_id = target.element.element_id();
        assert_eq!(target.role, "radio", "{target} on {} is no radio button", self.current_path());
        let name = self.block_on("reading a radio's name", target.element.attr("name"));
        let group = self.tab_until(&format!("the radio group of {label:?}"), |f| {
            f.role == "radio" && self.try_block_on(f.element.attr("name")).ok().flatten() == name
        });
        let size = match &name {
            Some(name) => self.count(&format!("input[type=radio][name=\"{name}\"]")),
            None => 1,
        };
        let mut now = group;
        for _ in 0..=size {
            if now.element.element_id() == target_id {
                break;
            }
            self.press(Key::Down);
            now = self.focused();
        }
        assert!(
            now.element.element_id() == target_id,
            "the arrow keys never reached {label:?} on {} (stopped at {now})",
            self.current_path()
        );
        if !self.block_on("reading a radio", now.element.is_selected()) {
            self.space();
        }
        assert!(
            self.block_on("reading a radio", now.element.is_selected()),
            "{now} on {} is not checked after Space",
            self.current_path()
        );
    }

    /// Tabs to the checkbox labelled `label` and makes it `checked` with Space.
    pub fn set_checkbox(&self, label: &str, checked: bool) {
        let checkbox = self.tab_to(label);
        assert_eq!(checkbox.role, "checkbox", "{checkbox} on {} is no checkbox", self.current_path());
        if self.block_on("reading a checkbox", checkbox.element.is_selected()) != checked {
            self.space();
        }
        assert_eq!(self.block_on("reading a checkbox", checkbox.element.is_selected()), checked);
    }

    /// Tabs to the button named `label`, presses Enter and waits for the page the form
    /// leads to.
    /// Submits with the button named `label` inside the element `scope` (one of several
    /// forms with the same buttons, such as the conflicts page's).
    pub fn submit_in(&self, scope: &str, label: &str) {
        const FOCUS: &str = "const b = [...document.querySelectorAll(arguments[0] + ' button')]\
            .find(b => b.textContent.trim() === arguments[1]); if (!b) return false; b.focus(); return true;";
        let found = self.execute(FOCUS, vec![json!(scope), json!(label)]);
        assert_eq!(found, Value::Bool(true), "no button {label:?} in {scope} on {}", self.current_path());
        self.expect_new_page(&format!("submitting with {label:?} in {scope}"), || self.enter());
    }

    /// Fills the field labelled `label` inside the element `scope` with `value`.
    pub fn fill_in(&self, scope: &str, label: &str, value: &str) {
        const FILL: &str = "const l = [...document.querySelectorAll(arguments[0] + ' label')]\
            .find(l => l.textContent.trim().startsWith(arguments[1])); \
            const f = l && (l.control || document.getElementById(l.htmlFor)); \
            if (!f) return false; f.value = arguments[2]; return true;";
        let found = self.execute(FILL, vec![json!(scope), json!(label), json!(value)]);
        assert_eq!(found, Value::Bool(true), "no field {label:?} in {scope} on {}", self.current_path());
    }

    pub fn submit(&self, label: &str) {
        let button = self.tab_to(label);
        assert_eq!(button.role, "button", "{button} on {} is no button", self.current_path());
        self.expect_new_page(&format!("submitting with {label:?}"), || self.enter());
    }

    /// Tabs to the link named `label`, presses Enter and waits for the page it leads to
    /// (for a link within the page, such as the skip link, use [`Session::enter`]).
    pub fn follow(&self, label: &str) {
        let link = self.tab_to(label);
        assert_eq!(link.role, "link", "{link} on {} is no link", self.current_path());
        self.expect_new_page(&format!("following {label:?}"), || self.enter());
    }

    /// Does `act` (a key press, …) and waits (at most 30 s) until another document than
    /// the one shown before has loaded: chromedriver does not wait for a navigation that
    /// a key press starts.
    pub fn expect_new_page(&self, what: &str, act: impl FnOnce()) {
        static MARKS: AtomicU64 = AtomicU64::new(0);
        let mark = json!(MARKS.fetch_add(1, Ordering::Relaxed));
        self.execute("document.__aukioloMark = arguments[0]", vec![mark.clone()]);
        let before = self.current_path();
        act();
        let deadline = Instant::now() + NAVIGATION_TIMEOUT;
        const LOADED: &str =
            "return document.__aukioloMark !== arguments[0] && document.readyState === 'complete'";
        // While the old document unloads a script may fail; that is "not yet".
        while self.try_block_on(self.client().execute(LOADED, vec![mark.clone()])) != Ok(Value::Bool(true)) {
            assert!(
                Instant::now() < deadline,
                "{what} on {before} led to no new page within {NAVIGATION_TIMEOUT:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The browser's Back button; waits for the page it shows.
    pub fn back(&self) {
        self.block_on(format!("going back from {}", self.current_path()), self.client().back());
    }

    /// The cookie `name` of the page shown, if the browser holds one (`HttpOnly` ones
    /// too).
    pub fn cookie(&self, name: &str) -> Option<Cookie<'static>> {
        let all = self.block_on("reading the cookies", self.client().get_all_cookies());
        all.into_iter().find(|c| c.name() == name)
    }

    /// Sets `cookie` for the site of the page shown (open a page of the site first).
    pub fn add_cookie(&self, cookie: Cookie<'static>) {
        self.block_on(format!("setting the cookie {}", cookie.name()), self.client().add_cookie(cookie));
    }

    /// The form control whose accessible name is `label`, found without the keyboard
    /// (for checks; [`Session::tab_to`] is how a test gets there).
    pub fn labelled(&self, label: &str) -> Focused {
        let wanted = normalise(label);
        let mut names = Vec::new();
        for element in self.find_all("input, textarea, select, button") {
            let control = self.describe(element);
            if control.label == wanted {
                return control;
            }
            names.push(format!("  {control}"));
        }
        panic!("no control named {label:?} on {}; there are:\n{}", self.current_path(), names.join("\n"));
    }

    /// The current value of the field named `label` (error messages and the like are
    /// read with [`Session::text_of`]).
    pub fn value_of(&self, label: &str) -> String {
        let control = self.labelled(label);
        self.block_on("reading a field's value", control.element.prop("value")).unwrap_or_default()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.rt.block_on(async { tokio::time::timeout(CLOSE_TIMEOUT, client.close()).await });
        }
    }
}

/// Whitespace runs as one space, trimmed.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `GET /session/{id}/element/{element}/computedlabel` (or `computedrole`).
#[derive(Debug)]
struct Computed {
    element: String,
    what: &'static str,
}

impl WebDriverCompatibleCommand for Computed {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/element/{}/{}",
            session_id.unwrap_or_default(),
            self.element,
            self.what
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::GET, None)
    }
}
