//! A TCP relay between the servers and their PostgreSQL database that a test can cut and
//! restore: the database "stops" for the servers (open connections drop, new ones are
//! refused) without stopping the PostgreSQL every other test uses.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// Relays `127.0.0.1:<port>` to `target` while up.
pub struct Relay {
    target: SocketAddr,
    pub port: u16,
    running: Option<Running>,
}

struct Running {
    stop: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
    acceptor: JoinHandle<()>,
}

impl Relay {
    /// A relay to `target` on a free port, up.
    pub fn start(target: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the relay");
        let port = listener.local_addr().expect("the relay's address").port();
        let mut relay = Relay { target, port, running: None };
        relay.serve(listener);
        relay
    }

    /// The database goes away: every relayed connection is cut and the port refuses.
    pub fn cut(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop.store(true, Ordering::SeqCst);
            // Wakes the acceptor, which then drops the listener.
            let _ = TcpStream::connect(("127.0.0.1", self.port));
            let _ = running.acceptor.join();
            for stream in running.open.lock().unwrap_or_else(PoisonError::into_inner).drain(..) {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
    }

    /// The database is back, on the same port.
    pub fn restore(&mut self) {
        if self.running.is_none() {
            let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("bind the relay's port again");
            self.serve(listener);
        }
    }

    fn serve(&mut self, listener: TcpListener) {
        let stop = Arc::new(AtomicBool::new(false));
        let open = Arc::new(Mutex::new(Vec::new()));
        let (target, stop_flag, open_list) = (self.target, stop.clone(), open.clone());
        let acceptor = std::thread::spawn(move || {
            for client in listener.incoming() {
                if stop_flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect_timeout(&target, Duration::from_secs(5)) else {
                    continue;
                };
                let mut list = open_list.lock().unwrap_or_else(PoisonError::into_inner);
                for s in [&client, &server] {
                    if let Ok(clone) = s.try_clone() {
                        list.push(clone);
                    }
                }
                pipe(&client, &server);
                pipe(&server, &client);
            }
        });
        self.running = Some(Running { stop, open, acceptor });
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.cut();
    }
}

/// Copies `from` to `to` on a thread of its own until either side closes.
fn pipe(from: &TcpStream, to: &TcpStream) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else { return };
    std::thread::spawn(move || {
        let mut buffer = [0u8; 16 * 1024];
        loop {
            match from.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to.write_all(&buffer[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to.shutdown(Shutdown::Both);
        let _ = from.shutdown(Shutdown::Both);
    });
}
