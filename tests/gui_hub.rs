//! The province hub's light in the top bar (iced_test, with a real PostgreSQL): a counter whose
//! `hub_url` names a hub sends its documents by itself and shows green; one whose hub cannot
//! be reached keeps selling and says how many documents wait; without a hub there is no light.

mod common;

use common::postgres::{database, one_at_a_time, psql};
use common::{MANAGER, sign_in, simulator};
use ocop_pos::config::Config;
use ocop_pos::hub::Hub;
use ocop_pos::hub::worker::SyncStatus;
use ocop_pos::store::HUB_URL_SETTING;
use ocop_pos::ui::App;
use std::time::{Duration, Instant};
use tempfile::TempDir;

fn counter(hub_url: Option<&str>) -> (TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(Some(dir.path().to_path_buf()), true);
    let store = config.open_store().unwrap();
    if let Some(url) = hub_url {
        store.set_setting(HUB_URL_SETTING, url).unwrap();
    }
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
