//! Speed goals of the hash chains (BENCHMARKS.md): verifying a million chained records, the
//! check at start of what came since the last verified point, and what the chain adds to a
//! sale's commit.

use chrono::{TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::store::migrations::{FIRST_SCHEMA, MIGRATIONS};
use ocop_pos::store::{DATABASE_FILE, Store};
use rusqlite::{Connection, params};
use rust_decimal::Decimal;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};
use tempfile::TempDir;

const DEMO: &str = include_str!("../assets/demo_products.csv");

/// A million chained records as a busy showroom makes them over years: mostly sales of three
/// lines, then audit rows, cash moves, refunds, invoices and Z closes.
const SALES: i64 = 940_000;
const AUDIT_ROWS: i64 = 29_000;
const CASH_MOVES: i64 = 15_000;
const REFUNDS: i64 = 10_000;
const INVOICES: i64 = 5_000;
const SESSIONS: i64 = 1_000;
const LINES_PER_SALE: i64 = 3;

/// What a day adds between two starts: the start-up check reads this much.
const DAY_OF_SALES: i64 = 300;
const DAY_OF_OTHERS: i64 = 20;

/// Writes the records straight into the tables, in one transaction. (Setup only: the program
/// writes them through its store operations.)
fn write_history(path: &Path) {
    let mut conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
    let tx = conn.transaction().unwrap();
    let at = |n: i64| {
        (Utc.with_ymd_and_hms(2023, 1, 1, 1, 0, 0).unwrap() + chrono::Duration::minutes(n))
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()
    };
    {
        // Before the sessions: a move into a closed session is refused.
        let mut cash_move = tx
            .prepare(
                "INSERT INTO cash_movements (id, session_id, kind, amount, reason, created_at,
                                             created_by)
                 VALUES (?1, 1 + ?1 % 1000, 'in', 200000, 'Đổi tiền lẻ', ?2, 'Lan')",
            )
            .unwrap();
        for id in 1..=CASH_MOVES {
            cash_move.execute(params![id, at(id * 60)]).unwrap();
        }
        let mut session = tx
            .prepare(
                "INSERT INTO cash_sessions (id, opened_at, opened_by, opening_float, closed_at,
                                            closed_by, z_number, expected_cash, counted_cash,
                                            note_counts, close_note)
                 VALUES (?1, ?2, 'Lan', 500000, ?2, 'Lan', 'Z' || ?1, 500000, 500000,
                         '{\"500000\":1}', '')",
            )
            .unwrap();
        for id in 1..=SESSIONS {
            session.execute(params![id, at(id * 1000)]).unwrap();
        }
        let mut sale = tx
            .prepare(
                "INSERT INTO sales (id, receipt_no, receipt_year, receipt_seq, sold_at, local_date,
                                    cashier, gross, discounts, total, change_given, session_id)
                 VALUES (?1, 'B-' || ?1, 2023, ?1, ?2, substr(?2, 1, 10), 'Nguyễn Thị Lan',
                         495000, 0, 495000, 5000, ?3)",
            )
            .unwrap();
        let mut line = tx
            .prepare(
                "INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, producer, stars,
                                         unit, quantity_milli, unit_price, vat_rate, gross,
                                         line_discount, order_discount, total)
                 VALUES (?1, ?2, ?3, 'KG' || ?3, 'Nước mắm Phú Quốc Khải Hoàn 38 độ đạm',
                         'CTCP Thương mại Khải Hoàn', 4, 'chai', 1000, 165000, '8', 165000, 0, 0,
                         165000)",
            )
            .unwrap();
        let mut vat = tx
            .prepare(
                "INSERT INTO sale_vat (sale_id, rate, gross, pre_vat, vat)
                 VALUES (?1, '8', 495000, 458333, 36667)",
            )
            .unwrap();
        let mut payment = tx
            .prepare(
                "INSERT INTO payments (sale_id, seq, method, amount) VALUES (?1, 0, 'cash', 500000)",
            )
            .unwrap();
        for id in 1..=SALES {
            sale.execute(params![id, at(id), 1 + id * SESSIONS / SALES])
                .unwrap();
            for line_no in 0..LINES_PER_SALE {
                line.execute(params![id, line_no, 1 + (id * 7 + line_no) % 42])
                    .unwrap();
            }
            vat.execute([id]).unwrap();
            payment.execute([id]).unwrap();
        }
        let mut refund = tx
            .prepare(
                "INSERT INTO refunds (id, refund_no, sale_id, refunded_at, local_date, cashier,
                                      method, total, restock, reason, session_id)
                 VALUES (?1, 'TH-' || ?1, ?1 * 90, ?2, substr(?2, 1, 10), 'Lan', 'cash', 165000,
                         1, 'Khách đổi ý', NULL)",
            )
            .unwrap();
        let mut refund_line = tx
            .prepare(
                "INSERT INTO refund_lines (refund_id, line_no, quantity_milli, amount)
                 VALUES (?1, 0, 1000, 165000)",
            )
            .unwrap();
        let mut refund_vat = tx
            .prepare(
                "INSERT INTO refund_vat (refund_id, rate, gross, pre_vat, vat)
                 VALUES (?1, '8', 165000, 152778, 12222)",
            )
            .unwrap();
        for id in 1..=REFUNDS {
            refund.execute(params![id, at(id * 90)]).unwrap();
            refund_line.execute([id]).unwrap();
            refund_vat.execute([id]).unwrap();
        }
        tx.execute(
            "INSERT INTO buyers (id, name, tax_code, address, created_at)
             VALUES (1, 'Công ty TNHH Biển Xanh', '1701234567', 'Rạch Giá', '2023-01-01')",
            [],
        )
        .unwrap();
        let mut invoice = tx
            .prepare(
                "INSERT INTO invoices (id, template_symbol, symbol, number, year, issued_at,
                                       sale_id, buyer_id, buyer_json, payment_methods, issued_by)
                 VALUES (?1, '1', 'C23TAA', ?1, 2023, ?2, ?1 * 180, 1,
                         '{\"name\":\"Công ty TNHH Biển Xanh\",\"tax_code\":\"1701234567\"}',
                         'cash', 'Lan')",
            )
            .unwrap();
        let mut invoice_line = tx
            .prepare(
                "INSERT INTO invoice_lines (invoice_id, line_no, name, unit, quantity, unit_price,
                                            amount, vat_rate)
                 VALUES (?1, ?2, 'Nước mắm Phú Quốc Khải Hoàn 38 độ đạm', 'chai', '1',
                         '152777.78', 152778, '8')",
            )
            .unwrap();
        let mut invoice_vat = tx
            .prepare(
                "INSERT INTO invoice_vat (invoice_id, rate, gross, pre_vat, vat)
                 VALUES (?1, '8', 495000, 458333, 36667)",
            )
            .unwrap();
        for id in 1..=INVOICES {
            invoice.execute(params![id, at(id * 180)]).unwrap();
            for line_no in 0..LINES_PER_SALE {
                invoice_line.execute(params![id, line_no]).unwrap();
            }
            invoice_vat.execute([id]).unwrap();
        }
        let mut audit = tx
            .prepare(
                "INSERT INTO audit_log (id, at, local_date, actor, approver, act, subject, before,
                                        after)
                 VALUES (?1, ?2, substr(?2, 1, 10), 'Nguyễn Thị Lan', 'Trần Văn Hùng',
                         'void_line', 'Nước mắm × 1', '165.000 ₫', '0')",
            )
            .unwrap();
        for id in 1..=AUDIT_ROWS {
            audit.execute(params![id, at(id * 30)]).unwrap();
        }
    }
    tx.commit().unwrap();
}

