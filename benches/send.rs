//! Speed goals of sending invoices (BENCHMARKS.md): what queueing an invoice adds to a sale's
//! commit, and sending 5,000 invoices to a local stand-in for the provider (the one the tests
//! use, tests/common/fake_vnpt.rs).

#[path = "../tests/common/fake_vnpt.rs"]
mod fake_vnpt;

use chrono::{Duration as Minutes, TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use fake_vnpt::{ACCOUNT, FakeVnpt, SERVICE_USER};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::einvoice::InvoiceSettings;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::send::{OutboxAccess, PassEnd, PassOptions, provider_for, send_pass};
use ocop_pos::store::{DATABASE_FILE, Store};
use rust_decimal::Decimal;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};
use tempfile::TempDir;

const DEMO: &str = include_str!("../assets/demo_products.csv");
const INVOICES: usize = 5_000;

/// The demo's registration with the shop's own tax code and tax authority's code: its
/// invoices are queued; the demo's are not.
fn real_registration() -> InvoiceSettings {
    InvoiceSettings {
        seller_tax_code: "0100112437".into(),
        authority_code: "K7Q2M".into(),
        ..InvoiceSettings::demo()
    }
}

fn store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store
        .seed_demo(DEMO, Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap())
        .unwrap();
    store.save_invoice_settings(&real_registration()).unwrap();
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

/// What queueing adds to a sale's commit: the same three-line sale, its invoice queued (the
/// shop's registration) or not (the demo's: the one difference is the demo's mark in the XML,
/// a few dozen bytes more on the unqueued side). Interleaved, so a change in the disk's speed
/// during the run falls on both alike.
fn queueing(c: &mut Criterion) {
    let (_dir, mut store) = store();
    let draft = three_line_sale(&store);
    let mut group = c.benchmark_group("sale_commit_queueing");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("queued", |b| {
        b.iter(|| black_box(store.commit_sale(&draft, Utc::now()).unwrap()))
    });
    group.finish();
    let mut queued = Vec::new();
    let mut unqueued = Vec::new();
    let (shop, demo) = (real_registration(), InvoiceSettings::demo());
    for _ in 0..2_000 {
        let started = Instant::now();
        store.commit_sale(&draft, Utc::now()).unwrap();
        queued.push(started.elapsed());
        store.save_invoice_settings(&demo).unwrap();
        let started = Instant::now();
        store.commit_sale(&draft, Utc::now()).unwrap();
        unqueued.push(started.elapsed());
        store.save_invoice_settings(&shop).unwrap();
    }
    queued.sort();
    unqueued.sort();
    let (with, without) = (queued[queued.len() / 2], unqueued[unqueued.len() / 2]);
    println!(
        "interleaved medians of 2,000 commits each: queued {with:?}, not queued {without:?}, \
         +{:.1} %",
        (with.as_secs_f64() / without.as_secs_f64() - 1.0) * 100.0
    );
}

/// 5,000 invoices queued (a busy fortnight offline), sent to the stand-in on this computer.
fn sending(c: &mut Criterion) {
    let (template, mut store) = store();
    let draft = three_line_sale(&store);
    let start = Utc.with_ymd_and_hms(2026, 11, 26, 1, 0, 0).unwrap();
    for n in 0..INVOICES {
        store
            .commit_sale(&draft, start + Minutes::seconds(n as i64))
            .unwrap();
    }
    assert_eq!(store.delivery_summary().unwrap().unsent, INVOICES as i64);
    drop(store);
    let mut group = c.benchmark_group("send");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("5000_invoices_to_a_local_provider", |b| {
        b.iter_batched(
            || {
                // A copy of the queue and a provider that has none of it.
                let copy = tempfile::tempdir().unwrap();
                std::fs::copy(
                    template.path().join(DATABASE_FILE),
                    copy.path().join(DATABASE_FILE),
                )
                .unwrap();
                let provider = FakeVnpt::start();
                let store = Store::open_in(copy.path()).unwrap();
                use_provider(&store, &provider.url());
                (copy, store, provider)
            },
            |(copy, store, provider)| {
                send_all(copy.path(), &store);
                assert_eq!(provider.state().kept.len(), INVOICES);
                (copy, store, provider)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn use_provider(store: &Store, url: &str) {
    for (field, value) in [
        ("provider", "vnpt"),
        ("url", url),
        ("account", ACCOUNT.0),
        ("account_password", ACCOUNT.1),
        ("username", SERVICE_USER.0),
        ("password", SERVICE_USER.1),
    ] {
        store.set_setting(&format!("send.{field}"), value).unwrap();
    }
}

fn send_all(dir: &Path, store: &Store) {
    let mut provider = provider_for(
        &store.send_settings().unwrap(),
        &store.invoice_settings().unwrap(),
        dir,
    )
    .unwrap();
    let report = send_pass(
        &OutboxAccess::new(store.path()),
        provider.as_mut(),
        PassOptions::default(),
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(report.end, PassEnd::Emptied);
    assert_eq!(report.handed_over, INVOICES);
}

criterion_group!(benches, queueing, sending);
criterion_main!(benches);
