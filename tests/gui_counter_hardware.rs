//! The counter's hardware in the window, driven as a person would with iced_test: the receipt
//! printer and its cash drawer (a fake network printer on this machine), a printer that does
//! not answer, and the customer display.

mod common;

use chrono::Utc;
use common::printer::{PAPER_OK, count, fake_printer};
use common::window::Window;
use common::{CASHIER, MANAGER, sign_in};
use ocop_pos::config::Config;
use ocop_pos::core::audit::AuditAct;
use ocop_pos::core::clock::local_year;
use ocop_pos::core::staff::GatedAct;
use ocop_pos::documents::Document;
use ocop_pos::i18n::{Label, Lang, Notice};
use ocop_pos::print::escpos::DRAWER_PULSE;
use ocop_pos::printer::PrintFailure;
use ocop_pos::store::AuditFilter;
use ocop_pos::ui::checkout::Message as Checkout;
use ocop_pos::ui::keys::Command;
use ocop_pos::ui::sign_in::Message as Pad;
use ocop_pos::ui::{App, Message};
use std::net::TcpListener;
use std::time::Duration;
use tempfile::TempDir;

const FISH_SAUCE: &str = "8930100000018";
const RICE: &str = "8930101000116";

/// The demo store with its receipt printer set to `printer`, the cashier signed in.
fn counter(printer: &str) -> (TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(Some(dir.path().to_path_buf()), true);
    config
        .open_store()
        .unwrap()
        .set_setting("shop.printer", printer)
        .unwrap();
    let mut app = App::new(&config);
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    (dir, app)
}

fn scan(window: &mut Window, app: &mut App, code: &str) {
    window.send(app, Message::Checkout(Checkout::ScanChanged(code.into())));
    window.send(app, Message::Checkout(Checkout::ScanSubmitted));
}

fn first_sale(app: &App) -> Option<ocop_pos::core::sale::SaleRecord> {
    app.store()
        .unwrap()
        .sale_by_receipt_no(&format!("{}-AA-000001", local_year(Utc::now())))
        .unwrap()
}

#[test]
fn a_cash_sale_prints_its_receipt_and_pulses_the_drawer_once() {
    let (printer, jobs) = fake_printer(1, PAPER_OK);
    let (_dir, mut app) = counter(&printer);
    let mut window = Window::default();
    scan(&mut window, &mut app, FISH_SAUCE);
    window.send_and_wait(&mut app, Message::Command(Command::ExactCash));

    let jobs = jobs.join().unwrap();
    assert_eq!(count(&jobs[0], &DRAWER_PULSE), 1, "the drawer opened once");
    assert!(
        jobs[0].ends_with(&[0x1D, b'V', 66, 0]),
        "and the receipt was cut"
    );
    assert!(first_sale(&app).is_some());
}

#[test]
fn an_unreachable_printer_is_told_with_a_retry_and_the_sale_stays_committed() {
    // A port nothing listens on: the printer is off.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (dir, mut app) = counter(&format!("tcp://127.0.0.1:{port}"));
    let mut window = Window::default();
    scan(&mut window, &mut app, FISH_SAUCE);
    let started = std::time::Instant::now();
    window.send_and_wait(&mut app, Message::Command(Command::ExactCash));
    assert!(started.elapsed() < ocop_pos::printer::TIME_OUT);

    let sale = first_sale(&app).expect("the sale is committed regardless");
    let receipt = Document::Receipt {
        sale: Box::new(sale),
        copy: false,
    };
    assert!(
        receipt.path(dir.path()).exists(),
        "the PDF is always written"
    );
    let told = app.notice().expect("a notice").clone();
    assert!(
        matches!(
            &told,
            Notice::PrintFailed {
                failure: PrintFailure::Unreachable { .. },
                ..
            }
        ),
        "{told:?}"
    );
    assert!(told.text(Lang::Vi).contains("không trả lời"));
    assert!(told.text(Lang::En).contains("does not answer"));
    assert!(common::simulator(&app).find(told.text(Lang::Vi)).is_ok());
    assert!(
        common::simulator(&app)
            .find(Label::PrintAgain.text(Lang::Vi))
            .is_ok()
    );

    // The printer is switched on: Print again sends the same receipt, drawer pulse included.
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let printer = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let mut connection = common::printer::accept_within(&listener, Duration::from_secs(10));
        let mut question = [0u8; 3];
        connection.read_exact(&mut question).unwrap();
        connection.write_all(&[PAPER_OK]).unwrap();
        let mut job = Vec::new();
        connection.read_to_end(&mut job).unwrap();
        job
    });
    // The button shown sends this; waited for here, as the runtime would run it.
    window.send_and_wait(&mut app, Message::PrintAgain);
    let job = printer.join().unwrap();
    assert_eq!(count(&job, &DRAWER_PULSE), 1);
    assert!(
        common::simulator(&app)
            .find(Label::PrintAgain.text(Lang::Vi))
            .is_err()
    );
}

