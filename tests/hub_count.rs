//! The hub's stock-count rule on a real PostgreSQL (../shared/docs/MULTI_TILL.md): a stock
//! movement dated before another node's count that reaches the hub after that count raises one
//! `moved_before_count` alert — the count already saw the shelf without (or with) those goods,
//! and the ledger now holds the movement twice.

mod common;

use common::hub_events::{Line, Till};
use common::postgres::{database, one_at_a_time, psql};
use ocop_pos::core::sync_event::SyncEvent;
use ocop_pos::hub::{HUB_SCHEMA_VERSION, Hub, MIGRATIONS};
use ocop_pos::i18n::Lang;
use proptest::prelude::*;
use std::process::Command;
use std::sync::MutexGuard;

const WINE: &str = "p-wine";
const HONEY: &str = "p-honey";

/// `bottles` of rice wine sold.
fn wine(bottles: i64) -> Line {
    Line {
        product: WINE,
        producer: "pr-sim",
        qty_milli: bottles * 1000,
        total: bottles * 150_000,
    }
}

fn hub() -> (MutexGuard<'static, ()>, String, Hub) {
    let turn = one_at_a_time();
    let url = database();
    let mut hub = Hub::new(&url).unwrap();
    hub.init().unwrap();
    (turn, url, hub)
}

/// The till's clock at `hh:mm` UTC on 1 December 2026 (Vietnam is 7 hours ahead).
fn set_clock(till: &mut Till, hh_mm: &str) {
    till.at = format!("2026-12-01T{hh_mm}:00.000Z");
}

/// The moved_before_count alerts, oldest first: `origin #seq subject: detail`.
fn overlaps(url: &str) -> Vec<String> {
    psql(
        url,
        "SELECT format('%s #%s %s: %s', origin, seq, subject, detail) FROM hub_alerts
          WHERE kind = 'moved_before_count' ORDER BY id",
    )
    .lines()
    .map(str::to_string)
    .collect()
}

fn stock(url: &str, product: &str) -> i64 {
    psql(
        url,
        &format!(
            "SELECT qty_milli FROM hub_store_stock WHERE store = 'RG' AND product = '{product}'"
        ),
    )
    .parse()
    .unwrap()
}

/// The story: AA receives 10 bottles at 09:00 and sends them; AB, offline, sells 3 at
/// 10:00; AA counts the shelf at 11:00 — 7 bottles where it expects 10 — and posts −3; AB's sale
/// reaches the hub at 12:00. Returns the tills and AB's late batch.
fn the_late_sale(url: &str, hub: &mut Hub) -> (Till, Till, Vec<SyncEvent>) {
    let mut aa = Till::new("RG", "AA");
    let mut ab = Till::new("RG", "AB");
    set_clock(&mut aa, "02:00");
    hub.push(&aa.origin(), &[aa.receiving(WINE, 10_000)])
        .unwrap();
    set_clock(&mut ab, "03:00");
    let late = vec![ab.sale("2026-12-01", &[wine(3)])];
    set_clock(&mut aa, "04:00");
    hub.push(&aa.origin(), &[aa.count(WINE, -3000)]).unwrap();
    assert!(overlaps(url).is_empty(), "a count alone is no overlap");
    hub.push(&ab.origin(), &late).unwrap();
    (aa, ab, late)
}

