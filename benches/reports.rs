//! Speed goals of the daily screen and the cash drawer over a year of history (BENCHMARKS.md).

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ocop_pos::core::cash::NoteCount;
use ocop_pos::core::money::Money;
use ocop_pos::core::report::Period;
use ocop_pos::store::{DATABASE_FILE, Store};
use rusqlite::{Connection, params};
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;
use tempfile::TempDir;

const DEMO: &str = include_str!("../assets/demo_products.csv");
const LINES_PER_SALE: i64 = 5;
const HISTORY_SALES: i64 = 200_000; // 1M sale lines
const DAYS: i64 = 365;

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 26).unwrap()
}

/// Writes `count` five-line cash sales straight into the tables, `per_day` a day from `day0`,
/// in one transaction: the history a busy showroom builds in a year. (Setup only: the product
/// writes sales through `Store::commit_sale`.)
fn write_history(path: &Path, first_id: i64, count: i64, per_day: i64, session: Option<i64>) {
    let mut conn = Connection::open(path).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut sale = tx
            .prepare(
                "INSERT INTO sales (id, receipt_no, receipt_year, receipt_seq, sold_at, local_date,
                                    cashier, gross, discounts, total, change_given, session_id)
                 VALUES (?1, ?2, ?3, ?1, ?4, ?5, 'bench', ?6, 0, ?6, 0, ?7)",
            )
            .unwrap();
        let mut line = tx
            .prepare(
                "INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, producer, stars,
                                         unit, quantity_milli, unit_price, vat_rate, gross,
                                         line_discount, order_discount, total)
                 SELECT ?1, ?2, p.id, p.sku, p.name, pr.name, p.ocop_stars, p.unit, 1000, 100000,
                        '8', 100000, 0, 0, 100000
                   FROM products p JOIN producers pr ON pr.id = p.producer_id WHERE p.id = ?3",
            )
            .unwrap();
        let mut vat = tx
            .prepare(
                "INSERT INTO sale_vat (sale_id, rate, gross, pre_vat, vat)
                 VALUES (?1, '8', 500000, 462963, 37037)",
            )
            .unwrap();
        let mut payment = tx
            .prepare(
                "INSERT INTO payments (sale_id, seq, method, amount) VALUES (?1, 0, 'cash', 500000)",
            )
            .unwrap();
        for n in 0..count {
            let id = first_id + n;
            let day = first_day() + Duration::days((n / per_day) % DAYS);
            let at = Utc
                .from_utc_datetime(&day.and_hms_opt(1 + (n % 12) as u32, 0, 0).unwrap())
                .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                .to_string();
            sale.execute(params![
                id,
                format!("B-{id:09}"),
                2026,
                at,
                day.to_string(),
                LINES_PER_SALE * 100_000,
                session
            ])
            .unwrap();
            for line_no in 0..LINES_PER_SALE {
                line.execute(params![id, line_no, 1 + (id * 7 + line_no) % 42])
                    .unwrap();
            }
            vat.execute([id]).unwrap();
            payment.execute([id]).unwrap();
        }
    }
    tx.commit().unwrap();
}

fn history() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store
        .seed_demo(DEMO, Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap())
        .unwrap();
    write_history(
        &dir.path().join(DATABASE_FILE),
        1,
        HISTORY_SALES,
        HISTORY_SALES / DAYS + 1,
        None,
    );
    (dir, store)
}

fn reports(c: &mut Criterion) {
    let (dir, mut store) = history();
    let day = first_day() + Duration::days(200);
    let mut group = c.benchmark_group("reports_1M_sale_lines");
    group.sample_size(20);
    group.bench_function("day_summary", |b| {
        b.iter(|| black_box(store.day_summary(Period::day(day)).unwrap()))
    });
    let month = Period {
        from: day.with_day0(0).unwrap(),
        to: day.with_day0(0).unwrap() + Duration::days(29),
    };
    group.bench_function("month_summary", |b| {
        b.iter(|| black_box(store.day_summary(month).unwrap()))
    });
    // Each closing needs an open session with 2,000 sales: made outside the timing.
    let mut next_id = HISTORY_SALES + 1;
    group.bench_function("close_session_2000_sales", |b| {
        b.iter_custom(|iterations| {
            let mut spent = std::time::Duration::ZERO;
            for _ in 0..iterations {
                let at = Utc::now();
                let session = store.open_cash_session(Money::ZERO, "bench", at).unwrap();
                write_history(
                    &dir.path().join(DATABASE_FILE),
                    next_id,
                    2_000,
                    2_000,
                    Some(session.id),
                );
                next_id += 2_000;
                let expected = store
                    .session_figures(session.id)
                    .unwrap()
                    .expected_cash(Money::ZERO);
                let mut counts = NoteCount::default();
                counts
                    .set(500_000, (expected.dong() / 500_000) as u32)
                    .unwrap();
                let started = Instant::now();
                black_box(
                    store
                        .close_cash_session(session.id, &counts, "bench", "bench", at)
                        .unwrap(),
                );
                spent += started.elapsed();
            }
            spent
        })
    });
    group.finish();
}

criterion_group!(benches, reports);
criterion_main!(benches);
