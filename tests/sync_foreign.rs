//! A receipt sold at one counter, refunded and reprinted at another once synced: the demo
//! store's catalogue node `AA` (which sells too) and tills `AB`, `AC`, each a data folder of its
//! own, exchanging events files as `events export` / `events import` do.
//!
//! Two counters refunding the same line while cut off from each other cannot be stopped by
//! either: the hub raises an `over_refund` alert then (tests/hub_ingest.rs,
//! `refunding_more_than_was_sold_raises_an_over_refund_alert`). What each counter can do, it
//! does: it counts every refund of the sale it has the events of.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::counters::refund_request;
use common::{
    DEMO_PRODUCTS, events_file, older_store_with_rows_of, sell_for_exact_cash, shop_time, text_of,
};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::customer::CreditTerms;
use ocop_pos::core::invoice::Buyer;
use ocop_pos::core::money::Money;
use ocop_pos::core::order::OrderError;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::refund::{RefundError, RefundRecord};
use ocop_pos::core::report::Period;
use ocop_pos::core::sale::{SaleDraft, SaleRecord};
use ocop_pos::core::sync_event::SyncEvent;
use ocop_pos::i18n::{Lang, Notice};
use ocop_pos::print::{ReceiptOptions, receipt_pdf};
use ocop_pos::store::{
    AUTO_OPEN_SESSIONS, DATABASE_FILE, SESSION_POLICY_SETTING, Store, StoreError,
};
use proptest::prelude::*;
use rusqlite::{Connection, OpenFlags};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use tempfile::TempDir;

struct Node {
    dir: TempDir,
    store: Store,
    code: &'static str,
}

impl Node {
    fn read(&self) -> Connection {
        Connection::open_with_flags(
            self.dir.path().join(DATABASE_FILE),
            OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap()
    }

    fn count(&self, sql: &str) -> i64 {
        self.read().query_row(sql, [], |row| row.get(0)).unwrap()
    }
}

fn carry(nodes: &mut [Node], from: usize, to: usize) {
    let events = events_file(&nodes[from].store);
    nodes[to].store.apply_events(&events).unwrap();
}

/// The catalogue node with the demo catalogue, and `tills` tills that took its catalogue.
fn store_of(tills: usize) -> Vec<Node> {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
    let catalogue = store.events_after(0, usize::MAX).unwrap();
    let mut nodes = vec![Node {
        dir,
        store,
        code: "AA",
    }];
    for code in ["AB", "AC"].into_iter().take(tills) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        store.set_node_identity(None, Some(code), None).unwrap();
        store.apply_events(&catalogue).unwrap();
        nodes.push(Node { dir, store, code });
    }
    for node in &mut nodes {
        node.store
            .set_setting(SESSION_POLICY_SETTING, AUTO_OPEN_SESSIONS)
            .unwrap();
    }
    nodes
}

/// A sale at `node` of `quantities` of the demo products `KG001`, `KG004`, … in that order.
fn sell(node: &mut Node, quantities: &[u32], at: DateTime<Utc>) -> SaleRecord {
    let catalogue = node.store.catalogue(at).unwrap();
    let mut cart = Cart::default();
    for (sku, quantity) in ["KG001", "KG004", "KG005"].iter().zip(quantities) {
        let product = catalogue.iter().find(|p| p.sku == *sku).unwrap();
        cart.add_product(product, Decimal::from(*quantity)).unwrap();
    }
    sell_for_exact_cash(&mut node.store, &cart, at).unwrap()
}

fn refund(
    node: &mut Node,
    receipt_no: &str,
    items: &[(usize, u32)],
    at: DateTime<Utc>,
) -> Result<RefundRecord, RefundError> {
    node.store
        .commit_refund(&refund_request(receipt_no, items), at)
        .map_err(|error| match error {
            StoreError::Refund(refusal) => refusal,
            other => panic!("{}: a refusal, not a failure: {other}", node.code),
        })
}

fn left_of(node: &Node, receipt_no: &str) -> Vec<Decimal> {
    node.store
        .refundable_lines(receipt_no)
        .unwrap()
        .into_iter()
        .map(|(quantity, _)| quantity)
        .collect()
}