#[test]
fn a_sale_dated_before_another_counters_count_arriving_after_it_raises_one_alert() {
    let (_turn, url, mut hub) = hub();
    let (_aa, ab, _late) = the_late_sale(&url, &mut hub);
    assert_eq!(
        overlaps(&url),
        [format!(
            "{} #1 p-wine: count AA 2026-12-01T04:00:00.000Z; sale AB 2026-12-01T03:00:00.000Z \
             -3000",
            ab.origin()
        )]
    );
    assert_eq!(
        stock(&url, WINE),
        4000,
        "7 bottles on the shelf, 4 in the ledger: what the alert is about"
    );

    let alert = hub.alerts().unwrap().remove(0);
    assert_eq!(alert.kind, "moved_before_count");
    assert!(alert.is_about_product());
    assert_eq!(alert.node(), Some("AB"));
    assert_eq!(alert.what(Lang::En), "A count overlaps a late document");
    assert_eq!(alert.what(Lang::Vi), "Kiểm kê trùng chứng từ đến muộn");
    assert_eq!(
        alert.describe(Lang::En),
        "The count on AA at 11:00 01/12 already saw the shelf after the sale on AB at 10:00 \
         01/12 (-3), but that sale reached the hub after the count, so the stock holds it twice \
         and may be 3 too low. Recount this product, or check that sale on AB."
    );
    assert_eq!(
        alert.describe(Lang::Vi),
        "Kiểm kê trên máy AA lúc 11:00 01/12 đã thấy số hàng sau đơn bán trên máy AB lúc 10:00 \
         01/12 (-3), nhưng đơn bán đó đến máy chủ tỉnh sau kiểm kê nên tồn kho tính nó hai lần, \
         có thể thấp hơn thực tế 3. Hãy kiểm kê lại sản phẩm này, hoặc kiểm tra đơn bán đó trên \
         máy AB."
    );
}

#[test]
fn goods_received_before_the_count_arriving_after_it_leave_the_stock_too_high() {
    let (_turn, _url, mut hub) = hub();
    let mut aa = Till::new("RG", "AA");
    let mut ab = Till::new("RG", "AB");
    set_clock(&mut ab, "03:00");
    let late = ab.receiving(WINE, 1500);
    set_clock(&mut aa, "04:00");
    hub.push(&aa.origin(), &[aa.count(WINE, 1500)]).unwrap();
    hub.push(&ab.origin(), &[late]).unwrap();
    let alert = hub.alerts().unwrap().remove(0);
    assert_eq!(
        alert.detail,
        "count AA 2026-12-01T04:00:00.000Z; receiving AB 2026-12-01T03:00:00.000Z 1500"
    );
    assert!(
        alert
            .describe(Lang::En)
            .contains("after the receiving note on AB at 10:00 01/12 (+1.5),"),
        "{}",
        alert.describe(Lang::En)
    );
    assert!(alert.describe(Lang::En).contains("may be 1.5 too high"));
    assert!(alert.describe(Lang::Vi).contains("(+1,5)"));
    assert!(alert.describe(Lang::Vi).contains("cao hơn thực tế 1,5"));
}

#[test]
fn a_movement_dated_after_the_count_or_arriving_before_it_raises_none() {
    let (_turn, url, mut hub) = hub();
    let mut aa = Till::new("RG", "AA");
    let mut ab = Till::new("RG", "AB");
    // Arriving before the count: the counting node could have known it.
    set_clock(&mut ab, "03:00");
    hub.push(&ab.origin(), &[ab.sale("2026-12-01", &[wine(1)])])
        .unwrap();
    set_clock(&mut aa, "04:00");
    hub.push(&aa.origin(), &[aa.count(WINE, -1000)]).unwrap();
    // Dated after the count, or at its very moment: the count did not see it.
    set_clock(&mut ab, "04:30");
    let after = ab.sale("2026-12-01", &[wine(1)]);
    set_clock(&mut ab, "04:00");
    let same_moment = ab.sale("2026-12-01", &[wine(1)]);
    // Another store's count says nothing of this one's shelf.
    let mut elsewhere = Till::new("HG", "AA");
    set_clock(&mut elsewhere, "05:00");
    hub.push(&elsewhere.origin(), &[elsewhere.count(WINE, 2000)])
        .unwrap();
    hub.push(&ab.origin(), &[after, same_moment]).unwrap();
    assert_eq!(overlaps(&url), Vec::<String>::new());
}

