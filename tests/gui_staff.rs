//! Who may do what at the counter, driven through the window with iced_test.

mod common;

use chrono::Utc;
use common::{CASHIER, MANAGER, sign_in, simulator, step};
use iced::keyboard::key::Named;
use iced_test::{Error, selector};
use ocop_pos::config::Config;
use ocop_pos::core::audit::AuditAct;
use ocop_pos::core::clock::local_year;
use ocop_pos::core::money::Money;
use ocop_pos::core::staff::GatedAct;
use ocop_pos::store::AuditFilter;
use ocop_pos::ui::checkout::{Message as Checkout, PANEL_INPUT, SCAN_INPUT};
use ocop_pos::ui::keys::Command;
use ocop_pos::ui::refund_form::{RECEIPT_INPUT, quantity_input_id};
use ocop_pos::ui::{App, Message, Tab};
use rust_decimal::Decimal;
use tempfile::TempDir;

const FISH_SAUCE: &str = "8930100000018"; // 165.000 ₫
const RICE: &str = "8930101000116"; // 185.000 ₫

fn app_signed_in(who: (&str, &str)) -> (TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, who.0, who.1);
    (dir, app)
}

fn scan(app: &mut App, code: &str) {
    for message in [
        Checkout::ScanChanged(code.to_string()),
        Checkout::ScanSubmitted,
    ] {
        let _ = app.update(Message::Checkout(message));
    }
}

fn command(app: &mut App, command: Command) {
    let _ = app.update(Message::Command(command));
}

fn panel_entry(app: &mut App, text: &str) {
    let _ = app.update(Message::Checkout(Checkout::PanelInputChanged(text.into())));
    let _ = app.update(Message::Checkout(Checkout::PanelSubmitted));
}

/// The demo's manager approves with `pin` (wrong or right).
fn approve(app: &mut App, pin: &str) {
    common::approve_as(app, MANAGER.0, pin);
}

fn audit_rows(app: &App, act: AuditAct) -> Vec<ocop_pos::core::staff::AuditEntry> {
    let filter = AuditFilter {
        act: Some(act),
        ..AuditFilter::default()
    };
    app.store().unwrap().audit_entries(&filter).unwrap()
}

fn cart_lines(app: &App) -> usize {
    app.checkout().unwrap().cart().lines.len()
}

#[test]
fn each_gated_act_waits_for_a_manager_and_leaves_one_audit_row() {
    let (_dir, mut app) = app_signed_in(CASHIER);
    scan(&mut app, FISH_SAUCE);
    scan(&mut app, RICE);

    // Void a scanned line: refused until a manager's PIN; a wrong PIN changes nothing.
    let _ = app.update(Message::Checkout(Checkout::SelectLine(0)));
    command(&mut app, Command::RemoveLine);
    assert_eq!(app.pending_approval(), Some(GatedAct::VoidLine));
    assert_eq!(cart_lines(&app), 2);
    approve(&mut app, "9999");
    assert_eq!(app.pending_approval(), Some(GatedAct::VoidLine));
    assert!(audit_rows(&app, AuditAct::VoidLine).is_empty());
    approve(&mut app, MANAGER.1);
    assert_eq!(app.pending_approval(), None);
    assert_eq!(cart_lines(&app), 1);
    let rows = audit_rows(&app, AuditAct::VoidLine);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor, CASHIER.0);
    assert_eq!(rows[0].approver.as_deref(), Some(MANAGER.0));

    // A discount within the limit (10 %) goes through; above it waits for the manager.
    let _ = app.update(Message::Checkout(Checkout::SelectLine(0)));
    command(&mut app, Command::LineDiscount);
    panel_entry(&mut app, "5%");
    assert_eq!(app.pending_approval(), None);
    assert!(audit_rows(&app, AuditAct::DiscountAboveLimit).is_empty());
    command(&mut app, Command::LineDiscount);
    panel_entry(&mut app, "20%");
    assert_eq!(app.pending_approval(), Some(GatedAct::DiscountAboveLimit));
    assert_eq!(
        app.checkout().unwrap().cart().totals().total,
        Money(175_750)
    );
    approve(&mut app, MANAGER.1);
    assert_eq!(
        app.checkout().unwrap().cart().totals().total,
        Money(148_000)
    );
    assert_eq!(audit_rows(&app, AuditAct::DiscountAboveLimit).len(), 1);

    // Cancelling the whole cart.
    command(&mut app, Command::CancelCart);
    command(&mut app, Command::Confirm);
    assert_eq!(app.pending_approval(), Some(GatedAct::CancelCart));
    assert_eq!(cart_lines(&app), 1);
    approve(&mut app, MANAGER.1);
    assert_eq!(cart_lines(&app), 0);
    assert_eq!(audit_rows(&app, AuditAct::CancelCart).len(), 1);

    // Reprints: the first copy is free, the second needs a manager; both are logged.
    scan(&mut app, FISH_SAUCE);
    command(&mut app, Command::ExactCash);
    let receipt_no = format!("{}-AA-000001", local_year(Utc::now()));
    command(&mut app, Command::Reprint);
    panel_entry(&mut app, &receipt_no);
    assert_eq!(app.pending_approval(), None);
    assert_eq!(audit_rows(&app, AuditAct::Reprint).len(), 1);
    command(&mut app, Command::Reprint);
    panel_entry(&mut app, &receipt_no);
    assert_eq!(app.pending_approval(), Some(GatedAct::Reprint));
    assert_eq!(audit_rows(&app, AuditAct::Reprint).len(), 1);
    approve(&mut app, MANAGER.1);
    assert_eq!(audit_rows(&app, AuditAct::Reprint).len(), 2);

    // The daily screen (drawer, close) is a manager's.
    command(&mut app, Command::Show(Tab::Daily));
    assert_eq!(app.pending_approval(), Some(GatedAct::DailyClose));
    assert_eq!(app.tab(), Tab::Checkout);
    approve(&mut app, MANAGER.1);
    assert_eq!(app.tab(), Tab::Daily);
    assert_eq!(audit_rows(&app, AuditAct::OpenDailyScreen).len(), 1);
}

