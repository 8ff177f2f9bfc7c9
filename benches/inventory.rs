//! Speed goals of the back office (BENCHMARKS.md): filtering and sorting the inventory table of
//! 300k products, importing a large product CSV, and stock on hand of every product summed
//! from a ledger of a million movements.

use chrono::{TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ocop_pos::core::barcode::ean13_check_digit;
use ocop_pos::core::inventory::{PRODUCT_COLUMNS, ProducerDraft, ProducerKind};
use ocop_pos::core::money::Money;
use ocop_pos::core::product_list::{Column, Filter, ProductList, ProductRow, RowTexts, Sort};
use ocop_pos::core::vat::VatRate;
use ocop_pos::store::{DATABASE_FILE, ImportMode, Store};
use rusqlite::{Connection, params};
use rust_decimal::Decimal;
use std::hint::black_box;
use std::time::Duration;
use tempfile::TempDir;

const PRODUCER: &str = "HTX Nông nghiệp Mỹ Khánh";
const IMPORT_ROWS: usize = 100_000;
const LEDGER_PRODUCTS: usize = 10_000;
const LEDGER_MOVEMENTS: i64 = 1_000_000;
const TABLE_PRODUCTS: usize = 300_000;

/// 300k products as the inventory table holds them: Vietnamese names over 200 producers,
/// a tenth of them inactive, some low on stock.
fn table_rows() -> Vec<ProductRow> {
    let kinds = [
        "Nước mắm cá cơm",
        "Tiêu đen Phú Quốc",
        "Gạo ST25 lúa tôm",
        "Khô cá lóc",
        "Rượu sim rừng",
        "Giỏ lục bình",
        "Mật ong hoa tràm",
        "Trà mãng cầu",
    ];
    (0..TABLE_PRODUCTS)
        .map(|n| ProductRow {
            product_id: n as i64 + 1,
            texts: RowTexts::new(
                &format!("SP{n:06}"),
                &format!("893{n:010}"),
                &format!("{} loại {n}", kinds[n % kinds.len()]),
            ),
            producer: format!("HTX Nông sản số {}", n % 200).into(),
            ocop_group: ["Thực phẩm", "Đồ uống", "Thủ công mỹ nghệ"][n % 3].into(),
            stars: Some(3 + (n % 3) as u8),
            unit: "chai".into(),
            price: Some(Money(10_000 + (n % 500) as i64 * 1_000)),
            vat: Some(VatRate::Percent(Decimal::from(8))),
            stock: Decimal::from(n % 50),
            low_stock: Decimal::from(5),
            active: n % 10 != 0,
        })
        .collect()
}

fn product_table(c: &mut Criterion) {
    let list = ProductList::new(table_rows());
    let mut group = c.benchmark_group("inventory table");
    let typed = Filter {
        text: "tieu phu quoc 2999".into(),
        ..Filter::default()
    };
    group.bench_function("filter 300k products by typed words", |b| {
        b.iter(|| black_box(list.select(black_box(&typed))))
    });
    let narrowed = Filter {
        producer: Some("HTX Nông sản số 17".into()),
        stars: Some(4),
        low_stock_only: true,
        include_inactive: true,
        ..Filter::default()
    };
    group.bench_function(
        "filter 300k products by producer, stars and low stock",
        |b| b.iter(|| black_box(list.select(black_box(&narrowed)))),
    );
    group.bench_function("list all 300k products (empty filter)", |b| {
        b.iter(|| black_box(list.select(black_box(&Filter::default()))))
    });
    group.sample_size(10);
    let (_dir, mut store) = empty_store();
    let at = Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap();
    store
        .import_products(
            &catalogue_csv(TABLE_PRODUCTS),
            ImportMode::Commit,
            at,
            "Hùng",
            &mut |_, _| {},
        )
        .unwrap();
    group.bench_function("open the screen: read and index 300k products", |b| {
        b.iter(|| {
            let list = ProductList::new(store.product_rows(at).unwrap());
            assert_eq!(list.rows().len(), TABLE_PRODUCTS);
            black_box(list)
        })
    });
    let by_name = Sort {
        column: Column::Name,
        descending: false,
    };
    // The first sort by a column; later clicks on it only switch to the order kept.
    group.bench_function("sort 300k products by name (the first time)", |b| {
        b.iter_batched(
            || list.clone(),
            |mut unsorted| {
                unsorted.set_sort(black_box(by_name));
                unsorted
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

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
                    .import_products(&csv, ImportMode::Commit, at, "Hùng", &mut |_, _| {})
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
        .import_products(&csv, ImportMode::Commit, at, "Hùng", &mut |_, _| {})
        .unwrap();
    group.bench_function("100k unchanged products, re-imported", |b| {
        b.iter(|| {
            let outcome = store
                .import_products(&csv, ImportMode::Commit, at, "Hùng", &mut |_, _| {})
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
            "Hùng",
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

criterion_group!(benches, product_table, import, stock_on_hand);
criterion_main!(benches);
