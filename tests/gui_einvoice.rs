//! Invoices at the counter with iced_test: a cashier corrects the last sale's buyer from the
//! invoice form (Ctrl+I), a manager's PIN approves it, a replacement invoice is issued and the
//! act is in the audit log.

mod common;

use chrono::Utc;
use common::{CASHIER, MANAGER, sign_in, simulator, step};
use iced::keyboard::key::Named;
use iced_test::{Error, selector};
use ocop_pos::config::Config;
use ocop_pos::core::clock::local_year;
use ocop_pos::core::einvoice::Correction;
use ocop_pos::ui::buyer_form::{Field, Message as BuyerMessage};
use ocop_pos::ui::checkout::Message as CheckoutMessage;
use ocop_pos::ui::checkout::SCAN_INPUT;
use ocop_pos::ui::invoice_form::Message as InvoiceMessage;
use ocop_pos::ui::keys::Command;
use ocop_pos::ui::{App, Message};

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
fn a_cashier_corrects_the_buyer_with_a_managers_pin() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    type_into(&mut app, SCAN_INPUT, "8930100000018", true)?;
    let _ = app.update(Message::Command(Command::ExactCash));
    let sold = app.store().unwrap().sale_count().unwrap();
    assert_eq!(sold, 1);

    // The customer gave no details: the invoice was to a consumer. Now the company asks.
    let _ = app.update(Message::Command(Command::Invoice));
    type_into(
        &mut app,
        "invoice-reason",
        "Khách bổ sung thông tin công ty",
        false,
    )?;
    type_into(&mut app, "invoice-agreement", "BB-2026-01", false)?;
    // The buyer's fields are below, in the form's scrolling part: typed as the fields send it.
    let form = |message: BuyerMessage| {
        Message::Checkout(CheckoutMessage::Invoice(InvoiceMessage::Buyer(message)))
    };
    for (field, value) in [
        (Field::TaxCode, "0100233488"),
        (Field::Name, "Công ty Cổ phần Hà Nội"),
        (Field::Address, "1 Tràng Tiền, Hà Nội"),
    ] {
        let _ = app.update(form(BuyerMessage::Edit(field, value.into())));
    }
    let _ = app.update(form(BuyerMessage::Submit));
    // A cashier waits for a manager: nothing is issued yet.
    let receipt_no = format!("{}-AA-000001", local_year(Utc::now()));
    let invoices = |app: &App| app.store().unwrap().einvoices_of_sale(&receipt_no).unwrap();
    assert_eq!(invoices(&app).len(), 1);
    common::approve_as(&mut app, MANAGER.0, MANAGER.1);

    let invoices = invoices(&app);
    assert_eq!(
        invoices.len(),
        2,
        "the replacement was issued once approved"
    );
    let replacement = &invoices[1];
    assert_eq!(replacement.buyer.as_ref().unwrap().tax_code(), "0100233488");
    let related = replacement.related.as_ref().unwrap();
    assert_eq!(related.correction, Correction::Replaces);
    assert_eq!(related.number, invoices[0].numbers.number);
    assert_eq!(related.agreement, "BB-2026-01");
    assert!(
        simulator(&app)
            .find(format!("Đã xuất hóa đơn {}.", replacement.reference()))
            .is_ok()
    );
    let audit = app
        .store()
        .unwrap()
        .audit_count(
            ocop_pos::core::audit::AuditAct::CorrectInvoice,
            &invoices[0].reference(),
        )
        .unwrap();
    assert_eq!(audit, 1);
    Ok(())
}
