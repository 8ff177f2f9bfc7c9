//! The province hub's light in the top bar (iced_test, with a real PostgreSQL): a counter whose
//! `hub_url` names a hub sends its documents by itself and shows green; one whose hub cannot
//! be reached keeps selling and says how many documents wait; without a hub there is no light.
//! A manager sees the hub's alerts for the store beside the light; a cashier does not.

mod common;

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use common::hub_events::{Line, Till};
use common::postgres::{database, one_at_a_time, psql};
use common::{CASHIER, MANAGER, sign_in, simulator};
use ocop_pos::config::Config;
use ocop_pos::core::clock::SHOP_TIME_ZONE;
use ocop_pos::hub::Hub;
use ocop_pos::hub::worker::SyncStatus;
use ocop_pos::store::{HUB_ALERTS_SEEN_SETTING, HUB_URL_SETTING, Store};
use ocop_pos::ui::keys::Command;
use ocop_pos::ui::{App, Message};
use rust_decimal::Decimal;
use std::time::{Duration, Instant};

const FISH_SAUCE: &str = "8930100000018";
use tempfile::TempDir;

fn counter(hub_url: Option<&str>) -> (TempDir, App) {
    counter_after(hub_url, |_| {})
}

/// The same, after `before` did something in the counter's store.
fn counter_after(hub_url: Option<&str>, before: impl FnOnce(&mut Store)) -> (TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(Some(dir.path().to_path_buf()), true);
    let mut store = config.open_store().unwrap();
    if let Some(url) = hub_url {
        store.set_setting(HUB_URL_SETTING, url).unwrap();
    }
    before(&mut store);
    drop(store);
    let mut app = App::new(&config);
    app.start_sending();
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    (dir, app)
}

fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(30), "{what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_counter_with_a_hub_sends_its_documents_by_itself_and_shows_green() {
    let _turn = one_at_a_time();
    let url = database();
    Hub::new(&url).unwrap().init().unwrap();
    let (_dir, app) = counter(Some(&url));
    eventually("the light turns green", || {
        matches!(app.hub_status(), Some(SyncStatus::Online { .. }))
    });
    let sent: i64 = psql(&url, "SELECT count(*) FROM hub_events")
        .parse()
        .unwrap();
    assert_eq!(sent, app.store().unwrap().last_event_seq().unwrap());
    let mut ui = simulator(&app);
    assert!(ui.find("●").is_ok(), "the light is in the top bar");
}

#[test]
fn a_counter_whose_hub_is_away_says_what_waits_and_without_a_hub_shows_no_light() {
    // Nothing listens on port 9 of this machine.
    let (_dir, app) = counter(Some("postgres://ocop@127.0.0.1:9/province"));
    eventually("the light says offline", || {
        matches!(app.hub_status(), Some(SyncStatus::Offline { .. }))
    });
    let Some(SyncStatus::Offline { unsent, .. }) = app.hub_status() else {
        unreachable!()
    };
    assert_eq!(unsent, app.store().unwrap().last_event_seq().unwrap());
    assert!(unsent > 0, "the demo's catalogue waits to go up");
    let mut ui = simulator(&app);
    assert!(ui.find(format!("{unsent} chờ gửi")).is_ok());

    let (_dir, app) = counter(None);
    assert_eq!(app.hub_status(), None);
    let mut ui = simulator(&app);
    assert!(ui.find("●").is_err(), "no hub, no light");
}

#[test]
fn a_manager_sees_the_hubs_alerts_for_the_store_and_a_cashier_does_not() {
    let _turn = one_at_a_time();
    let url = database();
    Hub::new(&url).unwrap().init().unwrap();
    let (_dir, mut app) = counter(Some(&url));
    eventually("the counter's catalogue reaches the hub", || {
        matches!(app.hub_status(), Some(SyncStatus::Online { .. }))
    });
    assert!(app.hub_alerts().is_empty(), "nothing wrong yet");
    assert!(!shows(&app, "⚠"), "no alerts, no button");

    // Another counter of the store, offline for a while, sold more green tea than there was.
    let uid = psql(
        &url,
        "SELECT body -> 'doc' ->> 'uid' FROM hub_events
          WHERE kind = 'product' AND body -> 'doc' ->> 'sku' = 'KG001'",
    );
    let stock: i64 = psql(
        &url,
        &format!("SELECT qty_milli FROM hub_store_stock WHERE store = 'RG' AND product = '{uid}'"),
    )
    .parse()
    .unwrap();
    let mut ab = Till::new("RG", "AB");
    let oversold = Line {
        product: Box::leak(uid.clone().into_boxed_str()),
        producer: "",
        qty_milli: stock + 2000,
        total: 100_000,
    };
    Hub::new(&url)
        .unwrap()
        .push(&ab.origin(), &[ab.sale("2026-12-01", &[oversold])])
        .unwrap();

    eventually("the alert reaches the counter", || {
        app.hub_alerts().len() == 1
    });
    assert_eq!(app.unseen_hub_alerts(), 1);
    let mut ui = simulator(&app);
    ui.click("⚠ 1").unwrap();
    let clicked: Vec<Message> = ui.into_messages().collect();
    for message in clicked {
        let _ = app.update(message);
    }
    assert!(shows(&app, "Cảnh báo từ máy chủ tỉnh"));
    assert!(shows(&app, "Bán âm kho"));
    assert!(shows(&app, "máy AB"));
    // The product by its name here, not the hub's uid.
    let name = app
        .store()
        .unwrap()
        .product_by_barcode("8930100000018", chrono::Utc::now())
        .unwrap()
        .expect("KG001 is in the demo catalogue")
        .name;
    assert!(
        shows(&app, &format!("KG001 {name}  stock {stock} → -2000")),
        "the alert names the product"
    );
    // Opened once, it is no longer new — after a restart too; Esc closes the list.
    assert_eq!(app.unseen_hub_alerts(), 0);
    let _ = app.update(Message::Command(Command::Cancel));
    assert!(!shows(&app, "Cảnh báo từ máy chủ tỉnh"));
    assert!(
        shows(&app, "⚠"),
        "still there to read again, not counted as new"
    );
    assert_eq!(
        app.store()
            .unwrap()
            .setting(HUB_ALERTS_SEEN_SETTING)
            .unwrap()
            .as_deref(),
        Some(app.hub_alerts()[0].id.to_string().as_str())
    );

    // A cashier signed in sees no alerts.
    let _ = app.update(Message::Command(Command::SwitchUser));
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    assert!(app.hub_alerts().is_empty());
    assert!(!shows(&app, "⚠"));
}

