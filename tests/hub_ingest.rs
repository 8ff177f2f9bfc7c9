//! The hub taking nodes' batches (`hub_ingest`) on a real PostgreSQL: idempotent by
//! (origin, seq), gaps refused, a divergent replay refused, alerted and blocking its origin,
//! projections and alerts as the events say.

mod common;

use common::hub_events::{Line, Till};
use common::postgres::{database, one_at_a_time, psql};
use ocop_pos::hub::{HUB_SCHEMA_VERSION, Hub, HubError};
use std::sync::MutexGuard;

const TEA: Line = Line {
    product: "p-tea",
    producer: "pr-taxua",
    qty_milli: 1000,
    total: 150_000,
};

fn hub() -> (MutexGuard<'static, ()>, String, Hub) {
    let turn = one_at_a_time();
    let url = database();
    let mut hub = Hub::new(&url).unwrap();
    assert_eq!(hub.init().unwrap(), 0, "a new database has no hub schema");
    (turn, url, hub)
}

/// Everything the hub holds, as text; `last_ingest_at` left out: it records each contact.
fn state(url: &str) -> String {
    [
        "hub_stores",
        "hub_events",
        "hub_stock_moves",
        "hub_store_stock",
        "hub_sales",
        "hub_sale_lines",
        "hub_refunds",
        "hub_refund_lines",
        "hub_document_numbers",
        "hub_catalogue",
        "hub_alerts",
    ]
    .iter()
    .map(|table| {
        psql(
            url,
            &format!("SELECT '{table}', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t"),
        )
    })
    .chain([psql(
        url,
        "SELECT string_agg(concat_ws(',', origin, acked_seq, blocked, last_event_at), '|') FROM hub_nodes",
    )])
    .collect::<Vec<_>>()
    .join("\n")
}

fn alerts(url: &str, kind: &str) -> Vec<String> {
    let text = psql(
        url,
        &format!(
            "SELECT subject || ': ' || detail FROM hub_alerts WHERE kind = '{kind}' ORDER BY id"
        ),
    );
    text.lines().map(str::to_string).collect()
}

fn stock(url: &str, store: &str, product: &str) -> i64 {
    psql(
        url,
        &format!("SELECT qty_milli FROM hub_store_stock WHERE store = '{store}' AND product = '{product}'"),
    )
    .parse()
    .unwrap()
}

