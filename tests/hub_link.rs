//! The hub client on a link that goes silent — no error, no reset, nothing (a cable pulled, a
//! router gone): through a proxy to a real PostgreSQL that stops passing bytes on demand. Each
//! call gives up within its time limit instead of hanging, and once the link is back the same
//! batch goes again and the hub has it exactly once.

mod common;

use common::hub_events::Till;
use common::postgres::{database, one_at_a_time, psql};
use ocop_pos::hub::{Hub, HubError};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Passes bytes between its clients and the server, except while `silent`: then it reads
/// nothing and sends nothing, holding the connections open.
struct SilentProxy {
    port: u16,
    silent: Arc<AtomicBool>,
}

impl SilentProxy {
    fn to(server_port: u16) -> SilentProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let silent = Arc::new(AtomicBool::new(false));
        let shared = silent.clone();
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let server = TcpStream::connect(("127.0.0.1", server_port)).unwrap();
                for (from, to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    let silent = shared.clone();
                    thread::spawn(move || pass(from, to, &silent));
                }
            }
        });
        SilentProxy { port, silent }
    }
}

fn pass(mut from: TcpStream, mut to: TcpStream, silent: &AtomicBool) {
    let mut buffer = [0; 16 * 1024];
    loop {
        // A silent link: bytes stay where they are, no one is told.
        while silent.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(10));
        }
        match from.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                while silent.load(Ordering::SeqCst) {
                    thread::sleep(Duration::from_millis(10));
                }
                if to.write_all(&buffer[..n]).is_err() {
                    return;
                }
            }
        }
    }
}

#[test]
fn a_silent_link_gives_up_in_time_and_the_retry_lands_once() {
    let _turn = one_at_a_time();
    let url = database();
    Hub::new(&url).unwrap().init().unwrap();
    let server_port: u16 = url
        .rsplit(':')
        .next()
        .and_then(|tail| tail.split('/').next())
        .unwrap()
        .parse()
        .unwrap();
    let proxy = SilentProxy::to(server_port);
    let through_proxy = url.replace(&format!(":{server_port}/"), &format!(":{}/", proxy.port));
    let limit = Duration::from_secs(2);
    let mut hub = Hub::with_time_limits(&through_proxy, limit, limit).unwrap();
    let mut till = Till::new("RG", "AA");
    let first = till.receiving("p-tea", 1000);
    assert_eq!(hub.push(&till.origin(), &[first]).unwrap(), 1);

    // The link goes silent mid-session: the push waits its limit, then says offline.
    proxy.silent.store(true, Ordering::SeqCst);
    let batch = vec![till.receiving("p-tea", 1000), till.receiving("p-tea", 1000)];
    let asked = Instant::now();
    let Err(HubError::Offline(why)) = hub.push(&till.origin(), &batch) else {
        panic!("a silent link is offline");
    };
    let waited = asked.elapsed();
    assert!(
        waited >= limit && waited < limit * 3,
        "gave up after {waited:?}: {why}"
    );
    // A new connection through the silent link: the handshake has its limit too.
    let asked = Instant::now();
    assert!(matches!(
        hub.acked(&till.origin()),
        Err(HubError::Offline(_))
    ));
    assert!(asked.elapsed() < limit * 3, "{:?}", asked.elapsed());

    // Back: the client connects afresh and the same batch goes again. The hub may or may not
    // have taken it before the silence (the answer was lost); either way it has it once.
    proxy.silent.store(false, Ordering::SeqCst);
    assert_eq!(hub.push(&till.origin(), &batch).unwrap(), 3);
    assert_eq!(hub.push(&till.origin(), &batch).unwrap(), 3);
    assert_eq!(
        psql(
            &url,
            "SELECT count(*), sum(qty_milli) FROM hub_stock_moves WHERE store = 'RG'"
        ),
        "3|3000"
    );
}
