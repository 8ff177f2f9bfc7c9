//! Several counters of one store exchanging their events by file, with no network: the demo
//! store's catalogue node `AA` and two tills, `AB` and `AC`, each a data folder of its own.
//! Whatever mix of sales, refunds, receivings, counts and adjustments they make, and however
//! their files cross, once every node has every other node's file they agree: the same stock
//! of every product, every document once, each node's numbers gapless.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{DEMO_PRODUCTS, events_file, sell_for_exact_cash, shop_time};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::catalog::Product;
use ocop_pos::core::inventory::{AdjustmentReason, ReceiptLine};
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::refund::{RefundItem, RefundRequest};
use ocop_pos::store::sync::SyncError;
use ocop_pos::store::{DATABASE_FILE, Store, StoreError};
use proptest::prelude::*;
use rusqlite::{Connection, OpenFlags};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use tempfile::TempDir;

struct Node {
    dir: TempDir,
    store: Store,
    code: &'static str,
    /// Receipt numbers of the sales this node made.
    receipts: Vec<String>,
}

impl Node {
    fn product(&self, sku: &str) -> Product {
        self.store
            .catalogue(shop_time())
            .unwrap()
            .into_iter()
            .find(|product| product.sku == sku)
            .unwrap_or_else(|| panic!("{} knows {sku}", self.code))
    }

    fn read(&self) -> Connection {
        Connection::open_with_flags(
            self.dir.path().join(DATABASE_FILE),
            OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap()
    }
}

fn carry(nodes: &mut [Node], from: usize, to: usize) {
    let events = events_file(&nodes[from].store);
    nodes[to].store.apply_events(&events).unwrap();
}

/// The catalogue node with the demo catalogue, and `tills` tills that took its file.
fn store_of(tills: usize) -> Vec<Node> {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
    let mut nodes = vec![Node {
        dir,
        store,
        code: "AA",
        receipts: Vec::new(),
    }];
    for code in ["AB", "AC"].into_iter().take(tills) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        store.set_node_identity(None, Some(code), None).unwrap();
        nodes.push(Node {
            dir,
            store,
            code,
            receipts: Vec::new(),
        });
    }
    // The demo's policy (a sale opens the cash session) is the store's: it comes with the file.
    for till in 1..nodes.len() {
        carry(&mut nodes, 0, till);
    }
    nodes
}

const SKUS: [&str; 4] = ["KG001", "KG004", "KG005", "KG027"];

#[derive(Debug, Clone)]
enum Act {
    Sale { sku: usize, qty: u8 },
    Refund { sale: usize, restock: bool },
    Receive { sku: usize, qty: u8 },
    Count { sku: usize, counted: u8 },
    Adjust { sku: usize, qty: i8 },
    Carry { from: usize },
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        4 => (0..SKUS.len(), 1u8..4).prop_map(|(sku, qty)| Act::Sale { sku, qty }),
        1 => (0usize..8, any::<bool>()).prop_map(|(sale, restock)| Act::Refund { sale, restock }),
        1 => (0..SKUS.len(), 1u8..20).prop_map(|(sku, qty)| Act::Receive { sku, qty }),
        1 => (0..SKUS.len(), 0u8..60).prop_map(|(sku, counted)| Act::Count { sku, counted }),
        1 => (0..SKUS.len(), -3i8..4).prop_filter("moves", |(_, q)| *q != 0)
            .prop_map(|(sku, qty)| Act::Adjust { sku, qty }),
        2 => (0usize..3).prop_map(|from| Act::Carry { from }),
    ]
}

