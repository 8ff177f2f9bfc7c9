//! How long the window takes to answer on a 300,000-product store (BENCHMARKS.md): each act is
//! the application's update and a fresh view laid out at a shop monitor's size, headless, as the
//! GUI tests drive it. The store is the worst case of a new shop: every product just migrated,
//! at or under its low-stock threshold. The store is seeded by a child process (this program
//! run again with `SEED_INTO` set), so the peak memory printed after opening every screen is
//! the window's alone.
//!
//! Each criterion figure is gross: it includes a fresh headless renderer and widget tree
//! (`Simulator`: every text shaped anew), which a running window keeps; "nothing to do" is that
//! constant alone. First a child process drives the window as it runs (`split`: the update
//! alone, then with the frame on a renderer and tree kept from frame to frame) and prints its
//! own peak memory. `OCOP_GUI_BENCH_SPLIT_ONLY=1` runs only that (a quick look while working);
//! `OCOP_GUI_BENCH_STORE=DIR` seeds DIR once and reuses it.

mod common;

use chrono::{TimeZone, Utc};
use common::generated_catalogue;
use common::tasks::finished;
use criterion::{Bencher, Criterion};
use ocop_pos::config::{Config, DEMO_GIFT_PACKS_CSV, DEMO_STAFF};
use ocop_pos::core::product_list::Column;
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::store::{DATABASE_FILE, Store};
use ocop_pos::ui::inventory::{self, Field, Panel, ProductsMessage};
use ocop_pos::ui::{App, Message, Tab, orders, sign_in};
use std::path::Path;
use std::time::{Duration, Instant};
use tempfile::TempDir;

const PRODUCTS: usize = 300_000;
/// Set in the child process that seeds the store: the folder to seed it in.
const SEED_INTO: &str = "OCOP_GUI_BENCH_SEED_INTO";
/// Set to drive only the window as it runs, without criterion's runs.
const SPLIT_ONLY: &str = "OCOP_GUI_BENCH_SPLIT_ONLY";
/// Set to a folder: the store is seeded there once and reused by later runs.
const KEPT_STORE: &str = "OCOP_GUI_BENCH_STORE";
/// A shop monitor.
const WINDOW: (f32, f32) = (1366.0, 768.0);

/// A store of 300k products, all low on stock, with the demo's staff and gift packs, seeded
/// by a child process so that its memory is not the window's.
fn big_store() -> (Option<TempDir>, Config, std::path::PathBuf) {
    let (dir, kept) = match std::env::var_os(KEPT_STORE) {
        Some(kept) => (None, std::path::PathBuf::from(kept)),
        None => {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().to_path_buf();
            (Some(dir), path)
        }
    };
    if !kept.join(DATABASE_FILE).exists() {
        std::fs::create_dir_all(&kept).unwrap();
        let seeded = std::process::Command::new(std::env::current_exe().unwrap())
            .env(SEED_INTO, &kept)
            .status()
            .unwrap();
        assert!(seeded.success(), "the child seeded the store");
    }
    let config = Config::new(Some(kept.clone()), false);
    (dir, config, kept)
}

fn seed(dir: &Path) {
    let mut store = Store::open_in(dir).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    store.seed_demo(&generated_catalogue(PRODUCTS), at).unwrap();
    store.seed_demo_gift_packs(DEMO_GIFT_PACKS_CSV, at).unwrap();
    store.save_shop_settings(&ShopSettings::demo()).unwrap();
    for (name, role, pin) in DEMO_STAFF {
        store.create_staff(name, role, pin, at).unwrap();
    }
    drop(store);
    // After a migration every product is at or under its threshold.
    rusqlite::Connection::open(dir.join(DATABASE_FILE))
        .unwrap()
        .execute(
            "UPDATE products SET low_stock_milli = stock_milli + 1000",
            [],
        )
        .unwrap();
}