#[test]
fn a_counters_own_movements_never_overlap_its_counts_but_a_copy_of_its_folder_does() {
    let (_turn, url, mut hub) = hub();
    let mut aa = Till::new("RG", "AA");
    set_clock(&mut aa, "03:00");
    let sale = aa.sale("2026-12-01", &[wine(1)]);
    set_clock(&mut aa, "04:00");
    let count = aa.count(WINE, -1000);
    // Its clock set back after the count: the sale is dated before it, yet was made after it,
    // and the count did not include it.
    set_clock(&mut aa, "02:00");
    let after_clock_change = aa.sale("2026-12-01", &[wine(1)]);
    hub.push(&aa.origin(), &[sale, count]).unwrap();
    hub.push(&aa.origin(), &[after_clock_change]).unwrap();
    assert_eq!(overlaps(&url), Vec::<String>::new());

    // A copy of AA's folder takes a new incarnation: another origin, which AA's count never
    // heard of.
    let mut copy = Till::new("RG", "AA");
    copy.incarnation = "inc-copy".into();
    set_clock(&mut copy, "03:30");
    hub.push(&copy.origin(), &[copy.sale("2026-12-01", &[wine(2)])])
        .unwrap();
    assert_eq!(
        overlaps(&url),
        [format!(
            "{} #1 p-wine: count AA 2026-12-01T04:00:00.000Z; sale AA 2026-12-01T03:30:00.000Z \
             -2000",
            copy.origin()
        )]
    );
}

#[test]
fn one_alert_per_event_and_product_naming_the_latest_count() {
    let (_turn, url, mut hub) = hub();
    let mut aa = Till::new("RG", "AA");
    let mut ac = Till::new("RG", "AC");
    let mut ab = Till::new("RG", "AB");
    set_clock(&mut aa, "04:00");
    hub.push(&aa.origin(), &[aa.count(WINE, -1000), aa.count(HONEY, 500)])
        .unwrap();
    set_clock(&mut ac, "05:00");
    hub.push(&ac.origin(), &[ac.count(WINE, -2000)]).unwrap();
    let honey = Line {
        product: HONEY,
        producer: "pr-bee",
        qty_milli: 250,
        total: 40_000,
    };
    let rice = Line {
        product: "p-rice",
        ..honey
    };
    set_clock(&mut ab, "03:00");
    let sale = ab.sale("2026-12-01", &[wine(1), honey, wine(2), rice]);
    hub.push(&ab.origin(), &[sale]).unwrap();
    let origin = ab.origin();
    assert_eq!(
        overlaps(&url),
        [
            format!(
                "{origin} #1 p-honey: count AA 2026-12-01T04:00:00.000Z; sale AB \
                 2026-12-01T03:00:00.000Z -250"
            ),
            format!(
                "{origin} #1 p-wine: count AC 2026-12-01T05:00:00.000Z; sale AB \
                 2026-12-01T03:00:00.000Z -3000"
            ),
        ],
        "the wine's two lines as one movement, the latest count named; no count of rice"
    );
}

#[test]
fn sending_again_or_rebuilding_raises_no_second_alert() {
    let (_turn, url, mut hub) = hub();
    let (_aa, ab, late) = the_late_sale(&url, &mut hub);
    let raised = psql(
        &url,
        "SELECT string_agg(t::text, '|' ORDER BY id) FROM hub_alerts t",
    );
    assert_eq!(overlaps(&url).len(), 1);

    // The answer to AB's push was lost: AB sends the same batch again.
    assert_eq!(hub.push(&ab.origin(), &late).unwrap(), 1);
    assert_eq!(hub.push(&ab.origin(), &late).unwrap(), 1);
    assert_eq!(
        psql(
            &url,
            "SELECT string_agg(t::text, '|' ORDER BY id) FROM hub_alerts t"
        ),
        raised
    );
    assert_eq!(stock(&url, WINE), 4000);

    let moves = psql(
        &url,
        "SELECT string_agg(t::text, '|' ORDER BY t::text) FROM hub_stock_moves t",
    );
    psql(&url, "SELECT hub_rebuild()");
    assert_eq!(
        psql(
            &url,
            "SELECT string_agg(t::text, '|' ORDER BY id) FROM hub_alerts t"
        ),
        raised,
        "a rebuild raises no alert"
    );
    assert_eq!(
        psql(
            &url,
            "SELECT string_agg(t::text, '|' ORDER BY t::text) FROM hub_stock_moves t",
        ),
        moves
    );
    assert_eq!(stock(&url, WINE), 4000);
}

