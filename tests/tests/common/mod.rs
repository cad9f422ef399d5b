//! Shared by the end-to-end tests: the `aukiolo` binary (built once if missing), commands
//! run to completion, and a running `aukiolo serve` that is stopped when dropped. Every
//! wait is bounded, so a broken binary fails a test instead of hanging it.

// Each test crate that includes this module uses a subset of it.
#![allow(dead_code)]

pub mod outage;
pub mod site;
pub mod smtp;

use serde_json::Value;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// How long `serve` may take to print its address.
pub const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a stopping server may take after SIGTERM before it is killed.
pub const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a command such as `migrate` or `user create` may run.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);
/// How long to wait for a line the server prints after its address.
pub const OUTPUT_TIMEOUT: Duration = Duration::from_secs(10);
/// Whole HTTP requests (password hashing is slow in debug builds).
const HTTP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the test client keeps an idle connection: well under actix's 5 s keep-alive,
/// so it never reuses one the server is closing at that moment (seen as "error sending
/// request" after a test spent a few seconds in the browser between two calls).
pub const CLIENT_IDLE: Duration = Duration::from_secs(2);
/// Building the binary from scratch.
const BUILD_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// The line `serve` prints once it accepts connections.
const LISTENING: &str = "Aukiolo listening on http://";

// ---------------------------------------------------------------------------------------
// The binary

/// `<target>/<profile>/aukiolo`, next to the `deps/` directory holding this test
/// executable, built with cargo once per test process. `cargo test -p aukiolo-tests`
/// does not build it (it is no dependency of this crate), so it is built even when it
/// exists, lest the tests run a stale binary; when it is up to date that takes a moment.
/// A failed build fails every test that needs the binary, with cargo's output.
/// `AUKIOLO_TEST_BINARY` names a binary built beforehand instead (scripts/test-at-times
/// sets it: cargo cannot run under a faked clock).
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BINARY.get_or_init(build) {
        Ok(path) => path,
        Err(why) => panic!("{why}"),
    }
}

fn build() -> Result<PathBuf, String> {
    if let Some(given) = std::env::var_os("AUKIOLO_TEST_BINARY") {
        let given = PathBuf::from(given);
        return if given.is_file() {
            Ok(given)
        } else {
            Err(format!("AUKIOLO_TEST_BINARY names no file: {}", given.display()))
        };
    }
    let exe = std::env::current_exe().expect("path of the test executable");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("{} is not in <target>/<profile>/deps", exe.display()));
    let binary = profile_dir.join(format!("aukiolo{}", std::env::consts::EXE_SUFFIX));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let mut build = Command::new(cargo);
    build.args(["build", "-p", "aukiolo-server", "--bin", "aukiolo"]).current_dir(workspace_root());
    match profile_dir.file_name().and_then(OsStr::to_str) {
        Some("debug") | None => {}
        Some("release") => {
            build.arg("--release");
        }
        Some(profile) => {
            build.args(["--profile", profile]);
        }
    }
    let built = run(build, "", BUILD_TIMEOUT);
    if !built.status.success() {
        return Err(format!("cannot build the aukiolo binary: {built}"));
    }
    if !binary.is_file() {
        return Err(format!(
            "cargo built aukiolo, but not at {}; is CARGO_TARGET_DIR the same as for the tests?",
            binary.display()
        ));
    }
    Ok(binary)
}

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the workspace")
}

/// `aukiolo ARGS…` in an environment cleared of the caller's Aukiolo and database
/// settings, so that only what a test sets reaches the binary.
pub fn aukiolo<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(binary());
    cmd.args(args).current_dir(std::env::temp_dir());
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(|k| k.starts_with("AUKIOLO_") || k == "DATABASE_URL") {
            cmd.env_remove(key);
        }
    }
    cmd
}

/// `aukiolo ARGS… --data-dir DIR`.
pub fn aukiolo_in(dir: &DataDir, args: &[&str]) -> Command {
    let mut cmd = aukiolo(args);
    cmd.arg("--data-dir").arg(dir.path());
    cmd
}

// ---------------------------------------------------------------------------------------
// Data directories

/// A fresh, empty directory, removed when the last clone is dropped (so a directory
/// can outlive one server and be handed to the next).
#[derive(Clone)]
pub struct DataDir(Arc<RemovedOnDrop>);

struct RemovedOnDrop(PathBuf);

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl DataDir {
    pub fn new() -> Self {
        DataDir(Arc::new(RemovedOnDrop(aukiolo_store::test_support::temp_dir("aukiolo-e2e"))))
    }

    pub fn path(&self) -> &Path {
        &self.0 .0
    }
}

// ---------------------------------------------------------------------------------------
// Output of a child process

/// Everything a child wrote to one stream so far, filled by a background thread.
#[derive(Clone, Default)]
pub struct Capture(Arc<(Mutex<Captured>, Condvar)>);