fn perform(nodes: &mut [Node], on: usize, act: &Act, at: DateTime<Utc>) {
    if let Act::Carry { from } = act {
        let from = from % nodes.len();
        if from != on {
            carry(nodes, from, on);
        }
        return;
    }
    let node = &mut nodes[on];
    match act {
        Act::Sale { sku, qty } => {
            let mut cart = Cart::default();
            cart.add_product(&node.product(SKUS[*sku]), Decimal::from(*qty))
                .unwrap();
            let sale = sell_for_exact_cash(&mut node.store, &cart, at).unwrap();
            node.receipts.push(sale.receipt_no);
        }
        Act::Refund { sale, restock } => {
            if node.receipts.is_empty() {
                return;
            }
            let request = RefundRequest {
                receipt_no: node.receipts[sale % node.receipts.len()].clone(),
                items: vec![RefundItem {
                    line_no: 0,
                    quantity: Decimal::ONE,
                }],
                method: PaymentMethod::Cash,
                restock: *restock,
                reason: "khách đổi ý".into(),
                cashier: "Lan".into(),
                approver: Some("Hùng".into()),
            };
            // A line already given back in full is refused, and leaves nothing.
            match node.store.commit_refund(&request, at) {
                Ok(_) | Err(StoreError::Refund(_)) => {}
                Err(other) => panic!("refund: {other}"),
            }
        }
        Act::Receive { sku, qty } => {
            let product = node.product(SKUS[*sku]);
            let producer = node
                .store
                .producers()
                .unwrap()
                .into_iter()
                .find(|producer| producer.name == product.producer)
                .unwrap();
            let line = ReceiptLine {
                product_id: product.id,
                quantity: Decimal::from(*qty),
                unit_cost: Money(50_000),
                lot: String::new(),
                expires_on: None,
            };
            node.store
                .receive_stock(producer.id, &[line], "", at, "Lan")
                .unwrap();
        }
        Act::Count { sku, counted } => {
            let product = node.product(SKUS[*sku]);
            node.store
                .post_stock_count(&[(product.id, Decimal::from(*counted))], at, "Lan")
                .unwrap();
        }
        Act::Adjust { sku, qty } => {
            let product = node.product(SKUS[*sku]);
            node.store
                .adjust_stock(
                    product.id,
                    Decimal::from(*qty),
                    AdjustmentReason::Correction,
                    "",
                    at,
                    "Lan",
                )
                .unwrap();
        }
        Act::Carry { .. } => unreachable!("carried above"),
    }
}