#[test]
fn init_creates_the_schema_once_and_again_changes_nothing() {
    let (_turn, url, mut hub) = hub();
    assert_eq!(hub.init().unwrap(), HUB_SCHEMA_VERSION);
    assert_eq!(
        psql(
            &url,
            "SELECT string_agg(version::text, ',') FROM hub_schema_version"
        ),
        (1..=HUB_SCHEMA_VERSION)
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
}

#[test]
fn a_hub_without_its_schema_says_to_run_init() {
    let mut hub = Hub::new(&database()).unwrap();
    let mut till = Till::new("RG", "AA");
    assert_eq!(
        hub.push(&till.origin(), &[till.receiving("p-tea", 1000)]),
        Err(HubError::NotInitialised)
    );
}

#[test]
fn the_same_batch_twice_changes_nothing() {
    let (_turn, url, mut hub) = hub();
    let mut till = Till::new("RG", "AA");
    let batch = vec![
        till.receiving("p-tea", 10_000),
        till.sale("2026-12-01", &[TEA, TEA]),
        till.sale("2026-12-01", &[TEA]),
    ];
    assert_eq!(hub.push(&till.origin(), &batch).unwrap(), 3);
    let once = state(&url);
    assert_eq!(hub.push(&till.origin(), &batch).unwrap(), 3);
    assert_eq!(state(&url), once, "a retry of the same batch is a no-op");
    // A retry that overlaps what the hub has and brings one more: only the new one counts.
    let mut overlapping = batch[1..].to_vec();
    overlapping.push(till.sale("2026-12-01", &[TEA]));
    assert_eq!(hub.push(&till.origin(), &overlapping).unwrap(), 4);
    assert_eq!(psql(&url, "SELECT count(*) FROM hub_sales"), "3");
    assert_eq!(stock(&url, "RG", "p-tea"), 10_000 - 4_000);
}

#[test]
fn a_gap_is_refused_and_changes_nothing() {
    let (_turn, url, mut hub) = hub();
    let mut till = Till::new("RG", "AA");
    let events: Vec<_> = (0..6).map(|_| till.receiving("p-tea", 1000)).collect();
    assert_eq!(hub.push(&till.origin(), &events[..3]).unwrap(), 3);
    let before = state(&url);
    // Event 4 missing before 5 and 6.
    assert!(matches!(
        hub.push(&till.origin(), &events[4..]),
        Err(HubError::Refused(_))
    ));
    // A hole inside a batch.
    let holed = vec![events[3].clone(), events[5].clone()];
    assert!(matches!(
        hub.push(&till.origin(), &holed),
        Err(HubError::Refused(_))
    ));
    assert_eq!(state(&url), before);
    // The node sends what it has from acked + 1: taken.
    assert_eq!(hub.push(&till.origin(), &events[3..]).unwrap(), 6);
    assert_eq!(stock(&url, "RG", "p-tea"), 6000);
}

#[test]
fn an_event_of_another_origin_in_a_batch_is_refused() {
    let (_turn, url, mut hub) = hub();
    let mut aa = Till::new("RG", "AA");
    let mut ab = Till::new("RG", "AB");
    let batch = vec![aa.receiving("p-tea", 1000), ab.receiving("p-tea", 1000)];
    assert!(matches!(
        hub.push(&aa.origin(), &batch),
        Err(HubError::Refused(_))
    ));
    assert_eq!(psql(&url, "SELECT count(*) FROM hub_events"), "0");
}

#[test]
fn a_divergent_replay_is_refused_alerted_and_blocks_the_origin() {
    let (_turn, url, mut hub) = hub();
    let mut till = Till::new("RG", "AA");
    let batch: Vec<_> = (0..3).map(|_| till.sale("2026-12-01", &[TEA])).collect();
    assert_eq!(hub.push(&till.origin(), &batch).unwrap(), 3);
    let before = psql(
        &url,
        "SELECT md5(string_agg(body::text, '|' ORDER BY seq)) FROM hub_events",
    );

    // A copy of the folder from before sale 2 sells something else under the same numbers.
    let mut copy = till.clone();
    copy.seq = 1;
    let replay = vec![
        copy.sale("2026-12-01", &[TEA, TEA]),
        copy.sale("2026-12-01", &[TEA]),
    ];
    let Err(HubError::Blocked(why)) = hub.push(&till.origin(), &replay) else {
        panic!("a divergent replay is refused as blocked");
    };
    assert!(why.contains("event 2"), "{why}");
    assert_eq!(alerts(&url, "divergent_replay").len(), 1);
    assert_eq!(
        psql(
            &url,
            "SELECT md5(string_agg(body::text, '|' ORDER BY seq)) FROM hub_events"
        ),
        before,
        "what the hub had stays as it was"
    );

    // Later batches of the origin, even good ones, are refused with the reason.
    let next = till.sale("2026-12-01", &[TEA]);
    assert_eq!(
        hub.push(&till.origin(), &[next]),
        Err(HubError::Blocked(why.clone()))
    );
    assert_eq!(psql(&url, "SELECT count(*) FROM hub_events"), "3");
    // Other nodes go on.
    let mut other = Till::new("RG", "AB");
    assert_eq!(
        hub.push(&other.origin(), &[other.sale("2026-12-01", &[TEA])])
            .unwrap(),
        1
    );
}

#[test]
fn the_oversell_alert_fires_once_per_crossing_below_zero() {
    let (_turn, url, mut hub) = hub();
    let mut aa = Till::new("RG", "AA");
    let mut ab = Till::new("RG", "AB");
    let two = Line {
        qty_milli: 2000,
        total: 300_000,
        ..TEA
    };
    hub.push(&aa.origin(), &[aa.receiving("p-tea", 3000)])
        .unwrap();
    // Two counters sell the last three bottles four times over, offline.
    hub.push(&aa.origin(), &[aa.sale("2026-12-01", &[two])])
        .unwrap();
    hub.push(&ab.origin(), &[ab.sale("2026-12-01", &[two])])
        .unwrap();
    assert_eq!(stock(&url, "RG", "p-tea"), -1000);
    hub.push(&aa.origin(), &[aa.sale("2026-12-01", &[two])])
        .unwrap();
    assert_eq!(alerts(&url, "oversell"), ["p-tea: stock 1000 → -1000"]);
    // Back above zero, then below again: a second crossing, a second alert.
    hub.push(&ab.origin(), &[ab.receiving("p-tea", 5000)])
        .unwrap();
    hub.push(&aa.origin(), &[aa.sale("2026-12-01", &[two, two])])
        .unwrap();
    assert_eq!(
        alerts(&url, "oversell"),
        ["p-tea: stock 1000 → -1000", "p-tea: stock 0 → -2000"]
    );
    // Another store's stock is its own.
    let mut other_store = Till::new("HG", "AA");
    hub.push(
        &other_store.origin(),
        &[other_store.receiving("p-tea", 1000)],
    )
    .unwrap();
    assert_eq!(stock(&url, "HG", "p-tea"), 1000);
    assert_eq!(alerts(&url, "oversell").len(), 2);
}

#[test]
fn refunding_more_than_was_sold_raises_an_over_refund_alert() {
    let (_turn, url, mut hub) = hub();
    let mut aa = Till::new("RG", "AA");
    let mut ab = Till::new("RG", "AB");
    let two = Line {
        qty_milli: 2000,
        total: 300_000,
        ..TEA
    };
    let sale = aa.sale("2026-12-01", &[two]);
    hub.push(&aa.origin(), std::slice::from_ref(&sale)).unwrap();
    // One bottle back at each counter: two of two, fine.
    hub.push(&aa.origin(), &[aa.refund(&sale, "2026-12-01", &[TEA])])
        .unwrap();
    hub.push(&ab.origin(), &[ab.refund(&sale, "2026-12-01", &[TEA])])
        .unwrap();
    assert!(alerts(&url, "over_refund").is_empty());
    // A third, offline at the first counter: three refunded of two sold.
    hub.push(&aa.origin(), &[aa.refund(&sale, "2026-12-02", &[TEA])])
        .unwrap();
    let over = alerts(&url, "over_refund");
    assert_eq!(over.len(), 1, "{over:?}");
    assert!(over[0].contains("refunded 3000 > sold 2000"), "{over:?}");
}

#[test]
fn catalogue_changes_from_a_second_writer_are_held_and_alerted() {
    let (_turn, url, mut hub) = hub();
    let mut manager = Till::new("RG", "MG");
    let mut counter = Till::new("RG", "AA");
    hub.push(
        &manager.origin(),
        &[manager.catalogue("producer", "pr-taxua", "HTX Tà Xùa")],
    )
    .unwrap();
    hub.push(
        &counter.origin(),
        &[counter.catalogue("producer", "pr-taxua", "Tên khác")],
    )
    .unwrap();
    assert_eq!(alerts(&url, "catalogue_writer").len(), 1);
    assert_eq!(
        psql(
            &url,
            "SELECT doc ->> 'name' FROM hub_catalogue WHERE uid = 'pr-taxua'"
        ),
        "HTX Tà Xùa"
    );
    let third = Till::new("RG", "AB");
    let (pulled, _) = hub
        .pull("RG", &third.origin(), Default::default(), 100)
        .unwrap();
    // Passed on, so the counter's numbers have no gap at the other nodes (which apply
    // catalogue changes from their catalogue node only), but not in the hub's catalogue.
    let nodes: Vec<&str> = pulled.iter().map(|event| event.node.as_str()).collect();
    assert_eq!(nodes, ["MG", "AA"]);
    // Its seq still counts: the counter goes on.
    assert_eq!(
        hub.push(&counter.origin(), &[counter.receiving("p-tea", 1)])
            .unwrap(),
        2
    );
}

#[test]
fn an_event_from_a_clock_far_ahead_raises_one_clock_skew_alert() {
    let (_turn, url, mut hub) = hub();
    let mut till = Till::new("RG", "AA");
    till.at = "2099-01-01T00:00:00.000Z".into();
    let batch: Vec<_> = (0..3).map(|_| till.receiving("p-tea", 1000)).collect();
    hub.push(&till.origin(), &batch).unwrap();
    assert_eq!(alerts(&url, "clock_skew").len(), 1);
    // A till that was offline for a week is not skewed: its events are just old.
    let mut late = Till::new("RG", "AB");
    late.at = "2020-01-01T00:00:00.000Z".into();
    hub.push(&late.origin(), &[late.receiving("p-tea", 1000)])
        .unwrap();
    assert_eq!(alerts(&url, "clock_skew").len(), 1);
}

#[test]
fn the_projections_rebuilt_from_the_events_are_the_same() {
    let (_turn, url, mut hub) = hub();
    let mut aa = Till::new("RG", "AA");
    let mut ab = Till::new("RG", "AB");
    let receiving = aa.receiving("p-tea", 5000);
    let sale = aa.sale("2026-12-01", &[TEA, TEA]);
    let batch = vec![receiving, sale.clone()];
    hub.push(&aa.origin(), &batch).unwrap();
    hub.push(&ab.origin(), &[ab.refund(&sale, "2026-12-01", &[TEA])])
        .unwrap();
    let before = state(&url);
    psql(&url, "SELECT hub_rebuild()");
    assert_eq!(state(&url), before);
}