/// A store with a million records, chained the way an existing store is when it is upgraded to
/// chains (the migration's step, timed once and printed), with the demo catalogue to sell.
fn chained_history() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    // The last version before chains.
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(FIRST_SCHEMA).unwrap();
    for (version, sql) in MIGRATIONS.iter().filter(|(version, _)| *version <= 6) {
        conn.execute_batch(sql).unwrap();
        conn.pragma_update(None, "user_version", version).unwrap();
    }
    drop(conn);
    write_history(&path);
    let started = Instant::now();
    let mut store = Store::open(&path).unwrap();
    println!(
        "chaining 1,000,000 existing records at the upgrade: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    store
        .seed_demo(DEMO, Utc.with_ymd_and_hms(2023, 1, 1, 0, 0, 0).unwrap())
        .unwrap();
    (dir, store)
}

fn three_line_sale(store: &Store) -> SaleDraft {
    let mut cart = Cart::default();
    for product in store.catalogue(Utc::now()).unwrap().iter().take(3) {
        cart.add_product(product, Decimal::ONE).unwrap();
    }
    let tender = Tender {
        method: PaymentMethod::Cash,
        amount: cart.totals().total,
        reference: None,
    };
    SaleDraft::new(&cart, vec![tender], "bench").unwrap()
}

