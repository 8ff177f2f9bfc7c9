//! The window on a store whose records were changed outside the program: the counter says
//! what was found and sells nothing until a manager acknowledges it. And the manager's acts
//! done in the window land in the audit log under their own names, with who approved them.

mod common;

use chrono::Utc;
use common::{CASHIER, MANAGER, approve_as, sell_for_exact_cash, sign_in, simulator, step};
use ocop_pos::config::Config;
use ocop_pos::core::audit::AuditAct;
use ocop_pos::core::cart::Cart;
use ocop_pos::core::chain::{ChainKind, Fault};
use ocop_pos::core::staff::{AuditEntry, GatedAct};
use ocop_pos::i18n::{Lang, Notice};
use ocop_pos::store::AuditFilter;
use ocop_pos::ui::checkout::Message as Checkout;
use ocop_pos::ui::daily::{Message as Daily, note_input_id};
use ocop_pos::ui::keys::Command;
use ocop_pos::ui::sign_in::Message as Pad;
use ocop_pos::ui::{App, Message, Tab};
use rust_decimal::Decimal;
use tempfile::TempDir;

const FISH_SAUCE: &str = "8930100000018"; // 165.000 ₫

fn demo_folder() -> (TempDir, Config) {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(Some(dir.path().to_path_buf()), true);
    (dir, config)
}

fn scan(app: &mut App, code: &str) {
    for message in [
        Checkout::ScanChanged(code.to_string()),
        Checkout::ScanSubmitted,
    ] {
        let _ = app.update(Message::Checkout(message));
    }
}

fn approve(app: &mut App, pin: &str) {
    approve_as(app, MANAGER.0, pin);
}

fn audit_rows(app: &App, act: AuditAct) -> Vec<AuditEntry> {
    let filter = AuditFilter {
        act: Some(act),
        ..AuditFilter::default()
    };
    app.store().unwrap().audit_entries(&filter).unwrap()
}

#[test]
fn a_sale_changed_outside_the_program_stops_the_counter_until_a_manager_acknowledges_it()
-> Result<(), iced_test::Error> {
    let (_dir, config) = demo_folder();
    let receipt_no = {
        let mut store = config.open_store().unwrap();
        let now = Utc::now();
        let product = store.product_by_barcode(FISH_SAUCE, now).unwrap().unwrap();
        let mut cart = Cart::default();
        cart.add_product(&product, Decimal::ONE).unwrap();
        sell_for_exact_cash(&mut store, &cart, now)
            .unwrap()
            .receipt_no
    };
    // With sqlite3, the refusal taken away and the sale's total lowered.
    let raw = rusqlite::Connection::open(config.data_dir.join("ocop-pos.sqlite3")).unwrap();
    raw.execute_batch("DROP TRIGGER sales_no_update; UPDATE sales SET total = total - 65000;")
        .unwrap();
    drop(raw);

    let mut app = App::new(&config);
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    let found = app.chain_breaks().to_vec();
    assert_eq!(found.len(), 1);
    let broken = &found[0].chain_break;
    assert_eq!(broken.kind, ChainKind::Sale);
    assert_eq!(broken.number.as_deref(), Some(receipt_no.as_str()));
    assert!(matches!(broken.fault, Fault::Altered { .. }));
    // The counter says why, naming the receipt.
    let why = Notice::ChainBroken(Box::new(broken.clone())).text(Lang::Vi);
    assert!(why.contains(&receipt_no), "{why}");
    assert!(simulator(&app).find(why.as_str()).is_ok());

    // Selling is refused and the cart stays.
    let sales = app.store().unwrap().sale_count().unwrap();
    scan(&mut app, FISH_SAUCE);
    let _ = app.update(Message::Command(Command::ExactCash));
    assert_eq!(app.store().unwrap().sale_count().unwrap(), sales);
    assert_eq!(app.checkout().unwrap().cart().lines.len(), 1);
    assert!(matches!(
        app.checkout().unwrap().notice(),
        Some(Notice::ChainBroken(_))
    ));

    // The cashier asks; a manager's PIN acknowledges it; the band goes and selling goes on.
    step(&mut app, |ui| {
        ui.click("Quản lý đã biết, bán tiếp")?;
        Ok(())
    })?;
    assert_eq!(app.pending_approval(), Some(GatedAct::AcknowledgeBreak));
    approve(&mut app, MANAGER.1);
    assert!(app.chain_breaks().is_empty());
    assert!(simulator(&app).find("Quản lý đã biết, bán tiếp").is_err());
    let acknowledged = audit_rows(&app, AuditAct::AcknowledgeChainBreak);
    assert_eq!(acknowledged.len(), 1);
    assert_eq!(acknowledged[0].actor, CASHIER.0);
    assert_eq!(acknowledged[0].approver.as_deref(), Some(MANAGER.0));
    assert!(
        acknowledged[0].before.contains(&receipt_no),
        "{acknowledged:?}"
    );
    let _ = app.update(Message::Command(Command::ExactCash));
    assert_eq!(app.store().unwrap().sale_count().unwrap(), sales + 1);
    Ok(())
}

