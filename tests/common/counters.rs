//! Two counters of one shop, each on its own data folder (a real SQLite file): AA, the
//! catalogue node, and AB, which took AA's catalogue; both registered for cash-register
//! invoices with a code, each in a series of its own, and carrying events to each other as
//! `events export` / `events import` do.

use super::{DEMO_PRODUCTS, events_file, sell_for_exact_cash, shop_time};
use chrono::{DateTime, Utc};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::einvoice::InvoiceSettings;
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::refund::{RefundItem, RefundRecord, RefundRequest};
use ocop_pos::core::sale::SaleRecord;
use ocop_pos::store::{AUTO_OPEN_SESSIONS, SESSION_POLICY_SETTING, Store, StoreError};
use rust_decimal::Decimal;
use tempfile::TempDir;

pub const PRODUCTS: [&str; 3] = ["KG001", "KG004", "KG005"];

/// A registered shop (not the demo's registration, whose invoices are never sent), each
/// counter invoicing in a series of its own.
pub fn registered() -> InvoiceSettings {
    InvoiceSettings {
        seller_tax_code: "0100112437".into(),
        authority_code: "K7Q2M".into(),
        ..InvoiceSettings::demo()
    }
}

pub struct Counter {
    pub dir: TempDir,
    pub store: Store,
}

/// Counter AA (the catalogue node) and counter AB, which took AA's catalogue.
pub fn counters() -> (Counter, Counter) {
    let aa = catalogue_counter();
    let ab = another_counter(&aa, "AB");
    (aa, ab)
}

/// Counter AA, the node whose catalogue the shop follows, with the demo catalogue. The
/// registration and the cash policy are the store's: set here, they reach the other counters
/// with the catalogue.
pub fn catalogue_counter() -> Counter {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
    store.save_invoice_settings(&registered()).unwrap();
    store
        .set_setting(SESSION_POLICY_SETTING, AUTO_OPEN_SESSIONS)
        .unwrap();
    store.set_invoice_series_per_node(true).unwrap();
    Counter { dir, store }
}

/// A new counter `node` of the same shop, which took `catalogue`'s catalogue and store
/// settings; its series is its own.
pub fn another_counter(catalogue: &Counter, node: &str) -> Counter {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store.set_node_identity(None, Some(node), None).unwrap();
    store
        .apply_events(&catalogue.store.events_after(0, usize::MAX).unwrap())
        .unwrap();
    store.set_invoice_series_per_node(true).unwrap();
    Counter { dir, store }
}

pub fn carry(from: &Counter, to: &mut Counter) {
    to.store.apply_events(&events_file(&from.store)).unwrap();
}

pub fn sell(counter: &mut Counter, quantities: &[u32], at: DateTime<Utc>) -> SaleRecord {
    try_sell(counter, quantities, at).unwrap()
}

/// A cash sale of `quantities` of [`PRODUCTS`], or why the store refused it.
pub fn try_sell(
    counter: &mut Counter,
    quantities: &[u32],
    at: DateTime<Utc>,
) -> Result<SaleRecord, StoreError> {
    let catalogue = counter.store.catalogue(at).unwrap();
    let mut cart = Cart::default();
    for (sku, quantity) in PRODUCTS.iter().zip(quantities) {
        let product = catalogue.iter().find(|p| p.sku == *sku).unwrap();
        cart.add_product(product, Decimal::from(*quantity)).unwrap();
    }
    sell_for_exact_cash(&mut counter.store, &cart, at)
}

pub fn refund(
    counter: &mut Counter,
    receipt_no: &str,
    items: &[(usize, u32)],
    at: DateTime<Utc>,
) -> Result<RefundRecord, StoreError> {
    let items: Vec<(usize, u32)> = items
        .iter()
        .copied()
        .filter(|(_, quantity)| *quantity > 0)
        .collect();
    let request = refund_request(receipt_no, &items);
    counter.store.commit_refund(&request, at)
}

/// A cash refund of `items` (line number, quantity) of receipt `receipt_no`, restocked, by
/// cashier Lan with manager Hùng's approval.
pub fn refund_request(receipt_no: &str, items: &[(usize, u32)]) -> RefundRequest {
    RefundRequest {
        receipt_no: receipt_no.to_string(),
        items: items
            .iter()
            .map(|(line_no, quantity)| RefundItem {
                line_no: *line_no,
                quantity: Decimal::from(*quantity),
            })
            .collect(),
        method: PaymentMethod::Cash,
        restock: true,
        reason: "khách đổi ý".into(),
        cashier: "Lan".into(),
        approver: Some("Hùng".into()),
    }
}
