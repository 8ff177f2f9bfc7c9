//! What the sync outbox adds to a sale's commit (issue 17, part 5; figures in BENCHMARKS.md):
//! the same five-line sale committed with its event and without it, on the same store and
//! disk. Criterion times the two one after the other; an interleaved run then pairs each
//! commit with one of the other kind, so that the disk's changing speed falls on both alike.
//! The event's own work (built, appended, rolled back) is timed apart, to tell it from
//! the pages it adds to the commit, and those pages are counted (frames the commit appends to
//! the write-ahead log), which no disk's speed can blur.

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::store::{DATABASE_FILE, Store};
use rusqlite::Connection;
use rust_decimal::Decimal;
use std::hint::black_box;
use std::time::{Duration, Instant};

mod common;

use common::generated_catalogue;

/// Five products, two of each, paid in cash to the exact đồng.
fn five_line_sale(store: &Store) -> SaleDraft {
    let mut cart = Cart::default();
    for product in store.catalogue(Utc::now()).unwrap().iter().take(5) {
        cart.add_product(product, Decimal::from(2)).unwrap();
    }
    let tender = Tender {
        method: PaymentMethod::Cash,
        amount: cart.totals().total,
        reference: None,
    };
    SaleDraft::new(&cart, vec![tender], "bench").unwrap()
}

/// A store of 1,000 products in a folder of its own, and the sale both benchmarks commit.
fn store_and_sale() -> (tempfile::TempDir, Store, SaleDraft) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let seeded_at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    store
        .seed_demo(&generated_catalogue(1_000), seeded_at)
        .unwrap();
    let draft = five_line_sale(&store);
    (dir, store, draft)
}

fn sale_commit_outbox(c: &mut Criterion) {
    let (_dir, mut store, draft) = store_and_sale();
    let mut group = c.benchmark_group("sale_commit_outbox");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("with_event", |b| {
        b.iter(|| black_box(store.commit_sale(&draft, Utc::now()).unwrap()))
    });
    group.bench_function("without_event", |b| {
        b.iter(|| {
            black_box(
                store
                    .commit_sale_without_event_for_benchmark(&draft, Utc::now())
                    .unwrap(),
            )
        })
    });
    // The event's own work without the commit: building the sale's document, appending it,
    // then rolling back (no page reaches the disk).
    let sale = store.commit_sale(&draft, Utc::now()).unwrap();
    group.bench_function("event_alone_rolled_back", |b| {
        b.iter(|| {
            store
                .sale_event_rolled_back_for_benchmark(&sale, Utc::now())
                .unwrap()
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
            .commit_sale_without_event_for_benchmark(&draft, Utc::now())
            .unwrap();
        without.push(started.elapsed());
    }
    with.sort();
    without.sort();
    let (with, without) = (with[with.len() / 2], without[without.len() / 2]);
    println!(
        "interleaved medians of 2,000 commits each: with the event {with:?}, without \
         {without:?}, {:.3} ×",
        with.as_secs_f64() / without.as_secs_f64()
    );
}

/// The pages a commit appends to the write-ahead log, counted from a second connection: the
/// log is emptied (checkpointed and truncated) before the commit and its frames read after.
fn wal_pages(watcher: &Connection, commit: impl FnOnce()) -> i64 {
    watcher
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    commit();
    watcher
        .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))
        .unwrap()
}

fn sale_commit_pages(_: &mut Criterion) {
    let (dir, mut store, draft) = store_and_sale();
    let watcher = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    let mut with = Vec::new();
    let mut without = Vec::new();
    for _ in 0..200 {
        with.push(wal_pages(&watcher, || {
            store.commit_sale(&draft, Utc::now()).unwrap();
        }));
        without.push(wal_pages(&watcher, || {
            store
                .commit_sale_without_event_for_benchmark(&draft, Utc::now())
                .unwrap();
        }));
    }
    let mean = |pages: &[i64]| pages.iter().sum::<i64>() as f64 / pages.len() as f64;
    println!(
        "pages appended to the log per commit, mean of 200 each: with the event {:.2}, \
         without {:.2}",
        mean(&with),
        mean(&without)
    );
}

criterion_group!(benches, sale_commit_outbox, sale_commit_pages);
criterion_main!(benches);
