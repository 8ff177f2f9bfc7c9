//! Speed goals of the checkout (figures in BENCHMARKS.md).

use chrono::{TimeZone, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ocop_pos::config::Config;
use ocop_pos::core::cart::Cart;
use ocop_pos::core::catalog::SearchIndex;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::print::{ReceiptOptions, receipt_pdf};
use ocop_pos::store::Store;
use rust_decimal::Decimal;
use std::hint::black_box;
use std::time::Duration;
use tempfile::TempDir;

mod common;

use common::generated_catalogue;

fn store_with(count: usize) -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let seeded_at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    store
        .seed_demo(&generated_catalogue(count), seeded_at)
        .unwrap();
    (dir, store)
}

fn search_per_keystroke(c: &mut Criterion) {
    let mut group = c.benchmark_group("search_per_keystroke");
    for count in [1_000, 300_000] {
        let (_dir, store) = store_with(count);
        let catalogue = store.catalogue(Utc::now()).unwrap();
        let index = SearchIndex::build(&catalogue);
        // A common query stops at the first screenful of matches; a rare one (a single
        // product) scans the whole catalogue, which is the worst case per keystroke.
        for (kind, query) in [
            ("common", "nuoc mam phu quoc"),
            ("rare", "muoi tieu thanh quoc"),
        ] {
            group.bench_with_input(BenchmarkId::new(kind, count), &index, |b, index| {
                b.iter(|| black_box(index.search(query, 12)))
            });
        }
    }
    group.finish();
}

fn barcode_lookup(c: &mut Criterion) {
    let (_dir, store) = store_with(300_000);
    let now = Utc::now();
    c.bench_function("barcode_lookup_300k", |b| {
        b.iter(|| black_box(store.product_by_barcode("8930001234567", now).unwrap()))
    });
}

/// Five products, two of each, paid in cash with `extra` over the total.
fn five_line_sale(store: &Store, extra: Money) -> SaleDraft {
    let mut cart = Cart::default();
    for product in store.catalogue(Utc::now()).unwrap().iter().take(5) {
        cart.add_product(product, Decimal::from(2)).unwrap();
    }
    let tender = Tender {
        method: PaymentMethod::Cash,
        amount: cart.totals().total + extra,
        reference: None,
    };
    SaleDraft::new(&cart, vec![tender], "bench").unwrap()
}

fn durable_commit(c: &mut Criterion) {
    let mut group = c.benchmark_group("durable_commit");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(8));
    let (_dir, mut store) = store_with(1_000);
    let draft = five_line_sale(&store, Money::ZERO);
    group.bench_function("sale_5_lines", |b| {
        b.iter(|| black_box(store.commit_sale(&draft, Utc::now()).unwrap()))
    });
    // The same sale as a cash-register invoice: numbers, MCCQT and XML in the same transaction.
    let (_invoicing_dir, mut invoicing) = store_with(1_000);
    invoicing
        .save_invoice_settings(&ocop_pos::core::einvoice::InvoiceSettings::demo())
        .unwrap();
    let draft = five_line_sale(&invoicing, Money::ZERO);
    group.bench_function("sale_5_lines_with_invoice", |b| {
        b.iter(|| black_box(invoicing.commit_sale(&draft, Utc::now()).unwrap()))
    });
    // The floor: one row in one fsync'd WAL transaction, on the same disk.
    let floor_dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(floor_dir.path().join("floor.sqlite3")).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)", [])
        .unwrap();
    group.bench_function("bare_fsynced_insert", |b| {
        b.iter(|| conn.execute("INSERT INTO t (v) VALUES (?1)", [42]).unwrap())
    });
    group.finish();
}

fn receipt(c: &mut Criterion) {
    let (_dir, mut store) = store_with(1_000);
    let draft = five_line_sale(&store, Money(100_000));
    let sale = store.commit_sale(&draft, Utc::now()).unwrap();
    let shop = ocop_pos::core::settings::ShopSettings::demo();
    let size = receipt_pdf(&shop, &sale, &ReceiptOptions { copy: false }).len();
    println!("receipt_pdf size for a 5-line sale: {size} bytes");
    c.bench_function("receipt_pdf_5_lines", |b| {
        b.iter(|| black_box(receipt_pdf(&shop, &sale, &ReceiptOptions { copy: false })))
    });
}

fn start_to_ready_checkout(c: &mut Criterion) {
    let mut group = c.benchmark_group("start_to_ready_checkout");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    let (dir, store) = store_with(300_000);
    drop(store);
    let config = Config::new(Some(dir.path().to_path_buf()), false);
    group.bench_function("300k_products", |b| {
        b.iter(|| black_box(ocop_pos::ui::App::new(&config)))
    });
    group.finish();
}

criterion_group!(
    benches,
    search_per_keystroke,
    barcode_lookup,
    durable_commit,
    receipt,
    start_to_ready_checkout
);
criterion_main!(benches);