#[test]
fn a_manager_acts_directly_and_is_still_logged() {
    let (_dir, mut app) = app_signed_in(MANAGER);
    scan(&mut app, FISH_SAUCE);
    command(&mut app, Command::RemoveLine);
    assert_eq!(app.pending_approval(), None);
    assert_eq!(cart_lines(&app), 0);
    let rows = audit_rows(&app, AuditAct::VoidLine);
    assert_eq!(rows.len(), 1);
    // Beyond a cashier's limit a manager acting alone is her own approver.
    assert_eq!(
        (rows[0].actor.as_str(), rows[0].approver.as_deref()),
        (MANAGER.0, Some(MANAGER.0))
    );
}

#[test]
fn a_cashiers_discount_above_the_limit_asks_for_a_manager_pin() -> Result<(), Error> {
    let (_dir, mut app) = app_signed_in(CASHIER);
    step(&mut app, |ui| {
        ui.click(selector::id(SCAN_INPUT))?;
        ui.typewrite(RICE);
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    step(&mut app, |ui| {
        ui.click("Giảm dòng (F4)")?;
        Ok(())
    })?;
    step(&mut app, |ui| {
        ui.click(selector::id(PANEL_INPUT))?;
        ui.typewrite("50000");
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    assert!(
        simulator(&app)
            .find("Cần quản lý duyệt: Giảm giá vượt hạn mức")
            .is_ok()
    );
    assert_eq!(
        app.checkout().unwrap().cart().totals().total,
        Money(185_000)
    );
    step(&mut app, |ui| {
        ui.click(MANAGER.0)?;
        Ok(())
    })?;
    step(&mut app, |ui| {
        ui.click(selector::id(ocop_pos::ui::sign_in::PIN_INPUT))?;
        ui.typewrite(MANAGER.1);
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    assert_eq!(app.pending_approval(), None);
    assert_eq!(
        app.checkout().unwrap().cart().totals().total,
        Money(135_000)
    );
    Ok(())
}

#[test]
fn a_partial_refund_from_a_receipt_number() -> Result<(), Error> {
    let (_dir, mut app) = app_signed_in(CASHIER);
    scan(&mut app, FISH_SAUCE);
    scan(&mut app, FISH_SAUCE);
    scan(&mut app, RICE);
    command(&mut app, Command::ExactCash);
    let receipt_no = format!("{}-AA-000001", local_year(Utc::now()));
    let fish_id = app
        .checkout()
        .unwrap()
        .cart()
        .lines
        .first()
        .map(|l| l.product_id);
    assert!(fish_id.is_none(), "the cart is empty after the sale");
    let store = app.store().unwrap();
    let sale = store.sale_by_receipt_no(&receipt_no).unwrap().unwrap();
    let fish = sale.draft.lines[0].product_id;
    let stock_before = store
        .product_by_id(fish, Utc::now())
        .unwrap()
        .unwrap()
        .stock;

    command(&mut app, Command::Refund);
    step(&mut app, |ui| {
        ui.click(selector::id(RECEIPT_INPUT))?;
        ui.typewrite(&receipt_no);
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    step(&mut app, |ui| {
        ui.click(selector::id(quantity_input_id(0)))?;
        ui.typewrite("1");
        Ok(())
    })?;
    step(&mut app, |ui| {
        ui.click("Hoàn tiền")?;
        Ok(())
    })?;
    assert_eq!(app.pending_approval(), Some(GatedAct::Refund));
    approve(&mut app, MANAGER.1);
    let refund_no = format!("TH{}-AA-000001", local_year(Utc::now()));
    assert!(
        simulator(&app)
            .find(format!("Đã trả hàng {refund_no}: hoàn 165.000 ₫."))
            .is_ok()
    );
    let store = app.store().unwrap();
    assert_eq!(
        store
            .product_by_id(fish, Utc::now())
            .unwrap()
            .unwrap()
            .stock,
        stock_before + Decimal::ONE
    );
    let today = ocop_pos::core::report::Period::day(ocop_pos::core::clock::local_date(Utc::now()));
    assert_eq!(store.day_summary(today).unwrap().refunds, Money(165_000));
    assert_eq!(audit_rows(&app, AuditAct::Refund).len(), 1);

    // Only one bottle is left to give back: asking for two is refused before any manager is
    // called, and changes nothing.
    command(&mut app, Command::Refund);
    let _ = app.update(Message::Checkout(Checkout::Refund(
        ocop_pos::ui::refund_form::Message::ReceiptChanged(receipt_no.clone()),
    )));
    for message in [
        ocop_pos::ui::refund_form::Message::Load,
        ocop_pos::ui::refund_form::Message::QuantityChanged(0, "2".into()),
        ocop_pos::ui::refund_form::Message::Confirm,
    ] {
        let _ = app.update(Message::Checkout(Checkout::Refund(message)));
    }
    assert_eq!(
        app.pending_approval(),
        None,
        "nobody is asked for the impossible"
    );
    assert!(simulator(&app).find("Dòng 1 chỉ còn 1 có thể trả.").is_ok());
    assert_eq!(store_refunds(&app), Money(165_000));
    Ok(())
}

fn store_refunds(app: &App) -> Money {
    let today = ocop_pos::core::report::Period::day(ocop_pos::core::clock::local_date(Utc::now()));
    app.store().unwrap().day_summary(today).unwrap().refunds
}
