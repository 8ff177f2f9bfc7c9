//! The sync worker against a real PostgreSQL, with fake nodes (an outbox and what was applied,
//! in memory): nodes converge through the hub, an unreachable hub shows as offline with the
//! events waiting, a blocked node as blocked with the reason, and stopping is prompt.

mod common;

use common::hub_events::{Line, Till};
use common::postgres::{database, one_at_a_time, psql};
use common::{demo_store, product, sell_for_exact_cash, shop_time};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::sync_event::SyncEvent;
use ocop_pos::hub::worker::{SyncNode, SyncStatus, SyncTiming, SyncWorker, sync_once};
use ocop_pos::hub::{Hub, HubCursor, HubError};
use ocop_pos::store::Store;
use rust_decimal::Decimal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A node in memory: its own events, and the others' as applied with the cursor.
#[derive(Default)]
struct Node {
    outbox: Vec<SyncEvent>,
    /// What the hub was last heard to hold of the outbox.
    acked: i64,
    applied: Vec<SyncEvent>,
    cursor: HubCursor,
}

#[derive(Clone, Default)]
struct FakeNode(Arc<Mutex<Node>>);

impl SyncNode for FakeNode {
    fn unsent_after(&mut self, seq: i64, limit: usize) -> Result<Vec<SyncEvent>, String> {
        let node = self.0.lock().unwrap();
        Ok(node
            .outbox
            .iter()
            .filter(|e| e.seq > seq)
            .take(limit)
            .cloned()
            .collect())
    }
    fn acked(&mut self, _origin: &str, seq: i64) -> Result<(), String> {
        let mut node = self.0.lock().unwrap();
        node.acked = node.acked.max(seq);
        Ok(())
    }
    fn unsent(&mut self) -> Result<i64, String> {
        let node = self.0.lock().unwrap();
        Ok(node.outbox.last().map_or(0, |e| e.seq) - node.acked)
    }
    fn apply(&mut self, events: &[SyncEvent], cursor: HubCursor) -> Result<(), String> {
        let mut node = self.0.lock().unwrap();
        node.applied.extend_from_slice(events);
        node.cursor = cursor;
        Ok(())
    }
    fn cursor(&mut self) -> Result<HubCursor, String> {
        Ok(self.0.lock().unwrap().cursor)
    }
}

const QUICK: SyncTiming = SyncTiming {
    every: Duration::from_millis(50),
    first_retry: Duration::from_millis(50),
    longest_wait: Duration::from_millis(400),
    connect_limit: Duration::from_secs(10),
    round_trip_limit: Duration::from_secs(30),
};

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "waited a minute for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn tea() -> Line {
    Line {
        product: "p-tea",
        producer: "pr-taxua",
        qty_milli: 1000,
        total: 120_000,
    }
}

/// A fake node with `sales` sales in its outbox.
fn node_with_sales(till: &mut Till, sales: usize) -> FakeNode {
    let node = FakeNode::default();
    node.0.lock().unwrap().outbox = (0..sales)
        .map(|_| till.sale("2026-12-01", &[tea()]))
        .collect();
    node
}

#[test]
fn two_workers_bring_each_node_the_other_s_events_then_stay_online() {
    let _turn = one_at_a_time();
    let url = database();
    Hub::new(&url).unwrap().init().unwrap();
    let (mut aa, mut ab) = (Till::new("RG", "AA"), Till::new("RG", "AB"));
    // More than a batch on one side: the worker goes on without waiting between batches.
    let (node_aa, node_ab) = (node_with_sales(&mut aa, 1_200), node_with_sales(&mut ab, 7));
    let workers = [
        SyncWorker::spawn(
            url.clone(),
            "RG".into(),
            aa.origin(),
            node_aa.clone(),
            QUICK,
        ),
        SyncWorker::spawn(
            url.clone(),
            "RG".into(),
            ab.origin(),
            node_ab.clone(),
            QUICK,
        ),
    ];
    wait_for("both nodes to have the other's events", || {
        node_aa.0.lock().unwrap().applied.len() == 7
            && node_ab.0.lock().unwrap().applied.len() == 1_200
    });
    let seqs: Vec<i64> = node_ab
        .0
        .lock()
        .unwrap()
        .applied
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, (1..=1_200).collect::<Vec<_>>(), "each once, in order");
    assert!(
        node_aa
            .0
            .lock()
            .unwrap()
            .applied
            .iter()
            .all(|e| e.node == "AB")
    );
    // A new sale later reaches the other node too.
    let later = aa.sale("2026-12-01", &[tea()]);
    node_aa.0.lock().unwrap().outbox.push(later.clone());
    wait_for("the later sale", || {
        node_ab.0.lock().unwrap().applied.last() == Some(&later)
    });
    for worker in &workers {
        assert!(
            matches!(worker.status(), SyncStatus::Online { .. }),
            "{:?}",
            worker.status()
        );
    }
    for worker in workers {
        worker.stop();
    }
}

