//! Two real data folders of one store syncing through a real PostgreSQL hub: the demo store's
//! catalogue node `AA` and a new till `AB`. The till learns the catalogue and the stock from
//! the hub, both sell the same products, and after a pass each way every node's stock equals
//! the hub's, every sale is at the hub once under its own node's number, and a second pass
//! moves nothing. One node syncs through `ocop-pos sync --once`, as a manager would.

mod common;

use common::postgres::{database, one_at_a_time, psql};
use common::{DEMO_PRODUCTS, sell_for_exact_cash, shop_time};
use ocop_pos::core::cart::Cart;
use ocop_pos::hub::Hub;
use ocop_pos::hub::worker::sync_once;
use ocop_pos::store::{DATABASE_FILE, Store};
use rusqlite::{Connection, OpenFlags};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn node(dir: &Path, code: Option<&str>) -> Store {
    let mut store = Store::open_in(dir).unwrap();
    match code {
        None => {
            store.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
        }
        Some(code) => {
            store.set_node_identity(None, Some(code), None).unwrap();
        }
    }
    // The demo's policy (a sale opens the cash session) is the store's: the till takes it
    // from the hub with the catalogue.
    store
}

fn pass(hub: &mut Hub, store: &mut Store) -> (usize, usize) {
    let identity = store.node_identity().unwrap();
    let moved = sync_once(hub, store, &identity.store, &identity.origin()).unwrap();
    (moved.pushed, moved.pulled)
}

fn sell(store: &mut Store, sku: &str, quantity: u32) -> String {
    let product = store
        .catalogue(shop_time())
        .unwrap()
        .into_iter()
        .find(|product| product.sku == sku)
        .unwrap_or_else(|| panic!("the node knows {sku}"));
    let mut cart = Cart::default();
    cart.add_product(&product, Decimal::from(quantity)).unwrap();
    sell_for_exact_cash(store, &cart, shop_time())
        .unwrap()
        .receipt_no
}

/// Stock per product uid as the node's ledger sums it.
fn node_stock(dir: &Path) -> BTreeMap<String, i64> {
    let conn =
        Connection::open_with_flags(dir.join(DATABASE_FILE), OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT p.uid, coalesce(sum(m.quantity_milli), 0) FROM products p
               LEFT JOIN stock_movements m ON m.product_id = p.id GROUP BY p.uid",
        )
        .unwrap();
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .filter(|(_, qty): &(String, i64)| *qty != 0)
        .collect()
}

fn hub_stock(url: &str) -> BTreeMap<String, i64> {
    psql(
        url,
        "SELECT product || '|' || qty_milli FROM hub_store_stock
          WHERE store = 'RG' AND qty_milli <> 0",
    )
    .lines()
    .map(|line| {
        let (uid, qty) = line.split_once('|').unwrap();
        (uid.to_string(), qty.parse().unwrap())
    })
    .collect()
}

#[test]
fn two_counters_sell_the_same_stock_and_agree_with_the_hub() {
    let _turn = one_at_a_time();
    let url = database();
    let mut hub = Hub::new(&url).unwrap();
    hub.init().unwrap();
    let manager_dir = tempfile::tempdir().unwrap();
    let till_dir = tempfile::tempdir().unwrap();
    let mut manager = node(manager_dir.path(), None);
    let mut till = node(till_dir.path(), Some("AB"));

    let (pushed, _) = pass(&mut hub, &mut manager);
    assert!(
        pushed > DEMO_PRODUCTS.lines().count() - 1,
        "the catalogue goes up"
    );
    let (_, pulled) = pass(&mut hub, &mut till);
    assert_eq!(
        pulled, pushed,
        "the till takes every event of the catalogue node"
    );
    assert_eq!(node_stock(till_dir.path()), node_stock(manager_dir.path()));

    let mut receipts = vec![sell(&mut till, "KG001", 2), sell(&mut till, "KG004", 1)];
    receipts.push(sell(&mut manager, "KG001", 3));
    assert!(receipts[0].contains("-AB-") && receipts[2].contains("-AA-"));

    // The till by hand, as a manager would: `ocop-pos sync --once`. Its sales went up with
    // the cash session they opened.
    let till_events = till.last_event_seq().unwrap();
    let manager_new = manager.last_event_seq().unwrap() - pushed as i64;
    drop(till);
    let output = Command::new(env!("CARGO_BIN_EXE_ocop-pos"))
        .arg("--data-dir")
        .arg(till_dir.path())
        .args(["sync", "--once", "--url", &url])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        said.contains(&format!(
            "pushed {till_events}, pulled 0; the hub holds events up to {till_events} of {till_events}"
        )),
        "{said}"
    );
    let mut till = Store::open_in(till_dir.path()).unwrap();
    let (manager_pushed, manager_pulled) = pass(&mut hub, &mut manager);
    assert_eq!(manager_pushed as i64, manager_new);
    assert_eq!(manager_pulled as i64, till_events);
    assert_eq!(pass(&mut hub, &mut till), (0, manager_pushed));
    assert_eq!(pass(&mut hub, &mut manager), (0, 0), "nothing moves twice");
    assert_eq!(pass(&mut hub, &mut till), (0, 0), "nothing moves twice");

    let at_hub = hub_stock(&url);
    assert_eq!(node_stock(manager_dir.path()), at_hub);
    assert_eq!(node_stock(till_dir.path()), at_hub);
    let mut at_hub_numbers: Vec<String> = psql(&url, "SELECT number FROM hub_sales ORDER BY 1")
        .lines()
        .map(str::to_string)
        .collect();
    receipts.sort();
    at_hub_numbers.sort();
    assert_eq!(
        at_hub_numbers, receipts,
        "every sale once, under its node's number"
    );
}

#[test]
fn sales_not_sent_before_a_restore_or_a_copy_still_reach_the_hub() {
    let _turn = one_at_a_time();
    let url = database();
    let mut hub = Hub::new(&url).unwrap();
    hub.init().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut counter = node(dir.path(), None);
    let mut receipts = vec![sell(&mut counter, "KG001", 1)];
    pass(&mut hub, &mut counter);
    // Two more sales while the hub is away; then the folder takes a new incarnation (what a
    // restored backup or a copied folder does at its next start).
    receipts.push(sell(&mut counter, "KG001", 2));
    receipts.push(sell(&mut counter, "KG004", 1));
    let before = counter.node_identity().unwrap().origin();
    counter.renew_incarnation().unwrap();
    assert_ne!(counter.node_identity().unwrap().origin(), before);
    receipts.push(sell(&mut counter, "KG004", 2));

    let (pushed, _) = pass(&mut hub, &mut counter);
    assert!(
        pushed >= 3,
        "the two sales of the earlier name and the new one: {pushed}"
    );
    assert_eq!(
        hub.acked(&before).unwrap(),
        counter
            .origin_events_after(&before, 0, usize::MAX)
            .unwrap()
            .len() as i64,
        "every event of the earlier name is at the hub"
    );
    assert_eq!(pass(&mut hub, &mut counter).0, 0, "nothing goes up twice");
    let mut at_hub: Vec<String> = psql(&url, "SELECT number FROM hub_sales ORDER BY 1")
        .lines()
        .map(str::to_string)
        .collect();
    receipts.sort();
    at_hub.sort();
    assert_eq!(at_hub, receipts, "every sale once");
    assert_eq!(hub_stock(&url), node_stock(dir.path()));
}
