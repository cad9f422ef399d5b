//! The production topology of docker-compose.yml as processes (there is no Docker engine
//! here): a one-shot `aukiolo migrate` on a fresh PostgreSQL database, two `aukiolo serve`
//! replicas with their workers off behind Debian's nginx running the very proxy
//! configuration the compose file mounts (`deploy/nginx/aukiolo.conf`), and one
//! `aukiolo worker` sending to an SMTP server in the test. Citizens book through the proxy,
//! also after one replica has stopped, and the confirmations arrive with links to the
//! proxy's address.

mod common;

use common::site::{personal_id, Deployment, Site};
use common::smtp::{free_port, manage_link, MailSink};
use common::{aukiolo_in, run};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process stopped when dropped: SIGTERM first (nginx's master then stops its
/// workers; SIGKILL would leave them running), SIGKILL after five seconds.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.0.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Debian's nginx in the foreground, with `deploy/nginx/aukiolo.conf` included as it is
/// in a server listening on `port` in front of `upstreams`.
fn nginx(dir: &Path, port: u16, upstreams: &[String]) -> Running {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../deploy/nginx/aukiolo.conf")
        .canonicalize()
        .expect("deploy/nginx/aukiolo.conf");
    let servers: String = upstreams.iter().map(|u| format!("server {u}; ")).collect();
    // Worker processes as the same user as the master: as root nginx would switch them to
    // `nobody`, which cannot write the temporary files under the test's directory.
    let is_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let user = if is_root { "user root;" } else { "" };
    let conf = format!(
        "{user}\npid {dir}/nginx.pid;\nerror_log {dir}/nginx-error.log;\nevents {{}}\nhttp {{\n  \
         access_log {dir}/nginx-access.log;\n  client_body_temp_path {dir}/body;\n  \
         proxy_temp_path {dir}/proxy;\n  upstream aukiolo {{ {servers}keepalive 8; }}\n  \
         server {{\n    listen 127.0.0.1:{port};\n    include {shared};\n  }}\n}}\n",
        dir = dir.display(),
        shared = shared.display(),
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).expect("write nginx.conf");
    let child = Command::new("nginx")
        .arg("-p")
        .arg(dir)
        .arg("-e")
        .arg(dir.join("nginx-error.log"))
        .arg("-c")
        .arg(&path)
        .args(["-g", "daemon off;"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nginx (bash scripts/install-deps installs it)");
    let running = Running(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "nginx did not listen: {}",
            std::fs::read_to_string(dir.join("nginx-error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    running
}

#[test]
#[cfg_attr(not(aukiolo_pg_tests), ignore = "PostgreSQL: set AUKIOLO_TEST_DATABASE_URL to run")]
fn two_replicas_behind_nginx_and_a_worker_book_and_send_the_confirmation_on_postgres() {
    let sink = MailSink::start();
    // Empty: the migration is the topology's own one-shot step, not the harness's.
    let database = aukiolo_store::test_support::TestDb::postgres_unmigrated();
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}");
    let mut deployment = Deployment::postgres(&database.url);
    deployment.env.extend([
        ("AUKIOLO_WORKER__IN_SERVE", "false".to_owned()),
        ("AUKIOLO_AUTH__TRUST_FORWARDED_FOR", "true".to_owned()),
        ("AUKIOLO_MAIL__PUBLIC_URL", public.clone()),
    ]);

    // The one-shot migration, as compose's `migrate` service runs it.
    let mut migrate = aukiolo_in(&deployment.dir, &["migrate"]);
    migrate.envs(deployment.env.iter().map(|(k, v)| (k, v)));
    run(migrate, "", Duration::from_secs(60)).assert_success("aukiolo migrate");

    let mut site = Site::on(deployment);
    let second = site.deployment.start();
    let office = site.office("Välityspalvelimen palvelupiste", json!({ "holdback_percent": 0 }), 2);
    let upstreams = [site.server.url(""), second.url("")]
        .map(|u| u.trim_start_matches("http://").trim_end_matches('/').to_owned());
    let _proxy = nginx(site.deployment.dir.path(), port, &upstreams);

    let mut worker = aukiolo_in(&site.deployment.dir, &["worker"]);
    worker
        .envs(site.deployment.env.iter().map(|(k, v)| (k, v)))
        .envs([("AUKIOLO_MAIL__SMTP_URL", sink.url()), ("AUKIOLO_WORKER__IDLE_MS", "100".to_owned())])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(site.deployment.dir.path().join("worker.log")).expect("a worker log"));
    let _worker = Running(worker.spawn().expect("start aukiolo worker"));

    let client =
        reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build().expect("a client");
    let through_proxy = |body: &Value| {
        let reply =
            client.post(format!("{public}/api/v1/bookings")).json(body).send().expect("POST through nginx");
        let status = reply.status().as_u16();
        let body: Value = reply.json().unwrap_or(Value::Null);
        assert_eq!(status, 201, "booking through the proxy: {body}");
        body["reference"].as_str().expect("a reference").to_owned()
    };
    let times = site.offered(&office);
    let first = through_proxy(&site.request(&office, times[0], &personal_id(1)));

    // The proxy passes the client's request id on, or gives the request one of its own,
    // and the replica answers with it.
    let id_of = |given: Option<&str>| {
        let request = client.get(format!("{public}/healthz"));
        let request = match given {
            Some(id) => request.header("X-Request-Id", id),
            None => request,
        };
        let reply = request.send().expect("GET through nginx");
        reply.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned)
    };
    assert_eq!(id_of(Some("client-42")).as_deref(), Some("client-42"));
    let made = id_of(None).expect("an id made by the proxy");
    assert!(made.len() == 32 && made.bytes().all(|b| b.is_ascii_hexdigit()), "{made}");

    // One replica stops; the proxy finds the other (the read is retried on the refused
    // connection, and the stopped replica is then left out) and the next booking goes there.
    site.server.stop();
    for _ in 0..4 {
        let health = client.get(format!("{public}/healthz")).send().expect("GET through nginx");
        assert_eq!(health.status().as_u16(), 200, "with one replica left");
    }
    let second_booking = through_proxy(&site.request(&office, times[1], &personal_id(2)));

    let messages = sink.wait_for(2, Duration::from_secs(60));
    assert_eq!(
        messages.len(),
        2,
        "two confirmations; the worker said: {}",
        std::fs::read_to_string(site.deployment.dir.path().join("worker.log")).unwrap_or_default()
    );
    for reference in [&first, &second_booking] {
        let message = messages
            .iter()
            .find(|m| m.parts("text/plain").iter().any(|t| t.contains(reference.as_str())))
            .unwrap_or_else(|| panic!("no confirmation of {reference}"));
        let text = message.parts("text/plain").join("\n");
        let link = manage_link(&text);
        assert!(link.starts_with(&format!("{public}/fi/manage/{reference}?t=")), "{link}");
        // The link opens through the proxy, on the replica left.
        let page = client.get(&link).send().expect("open the manage link");
        assert_eq!(page.status().as_u16(), 200, "{link}");
    }
    drop(second);
}
