//! Nodes pulling each other's events from the hub (`hub_pull`) on a real PostgreSQL: only the
//! store's other nodes, in order, and nothing lost to a slow transaction — the trap of a
//! cursor on identities, which are handed out at insert, not at commit.

mod common;

use common::hub_events::{Line, Till};
use common::postgres::{database, one_at_a_time, psql};
use ocop_pos::core::sync_event::SyncEvent;
use ocop_pos::hub::{Hub, HubCursor};
use std::collections::BTreeMap;
use std::sync::MutexGuard;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;
use tokio_postgres::NoTls;

fn line(product: &'static str) -> Line {
    Line {
        product,
        producer: "pr-1",
        qty_milli: 1000,
        total: 50_000,
    }
}

fn hub() -> (MutexGuard<'static, ()>, String, Hub) {
    let turn = one_at_a_time();
    let url = database();
    let mut hub = Hub::new(&url).unwrap();
    hub.init().unwrap();
    (turn, url, hub)
}

/// A connection of its own, to hold a transaction open as a slow node would.
struct SlowNode {
    runtime: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
}

impl SlowNode {
    fn connect(url: &str) -> SlowNode {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (client, connection) = runtime
            .block_on(tokio_postgres::connect(url, NoTls))
            .unwrap();
        runtime.spawn(connection);
        SlowNode { runtime, client }
    }

    /// Begins a transaction and ingests `events` in it, without committing.
    fn begin_ingest(&self, origin: &str, events: &[SyncEvent]) {
        let batch = serde_json::to_value(events).unwrap();
        self.runtime
            .block_on(self.client.batch_execute("BEGIN"))
            .unwrap();
        self.runtime
            .block_on(
                self.client
                    .query_one("SELECT hub_ingest($1, $2)", &[&origin, &batch]),
            )
            .unwrap();
    }

    fn commit(&self) {
        self.runtime
            .block_on(self.client.batch_execute("COMMIT"))
            .unwrap();
    }
}

fn k(node: &str, seq: i64) -> (String, i64) {
    (node.to_string(), seq)
}

fn keys(events: &[SyncEvent]) -> Vec<(String, i64)> {
    events.iter().map(|e| (e.node.clone(), e.seq)).collect()
}

#[test]
fn a_node_pulls_the_other_nodes_of_its_store_in_order_and_in_pages() {
    let (_turn, _url, mut hub) = hub();
    let mut aa = Till::new("RG", "AA");
    let mut ab = Till::new("RG", "AB");
    let mut elsewhere = Till::new("HG", "AA");
    hub.push(
        &aa.origin(),
        &[
            aa.receiving("p1", 5000),
            aa.sale("2026-12-01", &[line("p1")]),
        ],
    )
    .unwrap();
    hub.push(&ab.origin(), &[ab.sale("2026-12-01", &[line("p1")])])
        .unwrap();
    hub.push(&elsewhere.origin(), &[elsewhere.receiving("p1", 1000)])
        .unwrap();
    hub.push(&aa.origin(), &[aa.receiving("p2", 1000)]).unwrap();

    let (seen_by_ab, end) = hub.pull("RG", &ab.origin(), HubCursor::START, 100).unwrap();
    assert_eq!(keys(&seen_by_ab), [k("AA", 1), k("AA", 2), k("AA", 3)]);
    assert_eq!(seen_by_ab[1].doc["lines"][0]["product"], "p1");

    // Two at a time, the cursor carries on where the last page stopped.
    let (first, cursor) = hub.pull("RG", &aa.origin(), HubCursor::START, 1).unwrap();
    let (rest, cursor) = hub.pull("RG", &aa.origin(), cursor, 2).unwrap();
    assert_eq!(keys(&first), [k("AB", 1)]);
    assert!(rest.is_empty());
    assert_eq!(hub.pull("RG", &aa.origin(), cursor, 2).unwrap().1, cursor);
    // Nothing new: the same cursor back.
    assert_eq!(
        hub.pull("RG", &ab.origin(), end, 100).unwrap(),
        (vec![], end)
    );
}

