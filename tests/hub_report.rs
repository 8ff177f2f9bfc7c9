//! The province's figures from the hub on a real PostgreSQL: the day report and a producer's
//! report add up exactly what the nodes sent, and say how far each node has synced.

mod common;

use chrono::NaiveDate;
use common::hub_events::{Line, Till};
use common::postgres::{database, one_at_a_time};
use ocop_pos::core::money::Money;
use ocop_pos::hub::Hub;
use proptest::prelude::*;
use std::collections::BTreeMap;

const STORES: [&str; 3] = ["RG", "HG", "CM"];
const NODES: [&str; 2] = ["AA", "AB"];
const PRODUCTS: [&str; 4] = ["p-tea", "p-honey", "p-fish-sauce", "p-rice"];
const PRODUCERS: [&str; 3] = ["pr-taxua", "pr-phuquoc", "pr-camau"];
const DATES: [&str; 3] = ["2026-12-01", "2026-12-02", "2026-12-03"];

#[derive(Debug, Clone)]
struct Sale {
    store: usize,
    node: usize,
    date: usize,
    lines: Vec<(usize, usize, i64, i64)>,
    /// A refund of the first line, on this date.
    refund: Option<usize>,
}

fn sale() -> impl Strategy<Value = Sale> {
    (
        0..STORES.len(),
        0..NODES.len(),
        0..DATES.len(),
        prop::collection::vec(
            (0..PRODUCTS.len(), 0..PRODUCERS.len(), 1..5i64, 1..900i64),
            1..4,
        ),
        prop::option::of(0..DATES.len()),
    )
        .prop_map(|(store, node, date, lines, refund)| Sale {
            store,
            node,
            date,
            lines: lines
                .into_iter()
                .map(|(p, pr, qty, price)| (p, pr, qty * 1000, qty * price * 1000))
                .collect(),
            refund,
        })
}

fn to_line(&(product, producer, qty_milli, total): &(usize, usize, i64, i64)) -> Line {
    Line {
        product: PRODUCTS[product],
        producer: PRODUCERS[producer],
        qty_milli,
        total,
    }
}