fn ocop_pos(args: &[&str]) -> String {
    let nowhere = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ocop-pos"))
        .arg("--data-dir")
        .arg(nowhere.path())
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_hub_at_version_2_is_upgraded_by_init_and_then_alerts() {
    let _turn = one_at_a_time();
    let url = database();
    // The hub as `ocop-pos hub init` of version 2 left it.
    psql(
        &url,
        "CREATE TABLE hub_schema_version (version int PRIMARY KEY, file text NOT NULL,
                                          applied_at timestamptz NOT NULL DEFAULT now())",
    );
    for (version, (file, sql)) in (1..).zip(&MIGRATIONS[..2]) {
        psql(&url, sql);
        psql(
            &url,
            &format!("INSERT INTO hub_schema_version (version, file) VALUES ({version}, '{file}')"),
        );
    }
    let mut hub = Hub::new(&url).unwrap();
    let mut aa = Till::new("RG", "AA");
    let mut ab = Till::new("RG", "AB");
    set_clock(&mut aa, "04:00");
    hub.push(&aa.origin(), &[aa.count(WINE, -3000)]).unwrap();

    let upgraded = ocop_pos(&["hub", "init", "--url", &url]);
    assert!(
        upgraded.contains(&format!(
            "upgraded the hub from version 2 to {HUB_SCHEMA_VERSION}"
        )),
        "{upgraded}"
    );
    assert_eq!(HUB_SCHEMA_VERSION, 3);

    // The count ingested before the upgrade is held against a sale arriving after it.
    set_clock(&mut ab, "03:00");
    hub.push(&ab.origin(), &[ab.sale("2026-12-01", &[wine(3)])])
        .unwrap();
    assert_eq!(overlaps(&url).len(), 1);
    let listed = ocop_pos(&["hub", "alerts", "--url", &url]);
    assert!(
        listed.contains(
            "Kiểm kê trùng chứng từ đến muộn / A count overlaps a late document  RG/AB/inc-RG-AB #1"
        ),
        "{listed}"
    );
    assert!(
        listed.contains("có thể thấp hơn thực tế 3. Hãy kiểm kê lại sản phẩm này"),
        "{listed}"
    );
    assert!(
        listed.contains("may be 3 too low. Recount this product, or check that sale on AB."),
        "{listed}"
    );
}

/// One event of a node in the property below.
#[derive(Debug, Clone)]
enum Doc {
    /// A count of `PRODUCTS[product]` posting `difference` thousandths.
    Count {
        product: usize,
        difference: i64,
    },
    /// A sale of (product, thousandths) lines.
    Sale {
        lines: Vec<(usize, i64)>,
    },
    Receiving {
        product: usize,
        qty_milli: i64,
    },
}

const PRODUCTS: [&str; 2] = [WINE, HONEY];
const NODES: [&str; 3] = ["AA", "AB", "AC"];

fn doc() -> impl Strategy<Value = Doc> {
    let product = 0..PRODUCTS.len();
    let qty = 1..5_000i64;
    prop_oneof![
        (product.clone(), qty.clone(), any::<bool>()).prop_map(|(product, qty, more)| {
            Doc::Count {
                product,
                difference: if more { qty } else { -qty },
            }
        }),
        prop::collection::vec((product.clone(), qty.clone()), 1..4)
            .prop_map(|lines| Doc::Sale { lines }),
        (product, qty).prop_map(|(product, qty_milli)| Doc::Receiving { product, qty_milli }),
    ]
}