#[test]
fn a_manager_is_told_when_another_counters_late_sale_overlaps_a_count_made_here() {
    let _turn = one_at_a_time();
    let url = database();
    Hub::new(&url).unwrap().init().unwrap();
    let mut counted = None;
    let (_dir, mut app) = counter_after(Some(&url), |store| {
        let now = Utc::now();
        let sauce = store
            .product_by_barcode(FISH_SAUCE, now)
            .unwrap()
            .expect("KG001 is in the demo catalogue");
        // Two bottles fewer on the shelf than this counter knows of: another counter, offline,
        // sold them an hour ago. (At a whole second, for the times shown below.)
        let at = now.trunc_subsecs(0) + chrono::Duration::seconds(1);
        store
            .post_stock_count(&[(sauce.id, sauce.stock - Decimal::from(2))], at, "Hùng")
            .unwrap();
        counted = Some((sauce, at));
    });
    let (sauce, counted_at) = counted.unwrap();
    eventually("the count reaches the hub", || {
        psql(
            &url,
            "SELECT count(*) FROM hub_stock_moves WHERE kind = 'count'",
        ) == "1"
    });
    assert!(app.hub_alerts().is_empty(), "a count alone is no overlap");

    let [store, here, uid] = psql(
        &url,
        "SELECT concat_ws(' ', store, split_part(origin, '/', 2), product) FROM hub_stock_moves
          WHERE kind = 'count'",
    )
    .split(' ')
    .map(str::to_string)
    .collect::<Vec<_>>()
    .try_into()
    .unwrap();
    let other = if here == "AB" { "AC" } else { "AB" };
    let mut late = Till::new(&store, other);
    late.at =
        (counted_at - chrono::Duration::hours(1)).to_rfc3339_opts(SecondsFormat::Millis, true);
    let sold = Line {
        product: Box::leak(uid.into_boxed_str()),
        producer: "",
        qty_milli: 2000,
        total: 330_000,
    };
    Hub::new(&url)
        .unwrap()
        .push(&late.origin(), &[late.sale("2026-12-01", &[sold])])
        .unwrap();

    eventually("the alert reaches the counter", || {
        app.hub_alerts().len() == 1
    });
    let mut ui = simulator(&app);
    ui.click("⚠ 1").unwrap();
    let clicked: Vec<Message> = ui.into_messages().collect();
    for message in clicked {
        let _ = app.update(message);
    }
    assert!(shows(&app, "Kiểm kê trùng chứng từ đến muộn"));
    let time = |at: DateTime<Utc>| at.with_timezone(&SHOP_TIME_ZONE).format("%H:%M %d/%m");
    assert!(
        shows(
            &app,
            &format!(
                "KG001 {}  Kiểm kê trên máy {here} lúc {} đã thấy số hàng sau đơn bán trên máy \
                 {other} lúc {} (-2), nhưng đơn bán đó đến máy chủ tỉnh sau kiểm kê nên tồn kho \
                 tính nó hai lần, có thể thấp hơn thực tế 2. Hãy kiểm kê lại sản phẩm này, hoặc \
                 kiểm tra đơn bán đó trên máy {other}.",
                sauce.name,
                time(counted_at),
                time(counted_at - chrono::Duration::hours(1)),
            )
        ),
        "the product by its name, what happened and what to do"
    );
}

/// Whether the window shows `what` now.
fn shows(app: &App, what: &str) -> bool {
    simulator(app).find(what).is_ok()
}
