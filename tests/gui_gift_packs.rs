//! Building a gift basket at the counter, naming the company buyer and selling it as an invoice,
//! with iced_test.

mod common;

use chrono::Utc;
use common::{CASHIER, sign_in, simulator, step};
use iced::keyboard::key::Named;
use iced_test::{Error, selector};
use ocop_pos::config::Config;
use ocop_pos::core::clock::local_year;
use ocop_pos::core::money::Money;
use ocop_pos::ui::buyer_form::Field;
use ocop_pos::ui::checkout::{PANEL_INPUT, SCAN_INPUT};
use ocop_pos::ui::keys::Command;
use ocop_pos::ui::{App, Message};
use rust_decimal::Decimal;

fn type_into(app: &mut App, field: &'static str, text: &str, enter: bool) -> Result<(), Error> {
    step(app, |ui| {
        ui.click(selector::id(field))?;
        ui.typewrite(text);
        if enter {
            ui.tap_key(Named::Enter);
        }
        Ok(())
    })
}

#[test]
fn build_a_basket_name_the_buyer_and_sell_it_as_an_invoice() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, CASHIER.0, CASHIER.1);

    // Ctrl+G starts a basket; the next scans go into it, not into the cart.
    let _ = app.update(Message::Command(Command::Basket));
    for code in ["8930100000018", "8930101000116", "8930104000427"] {
        type_into(&mut app, SCAN_INPUT, code, true)?;
    }
    assert!(app.checkout().unwrap().cart().is_empty());
    // Fish sauce 165.000 + rice 185.000 + rattan basket 60.000 = 410.000 at shelf prices.
    let _ = app.update(Message::Command(Command::Basket));
    assert!(simulator(&app).find("410000").is_ok());
    step(&mut app, |ui| {
        ui.click(selector::id(PANEL_INPUT))?;
        for _ in 0.."410000".len() {
            ui.tap_key(Named::Backspace);
        }
        ui.typewrite("390000");
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    let cart = app.checkout().unwrap().cart().clone();
    assert_eq!(cart.lines.len(), 1);
    assert!(cart.lines[0].is_basket());
    assert_eq!(cart.lines[0].components.len(), 3);
    assert_eq!(cart.totals().total, Money(390_000));
    assert!(
        simulator(&app)
            .find("• Gạo Điền Tín ST25 lúa tôm × 1")
            .is_ok()
    );

    // Ctrl+B: the company asks for its invoice before paying; a new buyer is typed once.
    let _ = app.update(Message::Command(Command::Buyer));
    type_into(&mut app, Field::TaxCode.id(), "1701234569", true)?;
    for (field, value) in [
        (Field::Name, "Công ty TNHH Du lịch Biển Xanh"),
        (
            Field::Address,
            "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang",
        ),
        (Field::Contact, "Trần Thị Mai"),
    ] {
        type_into(&mut app, field.id(), value, false)?;
    }
    step(&mut app, |ui| {
        ui.click("Ghi người mua cho đơn này")?;
        Ok(())
    })?;
    assert!(
        simulator(&app)
            .find("Hóa đơn của đơn này ghi người mua: Công ty TNHH Du lịch Biển Xanh.")
            .is_ok()
    );

    let _ = app.update(Message::Command(Command::ExactCash));
    let receipt_no = format!("{}-AA-000001", local_year(Utc::now()));
    let sale = app
        .store()
        .unwrap()
        .sale_by_receipt_no(&receipt_no)
        .unwrap()
        .unwrap();
    assert_eq!(sale.draft.baskets.len(), 1);
    assert_eq!(sale.draft.baskets[0].components_value, Money(410_000));

    // The sale is its invoice: the basket's components one by one, to the company.
    let invoice = sale
        .invoice
        .issued()
        .expect("the demo store invoices every sale");
    let reference = format!("1C{:02}MAA-00000001", local_year(Utc::now()) % 100);
    assert_eq!(invoice.reference(), reference);
    assert_eq!(
        invoice.buyer.as_ref().unwrap().name(),
        "Công ty TNHH Du lịch Biển Xanh"
    );
    assert_eq!(invoice.lines.len(), 3);
    assert_eq!(invoice.total, Money(390_000));
    assert_eq!(invoice.lines[1].quantity, Decimal::ONE);
    // The company went into the buyer records: its tax code finds it next time.
    assert!(app.store().unwrap().buyer("1701234569").unwrap().is_some());

    // Ctrl+I shows the sale's invoice, with its A4 copy for the company's accounts.
    let _ = app.update(Message::Command(Command::Invoice));
    assert!(
        simulator(&app)
            .find(format!("{reference}  390.000 ₫"))
            .is_ok()
    );
    Ok(())
}

#[test]
fn scanning_a_template_rings_up_the_pack() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    let barcode = app.store().unwrap().gift_packs(Utc::now()).unwrap()[0]
        .barcode
        .clone();
    type_into(&mut app, SCAN_INPUT, &barcode, true)?;
    type_into(&mut app, SCAN_INPUT, &barcode, true)?;
    let cart = app.checkout().unwrap().cart();
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.lines[0].name, "Giỏ quà Tết OCOP 6 món");
    assert_eq!(cart.lines[0].quantity, Decimal::from(2));
    assert_eq!(cart.totals().total, Money(2_200_000));
    Ok(())
}