#[test]
fn an_unreachable_hub_shows_offline_with_the_events_waiting_and_stopping_is_prompt() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut till = Till::new("RG", "AA");
    let node = node_with_sales(&mut till, 3);
    let worker = SyncWorker::spawn(
        format!("postgres://hub@127.0.0.1:{port}/province"),
        "RG".into(),
        till.origin(),
        node,
        QUICK,
    );
    wait_for("the offline status", || {
        matches!(worker.status(), SyncStatus::Offline { .. })
    });
    let SyncStatus::Offline { unsent, why, .. } = worker.status() else {
        unreachable!()
    };
    assert_eq!(unsent, 3);
    assert!(why.contains("cannot be reached"), "{why}");
    let asked = Instant::now();
    worker.stop();
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "stopped in {:?}",
        asked.elapsed()
    );
}

/// A port of this machine nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One failed pass, then nothing tried again for a minute.
const PATIENT: SyncTiming = SyncTiming {
    first_retry: Duration::from_secs(60),
    longest_wait: Duration::from_secs(60),
    ..QUICK
};

#[test]
fn the_offline_count_follows_the_sales_made_while_the_worker_waits_to_try_again() {
    let port = closed_port();
    let mut till = Till::new("RG", "AA");
    let node = node_with_sales(&mut till, 3);
    let worker = SyncWorker::spawn(
        format!("postgres://hub@127.0.0.1:{port}/province"),
        "RG".into(),
        till.origin(),
        node.clone(),
        PATIENT,
    );
    wait_for("the offline status", || {
        matches!(worker.status(), SyncStatus::Offline { unsent: 3, .. })
    });
    let SyncStatus::Offline { since, .. } = worker.status() else {
        unreachable!()
    };
    node.0
        .lock()
        .unwrap()
        .outbox
        .push(till.sale("2026-12-01", &[tea()]));
    node.0
        .lock()
        .unwrap()
        .outbox
        .push(till.sale("2026-12-01", &[tea()]));
    let counted = Instant::now();
    wait_for("the light to count the two sales", || {
        matches!(worker.status(), SyncStatus::Offline { unsent: 5, .. })
    });
    assert!(
        counted.elapsed() < Duration::from_secs(10),
        "counted in {:?}, not at the next pass a minute on",
        counted.elapsed()
    );
    let SyncStatus::Offline { since: still, .. } = worker.status() else {
        unreachable!()
    };
    assert_eq!(still, since, "the same outage");
    let asked = Instant::now();
    worker.stop();
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "stopped in {:?}",
        asked.elapsed()
    );
}

#[test]
fn a_node_the_hub_blocked_shows_blocked_with_the_reason() {
    let _turn = one_at_a_time();
    let url = database();
    let mut hub = Hub::new(&url).unwrap();
    hub.init().unwrap();
    let mut till = Till::new("RG", "AA");
    let first = till.sale("2026-12-01", &[tea()]);
    hub.push(&till.origin(), std::slice::from_ref(&first))
        .unwrap();
    // A copy of the folder, incarnation and all, sends other content as seq 1.
    let mut copy = Till::new("RG", "AA");
    let other = copy.sale("2026-12-01", &[tea(), tea()]);
    assert!(matches!(
        hub.push(&till.origin(), &[other]),
        Err(HubError::Blocked(_))
    ));
    // The node itself, with its next sale waiting, is refused with the reason.
    let node = FakeNode::default();
    node.0.lock().unwrap().outbox = vec![first, till.sale("2026-12-01", &[tea()])];
    let worker = SyncWorker::spawn(url, "RG".into(), till.origin(), node, QUICK);
    wait_for("the blocked status", || {
        matches!(worker.status(), SyncStatus::Blocked { .. })
    });
    let SyncStatus::Blocked { why } = worker.status() else {
        unreachable!()
    };
    assert!(why.contains("came again with other content"), "{why}");
    worker.stop();
}

