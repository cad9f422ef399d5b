//! A real SMTP server in the test process (mailin-embedded), keeping every message it
//! accepts, so tests count deliveries where they arrive.

use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// One accepted message.
#[derive(Clone, Debug)]
pub struct Received {
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

impl Received {
    pub fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(&self.data).expect("a well-formed message")
    }

    pub fn header(&self, name: &str) -> String {
        use mailparse::MailHeaderMap;
        self.parsed().headers.get_first_value(name).unwrap_or_default()
    }

    /// The decoded bodies of the parts whose type starts with `mime`.
    pub fn parts(&self, mime: &str) -> Vec<String> {
        fn walk(part: &mailparse::ParsedMail<'_>, mime: &str, out: &mut Vec<String>) {
            if part.ctype.mimetype.starts_with(mime) {
                out.push(part.get_body().expect("a decodable body"));
            }
            for sub in &part.subparts {
                walk(sub, mime, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.parsed(), mime, &mut out);
        out
    }
}

#[derive(Clone)]
struct Collector {
    inbox: Arc<Mutex<Vec<Received>>>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl mailin_embedded::Handler for Collector {
    fn data_start(&mut self, _: &str, _: &str, _: bool, to: &[String]) -> mailin_embedded::Response {
        self.to = to.to_vec();
        self.data.clear();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let received = Received { to: std::mem::take(&mut self.to), data: std::mem::take(&mut self.data) };
        self.inbox.lock().unwrap_or_else(PoisonError::into_inner).push(received);
        mailin_embedded::response::OK
    }
}

/// The server runs until the test process ends (mailin has no stop).
#[derive(Clone)]
pub struct MailSink {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
}

/// A port free now, for a server that starts later.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

impl MailSink {
    /// A sink on a port of its own, held from the start: no other test can take it.
    pub fn start() -> Self {
        MailSink::on(TcpListener::bind("127.0.0.1:0").expect("bind an SMTP port"))
    }

    /// A sink on a port chosen before (e.g. one a server was told of while nothing
    /// listened there).
    pub fn on_port(port: u16) -> Self {
        MailSink::on(TcpListener::bind(("127.0.0.1", port)).expect("bind the SMTP port"))
    }

    fn on(listener: TcpListener) -> Self {
        let port = listener.local_addr().expect("the sink's address").port();
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let mut server = mailin_embedded::Server::new(Collector {
            inbox: inbox.clone(),
            to: Vec::new(),
            data: Vec::new(),
        });
        server.with_name("sink.test").with_num_threads(64).with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        MailSink { port, inbox }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<Received> {
        self.inbox.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn count(&self) -> usize {
        self.inbox.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Waits until at least `n` messages have arrived; all of them.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        self.wait_until(n, timeout)
            .unwrap_or_else(|| panic!("{} of {n} messages arrived in {timeout:?}", self.count()))
    }

    /// Waits until `n` messages that `wanted` accepts have arrived; those messages.
    pub fn wait_for_matching(
        &self,
        n: usize,
        timeout: Duration,
        wanted: impl Fn(&Received) -> bool,
    ) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let matching: Vec<Received> = self.messages().into_iter().filter(|m| wanted(m)).collect();
            if matching.len() >= n {
                return matching;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} wanted messages arrived in {timeout:?}",
                matching.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// All messages once at least `n` have arrived, or `None` after `timeout`.
    pub fn wait_until(&self, n: usize, timeout: Duration) -> Option<Vec<Received>> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return Some(messages);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The manage link in a message's text, e.g. `http://…/sv/manage/K7M-…?t=…`.
pub fn manage_link(text: &str) -> String {
    text.split_whitespace()
        .find(|w| w.contains("/manage/") && w.contains("?t="))
        .unwrap_or_else(|| panic!("no manage link in {text}"))
        .to_owned()
}
