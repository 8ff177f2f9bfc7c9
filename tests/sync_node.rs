//! A data folder as a node: its identity from the first start, the manager's changes to it,
//! and a new incarnation whenever the database is not the one the folder last ran — a backup
//! restored (by the program or by hand) or the folder copied elsewhere — so no event number is
//! ever used twice with other contents.

mod common;

use common::{DEMO_PRODUCTS, demo_store, product, sell_for_exact_cash, shop_time};
use ocop_pos::config::Config;
use ocop_pos::core::cart::Cart;
use ocop_pos::core::staff::Role;
use ocop_pos::lock::DataLock;
use ocop_pos::store::backup::{BackupPolicy, back_up, restore_backup};
use ocop_pos::store::node::{NODE_FILE, valid_store_id};
use ocop_pos::store::{
    AUTO_OPEN_SESSIONS, DATABASE_FILE, SESSION_POLICY_SETTING, Store, StoreError,
};
use rust_decimal::Decimal;
use std::path::Path;

fn sell_one(store: &mut Store, minute: i64) -> String {
    store
        .set_setting(SESSION_POLICY_SETTING, AUTO_OPEN_SESSIONS)
        .unwrap();
    let mut cart = Cart::default();
    cart.add_product(&product(store, "8930100000018"), Decimal::ONE)
        .unwrap();
    sell_for_exact_cash(
        store,
        &cart,
        shop_time() + chrono::Duration::minutes(minute),
    )
    .unwrap()
    .receipt_no
}

fn incarnation(dir: &Path) -> String {
    Store::open_in(dir)
        .unwrap()
        .node_identity()
        .unwrap()
        .incarnation
}

#[test]
fn the_demo_is_node_aa_of_store_rg_and_a_real_store_gets_its_own_id() {
    let (dir, store) = demo_store();
    let identity = store.node_identity().unwrap();
    assert_eq!(
        (
            identity.store.as_str(),
            identity.node.as_str(),
            identity.catalogue_node.as_str()
        ),
        ("RG", "AA", "AA")
    );
    assert_eq!(identity.incarnation.len(), 32, "{identity:?}");
    assert!(dir.path().join(NODE_FILE).exists());
    drop(store);
    assert_eq!(
        incarnation(dir.path()),
        identity.incarnation,
        "kept across starts"
    );

    let real = tempfile::tempdir().unwrap();
    let store = Config::new(Some(real.path().to_path_buf()), false)
        .open_store()
        .unwrap();
    let identity = store.node_identity().unwrap();
    assert!(
        valid_store_id(&identity.store) && identity.store != "RG",
        "{identity:?}"
    );
    assert_eq!(identity.node, "AA");
}

#[test]
fn a_node_code_is_two_capitals_and_a_new_name_numbers_its_events_from_one() {
    let (_dir, mut store) = demo_store();
    for bad in ["ab", "A", "A1", "ABC", ""] {
        let refused = store.set_node_identity(None, Some(bad), None).unwrap_err();
        assert!(matches!(refused, StoreError::Node(_)), "{bad}: {refused:?}");
        let text = refused.to_string();
        assert!(text.contains("hai chữ in hoa") && text.contains("two capital letters"));
    }
    assert!(matches!(
        store.set_node_identity(Some("r g"), None, None),
        Err(StoreError::Node(_))
    ));
    let before = store.node_identity().unwrap();
    let seeded = store.last_event_seq().unwrap();
    assert!(seeded > 0, "the demo catalogue is in events");
    let after = store.set_node_identity(None, Some("AB"), None).unwrap();
    assert_eq!(after.node, "AB");
    assert_ne!(after.incarnation, before.incarnation, "a new origin");
    assert_eq!(store.last_event_seq().unwrap(), 0);
    let receipt = sell_one(&mut store, 0);
    assert_eq!(receipt, "2026-AB-000001");
    let events = store.events_after(0, 100).unwrap();
    assert_eq!(events[0].seq, 1);
    assert!(events.iter().all(|event| event.node == "AB"));
}

#[test]
fn a_copied_folder_is_a_new_incarnation_and_the_original_stays_itself() {
    let (dir, mut store) = demo_store();
    sell_one(&mut store, 0);
    let original = store.node_identity().unwrap().incarnation;
    drop(store);
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(
        dir.path().join(DATABASE_FILE),
        copy.path().join(DATABASE_FILE),
    )
    .unwrap();
    std::fs::copy(dir.path().join(NODE_FILE), copy.path().join(NODE_FILE)).unwrap();
    let copied = Store::open_in(copy.path()).unwrap();
    let identity = copied.node_identity().unwrap();
    assert_ne!(
        identity.incarnation, original,
        "the copy is another node's history"
    );
    assert_eq!(
        copied.last_event_seq().unwrap(),
        0,
        "its numbers start again"
    );
    assert_eq!(incarnation(dir.path()), original);
}