/// The manager signed in on the counter. With `prepared`, what the sign-in starts (the
/// inventory's catalogue read and sorted on another thread) is run to its end, as the running
/// window does while the manager is still at the counter; without, it is dropped and the
/// screen reads the catalogue itself when first opened.
fn signed_in(config: &Config, prepared: bool) -> App {
    let mut app = App::new(config);
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
    assert!(app.staff().is_some(), "signed in");
    if prepared {
        for message in finished(started) {
            let _ = app.update(message);
        }
    }
    app
}

/// How long the first opening of Kho takes after the start, with the catalogue prepared at
/// sign-in and without (median of three fresh windows each).
fn first_opening(config: &Config) {
    for prepared in [true, false] {
        let mut times: Vec<Duration> = (0..3)
            .map(|_| {
                let mut app = signed_in(config, prepared);
                let start = Instant::now();
                act(&mut app, Message::Show(Tab::Inventory));
                let took = start.elapsed();
                assert!(app.inventory().is_some(), "the screen opened");
                took
            })
            .collect();
        times.sort();
        println!(
            "first opening of Kho after the start, catalogue {}: {:?}",
            if prepared {
                "prepared at sign-in"
            } else {
                "read on opening"
            },
            times[1]
        );
    }
}

/// Times `during` alone, each time after `before` (untimed) puts the window back; both are
/// given the iteration's number.
fn timed(
    b: &mut Bencher<'_>,
    app: &mut App,
    before: impl Fn(u64) -> Message,
    during: impl Fn(u64) -> Message,
) {
    b.iter_custom(|iterations| {
        let mut total = Duration::ZERO;
        for n in 0..iterations {
            act(app, before(n));
            let start = Instant::now();
            act(app, during(n));
            total += start.elapsed();
        }
        total
    })
}

/// The update, then the whole window built and laid out as a 1366×768 monitor shows it, by a
/// fresh headless renderer (gross: a running window keeps its renderer).
fn act(app: &mut App, message: Message) {
    let _ = app.update(message);
    let ui = iced_test::Simulator::with_size(iced::Settings::default(), WINDOW, app.view());
    drop(std::hint::black_box(ui));
}

/// A window as it runs: one renderer, and the widget tree (text already shaped) kept from
/// frame to frame.
struct Frames {
    renderer: iced::Renderer,
    cache: Option<iced_test::runtime::user_interface::Cache>,
}

impl Frames {
    fn new() -> Frames {
        // As the Simulator makes it.
        let renderer = iced::Renderer::new(
            iced::Font::with_name("Fira Sans"),
            iced::Settings::default().default_text_size,
        );
        Frames {
            renderer,
            cache: None,
        }
    }

    /// The view built, laid out on the tree kept from the last frame, and drawn.
    fn frame(&mut self, app: &App) {
        let mut ui = iced_test::runtime::UserInterface::build(
            app.view(),
            iced::Size::new(WINDOW.0, WINDOW.1),
            self.cache.take().unwrap_or_default(),
            &mut self.renderer,
        );
        ui.draw(
            &mut self.renderer,
            &app.theme(),
            &iced_test::core::renderer::Style::default(),
            iced::mouse::Cursor::Unavailable,
        );
        self.cache = Some(ui.into_cache());
        // Rasterized, as the window presents it.
        let pixels = iced_test::core::renderer::Headless::screenshot(
            &mut self.renderer,
            iced::Size::new(WINDOW.0 as u32, WINDOW.1 as u32),
            1.0,
            iced::Color::WHITE,
        );
        drop(std::hint::black_box(pixels));
    }
}