/// What the report must say, added up here from the same sales.
#[derive(Debug, Default, PartialEq)]
struct Expected {
    /// (date, store) → (count, sales, refunds, vat)
    stores: BTreeMap<(usize, &'static str), (i64, i64, i64, i64)>,
    /// (date, producer) → (sold, sales, refunded, refunds)
    producers: BTreeMap<(usize, &'static str), (i64, i64, i64, i64)>,
}

fn day(date: usize) -> NaiveDate {
    DATES[date].parse().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn the_reports_add_up_what_was_ingested(sales in prop::collection::vec(sale(), 1..25)) {
        let _turn = one_at_a_time();
        let url = database();
        let mut hub = Hub::new(&url).unwrap();
        hub.init().unwrap();
        let mut tills: BTreeMap<(usize, usize), Till> = BTreeMap::new();
        let mut batches: BTreeMap<(usize, usize), Vec<_>> = BTreeMap::new();
        let mut expected = Expected::default();
        for sale in &sales {
            let till = tills
                .entry((sale.store, sale.node))
                .or_insert_with(|| Till::new(STORES[sale.store], NODES[sale.node]));
            let lines: Vec<Line> = sale.lines.iter().map(to_line).collect();
            let event = till.sale(DATES[sale.date], &lines);
            let store = expected.stores.entry((sale.date, STORES[sale.store])).or_default();
            store.0 += 1;
            store.1 += lines.iter().map(|l| l.total).sum::<i64>();
            store.3 += lines.iter().map(Line::vat).sum::<i64>();
            for line in &lines {
                let producer = expected.producers.entry((sale.date, line.producer)).or_default();
                producer.0 += line.qty_milli;
                producer.1 += line.total;
            }
            let refund = sale.refund.map(|date| (date, till.refund(&event, DATES[date], &lines[..1])));
            let batch = batches.entry((sale.store, sale.node)).or_default();
            batch.push(event);
            if let Some((date, refund)) = refund {
                let store = expected.stores.entry((date, STORES[sale.store])).or_default();
                store.2 += lines[0].total;
                store.3 -= lines[0].vat();
                let producer = expected.producers.entry((date, lines[0].producer)).or_default();
                producer.2 += lines[0].qty_milli;
                producer.3 += lines[0].total;
                batch.push(refund);
            }
        }
        for ((store, node), batch) in &batches {
            let origin = tills[&(*store, *node)].origin();
            for chunk in batch.chunks(4) {
                prop_assert_eq!(hub.push(&origin, chunk).unwrap(), chunk.last().unwrap().seq);
            }
        }

        for (date, text) in DATES.iter().enumerate() {
            let report = hub.report_day(text.parse().unwrap()).unwrap();
            for store in &report.stores {
                let name = STORES.into_iter().find(|s| *s == store.store).unwrap();
                let (count, sales, refunds, vat) = expected
                    .stores
                    .get(&(date, name))
                    .copied()
                    .unwrap_or_default();
                prop_assert_eq!(
                    (store.sales_count, store.sales, store.refunds, store.vat),
                    (count, Money(sales), Money(refunds), Money(vat)),
                    "{} on {}", store.store, text
                );
            }
            let province = report.province();
            prop_assert_eq!(
                province.net().0,
                expected.stores.iter().filter(|((d, _), _)| *d == date).map(|(_, v)| v.1 - v.2).sum::<i64>()
            );
            let producers: BTreeMap<&str, (i64, i64, i64, i64)> = report
                .producers
                .iter()
                .map(|p| (p.key.as_str(), (p.sold_milli, p.sales.0, p.refunded_milli, p.refunds.0)))
                .collect();
            let wanted: BTreeMap<&str, (i64, i64, i64, i64)> = expected
                .producers
                .iter()
                .filter(|((d, _), _)| *d == date)
                .map(|((_, producer), v)| (*producer, *v))
                .collect();
            prop_assert_eq!(producers, wanted);
            // Every node that sent something is listed, synced up to its last event.
            prop_assert_eq!(report.nodes.len(), tills.len());
            for node in &report.nodes {
                let till = tills.values().find(|t| t.origin() == node.origin).unwrap();
                prop_assert_eq!(node.acked_seq, till.seq);
                prop_assert_eq!(node.synced_up_to.unwrap().to_rfc3339(), "2026-12-01T03:00:00+00:00");
            }
        }

        for producer in PRODUCERS {
            let report = hub.report_producer(producer, day(0), day(DATES.len() - 1)).unwrap();
            let total = report.total();
            let wanted = expected
                .producers
                .iter()
                .filter(|((_, p), _)| *p == producer)
                .fold((0, 0, 0, 0), |a, (_, v)| (a.0 + v.0, a.1 + v.1, a.2 + v.2, a.3 + v.3));
            prop_assert_eq!(
                (total.sold_milli, total.sales.0, total.refunded_milli, total.refunds.0),
                wanted
            );
            // One day only: that day's share.
            let first = hub.report_producer(producer, day(0), day(0)).unwrap().total();
            let wanted_first = expected.producers.get(&(0, producer)).copied().unwrap_or_default();
            prop_assert_eq!(
                (first.sold_milli, first.sales.0, first.refunded_milli, first.refunds.0),
                wanted_first
            );
        }
    }
}

#[test]
fn a_report_names_producers_as_the_catalogue_node_sent_them() {
    let _turn = one_at_a_time();
    let url = database();
    let mut hub = Hub::new(&url).unwrap();
    hub.init().unwrap();
    let mut manager = Till::new("RG", "MG");
    let mut counter = Till::new("RG", "AA");
    hub.push(
        &manager.origin(),
        &[manager.catalogue("producer", "pr-taxua", "HTX Trà Shan tuyết Tà Xùa")],
    )
    .unwrap();
    let tea = Line {
        product: "p-tea",
        producer: "pr-taxua",
        qty_milli: 2000,
        total: 240_000,
    };
    hub.push(&counter.origin(), &[counter.sale("2026-12-01", &[tea])])
        .unwrap();
    let report = hub.report_day(day(0)).unwrap();
    assert_eq!(
        report.producers[0].name.as_deref(),
        Some("HTX Trà Shan tuyết Tà Xùa")
    );
    let statement = hub.report_producer("pr-taxua", day(0), day(0)).unwrap();
    assert_eq!(statement.name.as_deref(), Some("HTX Trà Shan tuyết Tà Xùa"));
    assert_eq!(statement.lines[0].key, "RG SKU-p-tea");
    assert_eq!(statement.total().net(), Money(240_000));
}