#[derive(Default)]
struct Captured {
    text: String,
    closed: bool,
}

impl Capture {
    fn spawn(source: impl Read + Send + 'static) -> Self {
        let capture = Capture::default();
        let shared = capture.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(source);
            let mut line = Vec::new();
            loop {
                line.clear();
                let n = reader.read_until(b'\n', &mut line).unwrap_or(0);
                let mut state = shared.lock();
                if n == 0 {
                    state.closed = true;
                } else {
                    state.text.push_str(&String::from_utf8_lossy(&line));
                }
                shared.0 .1.notify_all();
                if n == 0 {
                    break;
                }
            }
        });
        capture
    }

    fn lock(&self) -> MutexGuard<'_, Captured> {
        self.0 .0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn text(&self) -> String {
        self.lock().text.clone()
    }

    /// Waits until `find` picks something out of the text, the stream ends, or `timeout`.
    pub fn wait_for<T>(&self, timeout: Duration, mut find: impl FnMut(&str) -> Option<T>) -> Option<T> {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        loop {
            if let Some(found) = find(&state.text) {
                return Some(found);
            }
            let now = Instant::now();
            if state.closed || now >= deadline {
                return None;
            }
            state = self.0 .1.wait_timeout(state, deadline - now).unwrap_or_else(PoisonError::into_inner).0;
        }
    }

    /// Waits (bounded) for the writer to close the stream, so the text is complete.
    pub fn wait_closed(&self, timeout: Duration) {
        self.wait_for(timeout, |_| None::<()>);
    }
}

/// Polls until the child exits or `timeout` passes.
fn wait_bounded(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => return None,
            Err(e) => panic!("waiting for process {}: {e}", child.id()),
        }
    }
}

/// Spawns `cmd` with its stdout and stderr captured.
fn spawn_captured(cmd: &mut Command, stdin: Stdio) -> (Child, Capture, Capture) {
    cmd.stdin(stdin).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let stdout = Capture::spawn(child.stdout.take().expect("piped stdout"));
    let stderr = Capture::spawn(child.stderr.take().expect("piped stderr"));
    (child, stdout, stderr)
}

// ---------------------------------------------------------------------------------------
// Commands run to completion

/// How a command ended and what it wrote.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    pub fn assert_success(&self, what: &str) -> &Self {
        assert!(self.status.success(), "{what} failed: {self}");
        self
    }

    pub fn assert_failure(&self, what: &str) -> &Self {
        assert!(!self.status.success(), "{what} should have failed: {self}");
        self
    }
}

/// The streams as written, for assertion messages.
impl std::fmt::Display for Finished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n--- stdout:\n{}--- stderr:\n{}", self.status, self.stdout, self.stderr)
    }
}

/// Runs `cmd` with `stdin` written to its standard input (then closed), killing it after
/// `timeout`.
pub fn run(mut cmd: Command, stdin: &str, timeout: Duration) -> Finished {
    let (mut child, stdout, stderr) = spawn_captured(&mut cmd, Stdio::piped());
    let mut input = child.stdin.take().expect("piped stdin");
    // The command may exit without reading; that is its business, not a test failure.
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    let Some(status) = wait_bounded(&mut child, timeout) else {
        let _ = child.kill();
        let _ = child.wait();
        panic!(
            "{cmd:?} did not finish within {timeout:?}\nstdout:\n{}\nstderr:\n{}",
            stdout.text(),
            stderr.text()
        );
    };
    stdout.wait_closed(OUTPUT_TIMEOUT);
    stderr.wait_closed(OUTPUT_TIMEOUT);
    Finished { status, stdout: stdout.text(), stderr: stderr.text() }
}

// ---------------------------------------------------------------------------------------
// A running server

/// The limits of `[limits]`, each turned off.
const NO_PUBLIC_LIMITS: [(&str, &str); 4] = [
    ("AUKIOLO_LIMITS__BOOKINGS_PER_ADDRESS__MAX", "0"),
    ("AUKIOLO_LIMITS__BOOKINGS_PER_PERSON__MAX", "0"),
    ("AUKIOLO_LIMITS__AVAILABILITY_PER_ADDRESS__MAX", "0"),
    ("AUKIOLO_LIMITS__LOST_LINKS_PER_ADDRESS__MAX", "0"),
];

/// How to start `aukiolo serve --bind 127.0.0.1:0`.
#[derive(Default)]
pub struct Launch {
    demo: bool,
    data_dir: Option<DataDir>,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

impl Launch {
    /// `serve --demo` on a fresh data dir unless [`Launch::data_dir`] names one.
    pub fn demo() -> Self {
        Launch { demo: true, ..Launch::default() }
    }

    /// `serve` without `--demo`.
    pub fn plain() -> Self {
        Launch::default()
    }