/// The median of `runs` durations.
fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// The window as it runs, in a process of its own: each act's update alone, and the update
/// with the frame after it (built, laid out and drawn on the renderer and widget tree kept from
/// the last frame, then rasterized), medians of 9; the resident memory after signing in, after
/// the catalogue prepared, after each act; and the peak once every screen and panel was shown.
fn split(config: &Config) {
    const RUNS: usize = 9;
    println!("resident before signing in: {}", resident("VmRSS"));
    let app = signed_in(config, false);
    println!(
        "resident signed in (the counter's catalogue): {}",
        resident("VmRSS")
    );
    drop(app);
    let mut app = signed_in(config, true);
    println!(
        "resident signed in, Kho's catalogue prepared: {}",
        resident("VmRSS")
    );
    let mut frames = Frames::new();
    let mut run = |name: &str,
                   app: &mut App,
                   before: &dyn Fn(usize) -> Message,
                   during: &dyn Fn(usize) -> Message| {
        let (mut updates, mut windowed) = (Vec::new(), Vec::new());
        for n in 0..RUNS {
            let _ = app.update(before(n));
            frames.frame(app);
            let start = Instant::now();
            let _ = app.update(during(n));
            updates.push(start.elapsed());
            frames.frame(app);
            windowed.push(start.elapsed());
        }
        println!(
            "{name}: update {:?}; with the frame {:?}; resident after: {}",
            median(updates),
            median(windowed),
            resident("VmRSS")
        );
    };
    run(
        "open Kho (from the counter)",
        &mut app,
        &|_| Message::Show(Tab::Checkout),
        &|_| Message::Show(Tab::Inventory),
    );
    run(
        "open Cảnh báo (every product low)",
        &mut app,
        &|_| inventory(inventory::Message::Show(Panel::Products)),
        &|_| inventory(inventory::Message::Show(Panel::Alerts)),
    );
    let _ = app.update(inventory(inventory::Message::Show(Panel::Products)));
    run(
        "type a filter (one keystroke)",
        &mut app,
        &|_| products(ProductsMessage::FilterText("nuoc mam phu quoc 2".into())),
        &|_| products(ProductsMessage::FilterText("nuoc mam phu quoc 29".into())),
    );
    let _ = app.update(products(ProductsMessage::FilterText(String::new())));
    run(
        "sort (click a column head)",
        &mut app,
        &|_| products(ProductsMessage::SortBy(Column::Sku)),
        &|_| products(ProductsMessage::SortBy(Column::Name)),
    );
    let product = product_to_edit(&app);
    let _ = app.update(products(ProductsMessage::Select(product)));
    run(
        "save a product (its name changed)",
        &mut app,
        &|n| {
            products(ProductsMessage::Edit(
                Field::Name,
                format!("Nước mắm Phú Quốc đổi tên {n}"),
            ))
        },
        &|_| products(ProductsMessage::Save),
    );
    run(
        "nothing to do (Close with no product open)",
        &mut app,
        &|_| products(ProductsMessage::Close),
        &|_| products(ProductsMessage::Close),
    );
    for message in everything() {
        let shown = format!("{message:?}");
        let _ = app.update(message);
        frames.frame(&app);
        println!("  after {shown}: resident {}", resident("VmRSS"));
    }
    print_peak("the window as it runs");
}

/// The product the save is timed on (taken from the table: reading the counter's catalogue
/// here would add a third copy of it to the peak memory).
fn product_to_edit(app: &App) -> i64 {
    app.inventory().unwrap().catalogue().list.rows()[1_000].product_id
}

fn inventory(message: inventory::Message) -> Message {
    Message::Inventory(message)
}

fn products(message: ProductsMessage) -> Message {
    inventory(inventory::Message::Products(message))
}