#[test]
fn a_cashiers_cash_moves_and_close_are_audited_with_the_manager_who_approved()
-> Result<(), iced_test::Error> {
    let (_dir, config) = demo_folder();
    let mut app = App::new(&config);
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    scan(&mut app, FISH_SAUCE);
    let _ = app.update(Message::Command(Command::ExactCash));

    let _ = app.update(Message::Show(Tab::Daily));
    assert_eq!(app.pending_approval(), Some(GatedAct::DailyClose));
    approve(&mut app, MANAGER.1);
    let opened = audit_rows(&app, AuditAct::OpenDailyScreen);
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].approver.as_deref(), Some(MANAGER.0));

    for message in [
        Daily::MoveAmountChanged("200000".into()),
        Daily::MoveReasonChanged("Đổi tiền lẻ ở ngân hàng".into()),
    ] {
        let _ = app.update(Message::Daily(message));
    }
    step(&mut app, |ui| {
        ui.click("Nộp vào két")?;
        Ok(())
    })?;
    let cash_in = audit_rows(&app, AuditAct::CashIn);
    assert_eq!(cash_in.len(), 1);
    assert_eq!(cash_in[0].actor, CASHIER.0);
    assert_eq!(cash_in[0].approver.as_deref(), Some(MANAGER.0));
    assert_eq!(cash_in[0].subject, "Đổi tiền lẻ ở ngân hàng");
    assert_eq!(cash_in[0].after, "200.000 ₫");

    // 165.000 ₫ sold and 200.000 ₫ put in; 350.000 ₫ counted: 15.000 ₫ short, with a note.
    for (note, count) in [(200_000, "1"), (100_000, "1"), (50_000, "1")] {
        step(&mut app, |ui| {
            ui.click(iced_test::selector::id(note_input_id(note)))?;
            ui.typewrite(count);
            Ok(())
        })?;
    }
    let _ = app.update(Message::Daily(Daily::CloseNoteChanged(
        "Thối nhầm cho khách".into(),
    )));
    // Asked once, closed on the second press.
    for _ in 0..2 {
        step(&mut app, |ui| {
            ui.click("Chốt ca & in báo cáo Z")?;
            Ok(())
        })?;
    }
    let closed = audit_rows(&app, AuditAct::CloseCashSession);
    assert_eq!(closed.len(), 1, "{closed:?}");
    let z_number = format!("Z{}-AA-0001", ocop_pos::core::clock::local_year(Utc::now()));
    assert_eq!(closed[0].subject, z_number);
    assert_eq!(closed[0].approver.as_deref(), Some(MANAGER.0));
    assert_eq!(closed[0].before, "365.000 ₫");
    assert_eq!(
        closed[0].after,
        "350.000 ₫ (-15.000 ₫) · Thối nhầm cho khách"
    );
    // Its Z-report carries the chains' heads as they were at the close.
    let z = app.store().unwrap().z_report(&z_number).unwrap().unwrap();
    let sale_head = z
        .chain_heads
        .iter()
        .find(|head| head.kind == ChainKind::Sale)
        .unwrap();
    assert_eq!(sale_head.position, 1);
    Ok(())
}

#[test]
fn a_wrong_pin_is_audited_for_the_person_chosen_never_the_pin() {
    let (_dir, config) = demo_folder();
    let mut app = App::new(&config);
    let staff = app.store().unwrap().staff().unwrap();
    let manager = staff.iter().position(|m| m.name == MANAGER.0).unwrap();
    for message in [
        Pad::Pick(manager),
        Pad::PinChanged("9876".into()),
        Pad::Submit,
    ] {
        let _ = app.update(Message::Pad(message));
    }
    assert!(app.staff().is_none());
    let failed = audit_rows(&app, AuditAct::PinFailed);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].actor, MANAGER.0);
    assert_eq!(failed[0].after, "1/5");
    let row = format!("{:?}", failed[0]);
    assert!(!row.contains("9876"), "{row}");
}

#[test]
fn opening_a_managers_screen_is_audited_as_that_screen() {
    let (_dir, config) = demo_folder();
    let mut app = App::new(&config);
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    for (tab, act) in [
        (Tab::Daily, AuditAct::OpenDailyScreen),
        (Tab::Backups, AuditAct::OpenBackupsScreen),
        (Tab::Audit, AuditAct::OpenAuditLog),
        (Tab::Inventory, AuditAct::OpenInventoryScreen),
    ] {
        let _ = app.update(Message::Show(tab));
        let rows = audit_rows(&app, act);
        assert_eq!(rows.len(), 1, "{act:?}");
        assert_eq!(rows[0].actor, MANAGER.0);
        assert_eq!(rows[0].approver, None);
    }
}

#[test]
fn a_break_found_by_verify_while_the_window_is_open_shows_at_the_next_sale() {
    let (_dir, config) = demo_folder();
    let mut app = App::new(&config);
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    scan(&mut app, FISH_SAUCE);
    let _ = app.update(Message::Command(Command::ExactCash));
    assert!(app.chain_breaks().is_empty());
    // Meanwhile: the sale is changed with sqlite3, and `ocop-pos verify` finds it.
    let raw = rusqlite::Connection::open(config.data_dir.join("ocop-pos.sqlite3")).unwrap();
    raw.execute_batch("DROP TRIGGER sales_no_update; UPDATE sales SET cashier = 'X';")
        .unwrap();
    assert!(ocop_pos::cli::verify(&config).is_err());

    scan(&mut app, FISH_SAUCE);
    let _ = app.update(Message::Command(Command::ExactCash));
    assert_eq!(app.checkout().unwrap().cart().lines.len(), 1, "not sold");
    assert_eq!(app.chain_breaks().len(), 1);
    assert!(simulator(&app).find("Quản lý đã biết, bán tiếp").is_ok());
}