/// Each node's documents with their clock's minute (any order: clocks are set back too).
fn node_docs() -> impl Strategy<Value = Vec<(Doc, u32)>> {
    prop::collection::vec((doc(), 0..90u32), 0..6)
}

fn event(till: &mut Till, doc: &Doc, minute: u32) -> SyncEvent {
    till.at = format!(
        "2026-12-01T{:02}:{:02}:00.000Z",
        3 + minute / 60,
        minute % 60
    );
    match doc {
        Doc::Count {
            product,
            difference,
        } => till.count(PRODUCTS[*product], *difference),
        Doc::Sale { lines } => {
            let lines: Vec<Line> = lines
                .iter()
                .map(|&(product, qty_milli)| Line {
                    product: PRODUCTS[product],
                    producer: "pr",
                    qty_milli,
                    total: qty_milli * 100,
                })
                .collect();
            till.sale("2026-12-01", &lines)
        }
        Doc::Receiving { product, qty_milli } => till.receiving(PRODUCTS[*product], *qty_milli),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the nodes' clocks and the order their batches arrive in: an alert for an
    /// event's product iff a count of that product from another node, dated after the event,
    /// reached the hub before it — naming the latest such count — and a rebuild changes none.
    #[test]
    fn an_alert_iff_another_nodes_later_dated_count_arrived_first(
        docs in [node_docs(), node_docs(), node_docs()],
        // Which node sends next, and how many of its events; the rest goes at the end.
        arrivals in prop::collection::vec((0..NODES.len(), 1..3usize), 0..12),
    ) {
        let (_turn, url, mut hub) = hub();
        let mut tills: Vec<Till> = NODES.iter().map(|node| Till::new("RG", node)).collect();
        let events: Vec<Vec<SyncEvent>> = tills
            .iter_mut()
            .zip(&docs)
            .map(|(till, docs)| docs.iter().map(|(doc, minute)| event(till, doc, *minute)).collect())
            .collect();
        let mut sent = [0usize; NODES.len()];
        let rest = (0..NODES.len()).map(|node| (node, usize::MAX));
        // Counts at the hub so far: (node, product, at).
        let mut counts: Vec<(usize, String, String)> = Vec::new();
        let mut expected: Vec<String> = Vec::new();
        for (node, how_many) in arrivals.into_iter().chain(rest) {
            let from = sent[node];
            let to = events[node].len().min(from.saturating_add(how_many));
            if from == to {
                continue;
            }
            let batch = &events[node][from..to];
            hub.push(&tills[node].origin(), batch).unwrap();
            sent[node] = to;
            for event in batch {
                let mut moved: Vec<(String, i64)> = Vec::new();
                for row in &event.stock {
                    if row.kind == "count" {
                        counts.push((node, row.product.clone(), event.at.clone()));
                    } else if let Some(sum) = moved.iter_mut().find(|(p, _)| *p == row.product) {
                        sum.1 += row.qty_milli;
                    } else {
                        moved.push((row.product.clone(), row.qty_milli));
                    }
                }
                moved.sort();
                for (product, qty) in moved {
                    // The latest; at one moment, the node first in name (the hub's order).
                    let latest = counts
                        .iter()
                        .filter(|(n, p, at)| *n != node && *p == product && *at > event.at)
                        .max_by(|a, b| a.2.cmp(&b.2).then(b.0.cmp(&a.0)));
                    if let Some((count_node, _, count_at)) = latest {
                        expected.push(format!(
                            "{} #{} {product}: count {} {count_at}; {} {} {} {qty}",
                            event_origin(event), event.seq, NODES[*count_node], event.kind,
                            NODES[node], event.at
                        ));
                    }
                }
            }
        }
        prop_assert_eq!(overlaps(&url), expected.clone());
        psql(&url, "SELECT hub_rebuild()");
        prop_assert_eq!(overlaps(&url), expected);
    }
}

fn event_origin(event: &SyncEvent) -> String {
    ocop_pos::core::sync_event::origin(&event.store, &event.node, &event.incarnation)
}
