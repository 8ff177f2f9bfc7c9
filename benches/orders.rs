//! Speed goals of the Tết orders and receivables (BENCHMARKS.md): the aging of 5,000 companies
//! with 200,000 invoices on account, and the packing list of a day with 500 open orders.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ocop_pos::core::money::Money;
use ocop_pos::core::order::{OrderDraft, OrderLine};
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::print::packing_list_pdf;
use ocop_pos::store::{DATABASE_FILE, Store};
use rusqlite::{Connection, params};
use rust_decimal::Decimal;
use std::hint::black_box;
use tempfile::TempDir;

const DEMO: &str = include_str!("../assets/demo_products.csv");
const DEMO_PACKS: &str = include_str!("../assets/demo_giftpacks.csv");
const COMPANIES: i64 = 5_000;
const INVOICES: i64 = 200_000;
const ORDERS: i64 = 500;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 25).unwrap()
}

/// 5,000 companies and 200,000 invoices on account written straight into the tables (setup
/// only: the product writes them through a sale's transaction): due over the last 120 days and
/// the next 30, a third of them partly paid. The aging reads `customer_sales` alone, so the
/// sales they point at are left out (foreign keys off on this setup connection).
fn receivables() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    let mut conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut buyer = tx
            .prepare(
                "INSERT INTO buyers (id, name, tax_code, address, created_at)
                 VALUES (?1, ?2, ?3, 'Rạch Giá', '2026-01-01T00:00:00.000Z')",
            )
            .unwrap();
        let mut customer = tx
            .prepare(
                "INSERT INTO customers (id, kind, buyer_id, credit_limit, payment_term_days,
                                        created_at)
                 VALUES (?1, 'company', ?1, 500000000, 30, '2026-01-01T00:00:00.000Z')",
            )
            .unwrap();
        for id in 1..=COMPANIES {
            buyer
                .execute(params![
                    id,
                    format!("Công ty TNHH Số {id}"),
                    format!("{:010}", 100_000_000 + id)
                ])
                .unwrap();
            customer.execute([id]).unwrap();
        }
        let mut sale = tx
            .prepare(
                "INSERT INTO customer_sales (sale_id, customer_id, on_account, due_on,
                                             paid_on_account)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .unwrap();
        for id in 1..=INVOICES {
            let amount = 1_000_000 + (id * 7_919) % 20_000_000;
            let due = today() + Duration::days(30 - (id * 31) % 150);
            let paid = if id % 3 == 0 { amount / 2 } else { 0 };
            sale.execute(params![
                id,
                1 + id % COMPANIES,
                amount,
                due.to_string(),
                paid
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
    (dir, store)
}

/// 500 open orders taken through the store, each of three lines (two baskets of the demo
/// templates and a product) due on the day or before, 20 to 60 of each.
fn open_orders() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap();
    store.seed_demo(DEMO, at).unwrap();
    store.seed_demo_gift_packs(DEMO_PACKS, at).unwrap();
    let packs = store.gift_packs(at).unwrap();
    let rice = store
        .product_by_barcode("8930101000123", at)
        .unwrap()
        .unwrap();
    let mut customers = Vec::new();
    for n in 0..50 {
        let customer = store
            .save_person(
                &ocop_pos::core::customer::PersonDraft {
                    name: format!("Khách {n}"),
                    phone: format!("09{n:08}"),
                    consent_given: true,
                    ..Default::default()
                },
                None,
                "bench",
                at,
            )
            .unwrap();
        customers.push(customer.id);
    }
    for n in 0..ORDERS {
        let due = today() - Duration::days(n % 5);
        let count = Decimal::from(20 + n % 41);
        let basket = |pack: &ocop_pos::core::giftpack::GiftPack| {
            OrderLine::basket(
                &pack.name,
                &pack.sku,
                Some(pack.id),
                &pack.components(),
                count,
                pack.price(),
                due,
            )
        };
        let mut lines = vec![
            basket(&packs[n as usize % packs.len()]),
            basket(&packs[(n as usize + 1) % packs.len()]),
            OrderLine::product(&rice, count, rice.price, due),
        ];
        lines[0].card_message = format!("Chúc mừng năm mới — đơn {n}");
        store
            .create_order(
                &OrderDraft {
                    customer_id: customers[n as usize % customers.len()],
                    lines,
                    deposit_asked: Money::ZERO,
                    ..OrderDraft::default()
                },
                "bench",
                at,
            )
            .unwrap();
    }
    (dir, store)
}

fn orders(c: &mut Criterion) {
    let (_receivables_dir, receivables) = receivables();
    let mut group = c.benchmark_group("receivables");
    group.sample_size(20);
    group.bench_function("aging_5000_companies_200000_invoices", |b| {
        b.iter(|| {
            let rows = receivables.aging(today()).unwrap();
            assert_eq!(rows.len() as i64, COMPANIES);
            black_box(rows)
        })
    });
    group.finish();

    let (_orders_dir, store) = open_orders();
    let shop = ShopSettings::default();
    let mut group = c.benchmark_group("orders");
    group.sample_size(20);
    group.bench_function("packing_list_500_orders", |b| {
        b.iter(|| {
            let list = store.packing_list(today()).unwrap();
            assert_eq!(list.lines.len() as i64, 3 * ORDERS);
            black_box(list)
        })
    });
    group.bench_function("packing_list_500_orders_with_pdf", |b| {
        b.iter(|| {
            let list = store.packing_list(today()).unwrap();
            black_box(packing_list_pdf(&shop, &list, Utc::now()))
        })
    });
    group.finish();
}

criterion_group!(benches, orders);
criterion_main!(benches);