#[test]
fn an_event_the_hub_cannot_take_shows_blocked_with_the_database_s_reason_not_offline() {
    let _turn = one_at_a_time();
    let url = database();
    Hub::new(&url).unwrap().init().unwrap();
    let mut till = Till::new("RG", "AA");
    // A sale without its local date (written by a broken or tampered build): the hub's
    // projection cannot file it, on this pass or any later one.
    let malformed = till.event(
        "sale",
        serde_json::json!({"uid": "sale-1", "number": "2026-AA-000001"}),
        Vec::new(),
    );
    let node = FakeNode::default();
    node.0.lock().unwrap().outbox = vec![malformed];
    let worker = SyncWorker::spawn(url.clone(), "RG".into(), till.origin(), node, QUICK);
    wait_for("a status after the first pass", || {
        !matches!(worker.status(), SyncStatus::Starting)
    });
    let status = worker.status();
    let SyncStatus::Blocked { why } = &status else {
        panic!("a refusal that will not go away by waiting is not 'offline': {status:?}")
    };
    assert!(why.contains("the hub's database said"), "{why}");
    worker.stop();
    assert_eq!(Hub::new(&url).unwrap().acked(&till.origin()).unwrap(), 0);
}

/// A real store: what the hub acknowledged is kept in the folder, so a counter started again
/// while the hub is away counts only the events the hub lacks — those written under the name
/// it had before a restore too — and not every event it ever wrote.
#[test]
fn a_counter_started_with_the_hub_away_counts_what_the_hub_lacks_under_each_of_its_names() {
    let _turn = one_at_a_time();
    let url = database();
    let mut hub = Hub::new(&url).unwrap();
    hub.init().unwrap();
    let sync = |hub: &mut Hub, store: &mut Store| {
        let identity = store.node_identity().unwrap();
        sync_once(hub, store, &identity.store, &identity.origin()).unwrap();
    };
    let (dir, mut store) = demo_store();
    sync(&mut hub, &mut store);
    let first_sent = store.last_event_seq().unwrap();
    assert!(first_sent > 40, "the demo catalogue went up");
    assert_eq!(store.events_awaiting_hub().unwrap(), 0);

    let mut cart = Cart::default();
    cart.add_product(&product(&store, "8930100000018"), Decimal::ONE)
        .unwrap();
    for _ in 0..2 {
        sell_for_exact_cash(&mut store, &cart, shop_time()).unwrap();
    }
    let waiting_under_the_old_name = store.last_event_seq().unwrap() - first_sent;
    assert!(waiting_under_the_old_name >= 2, "a sale is an event");
    assert_eq!(
        store.events_awaiting_hub().unwrap(),
        waiting_under_the_old_name
    );
    // A restore renews the folder's name; what it wrote under the old one still waits.
    store.renew_incarnation().unwrap();
    sell_for_exact_cash(&mut store, &cart, shop_time()).unwrap();
    let waiting = waiting_under_the_old_name + store.last_event_seq().unwrap();
    drop(store);

    let store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.events_awaiting_hub().unwrap(), waiting);
    let identity = store.node_identity().unwrap();
    let worker = SyncWorker::spawn(
        format!("postgres://hub@127.0.0.1:{}/province", closed_port()),
        identity.store.clone(),
        identity.origin(),
        store,
        PATIENT,
    );
    wait_for("the offline status", || {
        matches!(worker.status(), SyncStatus::Offline { .. })
    });
    let SyncStatus::Offline { unsent, .. } = worker.status() else {
        unreachable!()
    };
    assert_eq!(
        unsent, waiting,
        "not the {first_sent} the hub already holds"
    );
    worker.stop();

    // Back in touch: everything goes up, under both names, and nothing waits.
    let mut store = Store::open_in(dir.path()).unwrap();
    sync(&mut hub, &mut store);
    assert_eq!(store.events_awaiting_hub().unwrap(), 0);
    let at_hub: i64 = psql(
        &url,
        &format!(
            "SELECT count(*) FROM hub_events WHERE store = '{}'",
            identity.store
        ),
    )
    .parse()
    .unwrap();
    assert_eq!(at_hub, first_sent + waiting);
}
