//! Backups of a store with a year of history (1M sale lines): how long one takes, and how long
//! the counter waits to commit a sale while it runs (figures in BENCHMARKS.md).

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::store::backup::{BackupPolicy, back_up};
use ocop_pos::store::{DATABASE_FILE, Store};
use rust_decimal::Decimal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const DEMO: &str = include_str!("../assets/demo_products.csv");
const SALES: i64 = 200_000;
const LINES_PER_SALE: i64 = 5;

/// The demo store with `SALES` five-line sales written straight into the tables in one
/// transaction, stock movements included (setup only: the product writes sales through
/// `Store::commit_sale`).
fn store_with_history() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store
        .seed_demo(DEMO, Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap())
        .unwrap();
    drop(store);
    let mut conn = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    let tx = conn.transaction().unwrap();
    let numbers = |count: i64| {
        format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})")
    };
    tx.execute_batch(&format!(
        "{sales}
         INSERT INTO sales (id, receipt_no, receipt_year, receipt_seq, sold_at, local_date, cashier,
                            gross, discounts, total, change_given)
         SELECT i, printf('2025-%06d', i), 2025, i,
                strftime('%Y-%m-%dT%H:%M:%S.000Z', '2025-01-01', '+' || (i * 150) || ' seconds'),
                date('2025-01-01', '+' || (i * 150 / 86400) || ' days'), 'bench',
                500000, 0, 500000, 0
           FROM n;
         {lines}
         INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, producer, stars, unit,
                                 quantity_milli, unit_price, vat_rate, gross, line_discount,
                                 order_discount, total)
         SELECT (i - 1) / {LINES_PER_SALE} + 1, (i - 1) % {LINES_PER_SALE}, p.id, p.sku, p.name,
                pr.name, p.ocop_stars, p.unit, 1000, 100000, '8', 100000, 0, 0, 100000
           FROM n JOIN products p ON p.id = 1 + i % 42 JOIN producers pr ON pr.id = p.producer_id;
         INSERT INTO stock_movements (product_id, kind, quantity_milli, sale_id, created_at, created_by)
         SELECT product_id, 'sale', -quantity_milli, sale_id, '2025-06-01T00:00:00.000Z', 'bench'
           FROM sale_lines;
         INSERT INTO sale_vat (sale_id, rate, gross, pre_vat, vat)
         SELECT id, '8', 500000, 462963, 37037 FROM sales;
         INSERT INTO payments (sale_id, seq, method, amount) SELECT id, 0, 'cash', 500000 FROM sales;
         INSERT INTO document_counters (series, year, last_number) VALUES ('receipt', 2025, {SALES});",
        sales = numbers(SALES),
        lines = numbers(SALES * LINES_PER_SALE),
    ))
    .unwrap();
    tx.commit().unwrap();
    dir
}

fn file_size_mb(path: &Path) -> f64 {
    std::fs::metadata(path).unwrap().len() as f64 / 1e6
}

fn five_line_sale(store: &Store) -> SaleDraft {
    let mut cart = Cart::default();
    for product in store.catalogue(Utc::now()).unwrap().iter().take(5) {
        cart.add_product(product, Decimal::ONE).unwrap();
    }
    let total = cart.totals().total;
    let cash = Tender {
        method: PaymentMethod::Cash,
        amount: total,
        reference: None,
    };
    SaleDraft::new(&cart, vec![cash], "bench").unwrap()
}

/// The slowest and the 99th-percentile commit of a run, in milliseconds.
fn worst_and_p99(mut latencies: Vec<Duration>) -> (f64, f64) {
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p99 = latencies[(latencies.len() * 99 / 100).min(latencies.len() - 1)];
    (ms(*latencies.last().unwrap()), ms(p99))
}

/// Commits sales back to back while `busy` holds, timing each commit.
fn commit_while(store: &mut Store, draft: &SaleDraft, busy: &AtomicBool) -> Vec<Duration> {
    let mut latencies = Vec::new();
    while busy.load(Ordering::Relaxed) {
        let started = Instant::now();
        store.commit_sale(draft, Utc::now()).unwrap();
        latencies.push(started.elapsed());
    }
    latencies
}

fn backup_1m_lines(c: &mut Criterion) {
    let started = Instant::now();
    let dir = store_with_history();
    let database = dir.path().join(DATABASE_FILE);
    println!(
        "setup: {SALES} sales, {} lines, {:.0} MB in {:.1} s",
        SALES * LINES_PER_SALE,
        file_size_mb(&database),
        started.elapsed().as_secs_f64()
    );
    // The checks a start-up (quick) and a backup (full) run, on their own, on a read-only
    // connection as the store makes them.
    let conn = rusqlite::Connection::open_with_flags(
        &database,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    for pragma in ["quick_check", "integrity_check"] {
        let started = Instant::now();
        let verdict: String = conn
            .query_row(&format!("PRAGMA {pragma}"), [], |row| row.get(0))
            .unwrap();
        println!(
            "{pragma}: {verdict} in {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    drop(conn);
    let started = Instant::now();
    let mut store = Store::open(&database).unwrap();
    println!(
        "Store::open (with quick_check): {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    let policy = BackupPolicy {
        keep: 2,
        second_dir: None,
    };
    let mut group = c.benchmark_group("backup_1M_sale_lines");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(40));
    group.bench_function("online_backup_verified", |b| {
        b.iter(|| back_up(dir.path(), &policy, None, Utc::now()).unwrap())
    });
    group.finish();

    // The counter meanwhile: sales committed back to back, first alone (the floor on this
    // disk), then while a backup runs on another thread.
    let draft = five_line_sale(&store);
    let alone = AtomicBool::new(true);
    let floor = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_secs(3));
            alone.store(false, Ordering::Relaxed);
        });
        commit_while(&mut store, &draft, &alone)
    });
    let sales_alone = floor.len();
    let (worst, p99) = worst_and_p99(floor);
    println!("commit alone: {sales_alone} sales, worst {worst:.1} ms, p99 {p99:.1} ms");
    for run in 1..=3 {
        let backing_up = AtomicBool::new(true);
        let (latencies, took) = std::thread::scope(|scope| {
            let backup = scope.spawn(|| {
                let started = Instant::now();
                back_up(dir.path(), &policy, None, Utc::now()).unwrap();
                backing_up.store(false, Ordering::Relaxed);
                started.elapsed()
            });
            let latencies = commit_while(&mut store, &draft, &backing_up);
            (latencies, backup.join().unwrap())
        });
        let sales = latencies.len();
        let (worst, p99) = worst_and_p99(latencies);
        println!(
            "run {run}: backup {:.2} s; meanwhile {sales} sales, worst commit {worst:.1} ms, p99 {p99:.1} ms",
            took.as_secs_f64()
        );
    }
}

criterion_group!(benches, backup_1m_lines);
criterion_main!(benches);
