//! Helpers shared by the integration tests: a demo store in a temporary folder.
#![allow(dead_code)] // each test binary uses its own subset of these helpers

pub mod counters;
pub mod fake_vnpt;
pub mod hub_events;
pub mod postgres;
pub mod printer;
pub mod proxy;
pub mod tasks;
pub mod window;

use chrono::{DateTime, TimeZone, Utc};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::catalog::Product;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::{SaleDraft, SaleRecord};
use ocop_pos::core::sync_event::SyncEvent;
use ocop_pos::store::{Store, StoreError};
use tempfile::TempDir;

pub const DEMO_PRODUCTS: &str = include_str!("../../assets/demo_products.csv");

/// A fixed moment during the 8 % VAT period: 26 Nov 2026, 10:00 in Vietnam.
pub fn shop_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap()
}

/// A new store on a real SQLite file, seeded with the demo catalogue.
pub fn demo_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open_in(dir.path()).expect("store opens");
    store
        .seed_demo(DEMO_PRODUCTS, shop_time())
        .expect("demo seeds");
    (dir, store)
}

pub fn product(store: &Store, barcode: &str) -> Product {
    store
        .product_by_barcode(barcode, shop_time())
        .expect("lookup works")
        .unwrap_or_else(|| panic!("demo product {barcode}"))
}

/// Commits `cart` as a sale by cashier Lan, paid in cash to the exact đồng.
pub fn sell_for_exact_cash(
    store: &mut Store,
    cart: &Cart,
    at: DateTime<Utc>,
) -> Result<SaleRecord, StoreError> {
    let tender = Tender {
        method: PaymentMethod::Cash,
        amount: cart.totals().total,
        reference: None,
    };
    let draft = SaleDraft::new(cart, vec![tender], "Lan").expect("an exact cash tender pays");
    store.commit_sale(&draft, at)
}

/// Shows the current view, lets `interact` use it as a person would, then feeds every message
/// the widgets published back into the application, as the runtime does.
pub fn step(
    app: &mut ocop_pos::ui::App,
    interact: impl FnOnce(
        &mut iced_test::Simulator<'_, ocop_pos::ui::Message>,
    ) -> Result<(), iced_test::Error>,
) -> Result<(), iced_test::Error> {
    let messages: Vec<ocop_pos::ui::Message> = {
        let mut ui = simulator(app);
        interact(&mut ui)?;
        ui.into_messages().collect()
    };
    for message in messages {
        let _ = app.update(message);
    }
    Ok(())
}

/// Signs `name` in on the PIN pad the window opens with.
pub fn sign_in(app: &mut ocop_pos::ui::App, name: &str, pin: &str) {
    use ocop_pos::ui::sign_in::Message as Pad;
    let staff = app.store().expect("store open").staff().expect("staff");
    let index = staff
        .iter()
        .position(|m| m.name == name)
        .unwrap_or_else(|| panic!("no staff member {name}"));
    for message in [
        Pad::Pick(index),
        Pad::PinChanged(pin.to_string()),
        Pad::Submit,
    ] {
        let _ = app.update(ocop_pos::ui::Message::Pad(message));
    }
    assert_eq!(
        app.staff().map(|s| s.name.as_str()),
        Some(name),
        "signed in"
    );
}

/// A manager approves on the PIN pad that asks: picks their name (nobody is chosen when the
/// pad shows), types the PIN and presses Enter.
pub fn approve_as(app: &mut ocop_pos::ui::App, name: &str, pin: &str) {
    use ocop_pos::ui::sign_in::Message as Pad;
    let index = app
        .pin_pad()
        .expect("the PIN pad asks")
        .names()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("{name} is not offered"));
    for message in [
        Pad::Pick(index),
        Pad::PinChanged(pin.to_string()),
        Pad::Submit,
    ] {
        let _ = app.update(ocop_pos::ui::Message::Pad(message));
    }
}

pub const MANAGER: (&str, &str) = ("Trần Văn Hùng", "1234");
pub const CASHIER: (&str, &str) = ("Nguyễn Thị Lan", "1111");

/// The window as a shop's 1366×768 monitor shows it.
pub fn simulator(app: &ocop_pos::ui::App) -> iced_test::Simulator<'_, ocop_pos::ui::Message> {
    iced_test::Simulator::with_size(iced::Settings::default(), (1366.0, 768.0), app.view())
}

/// A PDF's text as read back, in NFC (the extractor may give decomposed Vietnamese).
pub fn text_of(pdf: &[u8]) -> String {
    use unicode_normalization::UnicodeNormalization;
    pdf_extract::extract_text_from_mem(pdf)
        .expect("the PDF reads back")
        .nfc()
        .collect()
}

/// Each page's text, the same way.
pub fn pages_of(pdf: &[u8]) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    pdf_extract::extract_text_from_mem_by_pages(pdf)
        .expect("the PDF reads back")
        .into_iter()
        .map(|page| page.nfc().collect())
        .collect()
}

/// The text with every run of whitespace made one space, for what may wrap over lines.
pub fn flowing(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn assert_contains(text: &str, expected: &str) {
    assert!(
        text.contains(expected),
        "{expected:?} missing from:\n{text}"
    );
}

/// The events file a node writes (`events export`), read back as `events import` reads it.
pub fn events_file(from: &Store) -> Vec<SyncEvent> {
    let text: String = from
        .events_after(0, usize::MAX)
        .unwrap()
        .iter()
        .map(|event| serde_json::to_string(event).unwrap() + "\n")
        .collect();
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The rows of the store at `source`, copied into a new store built as version `version` was
/// (its first schema and the migrations up to it): what an older folder holds, to open with
/// this version and see what the migrations keep. Columns the old schema lacks are left out.
pub fn older_store_with_rows_of(
    source: &std::path::Path,
    version: i32,
) -> (TempDir, std::path::PathBuf) {
    use ocop_pos::store::DATABASE_FILE;
    use ocop_pos::store::migrations::{FIRST_SCHEMA, MIGRATIONS};
    use rusqlite::Connection;
    let columns = |conn: &Connection, schema: &str, table: &str| -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM pragma_table_info(?1, ?2) ORDER BY cid")
            .unwrap();
        stmt.query_map([table, schema], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
    conn.execute_batch(FIRST_SCHEMA).unwrap();
    for (_, sql) in MIGRATIONS.iter().filter(|(reached, _)| *reached <= version) {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", version).unwrap();
    conn.execute(
        "ATTACH DATABASE ?1 AS current",
        [source.display().to_string()],
    )
    .unwrap();
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.retain(|table| table != "sqlite_sequence");
    // The ledger before the products: its trigger would otherwise add the stock twice.
    tables.sort_by_key(|table| table != "stock_movements");
    for table in tables {
        let theirs = columns(&conn, "current", &table);
        let shared: Vec<String> = columns(&conn, "main", &table)
            .into_iter()
            .filter(|column| theirs.contains(column))
            .collect();
        let shared = shared.join(", ");
        conn.execute(
            &format!(
                "INSERT OR REPLACE INTO main.\"{table}\" ({shared})
                 SELECT {shared} FROM current.\"{table}\""
            ),
            [],
        )
        .unwrap();
    }
    conn.execute("DETACH DATABASE current", []).unwrap();
    (dir, path)
}
