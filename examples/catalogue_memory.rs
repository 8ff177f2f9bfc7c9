//! Where the window's memory goes at 300,000 products (BENCHMARKS.md, "The window at 300,000
//! products"): the live heap bytes of the counter's catalogue and search index and of Kho's
//! product table, counted by the allocator, and the process's resident memory after each step.
//! A probe for the debug profile (the sizes of the structures do not depend on the profile):
//!
//! `cargo run --example catalogue_memory -- DIR` seeds DIR once (in a child process, so that
//! the seeding's memory is not counted) and reuses it.

#[path = "../benches/common/mod.rs"]
mod common;

use common::tasks::finished;

use chrono::{TimeZone, Utc};
use ocop_pos::config::{Config, DEMO_GIFT_PACKS_CSV, DEMO_STAFF};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::catalog::SearchIndex;
use ocop_pos::core::product_list::ProductList;
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::store::{DATABASE_FILE, Store};
use ocop_pos::ui::checkout::Checkout;
use ocop_pos::ui::{App, Message, Tab, sign_in};
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

const PRODUCTS: usize = 300_000;
const SEED_INTO: &str = "OCOP_MEMORY_PROBE_SEED_INTO";

/// The system's allocator, counting the bytes live.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// A line of the process's status (`VmRSS`, `VmHWM`).
fn resident(field: &str) -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{field}:")))
        .map_or_else(|| "?".into(), |value| value.trim().to_string())
}

/// Bytes a product, of `bytes` for all of them.
fn per_product(bytes: usize) -> String {
    format!(
        "{:.1} MB, {} bytes a product",
        bytes as f64 / 1e6,
        bytes / PRODUCTS
    )
}

/// The live heap bytes `make` leaves held by what it returns.
fn held<T>(what: &str, make: impl FnOnce() -> T) -> T {
    let before = live();
    let value = make();
    println!("{what}: {}", per_product(live().saturating_sub(before)));
    value
}

fn seed(dir: &Path) {
    let mut store = Store::open_in(dir).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    store
        .seed_demo(&common::generated_catalogue(PRODUCTS), at)
        .unwrap();
    store.seed_demo_gift_packs(DEMO_GIFT_PACKS_CSV, at).unwrap();
    store.save_shop_settings(&ShopSettings::demo()).unwrap();
    for (name, role, pin) in DEMO_STAFF {
        store.create_staff(name, role, pin, at).unwrap();
    }
}

fn main() {
    if let Some(dir) = std::env::var_os(SEED_INTO) {
        seed(Path::new(&dir));
        return;
    }
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("a folder for the store"));
    if !dir.join(DATABASE_FILE).exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let seeded = std::process::Command::new(std::env::current_exe().unwrap())
            .env(SEED_INTO, &dir)
            .status()
            .unwrap();
        assert!(seeded.success(), "the child seeded the store");
    }

    // Each structure alone.
    {
        let store = Store::open_in(&dir).unwrap();
        let now = Utc::now();
        let catalogue = held(
            "every product on sale (Vec<Product>, as the counter held them)",
            || store.catalogue(now).unwrap(),
        );
        held("a search index over them", || {
            SearchIndex::build(&catalogue)
        });
        drop(catalogue);
        held("the counter as it keeps them (Checkout::open)", || {
            Checkout::open(&store, now, Cart::default()).unwrap()
        });
        let rows = held("Kho's rows as read (Vec<ProductRow>)", || {
            store.product_rows(now).unwrap()
        });
        let before = live();
        let mut list = ProductList::new(rows);
        println!(
            "Kho's list over its rows, sorted by SKU (search text, positions, interning): {}",
            per_product(live().saturating_sub(before))
        );
        held("… every column sorted", || list.sort_every_column());
    }

    // The window.
    println!("resident before signing in: {}", resident("VmRSS"));
    let before = live();
    let mut app = App::new(&Config::new(Some(dir), false));
    let staff = app.store().unwrap().staff().unwrap();
    let manager = staff
        .iter()
        .position(|member| member.name == DEMO_STAFF[0].0)
        .unwrap();
    for message in [
        sign_in::Message::Pick(manager),
        sign_in::Message::PinChanged(DEMO_STAFF[0].2.to_string()),
    ] {
        let _ = app.update(Message::Pad(message));
    }
    let started = app.update(Message::Pad(sign_in::Message::Submit));
    println!(
        "signed in, the counter's catalogue: heap {}; resident {}",
        per_product(live() - before),
        resident("VmRSS")
    );
    for message in finished(started) {
        let _ = app.update(message);
    }
    println!(
        "Kho's catalogue prepared too: heap {}; resident {}",
        per_product(live() - before),
        resident("VmRSS")
    );
    let _ = app.update(Message::Show(Tab::Inventory));
    assert!(app.inventory().is_some(), "Kho opened");
    println!(
        "Kho opened: heap {}; resident {}; peak {}",
        per_product(live() - before),
        resident("VmRSS"),
        resident("VmHWM")
    );
}