    pub fn data_dir(mut self, dir: &DataDir) -> Self {
        self.data_dir = Some(dir.clone());
        self
    }

    pub fn arg(mut self, arg: &str) -> Self {
        self.args.push(arg.to_owned());
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Starts the server and waits (at most [`START_TIMEOUT`]) for its address.
    pub fn start(self) -> Server {
        let data_dir = self.data_dir.unwrap_or_else(DataDir::new);
        let mut cmd = aukiolo_in(&data_dir, &["serve", "--bind", "127.0.0.1:0"]);
        if self.demo {
            cmd.arg("--demo");
        }
        // Tests play many citizens from one loopback address: the public limits are off
        // unless a test sets them (tests/tests/abuse.rs does).
        cmd.args(&self.args).envs(NO_PUBLIC_LIMITS).envs(self.env);
        let (child, stdout, stderr) = spawn_captured(&mut cmd, Stdio::null());
        let mut server = Server {
            child,
            status: None,
            addr: String::new(),
            stdout,
            stderr,
            client: reqwest::blocking::Client::builder()
                .timeout(HTTP_TIMEOUT)
                .pool_idle_timeout(CLIENT_IDLE)
                .no_proxy()
                .build()
                .expect("HTTP client"),
            _data_dir: data_dir,
        };
        let found = server.stdout.wait_for(START_TIMEOUT, |text| {
            text.lines().find_map(|line| line.strip_prefix(LISTENING)).map(|addr| addr.trim().to_owned())
        });
        match found {
            Some(addr) => server.addr = addr,
            None => {
                let outcome = match server.child.try_wait() {
                    Ok(Some(status)) => format!("exited ({status}) before printing `{LISTENING}…`"),
                    _ => format!("did not print `{LISTENING}…` within {START_TIMEOUT:?}; stopped"),
                };
                server.stop();
                server.stderr.wait_closed(OUTPUT_TIMEOUT);
                panic!("{cmd:?} {outcome}\nstdout:\n{}\nstderr:\n{}", server.stdout(), server.stderr());
            }
        }
        server
    }
}

/// A running `aukiolo serve`; SIGTERM (then SIGKILL after [`STOP_TIMEOUT`]) on drop,
/// after which its data dir is removed unless a clone of it is still held.
pub struct Server {
    child: Child,
    status: Option<ExitStatus>,
    /// `127.0.0.1:PORT`
    pub addr: String,
    stdout: Capture,
    stderr: Capture,
    client: reqwest::blocking::Client,
    // Dropped after the process has stopped (fields drop after `Drop::drop`).
    _data_dir: DataDir,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// What the server printed to stdout so far.
    pub fn stdout(&self) -> String {
        self.stdout.text()
    }

    pub fn stderr(&self) -> String {
        self.stderr.text()
    }

    /// Waits (at most [`OUTPUT_TIMEOUT`]) until stdout contains `needle`; returns stdout.
    pub fn wait_for_stdout(&self, needle: &str) -> String {
        self.stdout
            .wait_for(OUTPUT_TIMEOUT, |text| text.contains(needle).then(|| text.to_owned()))
            .unwrap_or_else(|| {
                panic!("stdout never said {needle:?}\nstdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr())
            })
    }

    /// Waits (at most [`OUTPUT_TIMEOUT`]) until stderr (the log) contains `needle`; returns
    /// it. A request's log line is written as the request ends, a moment after its answer.
    pub fn wait_for_stderr(&self, needle: &str) -> String {
        self.stderr
            .wait_for(OUTPUT_TIMEOUT, |text| text.contains(needle).then(|| text.to_owned()))
            .unwrap_or_else(|| {
                panic!(
                    "the log never said {needle:?}
stderr:
{}",
                    self.stderr()
                )
            })
    }

    /// The rest of the stdout line that starts with `prefix`, waiting for it.
    pub fn stdout_line(&self, prefix: &str) -> String {
        let text = self.wait_for_stdout(prefix);
        line_after(&text, prefix).expect("the line was there a moment ago")
    }

    /// The generated demo password from the start-up banner.
    pub fn demo_password(&self) -> String {
        self.stdout_line("demo password for every login (shown once): ")
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let request = self.request(reqwest::Method::GET, path);
        match token {
            Some(token) => request.bearer(token),
            None => request,
        }
        .send()
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.request(reqwest::Method::POST, path).json(body).send()
    }

    /// A request to build further (token, headers, body) and then [`Request::send`].
    /// The server may be shared by threads that each send their own.
    pub fn request(&self, method: reqwest::Method, path: &str) -> Request<'_> {
        Request { server: self, path: path.to_owned(), builder: self.client.request(method, self.url(path)) }
    }

    fn send(&self, request: reqwest::blocking::RequestBuilder, path: &str) -> Reply {
        self.try_send(request, path)
            .unwrap_or_else(|e| panic!("request to {path} failed: {e}\nstderr:\n{}", self.stderr.text()))
    }

