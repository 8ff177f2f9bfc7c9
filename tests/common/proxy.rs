//! A TCP proxy in the test process between the hub's clients and PostgreSQL, with the faults a
//! shop's link has: it passes bytes, goes silent (holds them, tells no one), drops every
//! connection, or black-holes them (accepts and reads, never forwards nor answers).

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::thread;
use std::time::Duration;

/// What the link does now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Bytes go both ways.
    Pass,
    /// Bytes wait where they are, unread; they go on once the link passes again.
    Silent,
    /// Every connection is closed, and new ones are closed as soon as they are accepted.
    Drop,
    /// Connections are accepted and read, and nothing is forwarded or answered: what a
    /// connection sent meanwhile is lost, so it never works again (its client must give up).
    BlackHole,
}

impl Mode {
    const ALL: [Mode; 4] = [Mode::Pass, Mode::Silent, Mode::Drop, Mode::BlackHole];
}

pub struct Proxy {
    pub port: u16,
    mode: Arc<AtomicU8>,
}

/// How often a waiting pump looks at the mode again.
const TICK: Duration = Duration::from_millis(20);

impl Proxy {
    /// A proxy on a free local port to the server on `server_port`.
    pub fn to(server_port: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mode = Arc::new(AtomicU8::new(0));
        let shared = mode.clone();
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let mode = shared.clone();
                thread::spawn(move || connection(client, server_port, &mode));
            }
        });
        Proxy { port, mode }
    }

    pub fn set(&self, mode: Mode) {
        let index = Mode::ALL.iter().position(|m| *m == mode).unwrap();
        self.mode.store(index as u8, Ordering::SeqCst);
    }

    /// `url` (a `postgres://…@127.0.0.1:PORT/…` URL) through this proxy.
    pub fn url_for(&self, url: &str) -> String {
        let server_port = server_port_of(url);
        url.replace(&format!(":{server_port}/"), &format!(":{}/", self.port))
    }
}

/// The port of a `postgres://…:PORT/DATABASE` URL.
pub fn server_port_of(url: &str) -> u16 {
    url.rsplit(':')
        .next()
        .and_then(|tail| tail.split('/').next())
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("no port in {url}"))
}

fn mode_of(mode: &AtomicU8) -> Mode {
    Mode::ALL[usize::from(mode.load(Ordering::SeqCst))]
}

fn connection(client: TcpStream, server_port: u16, mode: &Arc<AtomicU8>) {
    let holed = Arc::new(AtomicBool::new(false));
    match mode_of(mode) {
        Mode::Drop => {
            let _ = client.shutdown(Shutdown::Both);
            return;
        }
        Mode::BlackHole => {
            // No server behind it: read until the client gives up.
            holed.store(true, Ordering::SeqCst);
            let _ = client.set_read_timeout(Some(TICK));
            pump(client.try_clone().unwrap(), None, mode, &holed);
            return;
        }
        Mode::Pass | Mode::Silent => {}
    }
    // A server that is down refuses: so does the proxy, by closing.
    let Ok(server) = TcpStream::connect(("127.0.0.1", server_port)) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    for stream in [&client, &server] {
        let _ = stream.set_read_timeout(Some(TICK));
        let _ = stream.set_nodelay(true);
    }
    let (to_server, from_server) = (server.try_clone().unwrap(), server);
    let (to_client, from_client) = (client.try_clone().unwrap(), client);
    let (mode_back, holed_back) = (mode.clone(), holed.clone());
    thread::spawn(move || pump(from_server, Some(to_client), &mode_back, &holed_back));
    pump(from_client, Some(to_server), mode, &holed);
}

/// Moves bytes from `from` to `to` as the mode says, until either side closes or the link
/// drops. Once black-holed, a connection stays so.
fn pump(mut from: TcpStream, to: Option<TcpStream>, mode: &AtomicU8, holed: &AtomicBool) {
    let mut buffer = [0; 16 * 1024];
    let close = |from: &TcpStream, to: &Option<TcpStream>| {
        let _ = from.shutdown(Shutdown::Both);
        if let Some(to) = to {
            let _ = to.shutdown(Shutdown::Both);
        }
    };
    loop {
        match mode_of(mode) {
            Mode::Drop => return close(&from, &to),
            Mode::Silent if !holed.load(Ordering::SeqCst) => {
                thread::sleep(TICK);
                continue;
            }
            Mode::BlackHole => holed.store(true, Ordering::SeqCst),
            Mode::Pass | Mode::Silent => {}
        }
        let n = match from.read(&mut buffer) {
            Ok(0) => return close(&from, &to),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(_) => return close(&from, &to),
        };
        // Read while passing, the mode may have changed since: the bytes follow the mode of
        // the moment they would leave.
        loop {
            match mode_of(mode) {
                Mode::Silent if !holed.load(Ordering::SeqCst) => thread::sleep(TICK),
                Mode::Drop => return close(&from, &to),
                Mode::BlackHole => {
                    holed.store(true, Ordering::SeqCst);
                    break;
                }
                Mode::Pass | Mode::Silent => break,
            }
        }
        if holed.load(Ordering::SeqCst) {
            continue;
        }
        if let Some(mut writer) = to.as_ref()
            && writer.write_all(&buffer[..n]).is_err()
        {
            return close(&from, &to);
        }
    }
}
