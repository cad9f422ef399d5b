//! Debian's `chromedriver`, one per test process, on a port it chooses itself, shared by
//! every session of the process that is open at the time and killed when the last of them
//! is dropped.

use super::Shared;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How long chromedriver may take to say which port it listens on.
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(30);

/// The browser and its driver, as Debian's `chromium` and `chromium-driver` install them;
/// `AUKIOLO_TEST_CHROMIUM` and `AUKIOLO_TEST_CHROMEDRIVER` name others.
pub fn chromium() -> PathBuf {
    installed("AUKIOLO_TEST_CHROMIUM", "/usr/bin/chromium", "chromium")
}

fn chromedriver() -> PathBuf {
    installed("AUKIOLO_TEST_CHROMEDRIVER", "/usr/bin/chromedriver", "chromium-driver")
}

/// The path of a required program; a missing one fails the test with what to do, never
/// skips it.
fn installed(variable: &str, default: &str, package: &str) -> PathBuf {
    let path = std::env::var_os(variable).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.is_file(),
        "{} is missing: the browser tests need Debian's `chromium` and `chromium-driver`; \
         run `bash scripts/install-deps` (it installs `{package}`){}",
        path.display(),
        if std::env::var_os(variable).is_some() { format!(", or fix {variable}") } else { String::new() },
    );
    path
}

/// A running chromedriver; killed on drop.
pub struct Driver {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    log: Arc<Mutex<String>>,
}

impl Driver {
    /// The process's driver, started if no session holds one now.
    pub fn shared() -> Arc<Driver> {
        static DRIVER: Shared<Driver> = Shared::new();
        DRIVER.get_or_start(Driver::start)
    }

    fn start() -> Driver {
        let mut cmd = Command::new(chromedriver());
        // `--port=0`: chromedriver binds a free port and prints it, so two test processes
        // never race for one.
        cmd.args(["--port=0", "--log-level=WARNING"])
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Chromium hangs under libfaketime (scripts/test-at-times); the browser keeps the
        // real clock while the server and the tests run on the faked one.
        cmd.env_remove("LD_PRELOAD");
        for (key, _) in std::env::vars_os() {
            if key.to_str().is_some_and(|k| k.starts_with("FAKETIME")) {
                cmd.env_remove(key);
            }
        }
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
        let log = Arc::new(Mutex::new(String::new()));
        let (port_tx, port_rx) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().expect("piped stdout")) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().expect("piped stderr")),
        ] {
            let log = Arc::clone(&log);
            let port_tx = port_tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    if let Some(port) = line
                        .strip_prefix("ChromeDriver was started successfully on port ")
                        .and_then(|rest| rest.trim_end_matches('.').trim().parse::<u16>().ok())
                    {
                        let _ = port_tx.send(port);
                    }
                    let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        drop(port_tx);
        match port_rx.recv_timeout(DRIVER_START_TIMEOUT) {
            Ok(port) => Driver { child, url: format!("http://127.0.0.1:{port}"), log },
            Err(_) => {
                let _ = child.kill();
                let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
                let log = log.lock().unwrap_or_else(PoisonError::into_inner).clone();
                panic!("{cmd:?} did not report its port within {DRIVER_START_TIMEOUT:?} ({status}):\n{log}");
            }
        }
    }

    /// What chromedriver has written so far (for failure messages).
    pub fn log(&self) -> String {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