fn verify(c: &mut Criterion) {
    let (dir, mut store) = chained_history();
    let started = Instant::now();
    let checks = store.verify_chains(Utc::now()).unwrap();
    println!(
        "first full check: {:.2} s; records per chain: {:?}",
        started.elapsed().as_secs_f64(),
        checks
            .iter()
            .map(|check| (check.kind.code(), check.checked))
            .collect::<Vec<_>>()
    );
    let mut group = c.benchmark_group("chains_1M_records");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("verify_every_record", |b| {
        b.iter(|| {
            let checks = store.verify_chains(Utc::now()).unwrap();
            assert!(checks.iter().all(|check| check.broken.is_none()));
            black_box(checks)
        })
    });

    // A day's records since the last start: the checkpoints are set back that far before each
    // run (outside the timing), as if the program had last started a day ago.
    let raw = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    let set_back = || {
        for (kind, table, back) in [
            ("sale", "sales", DAY_OF_SALES),
            ("refund", "refunds", DAY_OF_OTHERS),
            ("invoice", "invoices", DAY_OF_OTHERS),
            ("cash_move", "cash_movements", DAY_OF_OTHERS),
            ("z_close", "cash_sessions", 1),
            ("audit", "audit_log", DAY_OF_OTHERS),
        ] {
            raw.execute(
                &format!(
                    "UPDATE chain_checkpoints SET (position, record_id, hash) =
                        (SELECT chain_position, id, chain_hash FROM {table}
                          WHERE chain_hash IS NOT NULL ORDER BY id DESC LIMIT 1 OFFSET ?2)
                      WHERE kind = ?1"
                ),
                params![kind, back],
            )
            .unwrap();
        }
    };
    group.bench_function("start_up_check_of_a_day", |b| {
        b.iter_batched(
            set_back,
            |()| black_box(store.verify_new_records(Utc::now()).unwrap()),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// What the chain adds to a sale's commit: the same three-line sale committed with and
/// without it, on the same store and disk. Besides criterion's two figures (taken one after
/// the other), an interleaved run pairs each commit with one of the other kind, so that a
/// change in the disk's speed during the run falls on both alike.
fn commit(c: &mut Criterion) {
    let (_dir, mut store) = chained_history();
    let draft = three_line_sale(&store);
    let mut group = c.benchmark_group("sale_commit_1M_records");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("with_hash_chain", |b| {
        b.iter(|| black_box(store.commit_sale(&draft, Utc::now()).unwrap()))
    });
    group.bench_function("without_hash_chain", |b| {
        b.iter(|| {
            black_box(
                store
                    .commit_sale_unchained_for_benchmark(&draft, Utc::now())
                    .unwrap(),
            )
        })
    });
    group.finish();

    let mut with = Vec::new();
    let mut without = Vec::new();
    for _ in 0..2_000 {
        let started = Instant::now();
        store.commit_sale(&draft, Utc::now()).unwrap();
        with.push(started.elapsed());
        let started = Instant::now();
        store
            .commit_sale_unchained_for_benchmark(&draft, Utc::now())
            .unwrap();
        without.push(started.elapsed());
    }
    with.sort();
    without.sort();
    let (with, without) = (with[with.len() / 2], without[without.len() / 2]);
    println!(
        "interleaved medians of 2,000 commits each: with the chain {with:?}, without {without:?}, \
         +{:.1} %",
        (with.as_secs_f64() / without.as_secs_f64() - 1.0) * 100.0
    );
}

criterion_group!(benches, verify, commit);
criterion_main!(benches);
