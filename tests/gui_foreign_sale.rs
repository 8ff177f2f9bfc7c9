//! At counter AB's window, a receipt sold at counter AA, once AA's events file is imported:
//! the refund form finds it by number and refunds it as AB's own document, and F11 reprints it
//! as a copy (audited under AA's number). Driven through the window with iced_test.

mod common;

use chrono::{Duration, Utc};
use common::{CASHIER, MANAGER, sign_in, simulator, step};
use iced::keyboard::key::Named;
use iced_test::{Error, selector};
use ocop_pos::config::Config;
use ocop_pos::core::audit::AuditAct;
use ocop_pos::core::cart::Cart;
use ocop_pos::core::clock::{local_date, local_year};
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::report::Period;
use ocop_pos::core::sale::{SaleDraft, SaleRecord};
use ocop_pos::core::settings::StoreKind;
use ocop_pos::core::staff::GatedAct;
use ocop_pos::i18n::{Label, Lang};
use ocop_pos::store::{AuditFilter, REQUIRE_OPEN_SESSION, SESSION_POLICY_SETTING, Store};
use ocop_pos::ui::checkout::{Message as Checkout, PANEL_INPUT};
use ocop_pos::ui::invoice_form::RECEIPT_INPUT as INVOICE_RECEIPT_INPUT;
use ocop_pos::ui::keys::Command;
use ocop_pos::ui::refund_form::{RECEIPT_INPUT, quantity_input_id};
use ocop_pos::ui::{App, Message};
use tempfile::TempDir;

const FISH_SAUCE: &str = "8930100000018"; // 165.000 ₫

/// Counter AA (the demo store, its catalogue node) sells two bottles of fish sauce; counter
/// AB, a folder of its own with the demo staff, imports AA's events. Returns AB's folder and
/// AA's sale.
fn counters_with_a_sale_at_aa() -> (TempDir, TempDir, SaleRecord) {
    let aa_dir = tempfile::tempdir().unwrap();
    let mut aa = Config::new(Some(aa_dir.path().to_path_buf()), true)
        .open_store()
        .unwrap();
    let now = Utc::now();
    let fish = aa.product_by_barcode(FISH_SAUCE, now).unwrap().unwrap();
    let mut cart = Cart::default();
    cart.add_product(&fish, 2.into()).unwrap();
    let tender = Tender {
        method: PaymentMethod::Cash,
        amount: cart.totals().total,
        reference: None,
    };
    let draft = SaleDraft::new(&cart, vec![tender], "Lan").unwrap();
    let sale = aa.commit_sale(&draft, now - Duration::minutes(5)).unwrap();
    // From here the store runs as a real one, each shift opened with its float: the policy
    // is the store's, so AB takes it from AA.
    aa.set_setting(SESSION_POLICY_SETTING, REQUIRE_OPEN_SESSION)
        .unwrap();

    let ab_dir = tempfile::tempdir().unwrap();
    let mut ab = Store::open_in(ab_dir.path()).unwrap();
    // The demo's short PINs are a demo store's.
    ab.set_store_kind(StoreKind::Demo).unwrap();
    ab.set_node_identity(None, Some("AB"), None).unwrap();
    // The staff and the shop's invoice registration come from AA with its events (AB adjusts
    // AA's invoice when it refunds); the series is AB's own.
    ab.set_invoice_series_per_node(true).unwrap();
    ab.apply_events(&aa.events_after(0, usize::MAX).unwrap())
        .unwrap();
    (aa_dir, ab_dir, sale)
}

fn command(app: &mut App, command: Command) {
    let _ = app.update(Message::Command(command));
}