/// Stock of every product by uid: the cached column and the ledger, which must agree.
fn stock_by_uid(node: &Node) -> BTreeMap<String, i64> {
    let conn = node.read();
    let mut stmt = conn
        .prepare(
            "SELECT p.uid, p.stock_milli, coalesce(sum(m.quantity_milli), 0)
               FROM products p LEFT JOIN stock_movements m ON m.product_id = p.id
              GROUP BY p.id ORDER BY p.uid",
        )
        .unwrap();
    stmt.query_map([], |row| {
        let (uid, cached, ledger): (String, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
        assert_eq!(cached, ledger, "{}: {uid} cached stock = ledger", node.code);
        Ok((uid, ledger))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Every event a node holds, its own and applied: `(origin, seq, uid)`.
fn events_held(node: &Node) -> BTreeSet<(String, i64, String)> {
    node.read()
        .prepare(
            "SELECT o.store || '/' || o.node || '/' || o.incarnation, e.seq, e.uid
               FROM sync_events e JOIN sync_origins o ON o.id = e.origin_id",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The stock rows of this folder's own events against its own stock movements, by product: a
/// writer that left a row out of its event would show here.
fn own_stock_in_events_and_ledger(node: &Node) -> (BTreeMap<String, i64>, BTreeMap<String, i64>) {
    let conn = node.read();
    let mut in_events = BTreeMap::new();
    let mut stmt = conn
        .prepare(
            "SELECT e.stock FROM sync_events e JOIN sync_origins o ON o.id = e.origin_id
              WHERE o.local = 1",
        )
        .unwrap();
    for stock in stmt.query_map([], |row| row.get::<_, String>(0)).unwrap() {
        let rows: Vec<ocop_pos::core::sync_event::StockRow> =
            serde_json::from_str(&stock.unwrap()).unwrap();
        for row in rows {
            *in_events.entry(row.product).or_insert(0) += row.qty_milli;
        }
    }
    let in_ledger = conn
        .prepare(
            "SELECT p.uid, sum(m.quantity_milli) FROM stock_movements m
               JOIN products p ON p.id = m.product_id
               JOIN sync_origins o ON o.id = m.origin_id
              WHERE o.local = 1 GROUP BY p.uid",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    in_events.retain(|_, quantity| *quantity != 0);
    (in_events, in_ledger)
}

fn assert_converged(nodes: &[Node]) {
    let first = stock_by_uid(&nodes[0]);
    let events = events_held(&nodes[0]);
    for node in nodes {
        assert_eq!(stock_by_uid(node), first, "{}: the same stock", node.code);
        assert_eq!(events_held(node), events, "{}: the same events", node.code);
        let (in_events, mut in_ledger) = own_stock_in_events_and_ledger(node);
        in_ledger.retain(|_, quantity| *quantity != 0);
        assert_eq!(
            in_events, in_ledger,
            "{}: every stock row in an event",
            node.code
        );
        // This node's receipts: its own series, 1, 2, 3 … with no gap.
        let expected: Vec<String> = (1..=node.receipts.len())
            .map(|n| format!("2026-{}-{n:06}", node.code))
            .collect();
        assert_eq!(node.receipts, expected, "{}: gapless receipts", node.code);
    }
    // Every sale once: each node's sales are events of its origin, and no number twice.
    let sales = nodes[0].store.events_of_kind("sale").unwrap();
    let numbers: BTreeSet<&str> = sales
        .iter()
        .map(|sale| sale.doc["number"].as_str().unwrap())
        .collect();
    let sold: usize = nodes.iter().map(|node| node.receipts.len()).sum();
    assert_eq!(
        sales.len(),
        sold,
        "every sale is known to the catalogue node"
    );
    assert_eq!(numbers.len(), sold, "no sale number twice");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn nodes_that_swap_their_files_agree_whatever_they_did(
        acts in prop::collection::vec((0usize..3, act()), 1..30)
    ) {
        let mut nodes = store_of(2);
        for (n, (on, act)) in acts.iter().enumerate() {
            perform(&mut nodes, *on, act, shop_time() + Duration::minutes(n as i64 + 1));
        }
        // Every node takes every other node's file, some twice: a file read again is no harm.
        for round in 0..2 {
            for to in 0..nodes.len() {
                for from in 0..nodes.len() {
                    if from != to && (round == 0 || from == 0) {
                        carry(&mut nodes, from, to);
                    }
                }
            }
        }
        assert_converged(&nodes);
    }
}

#[test]
fn the_same_file_twice_is_applied_once() {
    let mut nodes = store_of(1);
    let mut cart = Cart::default();
    cart.add_product(&nodes[1].product("KG001"), Decimal::from(2))
        .unwrap();
    sell_for_exact_cash(&mut nodes[1].store, &cart, shop_time()).unwrap();
    let file = events_file(&nodes[1].store);
    let first = nodes[0].store.apply_events(&file).unwrap();
    assert_eq!((first.applied, first.already), (file.len(), 0));
    let stock = stock_by_uid(&nodes[0]);
    let again = nodes[0].store.apply_events(&file).unwrap();
    assert_eq!((again.applied, again.already), (0, file.len()));
    assert_eq!(stock_by_uid(&nodes[0]), stock, "nothing moved twice");
    let tea = nodes[0].product("KG001");
    assert_eq!(
        tea.stock,
        nodes[1].product("KG001").stock,
        "the catalogue node counts the till's sale"
    );
}

#[test]
fn a_gap_or_other_contents_under_a_known_number_refuse_the_whole_file() {
    let mut nodes = store_of(1);
    for minute in 0..3 {
        let mut cart = Cart::default();
        cart.add_product(&nodes[1].product("KG004"), Decimal::ONE)
            .unwrap();
        sell_for_exact_cash(
            &mut nodes[1].store,
            &cart,
            shop_time() + Duration::minutes(minute),
        )
        .unwrap();
    }
    let file = events_file(&nodes[1].store);
    let before = stock_by_uid(&nodes[0]);
    let mut holed = file.clone();
    holed.remove(1);
    match nodes[0].store.apply_events(&holed) {
        Err(StoreError::Sync(SyncError::Gap {
            expected, found, ..
        })) => assert_eq!((expected, found), (2, 3)),
        other => panic!("a gap is refused: {other:?}"),
    }
    assert_eq!(
        stock_by_uid(&nodes[0]),
        before,
        "nothing of the file applied"
    );
    let message = StoreError::Sync(SyncError::Gap {
        origin: "RG/AB/x".into(),
        expected: 2,
        found: 3,
    })
    .to_string();
    assert!(
        message.contains("thiếu") && message.contains("missing"),
        "{message}"
    );

    nodes[0].store.apply_events(&file[..1]).unwrap();
    let mut forged = file.clone();
    forged[0].doc["total"] = serde_json::json!(1);
    match nodes[0].store.apply_events(&forged) {
        Err(StoreError::Sync(SyncError::Conflict { seq, .. })) => assert_eq!(seq, 1),
        other => panic!("other contents under a known number are refused: {other:?}"),
    }
    let applied = nodes[0].store.apply_events(&file).unwrap();
    assert_eq!((applied.applied, applied.already), (file.len() - 1, 1));
}

#[test]
fn another_store_s_events_are_refused() {
    let mut nodes = store_of(1);
    nodes[1]
        .store
        .set_node_identity(Some("CT"), None, None)
        .unwrap();
    let mut cart = Cart::default();
    cart.add_product(&nodes[1].product("KG001"), Decimal::ONE)
        .unwrap();
    sell_for_exact_cash(&mut nodes[1].store, &cart, shop_time()).unwrap();
    let file = events_file(&nodes[1].store);
    match nodes[0].store.apply_events(&file) {
        Err(StoreError::Sync(SyncError::OtherStore { theirs, ours })) => {
            assert_eq!((theirs.as_str(), ours.as_str()), ("CT", "RG"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn only_the_catalogue_node_edits_the_catalogue_and_the_tills_follow_it() {
    let mut nodes = store_of(1);
    let tea = nodes[1].product("KG001");
    let refused = nodes[1]
        .store
        .schedule_price(tea.id, Money(999_000), shop_time(), "Hùng")
        .unwrap_err();
    assert!(
        matches!(
            &refused,
            StoreError::Sync(SyncError::NotCatalogueNode { catalogue_node }) if catalogue_node == "AA"
        ),
        "{refused:?}"
    );
    let text = refused.to_string();
    assert!(
        text.contains("Danh mục") && text.contains("catalogue"),
        "{text}"
    );
    assert_eq!(
        nodes[1].product("KG001").price,
        tea.price,
        "nothing changed"
    );

    let on_aa = nodes[0].product("KG001");
    nodes[0]
        .store
        .schedule_price(on_aa.id, Money(199_000), shop_time(), "Hùng")
        .unwrap();
    carry(&mut nodes, 0, 1);
    assert_eq!(
        nodes[1].product("KG001").price,
        Money(199_000),
        "the till sells at the catalogue node's new price"
    );

    // Named the catalogue node, the till may edit; AA's later edits are then kept, not applied.
    nodes[1]
        .store
        .set_node_identity(None, None, Some("AB"))
        .unwrap();
    let till_tea = nodes[1].product("KG001");
    nodes[1]
        .store
        .schedule_price(till_tea.id, Money(205_000), shop_time(), "Hùng")
        .unwrap();
    nodes[0]
        .store
        .schedule_price(on_aa.id, Money(1_000), shop_time(), "Hùng")
        .unwrap();
    carry(&mut nodes, 0, 1);
    assert_eq!(nodes[1].product("KG001").price, Money(205_000));
}

#[test]
fn a_refund_writes_its_stock_back_in_its_own_event() {
    let mut nodes = store_of(1);
    let mut cart = Cart::default();
    cart.add_product(&nodes[1].product("KG005"), Decimal::from(3))
        .unwrap();
    let sale = sell_for_exact_cash(&mut nodes[1].store, &cart, shop_time()).unwrap();
    nodes[1]
        .store
        .commit_refund(
            &RefundRequest {
                receipt_no: sale.receipt_no.clone(),
                items: vec![RefundItem {
                    line_no: 0,
                    quantity: Decimal::from(2),
                }],
                method: PaymentMethod::Cash,
                restock: true,
                reason: "hỏng nắp".into(),
                cashier: "Lan".into(),
                approver: Some("Hùng".into()),
            },
            shop_time() + Duration::minutes(1),
        )
        .unwrap();
    let refunds = nodes[1].store.events_of_kind("refund").unwrap();
    let [refund] = refunds.as_slice() else {
        panic!("one refund event: {refunds:?}")
    };
    assert_eq!(refund.doc["number"], "TH2026-AB-000001");
    let sales = nodes[1].store.events_of_kind("sale").unwrap();
    assert_eq!(
        refund.doc["sale"], sales[0].doc["uid"],
        "names the sale by uid"
    );
    assert_eq!(refund.stock.len(), 1);
    assert_eq!(
        (refund.stock[0].qty_milli, refund.stock[0].kind.as_str()),
        (2000, "refund")
    );
    assert_eq!(sales[0].stock[0].qty_milli, -3000);
    assert_eq!(sales[0].doc["lines"][0]["product"], refund.stock[0].product);
}