fn stock_by_uid(node: &Node) -> BTreeMap<String, i64> {
    let conn = node.read();
    let mut stmt = conn
        .prepare(
            "SELECT p.uid, coalesce(sum(m.quantity_milli), 0)
               FROM products p LEFT JOIN stock_movements m ON m.product_id = p.id
              GROUP BY p.id ORDER BY p.uid",
        )
        .unwrap();
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn the_day() -> Period {
    Period::day(ocop_pos::core::clock::local_date(shop_time()))
}

#[test]
fn a_sale_sold_at_aa_is_refunded_at_ab_once_synced_and_aa_counts_that_refund() {
    let mut nodes = store_of(2);
    let at = shop_time();
    let sale = sell(&mut nodes[0], &[3, 1], at);
    assert_eq!(sale.receipt_no, "2026-AA-000001");

    // Before AB has AA's events it does not know the sale: refused, saying to sync first.
    let refused = refund(&mut nodes[1], &sale.receipt_no, &[(0, 1)], at).unwrap_err();
    assert_eq!(refused, RefundError::NoSuchSale);
    let notice = Notice::from_store_error(&StoreError::Refund(refused));
    assert!(notice.text(Lang::Vi).contains("đồng bộ"), "{notice:?}");
    assert!(notice.text(Lang::En).contains("sync first"), "{notice:?}");
    assert!(
        nodes[1]
            .store
            .sale_by_receipt_no(&sale.receipt_no)
            .unwrap()
            .is_none()
    );

    carry(&mut nodes, 0, 1);
    let stock_after_import = stock_by_uid(&nodes[1]);
    assert_eq!(
        stock_after_import,
        stock_by_uid(&nodes[0]),
        "the sale's stock once"
    );
    let found = nodes[1]
        .store
        .sale_by_receipt_no(&sale.receipt_no)
        .unwrap()
        .expect("AB finds AA's sale by its number");
    assert_eq!(found.counter.as_deref(), Some("AA"));
    assert_eq!(found.sold_at, sale.sold_at);
    assert_eq!(found.draft, sale.draft, "as AA printed it");
    assert_eq!(found.invoice, sale.invoice, "with AA's invoice");
    assert_eq!(
        left_of(&nodes[1], &sale.receipt_no),
        [Decimal::from(3), Decimal::ONE]
    );
    // Not AB's sale: not in its sales, series, day, drawer or e-invoices.
    assert_eq!(nodes[1].count("SELECT count(*) FROM sales"), 0);
    assert_eq!(nodes[1].count("SELECT count(*) FROM einvoices"), 0);
    assert_eq!(nodes[1].store.last_receipt_number(2026).unwrap(), 0);
    assert_eq!(
        nodes[1].store.day_summary(the_day()).unwrap().sales_count,
        0
    );

    // AB gives back 2 of the 3 on line 0: its own document, drawer and event.
    let by_ab = refund(
        &mut nodes[1],
        &sale.receipt_no,
        &[(0, 2)],
        at + Duration::hours(1),
    )
    .expect("AB refunds AA's sale");
    assert!(
        by_ab.refund_no.contains("-AB-"),
        "AB's series: {}",
        by_ab.refund_no
    );
    assert_eq!(by_ab.receipt_no, sale.receipt_no);
    assert_eq!(by_ab.adjustment, None, "AA's invoice is AA's to adjust");
    let ab_day = nodes[1].store.day_summary(the_day()).unwrap();
    assert_eq!((ab_day.refunds_count, ab_day.refunds), (1, by_ab.total));
    assert_eq!(ab_day.sales_count, 0);
    // The day's list and export at AB show the refund, naming AA's receipt and its line.
    let listed = nodes[1].store.sales_in_period(the_day()).unwrap();
    let [listed] = listed.as_slice() else {
        panic!("AB's day lists its refund only: {listed:?}")
    };
    assert_eq!(
        (
            &listed.receipt_no,
            listed.refund_of.as_deref(),
            listed.total
        ),
        (
            &by_ab.refund_no,
            Some(sale.receipt_no.as_str()),
            -by_ab.total
        )
    );
    let exported = nodes[1].store.sale_lines_in_period(the_day()).unwrap();
    let [exported] = exported.as_slice() else {
        panic!("one refund line: {exported:?}")
    };
    assert_eq!(
        (&exported.sku, exported.quantity, exported.total),
        (&sale.draft.lines[0].sku, Decimal::from(-2), -by_ab.total)
    );
    let refund_event = nodes[1].store.events_of_kind("refund").unwrap();
    let [refund_event] = refund_event.as_slice() else {
        panic!("one refund event: {refund_event:?}")
    };
    assert_eq!(refund_event.node, "AB");
    assert_eq!(refund_event.doc["sale_number"], sale.receipt_no.as_str());
    assert_eq!(refund_event.doc["lines"][0]["line_no"], 0);
    assert_eq!(refund_event.stock.len(), 1, "restocked at AB");
    assert_eq!(
        left_of(&nodes[1], &sale.receipt_no),
        [Decimal::ONE, Decimal::ONE]
    );
    for check in nodes[1]
        .store
        .verify_chains(at + Duration::hours(2))
        .unwrap()
    {
        assert_eq!(check.broken, None, "AB's {:?} chain holds", check.kind);
    }

    // AA learns of AB's refund: 1 left on line 0, no more.
    assert_eq!(
        left_of(&nodes[0], &sale.receipt_no),
        [Decimal::from(3), Decimal::ONE]
    );
    carry(&mut nodes, 1, 0);
    assert_eq!(
        left_of(&nodes[0], &sale.receipt_no),
        [Decimal::ONE, Decimal::ONE]
    );
    let over = refund(
        &mut nodes[0],
        &sale.receipt_no,
        &[(0, 2)],
        at + Duration::hours(3),
    );
    assert_eq!(
        over.unwrap_err(),
        RefundError::MoreThanSold {
            line_no: 0,
            left: Decimal::ONE
        }
    );
    // AA's refund of what is left keeps the money exact: the line's total in all.
    let by_aa = refund(
        &mut nodes[0],
        &sale.receipt_no,
        &[(0, 1)],
        at + Duration::hours(3),
    )
    .unwrap();
    assert_eq!(by_aa.total + by_ab.total, sale.draft.lines[0].total);
    carry(&mut nodes, 0, 1);
    assert_eq!(
        left_of(&nodes[1], &sale.receipt_no),
        [Decimal::ZERO, Decimal::ONE]
    );
    assert_eq!(
        stock_by_uid(&nodes[1]),
        stock_by_uid(&nodes[0]),
        "one stock"
    );
    let again = refund(
        &mut nodes[1],
        &sale.receipt_no,
        &[(0, 1)],
        at + Duration::hours(4),
    );
    assert!(matches!(again, Err(RefundError::MoreThanSold { .. })));
}

#[test]
fn a_third_counter_counts_the_refunds_of_both_others() {
    let mut nodes = store_of(2);
    let at = shop_time();
    let sale = sell(&mut nodes[0], &[4], at);
    carry(&mut nodes, 0, 1);
    refund(&mut nodes[0], &sale.receipt_no, &[(0, 1)], at).unwrap();
    refund(&mut nodes[1], &sale.receipt_no, &[(0, 2)], at).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store.set_node_identity(None, Some("AC"), None).unwrap();
    nodes.push(Node {
        dir,
        store,
        code: "AC",
    });
    carry(&mut nodes, 0, 2);
    carry(&mut nodes, 1, 2);
    assert_eq!(left_of(&nodes[2], &sale.receipt_no), [Decimal::ONE]);
    nodes[2]
        .store
        .set_setting(SESSION_POLICY_SETTING, AUTO_OPEN_SESSIONS)
        .unwrap();
    refund(&mut nodes[2], &sale.receipt_no, &[(0, 1)], at).unwrap();
    assert!(refund(&mut nodes[2], &sale.receipt_no, &[(0, 1)], at).is_err());
}

#[derive(Debug, Clone)]
enum Act {
    Refund { at: usize, quantity: u32 },
    Carry { from: usize },
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        (0usize..2, 1u32..4).prop_map(|(at, quantity)| Act::Refund { at, quantity }),
        (0usize..2).prop_map(|from| Act::Carry { from }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// However refunds of one line are split between AA and AB and however their files cross,
    /// each counter refuses exactly what would take the line beyond what was sold as far as it
    /// knows; refunds made each knowing the other's never exceed the sale; and once both have
    /// both files they agree on what is left.
    #[test]
    fn refunds_split_between_counters_never_exceed_the_sale(
        sold in 1u32..7,
        synced_first in any::<bool>(),
        acts in prop::collection::vec(act(), 1..14),
    ) {
        let mut nodes = store_of(1);
        let at = shop_time();
        let sale = sell(&mut nodes[0], &[sold], at);
        // What each node knows: the sale (AA always) and each node's refunds as last carried.
        let mut knows_sale = [true, false];
        let mut refunded = [0u32; 2];
        let mut seen = [[0u32; 2]; 2];
        let mut blind = false;
        if synced_first {
            carry(&mut nodes, 0, 1);
            knows_sale[1] = true;
        }
        for (n, act) in acts.iter().enumerate() {
            let when = at + Duration::minutes(n as i64 + 1);
            match *act {
                Act::Carry { from } => {
                    let to = 1 - from;
                    carry(&mut nodes, from, to);
                    seen[to][from] = refunded[from];
                    knows_sale[to] |= from == 0;
                }
                Act::Refund { at: on, quantity } => {
                    let other = 1 - on;
                    let known = refunded[on] + seen[on][other];
                    let done = refund(&mut nodes[on], &sale.receipt_no, &[(0, quantity)], when);
                    if !knows_sale[on] {
                        prop_assert_eq!(done.unwrap_err(), RefundError::NoSuchSale);
                    } else if known + quantity <= sold {
                        prop_assert!(done.is_ok(), "{}: {:?}", nodes[on].code, done);
                        blind |= seen[on][other] != refunded[other];
                        refunded[on] += quantity;
                    } else {
                        prop_assert!(
                            matches!(done, Err(RefundError::MoreThanSold { .. })),
                            "{}: {:?}", nodes[on].code, done
                        );
                    }
                }
            }
        }
        let total = refunded[0] + refunded[1];
        if !blind {
            prop_assert!(total <= sold, "refunds that knew of each other: {} of {}", total, sold);
        }
        carry(&mut nodes, 0, 1);
        carry(&mut nodes, 1, 0);
        let left = Decimal::from(sold.saturating_sub(total));
        for node in &nodes {
            prop_assert_eq!(left_of(node, &sale.receipt_no), vec![left], "{}", node.code);
        }
        prop_assert_eq!(stock_by_uid(&nodes[0]), stock_by_uid(&nodes[1]));
    }
}

/// Fields a sale or refund event did not carry before this version: an event written then.
fn as_written_before(mut event: SyncEvent) -> SyncEvent {
    let doc = event.doc.as_object_mut().unwrap();
    for field in ["record", "invoice", "sale_number"] {
        doc.remove(field);
    }
    for line in doc
        .get_mut("lines")
        .and_then(|lines| lines.as_array_mut())
        .into_iter()
        .flatten()
    {
        line.as_object_mut().unwrap().remove("line_no");
    }
    event
}

#[test]
fn events_from_before_receipts_travelled_still_find_reprint_and_refund_the_sale() {
    let mut nodes = store_of(1);
    let at = shop_time();
    let sale = sell(&mut nodes[0], &[2, 3], at);
    let old: Vec<SyncEvent> = events_file(&nodes[0].store)
        .into_iter()
        .map(|event| match event.kind.as_str() {
            "sale" => as_written_before(event),
            _ => event,
        })
        .collect();
    nodes[1].store.apply_events(&old).unwrap();
    let found = nodes[1]
        .store
        .sale_by_receipt_no(&sale.receipt_no)
        .unwrap()
        .expect("found from the event's lines");
    assert_eq!(found.counter.as_deref(), Some("AA"));
    assert_eq!(found.draft.total, sale.draft.total);
    assert_eq!(found.draft.tenders.len(), sale.draft.tenders.len());
    for (rebuilt, sold) in found.draft.lines.iter().zip(&sale.draft.lines) {
        assert_eq!(
            (
                &rebuilt.sku,
                &rebuilt.name,
                rebuilt.quantity,
                rebuilt.vat,
                rebuilt.total
            ),
            (&sold.sku, &sold.name, sold.quantity, sold.vat, sold.total)
        );
    }
    let vat: Money = found.draft.vat.iter().map(|bucket| bucket.gross).sum();
    assert_eq!(vat, sale.draft.total, "the VAT table adds up to the total");
    let shop = nodes[1].store.shop_settings().unwrap();
    let text = text_of(&receipt_pdf(&shop, &found, &ReceiptOptions { copy: true }));
    assert!(text.contains(&sale.receipt_no), "{text}");

    // AB refunds line 1; AA takes AB's refund as an old event (lines by product only).
    refund(&mut nodes[1], &sale.receipt_no, &[(1, 2)], at).unwrap();
    let ab_events: Vec<SyncEvent> = events_file(&nodes[1].store)
        .into_iter()
        .map(as_written_before)
        .collect();
    nodes[0].store.apply_events(&ab_events).unwrap();
    assert_eq!(
        left_of(&nodes[0], &sale.receipt_no),
        [Decimal::from(2), Decimal::ONE]
    );
}

#[test]
fn the_reprint_of_a_synced_sale_is_a_copy_with_its_counter_number_and_time() {
    let mut nodes = store_of(1);
    let at = shop_time() + Duration::minutes(17);
    let sale = sell(&mut nodes[0], &[1, 2, 1], at);
    carry(&mut nodes, 0, 1);
    let found = nodes[1]
        .store
        .sale_by_receipt_no(&sale.receipt_no)
        .unwrap()
        .unwrap();
    let shop = nodes[1].store.shop_settings().unwrap();
    let pdf = receipt_pdf(&shop, &found, &ReceiptOptions { copy: true });
    let text = text_of(&pdf);
    for expected in [
        "BẢN SAO",
        sale.receipt_no.as_str(),
        "Bán tại quầy: AA",
        "26/11/2026 10:17",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    // AA's own reprint of it names no other counter.
    let own = nodes[0]
        .store
        .sale_by_receipt_no(&sale.receipt_no)
        .unwrap()
        .unwrap();
    let shop = nodes[0].store.shop_settings().unwrap();
    let text = text_of(&receipt_pdf(&shop, &own, &ReceiptOptions { copy: true }));
    assert!(!text.contains("Bán tại quầy"), "{text}");
}

fn refund_rows(conn: &Connection) -> Vec<Vec<rusqlite::types::Value>> {
    let mut stmt = conn
        .prepare(
            "SELECT id, refund_no, sale_id, refunded_at, local_date, cashier, method, total,
                    restock, reason, session_id, approver, chain_position, chain_hash, uid
               FROM refunds ORDER BY id",
        )
        .unwrap();
    stmt.query_map([], |row| {
        (0..15).map(|i| row.get(i)).collect::<Result<Vec<_>, _>>()
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn a_store_with_refunds_moves_to_this_version_keeping_them_and_their_chain() {
    let mut nodes = store_of(0);
    let at = shop_time();
    let sale = sell(&mut nodes[0], &[2, 1], at);
    refund(&mut nodes[0], &sale.receipt_no, &[(0, 1)], at).unwrap();
    refund(&mut nodes[0], &sale.receipt_no, &[(0, 1), (1, 1)], at).unwrap();
    let before = refund_rows(&nodes[0].read());
    assert_eq!(before.len(), 2);

    // The same records in a store of version 13, as it was before foreign sales.
    let source = nodes[0].dir.path().join(DATABASE_FILE);
    let (_dir, path) = older_store_with_rows_of(&source, 13);

    let mut store = Store::open(&path).expect("version 13 moves to this version");
    assert_eq!(
        store.schema_version().unwrap(),
        ocop_pos::store::SCHEMA_VERSION
    );
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    assert_eq!(refund_rows(&conn), before, "every refund as it was");
    let orphans: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(orphans, 0, "every refund line still has its refund");
    for check in store.verify_chains(at + Duration::hours(1)).unwrap() {
        assert_eq!(check.broken, None, "the {:?} chain holds", check.kind);
    }
    assert_eq!(
        store.refundable_lines(&sale.receipt_no).unwrap(),
        nodes[0].store.refundable_lines(&sale.receipt_no).unwrap()
    );
    let next = store.commit_refund(&refund_request(&sale.receipt_no, &[(1, 1)]), at);
    assert!(
        matches!(
            next,
            Err(StoreError::Refund(RefundError::MoreThanSold {
                line_no: 1,
                ..
            }))
        ),
        "{next:?}"
    );
}

#[test]
fn a_sale_on_account_at_aa_gives_back_at_ab_no_more_than_was_paid_at_aa() {
    let mut nodes = store_of(1);
    let at = shop_time();
    let aa = &mut nodes[0].store;
    aa.save_buyer(
        &Buyer {
            id: 0,
            name: "Công ty TNHH Biển Xanh".into(),
            tax_code: "0100233488".into(),
            address: "Rạch Giá, An Giang".into(),
            email: String::new(),
            contact: String::new(),
        },
        at,
    )
    .unwrap();
    let company = aa.company("0100233488", at).unwrap().unwrap();
    let terms = CreditTerms {
        limit: Money(20_000_000),
        days: 30,
    };
    aa.set_credit_terms(company.id, terms, "Hùng", at).unwrap();
    let company = aa.customer(company.id).unwrap();
    let fish = aa
        .catalogue(at)
        .unwrap()
        .into_iter()
        .find(|p| p.sku == "KG001")
        .unwrap();
    let mut cart = Cart::default();
    cart.add_product(&fish, Decimal::from(2)).unwrap();
    cart.buyer = company.invoice_buyer();
    let half = Money(cart.totals().total.dong() / 2);
    let tenders = [PaymentMethod::Cash, PaymentMethod::OnAccount].map(|method| Tender {
        method,
        amount: half,
        reference: None,
    });
    let draft = SaleDraft::new(&cart, tenders.to_vec(), "Lan").unwrap();
    let sale = aa.commit_sale(&draft, at).unwrap();
    carry(&mut nodes, 0, 1);

    let ab = &mut nodes[1].store;
    let all = ab.commit_refund(&refund_request(&sale.receipt_no, &[(0, 2)]), at);
    assert!(
        matches!(
            all,
            Err(StoreError::Order(OrderError::RefundBeyondPaid { owed, most }))
                if owed == half && most == half
        ),
        "{all:?}"
    );
    let paid = ab
        .commit_refund(&refund_request(&sale.receipt_no, &[(0, 1)]), at)
        .unwrap();
    assert_eq!(paid.total, half);
    let more = ab.commit_refund(&refund_request(&sale.receipt_no, &[(0, 1)]), at);
    assert!(
        matches!(
            more,
            Err(StoreError::Order(OrderError::RefundBeyondPaid { most, .. })) if most == Money::ZERO
        ),
        "{more:?}"
    );
}

#[test]
fn a_receipt_this_version_cannot_read_does_not_stop_the_sync() {
    let mut nodes = store_of(1);
    let sale = sell(&mut nodes[0], &[1, 1], shop_time());
    let events: Vec<SyncEvent> = events_file(&nodes[0].store)
        .into_iter()
        .map(|mut event| {
            if event.kind == "sale" {
                event.doc["record"] = serde_json::json!({"written_by": "a later version"});
            }
            event
        })
        .collect();
    nodes[1].store.apply_events(&events).unwrap();
    let found = nodes[1]
        .store
        .sale_by_receipt_no(&sale.receipt_no)
        .unwrap()
        .expect("kept from its lines");
    assert_eq!(found.draft.total, sale.draft.total);
    refund(&mut nodes[1], &sale.receipt_no, &[(1, 1)], shop_time()).unwrap();
}