#[test]
fn counter_ab_refunds_and_reprints_a_receipt_sold_at_counter_aa() -> Result<(), Error> {
    let (_aa_dir, ab_dir, sale) = counters_with_a_sale_at_aa();
    let mut app = App::new(&Config::new(Some(ab_dir.path().to_path_buf()), false));
    sign_in(&mut app, CASHIER.0, CASHIER.1);

    // A receipt AA has not sent yet: the refund form says to sync first.
    let unsent = sale.receipt_no.replace("000001", "000002");
    command(&mut app, Command::Refund);
    step(&mut app, |ui| {
        ui.click(selector::id(RECEIPT_INPUT))?;
        ui.typewrite(&unsent);
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    assert!(
        simulator(&app)
            .find(format!(
                "Máy này không có hóa đơn số {unsent}. Nếu bán ở quầy khác, hãy đồng bộ \
                 (nhập sự kiện của quầy đó) rồi thử lại."
            ))
            .is_ok()
    );
    command(&mut app, Command::Cancel);

    command(&mut app, Command::Refund);
    step(&mut app, |ui| {
        ui.click(selector::id(RECEIPT_INPUT))?;
        ui.typewrite(&sale.receipt_no);
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    step(&mut app, |ui| {
        ui.click(selector::id(quantity_input_id(0)))?;
        ui.typewrite("1");
        Ok(())
    })?;
    // No shift is open at AB (a real store's `require` policy): refused before a manager is
    // asked, in a refund's words, and what was typed stays.
    step(&mut app, |ui| {
        ui.click("Hoàn tiền")?;
        Ok(())
    })?;
    assert_eq!(app.pending_approval(), None);
    assert!(
        simulator(&app)
            .find(
                "Chưa mở ca thu ngân nên chưa hoàn tiền được. Vào Doanh thu → Mở ca (đếm tiền \
                 đầu ca) rồi bấm Hoàn tiền lại; phiếu trả hàng vẫn giữ nguyên."
            )
            .is_ok()
    );
    // The shift is opened (at the manager's screen, here straight in the store's file); the
    // same form, untouched, now refunds.
    Store::open_in(ab_dir.path())
        .unwrap()
        .open_cash_session(Money(500_000), "Hùng", Utc::now())
        .unwrap();
    step(&mut app, |ui| {
        ui.click("Hoàn tiền")?;
        Ok(())
    })?;
    assert_eq!(app.pending_approval(), Some(GatedAct::Refund));
    common::approve_as(&mut app, MANAGER.0, MANAGER.1);
    let refund_no = format!("TH{}-AB-000001", local_year(Utc::now()));
    assert!(
        simulator(&app)
            .find(format!("Đã trả hàng {refund_no}: hoàn 165.000 ₫."))
            .is_ok(),
        "AB's refund, in AB's series"
    );
    let today = Period::day(local_date(Utc::now()));
    let day = app.store().unwrap().day_summary(today).unwrap();
    assert_eq!((day.sales_count, day.refunds), (0, Money(165_000)));
    assert_eq!(
        app.store()
            .unwrap()
            .refundable_lines(&sale.receipt_no)
            .unwrap()[0]
            .0,
        1.into()
    );

    // Ctrl+I at AB: AA's receipt shows AB's adjustment of it, with AB's MCCQT from AB's block,
    // and no buyer correction: AA's invoice is AA's to correct.
    command(&mut app, Command::Invoice);
    step(&mut app, |ui| {
        ui.click(selector::id(INVOICE_RECEIPT_INPUT))?;
        ui.typewrite(&sale.receipt_no);
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    let yy = local_year(Utc::now()) % 100;
    let aa_invoice = sale.invoice.issued().unwrap();
    for line in [
        format!("M1-{yy}-DEMO0-00100000001"),
        format!("sửa cho 1C{yy}MAA-{:08}", aa_invoice.numbers.number),
    ] {
        assert!(simulator(&app).find(line.as_str()).is_ok(), "{line}");
    }
    assert!(
        simulator(&app)
            .find(Label::CorrectBuyerTitle.text(Lang::Vi))
            .is_err()
    );
    command(&mut app, Command::Cancel);

    command(&mut app, Command::Reprint);
    step(&mut app, |ui| {
        ui.click(selector::id(PANEL_INPUT))?;
        ui.typewrite(&sale.receipt_no);
        Ok(())
    })?;
    let _ = app.update(Message::Checkout(Checkout::PanelSubmitted));
    // The copy was made (the window writes it off its thread; its content is
    // tests/sync_foreign.rs's): audited at AB under AA's number.
    let filter = AuditFilter {
        act: Some(AuditAct::Reprint),
        ..AuditFilter::default()
    };
    let reprints = app.store().unwrap().audit_entries(&filter).unwrap();
    let subjects: Vec<&str> = reprints.iter().map(|row| row.subject.as_str()).collect();
    assert_eq!(subjects, [sale.receipt_no.as_str()]);
    Ok(())
}
