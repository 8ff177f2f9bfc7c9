//! The hub client on a link that goes silent — no error, no reset, nothing (a cable pulled, a
//! router gone): through a proxy to a real PostgreSQL that stops passing bytes on demand. Each
//! call gives up within its time limit instead of hanging, and once the link is back the same
//! batch goes again and the hub has it exactly once.

mod common;

use common::hub_events::Till;
use common::postgres::{database, one_at_a_time, psql};
use common::proxy::{Mode, Proxy, server_port_of};
use ocop_pos::hub::{Hub, HubError};
use std::time::{Duration, Instant};

#[test]
fn a_silent_link_gives_up_in_time_and_the_retry_lands_once() {
    let _turn = one_at_a_time();
    let url = database();
    Hub::new(&url).unwrap().init().unwrap();
    let proxy = Proxy::to(server_port_of(&url));
    let through_proxy = proxy.url_for(&url);
    let limit = Duration::from_secs(2);
    let mut hub = Hub::with_time_limits(&through_proxy, limit, limit).unwrap();
    let mut till = Till::new("RG", "AA");
    let first = till.receiving("p-tea", 1000);
    assert_eq!(hub.push(&till.origin(), &[first]).unwrap(), 1);

    // The link goes silent mid-session: the push waits its limit, then says offline.
    proxy.set(Mode::Silent);
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
    proxy.set(Mode::Pass);
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
