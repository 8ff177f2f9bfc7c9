//! The checkout window driven headlessly with iced_test, on a real store in a temporary folder.

mod common;

use chrono::Utc;
use common::{CASHIER, sign_in, simulator, step};
use iced::keyboard::key::Named;
use iced_test::{Error, selector};
use ocop_pos::config::Config;
use ocop_pos::core::clock::local_year;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::ui::checkout::{PANEL_INPUT, SCAN_INPUT};
use ocop_pos::ui::keys::Command;
use ocop_pos::ui::{App, Message};
use rust_decimal::Decimal;
use tempfile::TempDir;

const FISH_SAUCE: &str = "8930100000018"; // 165.000 ₫
const RICE: &str = "8930101000116"; // 185.000 ₫

fn demo_app() -> (TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    assert!(app.checkout().is_some(), "the demo store opens");
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    (dir, app)
}

fn scan(app: &mut App, code: &str) -> Result<(), Error> {
    step(app, |ui| {
        ui.click(selector::id(SCAN_INPUT))?;
        ui.typewrite(code);
        ui.tap_key(Named::Enter);
        Ok(())
    })
}

fn sees(app: &App, text: &str) -> bool {
    simulator(app).find(text).is_ok()
}

#[test]
fn scan_two_products_change_quantity_and_pay_cash_with_change() -> Result<(), Error> {
    let (_dir, mut app) = demo_app();
    scan(&mut app, FISH_SAUCE)?;
    scan(&mut app, RICE)?;
    assert_eq!(app.checkout().unwrap().cart().lines.len(), 2);
    assert!(sees(&app, "350.000 ₫"));

    // Select the fish sauce line and set its quantity to 3.
    step(&mut app, |ui| {
        ui.click("Nước mắm Phú Quốc Khải Hoàn 38 độ đạm")?;
        Ok(())
    })?;
    step(&mut app, |ui| {
        ui.click("Số lượng (F3)")?;
        Ok(())
    })?;
    step(&mut app, |ui| {
        ui.click(selector::id(PANEL_INPUT))?;
        ui.tap_key(Named::Backspace);
        ui.typewrite("3");
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    let cart = app.checkout().unwrap().cart().clone();
    assert_eq!(cart.lines[0].quantity, Decimal::from(3));
    assert_eq!(cart.totals().total, Money(680_000));
    assert!(sees(&app, "680.000 ₫"));

    // Pay one million in cash.
    step(&mut app, |ui| {
        ui.click("Thanh toán (F9)")?;
        Ok(())
    })?;
    step(&mut app, |ui| {
        ui.click(selector::id(PANEL_INPUT))?;
        ui.typewrite("1000000");
        ui.tap_key(Named::Enter);
        Ok(())
    })?;

    let receipt_no = format!("{}-AA-000001", local_year(Utc::now()));
    assert!(sees(&app, &format!("Vừa bán {receipt_no}")));
    assert!(sees(&app, "Tiền thối lại: 320.000 ₫"));
    assert!(app.checkout().unwrap().cart().is_empty());
    let store = app.store().unwrap();
    let sale = store.sale_by_receipt_no(&receipt_no).unwrap().unwrap();
    assert_eq!(sale.draft.total, Money(680_000));
    assert_eq!(sale.draft.change, Money(320_000));
    assert_eq!(sale.draft.tenders[0].method, PaymentMethod::Cash);
    assert_eq!(sale.draft.tenders[0].amount, Money(1_000_000));
    assert!(store.load_open_cart().unwrap().is_empty());
    Ok(())
}

#[test]
fn wrong_barcodes_show_a_message_and_leave_the_cart_as_it_was() -> Result<(), Error> {
    let (_dir, mut app) = demo_app();
    scan(&mut app, FISH_SAUCE)?;
    let before = app.checkout().unwrap().cart().clone();

    scan(&mut app, "8934567890121")?;
    assert!(sees(
        &app,
        "Mã vạch 8934567890121 sai số kiểm tra (phải là 0). Quét lại."
    ));
    assert_eq!(app.checkout().unwrap().cart(), &before);

    scan(&mut app, "8934567890120")?;
    assert!(sees(
        &app,
        "Không có sản phẩm với mã vạch 8934567890120. Kiểm tra lại mã hoặc tìm theo tên."
    ));
    assert_eq!(app.checkout().unwrap().cart(), &before);
    assert_eq!(app.store().unwrap().load_open_cart().unwrap(), before);
    Ok(())
}

#[test]
fn tender_below_the_total_does_not_complete() -> Result<(), Error> {
    let (_dir, mut app) = demo_app();
    scan(&mut app, RICE)?;
    let _ = app.update(Message::Command(Command::Pay));
    step(&mut app, |ui| {
        ui.click(selector::id(PANEL_INPUT))?;
        ui.typewrite("100000");
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    // A part payment is taken and the rest is still due; nothing is sold yet.
    assert!(sees(&app, "85.000 ₫"));
    step(&mut app, |ui| {
        ui.click("Hoàn tất (Enter)")?;
        Ok(())
    })?;
    assert!(sees(&app, "Khách đưa chưa đủ: còn thiếu 85.000 ₫."));
    assert_eq!(app.store().unwrap().sale_count().unwrap(), 0);
    assert_eq!(app.checkout().unwrap().cart().lines.len(), 1);
    Ok(())
}

#[test]
fn search_by_name_without_accents_and_pick_with_enter() -> Result<(), Error> {
    let (_dir, mut app) = demo_app();
    step(&mut app, |ui| {
        ui.click(selector::id(SCAN_INPUT))?;
        ui.typewrite("gao dien tin st25");
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    let cart = app.checkout().unwrap().cart();
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.lines[0].name, "Gạo Điền Tín ST25 lúa tôm");
    Ok(())
}

#[test]
fn the_open_cart_comes_back_after_the_window_closes() -> Result<(), Error> {
    let (dir, mut app) = demo_app();
    scan(&mut app, FISH_SAUCE)?;
    scan(&mut app, "2100026012501")?; // scale label: KG026 mango, 1.250 kg
    let before = app.checkout().unwrap().cart().clone();
    assert_eq!(before.lines[1].quantity, Decimal::new(1250, 3));
    drop(app);

    let mut reopened = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut reopened, CASHIER.0, CASHIER.1);
    assert_eq!(reopened.checkout().unwrap().cart(), &before);
    Ok(())
}

#[test]
fn transfer_shows_the_vietqr_and_is_confirmed_by_hand() -> Result<(), Error> {
    let (_dir, mut app) = demo_app();
    scan(&mut app, RICE)?;
    let _ = app.update(Message::Command(Command::Pay));
    step(&mut app, |ui| {
        ui.click("Chuyển khoản (F3)")?;
        Ok(())
    })?;
    assert!(sees(&app, "Quét mã VietQR để chuyển khoản"));
    step(&mut app, |ui| {
        ui.click(selector::id(PANEL_INPUT))?;
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    // Enter asks whether the money arrived; nothing is sold until the cashier says so.
    assert!(sees(&app, "Đã nhận tiền vào tài khoản cửa hàng?"));
    assert_eq!(app.store().unwrap().sale_count().unwrap(), 0);
    step(&mut app, |ui| {
        ui.click("Đã nhận tiền (Enter)")?;
        Ok(())
    })?;
    let store = app.store().unwrap();
    let receipt_no = format!("{}-AA-000001", local_year(Utc::now()));
    let sale = store.sale_by_receipt_no(&receipt_no).unwrap().unwrap();
    let tender = &sale.draft.tenders[0];
    assert_eq!(tender.method, PaymentMethod::Transfer);
    assert_eq!(tender.amount, Money(185_000));
    // The transfer note names the cart the sale was rung up in, so the statement finds it.
    let cart_no = sale.draft.cart_no.as_deref().unwrap();
    assert_eq!(
        tender.reference.as_deref(),
        Some(format!("OCOP {cart_no}").as_str())
    );
    Ok(())
}

/// A scanner types the next code right after Enter, before the window is drawn again: the
/// field then reports values computed from its old text. Every scan must still count.
#[test]
fn a_burst_of_scans_loses_no_keystroke() {
    use ocop_pos::ui::checkout::Message as Checkout;
    let (_dir, mut app) = demo_app();
    let mut field = String::new();
    for _ in 0..3 {
        for digit in FISH_SAUCE.chars() {
            field.push(digit);
            let _ = app.update(Message::Checkout(Checkout::ScanChanged(field.clone())));
        }
        let _ = app.update(Message::Checkout(Checkout::ScanSubmitted));
    }
    // Once drawn again the field shows the (empty) scan text, and a fresh scan reads as typed.
    let _ = simulator(&app);
    let mut fresh = String::new();
    for digit in FISH_SAUCE.chars() {
        fresh.push(digit);
        let _ = app.update(Message::Checkout(Checkout::ScanChanged(fresh.clone())));
    }
    let _ = app.update(Message::Checkout(Checkout::ScanSubmitted));
    let cart = app.checkout().unwrap().cart();
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.lines[0].quantity, Decimal::from(4));
}

#[test]
fn a_product_taken_off_the_counter_scans_as_no_longer_sold() -> Result<(), Error> {
    let (dir, app) = demo_app();
    drop(app);
    {
        let mut store = ocop_pos::store::Store::open_in(dir.path()).unwrap();
        let fish = store
            .product_by_barcode(FISH_SAUCE, Utc::now())
            .unwrap()
            .unwrap();
        store.set_product_active(fish.id, false, "Hùng").unwrap();
    }
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    scan(&mut app, FISH_SAUCE)?;
    assert!(sees(
        &app,
        "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm: ngừng bán, không bán được ở quầy (Kho → Bán lại)."
    ));
    assert!(app.checkout().unwrap().cart().lines.is_empty());
    // A code nobody ever had is still "no such product".
    scan(&mut app, "8934567890120")?;
    assert!(sees(
        &app,
        "Không có sản phẩm với mã vạch 8934567890120. Kiểm tra lại mã hoặc tìm theo tên."
    ));
    Ok(())
}

#[test]
fn a_gift_pack_is_found_by_name_and_picked_with_enter() -> Result<(), Error> {
    let (_dir, mut app) = demo_app();
    step(&mut app, |ui| {
        ui.click(selector::id(SCAN_INPUT))?;
        ui.typewrite("gio qua tet 6 mon");
        Ok(())
    })?;
    assert!(sees(&app, "GP001 · Giỏ quà"), "listed among the results");
    step(&mut app, |ui| {
        ui.click(selector::id(SCAN_INPUT))?;
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    let cart = app.checkout().unwrap().cart();
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.lines[0].name, "Giỏ quà Tết OCOP 6 món");
    Ok(())
}

#[test]
fn after_a_lookup_that_found_nothing_the_next_scan_replaces_the_text() -> Result<(), Error> {
    let (_dir, mut app) = demo_app();
    scan(&mut app, "xoai tuong")?;
    assert!(app.checkout().unwrap().scan_to_replace());
    // The scanner types the code straight after: the failed words are not part of it.
    scan(&mut app, FISH_SAUCE)?;
    let cart = app.checkout().unwrap().cart();
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.lines[0].name, "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm");
    Ok(())
}