#[test]
fn a_database_put_back_by_hand_is_a_new_incarnation() {
    let (dir, store) = demo_store();
    let at_backup = store.node_identity().unwrap().incarnation;
    drop(store);
    let saved = tempfile::tempdir().unwrap();
    std::fs::copy(
        dir.path().join(DATABASE_FILE),
        saved.path().join(DATABASE_FILE),
    )
    .unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.node_identity().unwrap().incarnation, at_backup);
    sell_one(&mut store, 0);
    drop(store);
    std::fs::copy(
        saved.path().join(DATABASE_FILE),
        dir.path().join(DATABASE_FILE),
    )
    .unwrap();
    assert_ne!(
        incarnation(dir.path()),
        at_backup,
        "events past the copy were written under that incarnation"
    );
}

#[test]
fn a_restored_backup_is_a_new_incarnation() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
    let manager = store
        .create_staff("Hùng", Role::Manager, "5173", shop_time())
        .unwrap();
    let at_backup = store.node_identity().unwrap().incarnation;
    drop(store);
    let backup = back_up(dir.path(), &BackupPolicy::default(), None, shop_time()).unwrap();
    let lock = DataLock::acquire(dir.path()).unwrap();
    restore_backup(
        dir.path(),
        &backup.backup.path,
        &lock,
        &manager,
        None,
        shop_time(),
    )
    .unwrap();
    drop(lock);
    let restored = incarnation(dir.path());
    assert_ne!(restored, at_backup);
    assert_eq!(incarnation(dir.path()), restored, "and it stays");
}

#[test]
fn each_node_may_invoice_in_a_series_named_by_its_code() {
    let (_dir, mut store) = demo_store();
    store
        .save_invoice_settings(&ocop_pos::core::einvoice::InvoiceSettings::demo())
        .unwrap();
    store.set_node_identity(None, Some("AB"), None).unwrap();
    let series = |store: &mut Store, minute| {
        store
            .set_setting(SESSION_POLICY_SETTING, AUTO_OPEN_SESSIONS)
            .unwrap();
        let mut cart = Cart::default();
        cart.add_product(&product(store, "8930100000018"), Decimal::ONE)
            .unwrap();
        let sale = sell_for_exact_cash(
            store,
            &cart,
            shop_time() + chrono::Duration::minutes(minute),
        )
        .unwrap();
        sale.invoice
            .issued()
            .expect("an invoice")
            .numbers
            .series
            .clone()
    };
    let registered = series(&mut store, 0);
    assert!(
        registered.ends_with("MAA"),
        "the registered letters: {registered}"
    );
    store.set_invoice_series_per_node(true).unwrap();
    assert!(store.node_identity().unwrap().invoice_series_per_node);
    assert_eq!(series(&mut store, 1), registered.replace("MAA", "MAB"));
}

#[test]
fn events_export_also_carries_what_the_folder_wrote_under_an_earlier_incarnation() {
    let (dir, mut store) = demo_store();
    let before_restore = sell_one(&mut store, 0);
    let earlier = store.node_identity().unwrap().origin();
    store.renew_incarnation().unwrap();
    let after_restore = sell_one(&mut store, 1);
    let current = store.node_identity().unwrap().origin();
    drop(store);

    let file = dir.path().join("aa.ndjson");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ocop-pos"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["events", "export", "--since", "0"])
        .arg(&file)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("earlier names"), "{said}");
    let events: Vec<ocop_pos::core::sync_event::SyncEvent> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let sold = |origin: &str| {
        events
            .iter()
            .filter(|e| e.origin() == origin && e.kind == "sale")
            .map(|e| e.doc["number"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(sold(&earlier), std::slice::from_ref(&before_restore));
    assert_eq!(sold(&current), std::slice::from_ref(&after_restore));

    // Another counter takes the file, and the same file again changes nothing.
    let till = tempfile::tempdir().unwrap();
    let mut ab = Store::open_in(till.path()).unwrap();
    ab.set_node_identity(Some("RG"), Some("AB"), None).unwrap();
    let first = ab.apply_events(&events).unwrap();
    assert_eq!(first.applied, events.len());
    let again = ab.apply_events(&events).unwrap();
    assert_eq!((again.applied, again.already), (0, events.len()));
    let known: Vec<String> = ab
        .events_of_kind("sale")
        .unwrap()
        .iter()
        .map(|e| e.doc["number"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(known, [before_restore, after_restore]);
}

#[test]
fn an_open_that_fails_after_starting_its_number_writer_says_so_instead_of_hanging() {
    let (dir, store) = demo_store();
    drop(store);
    // A folder whose marker is gone must take a new incarnation at its next open, a write;
    // another connection holds the database's write lock meanwhile.
    std::fs::remove_file(dir.path().join(NODE_FILE)).unwrap();
    let holder = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let (sender, answer) = std::sync::mpsc::channel();
    let path = dir.path().to_path_buf();
    std::thread::spawn(move || {
        let _ = sender.send(Store::open_in(&path).map(drop));
    });
    let opened = answer
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the open answers (the busy time-out is 5 s) instead of hanging");
    assert!(opened.is_err(), "the database was held: {opened:?}");
    holder.execute_batch("ROLLBACK").unwrap();
    Store::open_in(dir.path()).expect("opens once the lock is gone");
}
