//! Speed goals of the back office (BENCHMARKS.md): importing a large product CSV, and stock on
//! hand of every product summed from a ledger of a million movements.

use chrono::{TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ocop_pos::core::barcode::ean13_check_digit;
use ocop_pos::core::inventory::{PRODUCT_COLUMNS, ProducerDraft, ProducerKind};
use ocop_pos::store::{DATABASE_FILE, ImportMode, Store};
use rusqlite::{Connection, params};
use std::hint::black_box;
use std::time::Duration;
use tempfile::TempDir;

const PRODUCER: &str = "HTX Nông nghiệp Mỹ Khánh";
const IMPORT_ROWS: usize = 100_000;
const LEDGER_PRODUCTS: usize = 10_000;
const LEDGER_MOVEMENTS: i64 = 1_000_000;

/// A product CSV of `rows` rows with Vietnamese names and makers' EAN-13s.
fn catalogue_csv(rows: usize) -> String {
    let mut csv = format!("\u{feff}{}\n", PRODUCT_COLUMNS.join(","));
    for n in 0..rows {
        let first12 = format!("893{n:09}");
        let check = ean13_check_digit(&first12).unwrap();
        csv += &format!(
            "SP{n:06},{first12}{check},Nước mắm cá cơm loại {n},{PRODUCER},Thực phẩm,4,chai,0,,{},8,5\n",
            10_000 + n % 500 * 1_000
        );
    }
    csv
}

/// An empty store in a temporary folder with the one producer the CSV names.
fn empty_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store
        .save_producer(
            None,
            ProducerDraft {
                name: PRODUCER.into(),
                kind: ProducerKind::Cooperative,
                commune: "Mỹ Khánh".into(),
                province: "Cần Thơ".into(),
                contact: String::new(),
                tax_code: String::new(),
                bank_account: String::new(),
                consignment: None,
            },
        )
        .unwrap();
    (dir, store)
}

fn import(c: &mut Criterion) {
    let csv = catalogue_csv(IMPORT_ROWS);
    let at = Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap();
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("100k new products, one transaction", |b| {
        b.iter_batched(
            empty_store,
            |(dir, mut store)| {
                let outcome = store
                    .import_products(&csv, ImportMode::Commit, at, &mut |_, _| {})
                    .unwrap();
                assert_eq!(outcome.created.len(), IMPORT_ROWS);
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    // The usual round: export, edit a few cells, import. Every row is compared with the store.
    let (_dir, mut store) = empty_store();
    store
        .import_products(&csv, ImportMode::Commit, at, &mut |_, _| {})
        .unwrap();
    group.bench_function("100k unchanged products, re-imported", |b| {
        b.iter(|| {
            let outcome = store
                .import_products(&csv, ImportMode::Commit, at, &mut |_, _| {})
                .unwrap();
            assert_eq!(outcome.unchanged, IMPORT_ROWS);
        })
    });
    group.finish();
}

/// `LEDGER_PRODUCTS` products with `LEDGER_MOVEMENTS` movements between them, written straight
/// into the ledger (setup only: the product writes them through the store's operations).
fn store_with_ledger() -> (TempDir, Store) {
    let (dir, mut store) = empty_store();
    let at = Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap();
    store
        .import_products(
            &catalogue_csv(LEDGER_PRODUCTS),
            ImportMode::Commit,
            at,
            &mut |_, _| {},
        )
        .unwrap();
    drop(store);
    let mut conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO stock_movements (product_id, kind, quantity_milli, created_at)
                 VALUES (?1, ?2, ?3, '2026-11-26T03:00:00.000Z')",
            )
            .unwrap();
        for n in 0..LEDGER_MOVEMENTS {
            let (kind, quantity) = match n % 4 {
                0 => ("receipt", 24_000),
                3 => ("adjustment", -1_000),
                _ => ("sale", -2_000),
            };
            insert
                .execute(params![1 + n % LEDGER_PRODUCTS as i64, kind, quantity])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    drop(conn);
    let store = Store::open_in(dir.path()).unwrap();
    (dir, store)
}

fn stock_on_hand(c: &mut Criterion) {
    let (_dir, store) = store_with_ledger();
    assert!(store.stock_mismatches().unwrap().is_empty());
    let mut group = c.benchmark_group("ledger");
    group.sample_size(20);
    group.bench_function("stock on hand of 10k products from 1M movements", |b| {
        b.iter(|| {
            let on_hand = store.stock_on_hand().unwrap();
            assert_eq!(on_hand.len(), LEDGER_PRODUCTS);
            black_box(on_hand)
        })
    });
    group.finish();
}

criterion_group!(benches, import, stock_on_hand);
criterion_main!(benches);
