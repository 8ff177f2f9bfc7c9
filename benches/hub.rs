//! Speed goals of the province hub (BENCHMARKS.md), on a PostgreSQL started here as the tests
//! start theirs (tests/common/postgres.rs), with its usual durability (fsync on):
//! - draining a backlog of 10,000 offline sales into the hub in batches (goal < 10 s);
//! - the province day report over 3 stores with 1M sale lines (goal < 200 ms).

#[path = "../tests/common/postgres.rs"]
#[allow(dead_code)] // the tests' helpers beside the two used here
mod postgres;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use ocop_pos::core::sync_event::{StockRow, SyncEvent};
use ocop_pos::hub::Hub;
use serde_json::json;
use std::hint::black_box;
use std::time::{Duration, Instant};

const BACKLOG: i64 = 10_000;
const BATCH: usize = 500;
const LINES: i64 = 1_000_000;
const DAYS: i64 = 31;

/// The `seq`-th sale of a till that was offline: three lines, each moving stock.
fn offline_sale(seq: i64) -> SyncEvent {
    let lines: Vec<_> = (0..3)
        .map(|k| {
            json!({"product": format!("p{}", (seq * 3 + k) % 400), "producer": format!("pr{}", k),
                   "sku": format!("S{k}"), "name": "Trà Shan tuyết", "qty_milli": 1000,
                   "vat_rate": "8", "total": 120_000, "vat": 8_889})
        })
        .collect();
    SyncEvent {
        store: "RG".into(),
        node: "AA".into(),
        incarnation: "bench".into(),
        seq,
        uid: format!("ev-{seq}"),
        kind: "sale".into(),
        at: "2026-12-01T03:00:00.000Z".into(),
        doc: json!({"uid": format!("s-{seq}"), "number": format!("2026-AA-{seq:06}"),
                    "local_date": "2026-12-01", "cashier": "Lan", "total": 360_000,
                    "lines": lines, "payments": [{"method": "cash", "amount": 360_000}]}),
        stock: (0..3)
            .map(|k| StockRow {
                product: format!("p{}", (seq * 3 + k) % 400),
                qty_milli: -1000,
                kind: "sale".into(),
            })
            .collect(),
    }
}

/// Pushes the whole backlog into a new hub; how long it took.
fn drain_backlog() -> Duration {
    let url = postgres::durable_database();
    let mut hub = Hub::new(&url).unwrap();
    hub.init().unwrap();
    let backlog: Vec<SyncEvent> = (1..=BACKLOG).map(offline_sale).collect();
    let origin = backlog[0].origin();
    let started = Instant::now();
    for batch in backlog.chunks(BATCH) {
        hub.push(&origin, batch).unwrap();
    }
    let took = started.elapsed();
    assert_eq!(hub.acked(&origin).unwrap(), BACKLOG);
    took
}

fn drain(c: &mut Criterion) {
    let mut group = c.benchmark_group("hub");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(1));
    group.warm_up_time(Duration::from_millis(1));
    group.bench_function("drain 10,000 offline sales in batches of 500", |b| {
        b.iter_custom(|iterations| (0..iterations).map(|_| drain_backlog()).sum())
    });
    group.finish();
}

/// 1M sale lines over a month in 3 stores (written straight into the projections the report
/// reads: ingesting them would take minutes of set-up, and is the drain's figure anyway).
fn province_with_a_million_lines() -> String {
    let url = postgres::durable_database();
    Hub::new(&url).unwrap().init().unwrap();
    let sales = LINES / 4;
    postgres::psql(
        &url,
        &format!(
            "INSERT INTO hub_stores (store) VALUES ('RG'), ('HG'), ('CM');
             INSERT INTO hub_nodes (origin, store, node, incarnation, acked_seq, last_event_at)
             SELECT s || '/AA/x', s, 'AA', 'x', {sales} / 3, now()
             FROM unnest(ARRAY['RG', 'HG', 'CM']) s;
             INSERT INTO hub_sales (uid, origin, seq, store, node, number, local_date, cashier,
                                    total, at)
             SELECT 's' || n, st || '/AA/x', n, st, 'AA', 'N' || n,
                    DATE '2026-12-01' + (n % {DAYS})::int, 'Lan', 480000, now()
             FROM generate_series(1, {sales}) n,
                  LATERAL (SELECT (ARRAY['RG', 'HG', 'CM'])[1 + n % 3] AS st) x;
             INSERT INTO hub_sale_lines (sale_uid, line_no, store, local_date, product,
                                         producer, sku, name, qty_milli, vat_rate, total, vat)
             SELECT s.uid, k, s.store, s.local_date, 'p' || ((s.seq * 4 + k) % 3000),
                    'pr' || ((s.seq + k) % 120), 'S', 'Sản phẩm', 1000, '8', 120000, 8889
             FROM hub_sales s, generate_series(1, 4) k;
             ANALYZE;"
        ),
    );
    url
}

fn day_report(c: &mut Criterion) {
    let url = province_with_a_million_lines();
    let mut hub = Hub::new(&url).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 12, 15).unwrap();
    let report = hub.report_day(date).unwrap();
    assert_eq!(report.stores.len(), 3);
    assert!(report.province().sales_count > 7_000);
    c.bench_function("province day report, 3 stores, 1M sale lines", |b| {
        b.iter(|| black_box(hub.report_day(date).unwrap()))
    });
}

criterion_group!(benches, drain, day_report);
criterion_main!(benches);