fn gui_latency(c: &mut Criterion, config: &Config) {
    let mut app = signed_in(config, true);
    let mut group = c.benchmark_group("window at 300k products");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("open Kho (from the counter)", |b| {
        timed(
            b,
            &mut app,
            |_| Message::Show(Tab::Checkout),
            |_| Message::Show(Tab::Inventory),
        )
    });
    act(&mut app, Message::Show(Tab::Inventory));
    group.bench_function("open Cảnh báo (every product low)", |b| {
        timed(
            b,
            &mut app,
            |_| inventory(inventory::Message::Show(Panel::Products)),
            |_| inventory(inventory::Message::Show(Panel::Alerts)),
        )
    });
    act(
        &mut app,
        inventory(inventory::Message::Show(Panel::Products)),
    );
    group.bench_function("type a filter (one keystroke)", |b| {
        timed(
            b,
            &mut app,
            |_| products(ProductsMessage::FilterText("nuoc mam phu quoc 2".into())),
            |_| products(ProductsMessage::FilterText("nuoc mam phu quoc 29".into())),
        )
    });
    act(
        &mut app,
        products(ProductsMessage::FilterText(String::new())),
    );
    group.bench_function("sort (click a column head)", |b| {
        timed(
            b,
            &mut app,
            |_| products(ProductsMessage::SortBy(Column::Sku)),
            |_| products(ProductsMessage::SortBy(Column::Name)),
        )
    });
    let product = product_to_edit(&app);
    act(&mut app, products(ProductsMessage::Select(product)));
    group.bench_function("save a product (its name changed)", |b| {
        timed(
            b,
            &mut app,
            |n| {
                products(ProductsMessage::Edit(
                    Field::Name,
                    format!("Nước mắm Phú Quốc đổi tên {n}"),
                ))
            },
            |_| products(ProductsMessage::Save),
        )
    });
    // No work in the update: what every gross figure spends on the fresh renderer and tree.
    group.bench_function("nothing to do (Close, no product open)", |b| {
        timed(
            b,
            &mut app,
            |_| products(ProductsMessage::Close),
            |_| products(ProductsMessage::Close),
        )
    });
    group.finish();
    for message in everything() {
        act(&mut app, message);
    }
    print_peak("a fresh renderer and tree for each act");
}

/// Every screen, every panel of Kho and of the orders, and the customer display: shown once
/// each, so that the peak memory counts them all.
fn everything() -> Vec<Message> {
    let mut messages: Vec<Message> = [Tab::Checkout, Tab::Daily, Tab::Backups, Tab::Audit]
        .map(Message::Show)
        .into();
    messages.push(Message::Show(Tab::Orders));
    messages.extend(
        [
            orders::Panel::NewOrder,
            orders::Panel::Customers,
            orders::Panel::Accounts,
        ]
        .map(|panel| Message::Orders(orders::Message::Show(panel))),
    );
    messages.push(Message::Show(Tab::Inventory));
    messages.extend(
        [
            Panel::Receiving,
            Panel::Count,
            Panel::Producers,
            Panel::Packs,
            Panel::Alerts,
            Panel::Csv,
        ]
        .map(|panel| inventory(inventory::Message::Show(panel))),
    );
    messages.extend([Tab::Settings, Tab::Staff].map(Message::Show));
    messages.push(Message::OpenCustomerDisplay);
    messages
}

/// A line of the process's status (`VmRSS`, `VmHWM`: the resident memory now, at its peak).
fn resident(key: &str) -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .map_or("unknown".into(), |value| value.trim().to_string())
}

fn print_peak(how: &str) {
    println!(
        "peak RSS after opening every screen and panel at {PRODUCTS} products, {how}: {}",
        resident("VmHWM")
    );
}

fn main() {
    if let Some(dir) = std::env::var_os(SEED_INTO) {
        seed(Path::new(&dir));
        return;
    }
    let (_dir, config, path) = big_store();
    if std::env::var_os(SPLIT_ONLY).is_some() {
        split(&config);
        return;
    }
    // The window as it runs, in a child process: its peak memory is its own.
    let split_run = std::process::Command::new(std::env::current_exe().unwrap())
        .env(SPLIT_ONLY, "1")
        .env(KEPT_STORE, &path)
        .status()
        .unwrap();
    assert!(split_run.success(), "the window as it runs was measured");
    let mut criterion = Criterion::default().configure_from_args();
    // First: the peak memory it prints is that of one window.
    gui_latency(&mut criterion, &config);
    first_opening(&config);
    criterion.final_summary();
}