    fn try_send(&self, request: reqwest::blocking::RequestBuilder, path: &str) -> Result<Reply, String> {
        let response = request.send().map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let headers = response.headers().clone();
        let body = response.text().map_err(|e| format!("reading the answer to {path}: {e}"))?;
        Ok(Reply { path: path.to_owned(), status, content_type, headers, body })
    }

    /// Signs in and returns the bearer token; panics unless the answer is 200.
    pub fn login(&self, email: &str, password: &str) -> String {
        let reply = self
            .post_json("/api/v1/auth/login", &serde_json::json!({ "email": email, "password": password }))
            .expect_status(200);
        let token =
            reply.json()["token"].as_str().unwrap_or_else(|| panic!("no token in {reply}")).to_owned();
        assert!(!token.is_empty(), "empty token: {reply}");
        token
    }

    /// Sends SIGTERM and waits up to [`STOP_TIMEOUT`], then kills. Idempotent.
    pub fn stop(&mut self) -> ExitStatus {
        if let Some(status) = self.status {
            return status;
        }
        let status = match self.child.try_wait() {
            Ok(Some(status)) => status,
            _ => {
                let pid = self.child.id().to_string();
                let signalled = Command::new("kill")
                    .args(["-TERM", &pid])
                    .stdin(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
                let waited = if signalled { wait_bounded(&mut self.child, STOP_TIMEOUT) } else { None };
                waited.unwrap_or_else(|| {
                    eprintln!("aukiolo serve (pid {pid}) did not stop on SIGTERM; killing it");
                    let _ = self.child.kill();
                    self.child.wait().expect("wait for the killed server")
                })
            }
        };
        self.status = Some(status);
        status
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A request being put together; see [`Server::request`].
pub struct Request<'a> {
    server: &'a Server,
    path: String,
    builder: reqwest::blocking::RequestBuilder,
}

impl Request<'_> {
    /// `Authorization: Bearer TOKEN`.
    pub fn bearer(self, token: &str) -> Self {
        Request { builder: self.builder.bearer_auth(token), ..self }
    }

    pub fn header(self, name: &str, value: &str) -> Self {
        Request { builder: self.builder.header(name, value), ..self }
    }

    /// `body` as `application/json`.
    pub fn json(self, body: &Value) -> Self {
        Request { builder: self.builder.json(body), ..self }
    }

    /// Sends it and reads the whole answer; panics if there is none (within the timeout).
    pub fn send(self) -> Reply {
        self.server.send(self.builder, &self.path)
    }

    /// The whole exchange at most `limit` instead of the default timeout.
    pub fn timeout(self, limit: Duration) -> Self {
        Request { builder: self.builder.timeout(limit), ..self }
    }

    /// Sends it; no answer (within the timeout) is an error, not a panic.
    pub fn try_send(self) -> Result<Reply, String> {
        self.server.try_send(self.builder, &self.path)
    }
}

/// The rest of the first line of `text` that starts with `prefix`.
pub fn line_after(text: &str, prefix: &str) -> Option<String> {
    text.lines().find_map(|line| line.strip_prefix(prefix)).map(|rest| rest.trim().to_owned())
}

/// One HTTP answer, kept whole so that a failed assertion can show it.
#[derive(Debug)]
pub struct Reply {
    pub path: String,
    pub status: u16,
    pub content_type: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl std::fmt::Display for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} answered {} ({}):\n{}", self.path, self.status, self.content_type, self.body)
    }
}

impl Reply {
    /// A header of the answer, if it came and is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn expect_status(self, status: u16) -> Self {
        assert_eq!(self.status, status, "unexpected status: {self}");
        self
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self}"))
    }

    /// The body as a JSON array.
    pub fn list(&self) -> Vec<Value> {
        match self.json() {
            Value::Array(items) => items,
            _ => panic!("not a JSON array: {self}"),
        }
    }

    /// Asserts an RFC 9457 problem document with this status.
    pub fn expect_problem(self, status: u16) -> Value {
        self.problem(status)
    }

    /// Like [`Reply::expect_problem`], keeping the reply.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "unexpected status: {self}");
        assert_eq!(self.content_type, "application/problem+json", "not problem+json: {self}");
        let problem = self.json();
        assert_eq!(problem["status"], status, "{self}");
        problem
    }

    /// Asserts a 422 validation problem that names `field` among its errors; returns the
    /// problem.
    pub fn expect_invalid(self, field: &str) -> Value {
        let problem = self.problem(422);
        assert_eq!(problem["type"], "urn:aukiolo:problem:validation", "{self}");
        let named = problem["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors listed: {self}"))
            .iter()
            .any(|e| e["field"] == field);
        assert!(named, "`{field}` is not named: {self}");
        problem
    }
}