#[test]
fn a_cashier_opens_the_drawer_without_a_sale_only_with_a_managers_pin() {
    let (printer, jobs) = fake_printer(1, PAPER_OK);
    let (_dir, mut app) = counter(&printer);
    let mut window = Window::default();
    window.click(&mut app, Label::OpenDrawer.text(Lang::Vi));
    assert_eq!(app.pending_approval(), Some(GatedAct::OpenDrawer));
    // The manager picks their name and types the PIN; the approval's retry opens the drawer.
    let index = app
        .pin_pad()
        .unwrap()
        .names()
        .position(|name| name == MANAGER.0)
        .unwrap();
    for message in [
        Pad::Pick(index),
        Pad::PinChanged(MANAGER.1.to_string()),
        Pad::Submit,
    ] {
        window.send_and_wait(&mut app, Message::Pad(message));
    }
    let jobs = jobs.join().unwrap();
    assert_eq!(jobs[0], [&[0x1B, b'@'][..], &DRAWER_PULSE].concat());
    let rows = app
        .store()
        .unwrap()
        .audit_entries(&AuditFilter {
            act: Some(AuditAct::OpenDrawer),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].actor.as_str(), rows[0].approver.as_deref()),
        (CASHIER.0, Some(MANAGER.0))
    );
}

#[test]
fn the_customer_display_shows_the_lines_and_the_total_after_two_scans() {
    let (_dir, mut app) = counter("pdf");
    let mut window = Window::default();
    window.send(&mut app, Message::OpenCustomerDisplay);
    let idle = app.customer_view().expect("the display is open");
    let mut ui = iced_test::Simulator::with_size(iced::Settings::default(), (1024.0, 768.0), idle);
    let shop = ocop_pos::core::settings::ShopSettings::demo().shop_name;
    assert!(ui.find(shop.as_str()).is_ok(), "idle: the shop");
    drop(ui);

    scan(&mut window, &mut app, FISH_SAUCE);
    scan(&mut window, &mut app, RICE);
    let total = app.checkout().unwrap().cart().totals().total;
    let view = app.customer_view().unwrap();
    let mut ui = iced_test::Simulator::with_size(iced::Settings::default(), (1024.0, 768.0), view);
    for expected in [
        "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm ★★★★★",
        "Gạo Điền Tín ST25 lúa tôm ★★★★",
        "Tổng cộng / Total",
        &total.to_string(),
    ] {
        assert!(ui.find(expected).is_ok(), "the display shows {expected}");
    }
}

#[test]
fn the_customer_display_reads_each_ocop_product_in_its_turn_and_passes_over_one_taken_off() {
    let (dir, mut app) = counter("pdf");
    let mut window = Window::default();
    window.send(&mut app, Message::OpenCustomerDisplay);
    let shows = |app: &App, name: &str| {
        let idle = app.customer_view().expect("the display is open");
        let mut ui =
            iced_test::Simulator::with_size(iced::Settings::default(), (1024.0, 768.0), idle);
        ui.find(name).is_ok()
    };
    // The OCOP products by SKU: KG001, KG002, then KG003 — taken off the counter (at another
    // counter's connection) after the display opened, so its turn goes to KG004.
    assert!(shows(&app, "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm"));
    window.send(&mut app, Message::Tick(Utc::now()));
    assert!(shows(&app, "Nước mắm Khải Hoàn 40 độ đạm"));
    let mut store = ocop_pos::store::Store::open_in(dir.path()).unwrap();
    let kg003 = store.product_by_sku("KG003", Utc::now()).unwrap().unwrap();
    let mut draft = store.product_draft(kg003.id, Utc::now()).unwrap().unwrap();
    draft.active = false;
    store
        .update_product(kg003.id, draft, Utc::now(), MANAGER.0)
        .unwrap();
    window.send(&mut app, Message::Tick(Utc::now()));
    assert!(!shows(&app, "Nước mắm Thanh Quốc 43 độ đạm"));
    assert!(shows(&app, "Nước mắm cốt Kim Hoa 40 độ đạm"));
}
