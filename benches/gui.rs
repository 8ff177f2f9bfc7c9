//! How long the window takes to answer on a 300,000-product store (BENCHMARKS.md): each act is
//! the application's update and a fresh view laid out at a shop monitor's size, headless, as the
//! GUI tests drive it. The store is the worst case of a new shop: every product just migrated,
//! at or under its low-stock threshold. The store is seeded by a child process (this program
//! run again with `SEED_INTO` set), so the peak memory printed after opening every screen is
//! the window's alone.

mod common;

use chrono::{TimeZone, Utc};
use common::generated_catalogue;
use criterion::{Bencher, Criterion};
use ocop_pos::config::{Config, DEMO_GIFT_PACKS_CSV, DEMO_STAFF};
use ocop_pos::core::product_list::Column;
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::store::{DATABASE_FILE, Store};
use ocop_pos::ui::inventory::{self, Field, Panel, ProductsMessage};
use ocop_pos::ui::{App, Message, Tab, sign_in};
use std::path::Path;
use std::time::{Duration, Instant};
use tempfile::TempDir;

const PRODUCTS: usize = 300_000;
/// Set in the child process that seeds the store: the folder to seed it in.
const SEED_INTO: &str = "OCOP_GUI_BENCH_SEED_INTO";

/// A store of 300k products, all low on stock, with the demo's staff and gift packs, seeded
/// by a child process so that its memory is not the window's.
fn big_store() -> (TempDir, Config) {
    let dir = tempfile::tempdir().unwrap();
    let seeded = std::process::Command::new(std::env::current_exe().unwrap())
        .env(SEED_INTO, dir.path())
        .status()
        .unwrap();
    assert!(seeded.success(), "the child seeded the store");
    let config = Config::new(Some(dir.path().to_path_buf()), false);
    (dir, config)
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

/// The messages a task ends with, once it has run to its end.
fn finished(task: iced::Task<Message>) -> Vec<Message> {
    use iced_test::futures::futures::StreamExt;
    use iced_test::runtime::{Action, task};
    let Some(stream) = task::into_stream(task) else {
        return Vec::new();
    };
    iced_test::futures::futures::executor::block_on(stream.collect::<Vec<_>>())
        .into_iter()
        .filter_map(|action| match action {
            Action::Output(message) => Some(message),
            _ => None,
        })
        .collect()
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

/// The update, then the whole window built and laid out as a 1366×768 monitor shows it.
fn act(app: &mut App, message: Message) {
    let _ = app.update(message);
    let ui =
        iced_test::Simulator::with_size(iced::Settings::default(), (1366.0, 768.0), app.view());
    drop(std::hint::black_box(ui));
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
    let product = app.store().unwrap().catalogue(Utc::now()).unwrap()[1_000].id;
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
    group.finish();
    for tab in [
        Tab::Checkout,
        Tab::Daily,
        Tab::Backups,
        Tab::Audit,
        Tab::Inventory,
        Tab::Settings,
        Tab::Staff,
    ] {
        act(&mut app, Message::Show(tab));
    }
    for panel in [
        Panel::Receiving,
        Panel::Count,
        Panel::Producers,
        Panel::Packs,
        Panel::Alerts,
        Panel::Csv,
    ] {
        act(&mut app, inventory(inventory::Message::Show(panel)));
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|line| line.starts_with("VmHWM"))
        .unwrap_or("VmHWM: unknown");
    println!("peak RSS after opening every screen and panel at {PRODUCTS} products: {peak}");
}

fn main() {
    if let Some(dir) = std::env::var_os(SEED_INTO) {
        seed(Path::new(&dir));
        return;
    }
    let (_dir, config) = big_store();
    let mut criterion = Criterion::default().configure_from_args();
    // First: the peak memory it prints is that of one window.
    gui_latency(&mut criterion, &config);
    first_opening(&config);
    criterion.final_summary();
}
