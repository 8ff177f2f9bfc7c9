//! Helpers shared by the integration tests: a demo store in a temporary folder.
#![allow(dead_code)] // each test binary uses its own subset of these helpers

use chrono::{DateTime, TimeZone, Utc};
use ocop_pos::core::catalog::Product;
use ocop_pos::store::Store;
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

/// Shows the current view, lets `interact` use it as a person would, then feeds every message
/// the widgets published back into the application, as the runtime does.
pub fn step(
    app: &mut ocop_pos::ui::App,
    interact: impl FnOnce(
        &mut iced_test::Simulator<'_, ocop_pos::ui::Message>,
    ) -> Result<(), iced_test::Error>,
) -> Result<(), iced_test::Error> {
    let messages: Vec<ocop_pos::ui::Message> = {
        let mut ui = iced_test::Simulator::new(app.view());
        interact(&mut ui)?;
        ui.into_messages().collect()
    };
    for message in messages {
        let _ = app.update(message);
    }
    Ok(())
}
