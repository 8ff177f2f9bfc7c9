//! Sending invoices in the window (iced_test): the band under the top bar counts the unsent
//! invoices and the oldest one's age, turns red once a day's invoices are still unsent at
//! 22:00, and says why; the sending settings are on the Settings screen with their passwords
//! hidden; and the window never waits on the provider — not while selling, not while the day
//! closes (the close sends first on the sender's thread, then closes).

mod common;

use chrono::{Duration, NaiveTime, Utc};
use common::fake_vnpt::{ACCOUNT, Behaviour, FakeVnpt, SERVICE_USER};
use common::{MANAGER, sign_in, simulator};
use iced_test::futures::futures::StreamExt;
use iced_test::futures::futures::executor::block_on;
use iced_test::runtime::{Action, task};
use ocop_pos::config::Config;
use ocop_pos::core::clock::{SHOP_TIME_ZONE, local_date};
use ocop_pos::core::delivery::HIDDEN;
use ocop_pos::core::einvoice::InvoiceSettings;
use ocop_pos::core::settings::Setting;
use ocop_pos::i18n::{Lang, band_text};
use ocop_pos::send::Activity;
use ocop_pos::ui::daily::Message as DailyMessage;
use ocop_pos::ui::keys::Command;
use ocop_pos::ui::settings::Message as SettingsMessage;
use ocop_pos::ui::{App, Message, Tab};
use std::time::Instant;
use tempfile::TempDir;

/// The demo's catalogue and staff under a real registration, sending through `url`.
fn shop(url: &str, timeout: u64) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(Some(dir.path().to_path_buf()), true);
    let mut store = config.open_store().unwrap();
    store
        .save_invoice_settings(&InvoiceSettings {
            seller_tax_code: "0100112437".into(),
            authority_code: "K7Q2M".into(),
            ..InvoiceSettings::demo()
        })
        .unwrap();
    for (field, value) in [
        ("provider", "vnpt"),
        ("url", url),
        ("account", ACCOUNT.0),
        ("account_password", ACCOUNT.1),
        ("username", SERVICE_USER.0),
        ("password", SERVICE_USER.1),
        ("timeout_seconds", &timeout.to_string()),
    ] {
        store.set_setting(&format!("send.{field}"), value).unwrap();
    }
    // The test's clock jumps to the next morning: no idle lock in between.
    store
        .set_setting(ocop_pos::store::IDLE_LOCK_SETTING, "0")
        .unwrap();
    dir
}

/// Rings up the demo's fish sauce and completes with exact cash: how long the window took.
fn sell(app: &mut App) -> std::time::Duration {
    let started = Instant::now();
    let _ = app.update(Message::Checkout(
        ocop_pos::ui::checkout::Message::ScanChanged("8930100000018".into()),
    ));
    let _ = app.update(Message::Checkout(
        ocop_pos::ui::checkout::Message::ScanSubmitted,
    ));
    let _ = app.update(Message::Command(Command::ExactCash));
    started.elapsed()
}

/// The band's words, found on screen as the window shows them.
fn shown_band(app: &App) -> String {
    let band = app.unsent_band().expect("the band shows");
    let activity = app.sender_state().unwrap().activity;
    let said = band_text(&band, &activity, Lang::Vi);
    assert!(
        simulator(app).find(said.as_str()).is_ok(),
        "on screen: {said}"
    );
    said
}

fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + std::time::Duration::from_secs(30);
    while !condition() {
        assert!(Instant::now() < deadline, "never: {what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn the_window_never_waits_on_a_provider_that_does_not_answer_and_the_band_says_so() {
    let provider = FakeVnpt::start();
    provider.state().behaviour = Behaviour::BlackHole;
    let dir = shop(&provider.url(), 2);
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    app.start_sending();
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    sell(&mut app);
    assert_eq!(app.store().unwrap().sale_count().unwrap(), 1);
    // The sender's thread is now inside its call, which the provider never answers.
    eventually("the sale's invoice is on its way", || {
        provider.state().requests >= 1
    });
    let took = sell(&mut app);
    assert_eq!(app.store().unwrap().sale_count().unwrap(), 2);
    assert!(
        took < std::time::Duration::from_secs(1),
        "the counter did not wait for the provider: {took:?}"
    );

    // Two minutes on: the band counts them and says what is wrong.
    eventually("the sender gives up at its time-out", || {
        matches!(
            app.sender_state().map(|s| s.activity),
            Some(Activity::Waiting { .. })
        )
    });
    let now = Utc::now();
    let _ = app.update(Message::Tick(now + Duration::minutes(2)));
    let band = app.unsent_band().expect("the band shows");
    assert_eq!(band.unsent, 2);
    assert!(band.blocked.is_none());
    let local = (now + Duration::minutes(2)).with_timezone(&SHOP_TIME_ZONE);
    assert_eq!(
        band.late,
        local.time() >= NaiveTime::from_hms_opt(22, 0, 0).unwrap()
    );
    let said = shown_band(&app);
    assert!(
        said.starts_with("Chưa gửi cơ quan thuế: 2 hóa đơn, cũ nhất 2 phút trước.")
            || said.starts_with("Chưa gửi cơ quan thuế: 2 hóa đơn, cũ nhất 3 phút trước."),
        "{said}"
    );
    assert!(said.contains("Chưa gửi được từ"), "why: {said}");
    assert!(simulator(&app).find("Gửi ngay").is_ok());
    // The next morning the day's invoices are late: red, and said so.
    let tomorrow = local_date(now).succ_opt().unwrap();
    let morning = tomorrow
        .and_hms_opt(8, 0, 0)
        .unwrap()
        .and_local_timezone(SHOP_TIME_ZONE)
        .unwrap()
        .with_timezone(&Utc);
    let _ = app.update(Message::Tick(morning));
    assert!(app.unsent_band().unwrap().late);
    assert!(shown_band(&app).contains("Hóa đơn phải gửi trong ngày lập!"));
    let _ = app.update(Message::Tick(Utc::now()));

    // Closing the day sends first on the sender's thread: the window goes on meanwhile.
    let _ = app.update(Message::Show(Tab::Daily));
    let _ = app.update(Message::Daily(DailyMessage::CloseNoteChanged(
        "két chưa đếm".into(),
    )));
    // The first press only asks; nothing is sent yet.
    let _ = app.update(Message::Daily(DailyMessage::CloseSession));
    assert!(
        simulator(&app)
            .find("Đang gửi hóa đơn điện tử trước khi chốt ca…")
            .is_err()
    );
    let started = Instant::now();
    let close = app.update(Message::Daily(DailyMessage::CloseSession));
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    let store = app.store().unwrap();
    assert!(
        store.current_cash_session().unwrap().is_some(),
        "not closed before the invoices were tried"
    );
    assert!(
        simulator(&app)
            .find("Đang gửi hóa đơn điện tử trước khi chốt ca…")
            .is_ok()
    );
    // The task brings the sender's answer (after its time-out) and the close follows.
    let mut stream = task::into_stream(close).expect("the close waits for the sender");
    let answered = block_on(async {
        loop {
            match stream.next().await {
                Some(Action::Output(message)) => break message,
                Some(_) => continue,
                None => panic!("the close's task ended without an answer"),
            }
        }
    });
    assert!(matches!(answered, Message::SentBeforeClose(_)));
    let _ = app.update(answered);
    let store = app.store().unwrap();
    assert!(store.current_cash_session().unwrap().is_none(), "closed");
    let z = store
        .z_report(&format!("Z{}-AA-0001", local_date(Utc::now()).format("%Y")))
        .unwrap();
    let (day, delivery) = z.expect("the Z report").einvoices.expect("its invoices");
    assert_eq!(day, local_date(Utc::now()));
    assert_eq!((delivery.handed_over, delivery.unsent), (0, 2));
}

#[test]
fn sending_is_set_on_the_settings_screen_with_the_passwords_hidden() {
    let provider = FakeVnpt::start();
    let dir = shop(&provider.url(), 5);
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    app.start_sending();
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    let _ = app.update(Message::Show(Tab::Settings));
    assert_eq!(app.tab(), Tab::Settings);
    let mut ui = simulator(&app);
    assert!(
        ui.find("Gửi hóa đơn đến cơ quan thuế (qua nhà cung cấp)")
            .is_ok()
    );
    assert!(ui.find("Mật khẩu tài khoản dịch vụ").is_ok());
    assert!(
        ui.find(SERVICE_USER.1).is_err(),
        "a password field never shows the password"
    );
    drop(ui);
    // A plain http address to another computer is refused, with nothing saved.
    let change = |app: &mut App, setting: Setting, value: &str| {
        let _ = app.update(Message::Settings(SettingsMessage::Changed(
            setting,
            value.into(),
        )));
    };
    change(&mut app, Setting::Send("url"), "http://hoadon.example.vn");
    change(&mut app, Setting::Send("password"), "mật khẩu mới");
    let _ = app.update(Message::Settings(SettingsMessage::Save));
    let store = app.store().unwrap();
    assert_eq!(store.send_settings().unwrap().password, SERVICE_USER.1);
    assert!(
        simulator(&app)
            .find("địa chỉ bắt đầu bằng https:// (http:// chỉ cho máy này, khi thử)")
            .is_ok()
    );
    // Put right: saved, audited without the password.
    change(&mut app, Setting::Send("url"), &provider.url());
    let _ = app.update(Message::Settings(SettingsMessage::Save));
    let store = app.store().unwrap();
    assert_eq!(store.send_settings().unwrap().password, "mật khẩu mới");
    let rows = store
        .audit_entries(&ocop_pos::store::AuditFilter::default())
        .unwrap();
    let change = rows
        .iter()
        .find(|row| row.subject == "send.password")
        .expect("the change is audited");
    assert_eq!(
        (change.before.as_str(), change.after.as_str()),
        (HIDDEN, HIDDEN)
    );
    assert!(rows.iter().all(|row| !row.after.contains("mật khẩu mới")));
}

#[test]
fn with_the_unsent_band_up_every_quick_cash_button_is_in_sight_and_pays() {
    // Invoices are queued but never sent: nobody starts the sender.
    let dir = shop("http://127.0.0.1:9", 2);
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    sell(&mut app);
    let _ = app.update(Message::Tick(Utc::now() + Duration::minutes(2)));
    assert!(app.unsent_band().is_some(), "the band shows");

    let _ = app.update(Message::Checkout(
        ocop_pos::ui::checkout::Message::ScanChanged("8930100000018".into()),
    ));
    let _ = app.update(Message::Checkout(
        ocop_pos::ui::checkout::Message::ScanSubmitted,
    ));
    let _ = app.update(Message::Command(Command::Pay));
    let due = app.checkout().unwrap().cart().remaining();
    let amounts = ocop_pos::core::payment::quick_cash_amounts(due);
    assert!(amounts.len() >= 3, "{amounts:?}");
    {
        let mut ui = simulator(&app);
        for amount in &amounts {
            let button = ui.find(amount.to_string().as_str()).expect("offered");
            let (whole, seen) = (button.bounds(), button.visible_bounds());
            assert!(
                seen.is_some_and(
                    |seen| seen.height >= whole.height - 0.5 && seen.width >= whole.width - 0.5
                ),
                "{amount} wholly in sight: {seen:?} of {whole:?}"
            );
        }
    }
    // The largest pays: the sale completes with the change due.
    let largest = amounts.last().unwrap().to_string();
    let messages: Vec<Message> = {
        let mut ui = simulator(&app);
        ui.click(largest.as_str()).expect("clickable");
        ui.into_messages().collect()
    };
    for message in messages {
        let _ = app.update(message);
    }
    assert_eq!(app.store().unwrap().sale_count().unwrap(), 2);
}