#[test]
fn a_slow_transaction_is_read_after_it_commits_where_an_id_cursor_would_skip_it() {
    let (_turn, url, mut hub) = hub();
    let mut slow = Till::new("RG", "AA");
    let mut quick = Till::new("RG", "AB");
    let reader = Till::new("RG", "AC");
    // Both nodes known to the hub, and the reader up to date.
    hub.push(&slow.origin(), &[slow.receiving("p-slow", 1000)])
        .unwrap();
    hub.push(&quick.origin(), &[quick.receiving("p-quick", 1000)])
        .unwrap();
    let (_, cursor) = hub
        .pull("RG", &reader.origin(), HubCursor::START, 100)
        .unwrap();
    let naive_cursor: i64 = psql(&url, "SELECT max(feed_id) FROM hub_events")
        .parse()
        .unwrap();

    // The slow node's batch takes its feed id first and commits last.
    let node = SlowNode::connect(&url);
    node.begin_ingest(
        &slow.origin(),
        &[slow.sale("2026-12-01", &[line("p-slow")])],
    );
    hub.push(
        &quick.origin(),
        &[quick.sale("2026-12-01", &[line("p-quick")])],
    )
    .unwrap();
    let committed =
        "SELECT feed_id, origin FROM hub_events WHERE feed_id > {cursor} ORDER BY feed_id";
    let naive_page = psql(
        &url,
        &committed.replace("{cursor}", &naive_cursor.to_string()),
    );
    let quick_feed_id: i64 = naive_page
        .lines()
        .last()
        .and_then(|row| row.split('|').next())
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        naive_page.lines().count(),
        1,
        "only the quick batch is visible"
    );
    // The hub holds the quick batch back while an older transaction may still commit.
    let (held_back, same) = hub.pull("RG", &reader.origin(), cursor, 100).unwrap();
    assert!(held_back.is_empty(), "{held_back:?}");
    assert_eq!(same, cursor);

    node.commit();
    let slow_feed_id: i64 = psql(
        &url,
        &format!(
            "SELECT feed_id FROM hub_events WHERE origin = '{}' AND seq = 2",
            slow.origin()
        ),
    )
    .parse()
    .unwrap();
    assert!(
        slow_feed_id < quick_feed_id,
        "the slow batch's id ({slow_feed_id}) is below the quick one's ({quick_feed_id})"
    );
    // A reader that moved its cursor to the quick batch's id would never see the slow one.
    let after_naive = psql(
        &url,
        &committed.replace("{cursor}", &quick_feed_id.to_string()),
    );
    assert_eq!(after_naive, "", "`id > cursor` has lost the slow batch");
    let (pulled, _) = hub.pull("RG", &reader.origin(), cursor, 100).unwrap();
    assert_eq!(keys(&pulled), [k("AA", 2), k("AB", 2)]);
}

#[test]
fn two_tills_ingesting_while_a_third_pulls_lose_nothing() {
    const BATCHES: i64 = 30;
    const PER_BATCH: i64 = 3;
    let (_turn, url, mut hub) = hub();
    let tills = [
        Till::new("RG", "AA"),
        Till::new("RG", "AB"),
        Till::new("RG", "AC"),
    ];
    let reader = Till::new("RG", "AD");
    let done = Arc::new(AtomicBool::new(false));
    let start = Arc::new(Barrier::new(4));

    // AA and AB push quickly; AC holds each batch's transaction open for a while.
    let mut writers = Vec::new();
    for (n, till) in tills.iter().cloned().enumerate() {
        let (url, start) = (url.clone(), start.clone());
        writers.push(thread::spawn(move || {
            let mut till = till;
            let slow = (n == 2).then(|| SlowNode::connect(&url));
            let mut hub = Hub::new(&url).unwrap();
            start.wait();
            for _ in 0..BATCHES {
                let batch: Vec<_> = (0..PER_BATCH)
                    .map(|k| till.sale("2026-12-01", &[line(["p1", "p2", "p3"][k as usize])]))
                    .collect();
                match &slow {
                    Some(node) => {
                        node.begin_ingest(&till.origin(), &batch);
                        thread::sleep(Duration::from_millis(40));
                        node.commit();
                    }
                    None => assert_eq!(hub.push(&till.origin(), &batch).unwrap(), till.seq),
                }
            }
        }));
    }
    let puller = {
        let (url, done, start) = (url.clone(), done.clone(), start.clone());
        let origin = reader.origin();
        thread::spawn(move || {
            let mut hub = Hub::new(&url).unwrap();
            let mut cursor = HubCursor::START;
            let mut pulled = Vec::new();
            start.wait();
            loop {
                let finished = done.load(Ordering::SeqCst);
                let (events, next) = hub.pull("RG", &origin, cursor, 7).unwrap();
                assert!(next >= cursor);
                cursor = next;
                let drained = events.is_empty();
                pulled.extend(events);
                if finished && drained {
                    return pulled;
                }
            }
        })
    };
    for writer in writers {
        writer.join().unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let pulled = puller.join().unwrap();

    let mut by_node: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for event in &pulled {
        by_node
            .entry(event.node.clone())
            .or_default()
            .push(event.seq);
    }
    let every_seq: Vec<i64> = (1..=BATCHES * PER_BATCH).collect();
    for till in &tills {
        assert_eq!(
            by_node.get(&till.node),
            Some(&every_seq),
            "{}: every event once, in its order",
            till.node
        );
    }
    assert_eq!(pulled.len() as i64, 3 * BATCHES * PER_BATCH);
    assert_eq!(
        hub.pull("RG", &reader.origin(), HubCursor::START, 1000)
            .unwrap()
            .0
            .len(),
        pulled.len()
    );
}
