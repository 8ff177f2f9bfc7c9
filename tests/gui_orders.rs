//! The Orders screen and the counter's sales on account, driven with iced_test on a real
//! SQLite file: a company orders 30 baskets with a deposit, takes 20, then 10, and the balance
//! shows what is left to pay; a sale on account at the counter is settled by a transfer.

mod common;

use chrono::Utc;
use common::{CASHIER, MANAGER, approve_as, sign_in, simulator, step};
use iced::keyboard::key::Named;
use iced_test::{Error, selector};
use ocop_pos::config::Config;
use ocop_pos::core::audit::AuditAct;
use ocop_pos::core::clock::{format_day, local_date};
use ocop_pos::core::customer::CustomerKind;
use ocop_pos::core::money::Money;
use ocop_pos::core::order::OrderStatus;
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::report::Period;
use ocop_pos::core::staff::GatedAct;
use ocop_pos::store::AuditFilter;
use ocop_pos::ui::buyer_form::Field;
use ocop_pos::ui::checkout::SCAN_INPUT;
use ocop_pos::ui::keys::Command;
use ocop_pos::ui::orders::{AccountsMessage, FormMessage, ListMessage, Message as Orders, Panel};
use ocop_pos::ui::{App, Message, Tab};
use rust_decimal::Decimal;

const COMPANY: (&str, &str) = ("0100233488", "Công ty TNHH Du lịch Biển Xanh");

fn orders(app: &mut App, message: Orders) {
    let _ = app.update(Message::Orders(message));
}

fn form(app: &mut App, message: FormMessage) {
    orders(app, Orders::Form(message));
}

fn list(app: &mut App, message: ListMessage) {
    orders(app, Orders::List(message));
}

fn click(app: &mut App, label: &str) -> Result<(), Error> {
    step(app, |ui| {
        ui.click(label)?;
        Ok(())
    })
}

fn shows(app: &App, text: &str) -> bool {
    simulator(app).find(text).is_ok()
}

fn notice(app: &App) -> String {
    app.orders()
        .and_then(|o| o.notice())
        .map(|n| n.text(ocop_pos::i18n::Lang::Vi))
        .unwrap_or_default()
}

/// On the new order panel: the company typed by its tax code, not found, then its details
/// saved; it becomes the order's customer.
fn new_company(app: &mut App) -> Result<(), Error> {
    step(app, |ui| {
        ui.click(selector::id(ocop_pos::ui::orders::KEY_INPUT))?;
        ui.typewrite(COMPANY.0);
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    assert!(
        notice(app).contains("Không tìm thấy khách hàng"),
        "{}",
        notice(app)
    );
    form(app, FormMessage::NameChanged(COMPANY.1.into()));
    form(
        app,
        FormMessage::AddressChanged("12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into()),
    );
    form(
        app,
        FormMessage::ContactPersonChanged("Chị Mai 0912 345 678".into()),
    );
    click(app, "Lưu khách hàng")?;
    assert!(shows(app, &format!("{} ({})", COMPANY.1, COMPANY.0)));
    Ok(())
}

#[test]
fn thirty_baskets_with_a_deposit_delivered_twenty_then_ten_and_the_balance_shown()
-> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    // Ctrl+8: the Orders screen is a cashier's too, with no PIN asked.
    let _ = app.update(Message::Command(Command::Show(Tab::Orders)));
    assert_eq!(app.tab(), Tab::Orders);
    assert_eq!(app.pending_approval(), None);
    click(&mut app, "Đơn mới")?;
    assert_eq!(app.orders().unwrap().panel(), Panel::NewOrder);

    // A new company, typed once: its tax code, then its details.
    new_company(&mut app)?;

    // 30 baskets of the Tết template at 1.000.000 ₫, due in a fortnight, with a card.
    let due = format_day(local_date(Utc::now()) + chrono::Duration::days(14));
    click(&mut app, "Giỏ quà Tết OCOP 6 món · 1.100.000 ₫")?;
    form(&mut app, FormMessage::Quantity(0, "30".into()));
    form(&mut app, FormMessage::Price(0, "1.000.000".into()));
    form(&mut app, FormMessage::Due(0, due.clone()));
    form(&mut app, FormMessage::Card(0, "Chúc mừng năm mới".into()));
    form(&mut app, FormMessage::Deposit("9.000.000".into()));
    assert!(shows(&app, "Giá trị: 30.000.000 ₫"));
    click(&mut app, "Lưu đơn và in xác nhận")?;
    let order = app
        .orders()
        .unwrap()
        .selected()
        .expect("the new order is shown")
        .clone();
    assert_eq!(app.orders().unwrap().panel(), Panel::Orders);
    assert_eq!(order.total(), Money(30_000_000));
    assert_eq!(order.deposit_asked, Money(9_000_000));
    assert_eq!(order.lines[0].card_message, "Chúc mừng năm mới");
    assert!(shows(&app, &order.number));

    // The deposit asked is offered; taken by transfer.
    list(
        &mut app,
        ListMessage::DepositMethod(PaymentMethod::Transfer),
    );
    list(
        &mut app,
        ListMessage::DepositReference("BIEN XANH COC".into()),
    );
    list(&mut app, ListMessage::TakeDeposit);
    assert!(
        notice(&app).contains("Đã nhận cọc 9.000.000 ₫"),
        "{}",
        notice(&app)
    );
    let fish_sauce = app
        .store()
        .unwrap()
        .product_by_barcode("8930100000018", Utc::now())
        .unwrap()
        .unwrap();
    assert_eq!(
        app.store().unwrap().reserved_of(fish_sauce.id).unwrap(),
        Decimal::from(30)
    );

    // 20 now, the rest on account: over the company's limit (none set), a manager approves.
    list(&mut app, ListMessage::QuantityChanged(0, "20".into()));
    list(
        &mut app,
        ListMessage::DeliveryMethod(PaymentMethod::OnAccount),
    );
    assert!(shows(
        &app,
        "Giao lần này: 20.000.000 ₫ · Đã trừ vào hóa đơn: 9.000.000 ₫ · Còn phải trả: 11.000.000 ₫"
    ));
    list(&mut app, ListMessage::Deliver);
    assert_eq!(app.pending_approval(), Some(GatedAct::OverCreditLimit));
    approve_as(&mut app, MANAGER.0, MANAGER.1);
    assert_eq!(app.pending_approval(), None);
    let after_first = app.orders().unwrap().selected().unwrap().clone();
    assert_eq!(after_first.deliveries.len(), 1);
    assert_eq!(after_first.lines[0].delivered, Decimal::from(20));
    assert_eq!(
        app.store().unwrap().reserved_of(fish_sauce.id).unwrap(),
        Decimal::from(10)
    );
    assert!(shows(&app, "10.000.000 ₫"), "what is left to deliver");

    // The other 10: the deposit is used up, all of it on account (approved again).
    list(
        &mut app,
        ListMessage::DeliveryMethod(PaymentMethod::OnAccount),
    );
    list(&mut app, ListMessage::Deliver);
    approve_as(&mut app, MANAGER.0, MANAGER.1);
    let done = app.store().unwrap().order(&order.number).unwrap().unwrap();
    assert_eq!(done.status, OrderStatus::Delivered);
    assert_eq!(done.deliveries.len(), 2);
    assert_ne!(done.deliveries[0].invoice, done.deliveries[1].invoice);
    let store = app.store().unwrap();
    assert_eq!(store.reserved_of(fish_sauce.id).unwrap(), Decimal::ZERO);
    let approvals = store
        .audit_entries(&AuditFilter {
            act: Some(AuditAct::OverCreditLimit),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(approvals.len(), 2);
    assert!(
        approvals
            .iter()
            .all(|a| a.actor == CASHIER.0 && a.approver.as_deref() == Some(MANAGER.0))
    );

    // The balance: 30 m invoiced, 9 m from the deposit, 21 m owed.
    click(&mut app, "Công nợ")?;
    let customer = done.customer.id;
    orders(
        &mut app,
        Orders::Accounts(AccountsMessage::Select(customer)),
    );
    assert!(shows(&app, "Tổng nợ: 21.000.000 ₫"));
    assert_eq!(
        app.store()
            .unwrap()
            .customer_balance(customer)
            .unwrap()
            .balance(),
        Money(21_000_000)
    );
    assert_eq!(done.customer.kind, CustomerKind::Company);
    Ok(())
}

#[test]
fn a_sale_on_account_at_the_counter_settled_by_a_transfer() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    for _ in 0..2 {
        step(&mut app, |ui| {
            ui.click(selector::id(SCAN_INPUT))?;
            ui.typewrite("8930100000018");
            ui.tap_key(Named::Enter);
            Ok(())
        })?;
    }
    // F1: the company buyer, typed once.
    let _ = app.update(Message::Command(Command::Buyer));
    step(&mut app, |ui| {
        ui.click(selector::id(Field::TaxCode.id()))?;
        ui.typewrite(COMPANY.0);
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    for (field, value) in [
        (Field::Name, COMPANY.1),
        (
            Field::Address,
            "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang",
        ),
    ] {
        step(&mut app, |ui| {
            ui.click(selector::id(field.id()))?;
            ui.typewrite(value);
            Ok(())
        })?;
    }
    click(&mut app, "Ghi người mua cho đơn này")?;
    // F9 then F5: on account, offered because a company is the buyer.
    let _ = app.update(Message::Command(Command::Pay));
    assert!(shows(&app, "Ghi nợ (F5)"));
    let _ = app.update(Message::Command(Command::OrderDiscount));
    let store = app.store().unwrap();
    let sale = store
        .sale_by_receipt_no(&format!(
            "{}-AA-000001",
            ocop_pos::core::clock::local_year(Utc::now())
        ))
        .unwrap()
        .expect("sold on account");
    assert_eq!(sale.draft.total, Money(330_000));
    assert_eq!(sale.draft.tenders[0].method, PaymentMethod::OnAccount);
    let company = store.find_company(COMPANY.0).unwrap().unwrap();
    assert_eq!(
        store.customer_balance(company.id).unwrap().balance(),
        Money(330_000)
    );

    // The company transfers what it owes; the manager records it against the invoice.
    let _ = app.update(Message::Command(Command::Show(Tab::Orders)));
    click(&mut app, "Công nợ")?;
    assert!(shows(&app, COMPANY.1));
    orders(
        &mut app,
        Orders::Accounts(AccountsMessage::Select(company.id)),
    );
    assert!(shows(&app, "Tổng nợ: 330.000 ₫"));
    orders(
        &mut app,
        Orders::Accounts(AccountsMessage::ReferenceChanged("BIEN XANH TT HD".into())),
    );
    click(&mut app, "Thu tiền, trừ hóa đơn cũ trước")?;
    assert!(
        notice(&app).contains("Đã thu công nợ 330.000 ₫"),
        "{}",
        notice(&app)
    );
    let store = app.store().unwrap();
    assert_eq!(
        store.customer_balance(company.id).unwrap().balance(),
        Money::ZERO
    );
    assert!(store.open_invoices(company.id).unwrap().is_empty());
    assert!(shows(&app, "Không có công nợ."));
    // The day's figures keep it apart from the sales: sold on account, then received.
    let today = store
        .day_summary(Period::day(local_date(Utc::now())))
        .unwrap();
    assert_eq!(today.sales_total, Money(330_000));
    assert_eq!(today.customer_money.sold_on_account, Money(330_000));
    assert_eq!(today.customer_money.paid_on_account(), Money(330_000));
    let transfer = today
        .customer_money
        .account_payments
        .iter()
        .find(|(m, _)| *m == PaymentMethod::Transfer)
        .map(|(_, a)| *a);
    assert_eq!(transfer, Some(Money(330_000)));
    // And the daily screen shows it in its own box.
    let _ = app.update(Message::Show(Tab::Daily));
    assert!(shows(&app, "Tiền đơn hàng và công nợ (ngoài doanh thu)"));
    assert!(shows(&app, "Thu công nợ"));
    Ok(())
}

#[test]
fn a_cashier_cancels_an_order_or_sells_over_the_credit_limit_only_with_a_managers_pin()
-> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    let _ = app.update(Message::Command(Command::Show(Tab::Orders)));
    click(&mut app, "Đơn mới")?;
    new_company(&mut app)?;
    let due = format_day(local_date(Utc::now()) + chrono::Duration::days(7));
    click(&mut app, "Giỏ quà Tết OCOP 6 món · 1.100.000 ₫")?;
    form(&mut app, FormMessage::Quantity(0, "10".into()));
    form(&mut app, FormMessage::Due(0, due));
    form(&mut app, FormMessage::Deposit("3.000.000".into()));
    click(&mut app, "Lưu đơn và in xác nhận")?;
    let order = app.orders().unwrap().selected().unwrap().clone();
    list(&mut app, ListMessage::DepositMethod(PaymentMethod::Cash));
    list(&mut app, ListMessage::TakeDeposit);
    let fish_sauce = app
        .store()
        .unwrap()
        .product_by_barcode("8930100000018", Utc::now())
        .unwrap()
        .unwrap();
    let reserved = |app: &App| app.store().unwrap().reserved_of(fish_sauce.id).unwrap();
    assert_eq!(reserved(&app), Decimal::from(10));
    // At the counter, the search shows what the order reserves beside the stock on hand.
    let stock_line = |reserved: &str| {
        format!(
            "{} · {} · Tồn: {} {}{reserved}",
            fish_sauce.sku, fish_sauce.producer, fish_sauce.stock, fish_sauce.unit
        )
    };
    let searched = |app: &mut App| {
        let _ = app.update(Message::Show(Tab::Checkout));
        step(app, |ui| {
            ui.click(selector::id(SCAN_INPUT))?;
            ui.typewrite("Khải Hoàn");
            Ok(())
        })?;
        let shown = |text: &str| shows(app, text);
        let result = (shown(&stock_line(" (10 đã đặt)")), shown(&stock_line("")));
        let _ = app.update(Message::Command(Command::Cancel));
        let _ = app.update(Message::Command(Command::Show(Tab::Orders)));
        Ok::<_, Error>(result)
    };
    assert_eq!(searched(&mut app)?, (true, false));
    let status = |app: &App| {
        app.store()
            .unwrap()
            .order(&order.number)
            .unwrap()
            .unwrap()
            .status
    };

    // Cancelling: no reason, no cancellation; with one, a manager's PIN. Walking away from
    // the PIN pad, or a wrong PIN, leaves the order open with its deposit and its stock.
    list(&mut app, ListMessage::Cancel);
    assert_eq!(app.pending_approval(), None);
    assert!(notice(&app).contains("lý do"), "{}", notice(&app));
    list(
        &mut app,
        ListMessage::ReasonChanged("Công ty hoãn tiệc tất niên".into()),
    );
    list(&mut app, ListMessage::Cancel);
    assert_eq!(app.pending_approval(), Some(GatedAct::CancelOrder));
    let _ = app.update(Message::Command(Command::Cancel));
    assert_eq!(app.pending_approval(), None);
    assert_eq!(status(&app), OrderStatus::Open);
    list(&mut app, ListMessage::Cancel);
    approve_as(&mut app, MANAGER.0, "9999");
    assert_eq!(app.pending_approval(), Some(GatedAct::CancelOrder));
    assert_eq!(status(&app), OrderStatus::Open);
    assert_eq!(reserved(&app), Decimal::from(10));
    approve_as(&mut app, MANAGER.0, MANAGER.1);
    assert_eq!(app.pending_approval(), None);
    assert_eq!(status(&app), OrderStatus::Cancelled);
    assert!(
        notice(&app).contains("3.000.000 ₫"),
        "the deposit paid back: {}",
        notice(&app)
    );
    assert_eq!(reserved(&app), Decimal::ZERO);
    assert_eq!(
        searched(&mut app)?,
        (false, true),
        "nothing reserved any more"
    );
    let store = app.store().unwrap();
    assert_eq!(
        store.customer_balance(order.customer.id).unwrap(),
        ocop_pos::store::CustomerBalance {
            owed_on_account: Money::ZERO,
            unused_deposits: Money::ZERO
        }
    );
    let cancelled = store
        .audit_entries(&AuditFilter {
            act: Some(AuditAct::CancelOrder),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(
        (
            cancelled[0].actor.as_str(),
            cancelled[0].approver.as_deref()
        ),
        (CASHIER.0, Some(MANAGER.0))
    );

    // At the counter the same company buys on account, with no credit set: the cashier's F5
    // waits for a manager; without one nothing is sold.
    let _ = app.update(Message::Show(Tab::Checkout));
    step(&mut app, |ui| {
        ui.click(selector::id(SCAN_INPUT))?;
        ui.typewrite("8930100000018");
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    let _ = app.update(Message::Command(Command::Buyer));
    step(&mut app, |ui| {
        ui.click(selector::id(Field::TaxCode.id()))?;
        ui.typewrite(COMPANY.0);
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    click(&mut app, "Ghi người mua cho đơn này")?;
    let _ = app.update(Message::Command(Command::Pay));
    let sales_before = app.store().unwrap().sale_count().unwrap();
    let _ = app.update(Message::Command(Command::OrderDiscount));
    assert_eq!(app.pending_approval(), Some(GatedAct::OverCreditLimit));
    let _ = app.update(Message::Command(Command::Cancel));
    assert_eq!(app.pending_approval(), None);
    assert_eq!(app.store().unwrap().sale_count().unwrap(), sales_before);
    assert_eq!(
        app.checkout().unwrap().cart().lines.len(),
        1,
        "the cart waits"
    );
    let cart = app.checkout().unwrap().cart().clone();
    assert!(
        cart.tenders
            .iter()
            .all(|t| t.method != PaymentMethod::OnAccount),
        "nothing left on account: {:?}",
        cart.tenders
    );
    let _ = app.update(Message::Command(Command::OrderDiscount));
    approve_as(&mut app, MANAGER.0, MANAGER.1);
    let store = app.store().unwrap();
    assert_eq!(store.sale_count().unwrap(), sales_before + 1);
    assert_eq!(
        store.customer_balance(order.customer.id).unwrap().balance(),
        Money(165_000)
    );
    let approvals = store
        .audit_entries(&AuditFilter {
            act: Some(AuditAct::OverCreditLimit),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(approvals.len(), 1);
    assert_eq!(approvals[0].approver.as_deref(), Some(MANAGER.0));

    // The cashier sets a credit limit of 1.000.000 ₫ and 30 days: a manager's act too.
    use ocop_pos::ui::orders::CustomersMessage as Customers;
    let customers = |app: &mut App, message: Customers| orders(app, Orders::Customers(message));
    let _ = app.update(Message::Command(Command::Show(Tab::Orders)));
    click(&mut app, "Khách hàng")?;
    customers(&mut app, Customers::Select(order.customer.id));
    customers(&mut app, Customers::LimitChanged("1.000.000".into()));
    customers(&mut app, Customers::DaysChanged("30".into()));
    customers(&mut app, Customers::SaveTerms);
    assert_eq!(app.pending_approval(), Some(GatedAct::CreditTerms));
    approve_as(&mut app, MANAGER.0, MANAGER.1);
    let terms = app
        .store()
        .unwrap()
        .customer(order.customer.id)
        .unwrap()
        .terms;
    assert_eq!((terms.limit, terms.days), (Money(1_000_000), 30));
    // Within it now (165.000 ₫ owed, 165.000 ₫ more), the cashier's F5 sells at once.
    let _ = app.update(Message::Show(Tab::Checkout));
    step(&mut app, |ui| {
        ui.click(selector::id(SCAN_INPUT))?;
        ui.typewrite("8930100000018");
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    let _ = app.update(Message::Command(Command::Buyer));
    step(&mut app, |ui| {
        ui.click(selector::id(Field::TaxCode.id()))?;
        ui.typewrite(COMPANY.0);
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    click(&mut app, "Ghi người mua cho đơn này")?;
    let _ = app.update(Message::Command(Command::Pay));
    let _ = app.update(Message::Command(Command::OrderDiscount));
    assert_eq!(app.pending_approval(), None);
    let store = app.store().unwrap();
    assert_eq!(store.sale_count().unwrap(), sales_before + 2);
    assert_eq!(
        store.customer_balance(order.customer.id).unwrap().balance(),
        Money(330_000)
    );
    let set = store
        .audit_entries(&AuditFilter {
            act: Some(AuditAct::SetCreditTerms),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(set.len(), 1);
    assert_eq!(set[0].approver.as_deref(), Some(MANAGER.0));
    Ok(())
}

#[test]
fn a_person_kept_with_consent_is_found_by_phone_at_the_counter() -> Result<(), Error> {
    use ocop_pos::ui::buyer_form::{Kind, Message as Buyer};
    use ocop_pos::ui::checkout::Message as Checkout;
    use ocop_pos::ui::orders::CustomersMessage as Customers;
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    let _ = app.update(Message::Command(Command::Show(Tab::Orders)));
    click(&mut app, "Khách hàng")?;
    let customers = |app: &mut App, message: Customers| orders(app, Orders::Customers(message));
    customers(&mut app, Customers::NewPerson);
    customers(&mut app, Customers::NameChanged("Lê Văn An".into()));
    customers(&mut app, Customers::PhoneChanged("0912 345 678".into()));
    // Without the person's consent the phone is not kept.
    customers(&mut app, Customers::SavePerson);
    assert!(notice(&app).contains("đồng ý"), "{}", notice(&app));
    assert!(app.store().unwrap().person("0912345678").unwrap().is_none());
    customers(&mut app, Customers::Consent(true));
    customers(&mut app, Customers::SavePerson);
    let person = app
        .store()
        .unwrap()
        .person("0912345678")
        .unwrap()
        .expect("kept with consent");
    assert_eq!(person.consent.unwrap().recorded_by, CASHIER.0);

    // At the counter: F1, a person, the phone and Enter: the name comes from the record.
    let _ = app.update(Message::Show(Tab::Checkout));
    step(&mut app, |ui| {
        ui.click(selector::id(SCAN_INPUT))?;
        ui.typewrite("8930100000018");
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    let _ = app.update(Message::Command(Command::Buyer));
    let _ = app.update(Message::Checkout(Checkout::Buyer(Buyer::Kind(
        Kind::Person,
    ))));
    step(&mut app, |ui| {
        ui.click(selector::id(Field::Phone.id()))?;
        ui.typewrite("0912345678");
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    assert!(shows(&app, "Lê Văn An"));
    click(&mut app, "Ghi người mua cho đơn này")?;
    let _ = app.update(Message::Command(Command::ExactCash));
    let store = app.store().unwrap();
    let today = local_date(Utc::now());
    assert_eq!(
        store.day_purchases(person.id, today).unwrap(),
        Money(165_000),
        "the sale is the person's"
    );

    // They order a bottle, found by phone, and take it at once.
    let _ = app.update(Message::Command(Command::Show(Tab::Orders)));
    click(&mut app, "Đơn mới")?;
    form(&mut app, FormMessage::KeyChanged("0912345678".into()));
    form(&mut app, FormMessage::FindCustomer);
    form(&mut app, FormMessage::CodeChanged("8930100000018".into()));
    form(&mut app, FormMessage::AddProduct);
    form(&mut app, FormMessage::Due(0, format_day(today)));
    click(&mut app, "Lưu đơn và in xác nhận")?;
    let order = app
        .orders()
        .unwrap()
        .selected()
        .unwrap_or_else(|| panic!("{}", notice(&app)))
        .clone();
    assert_eq!(order.customer.id, person.id);
    list(&mut app, ListMessage::DeliveryMethod(PaymentMethod::Cash));
    list(&mut app, ListMessage::Deliver);
    let delivered = app.store().unwrap().order(&order.number).unwrap().unwrap();
    assert_eq!(delivered.status, OrderStatus::Delivered);

    // On request their data is erased: pressed twice, then a manager's PIN.
    click(&mut app, "Khách hàng")?;
    customers(&mut app, Customers::Select(person.id));
    assert!(shows(&app, "Lê Văn An (0912345678)"));
    customers(&mut app, Customers::Erase);
    assert!(notice(&app).contains("Bấm lần nữa"), "{}", notice(&app));
    assert_eq!(app.pending_approval(), None);
    customers(&mut app, Customers::Erase);
    assert_eq!(app.pending_approval(), Some(GatedAct::EraseCustomer));
    assert!(app.store().unwrap().person("0912345678").unwrap().is_some());
    approve_as(&mut app, MANAGER.0, MANAGER.1);
    let store = app.store().unwrap();
    assert!(store.person("0912345678").unwrap().is_none());
    assert!(store.customer(person.id).unwrap().erased);
    assert_eq!(
        store.day_purchases(person.id, today).unwrap(),
        Money(330_000),
        "the sale and the delivery stay, anonymised"
    );
    assert!(!shows(&app, "Lê Văn An (0912345678)"));
    // Their order is listed under the record's number, not their name.
    orders(&mut app, Orders::Show(Panel::Orders));
    list(&mut app, ListMessage::OnlyOpen(false));
    list(&mut app, ListMessage::Select(order.id));
    let erased = format!("Đã xóa dữ liệu (KH{:06})", person.id);
    assert!(shows(&app, &erased));
    assert!(shows(&app, &format!("{} · {erased}", order.number)));
    assert!(!shows(&app, "Lê Văn An"));
    Ok(())
}

#[test]
fn the_counter_warns_of_reserved_stock_and_of_a_companys_cash_from_5_million_a_day()
-> Result<(), Error> {
    use ocop_pos::ui::checkout::Message as Checkout;
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    let fish_sauce = app
        .store()
        .unwrap()
        .product_by_barcode("8930100000018", Utc::now())
        .unwrap()
        .unwrap();
    // An order takes every bottle of fish sauce on the books but two (one per basket).
    let _ = app.update(Message::Command(Command::Show(Tab::Orders)));
    click(&mut app, "Đơn mới")?;
    new_company(&mut app)?;
    click(&mut app, "Giỏ quà Tết OCOP 6 món · 1.100.000 ₫")?;
    let all_but_two = (fish_sauce.stock - Decimal::from(2)).to_string();
    form(&mut app, FormMessage::Quantity(0, all_but_two));
    form(
        &mut app,
        FormMessage::Due(
            0,
            format_day(local_date(Utc::now()) + chrono::Duration::days(3)),
        ),
    );
    click(&mut app, "Lưu đơn và in xác nhận")?;
    let checkout_notice = |app: &App| {
        app.checkout()
            .unwrap()
            .notice()
            .map(|n| n.text(ocop_pos::i18n::Lang::Vi))
            .unwrap_or_default()
    };

    // One bottle at the counter is free of orders; five (F3) take a customer's: the cashier is
    // told, the sale may go on.
    let _ = app.update(Message::Show(Tab::Checkout));
    step(&mut app, |ui| {
        ui.click(selector::id(SCAN_INPUT))?;
        ui.typewrite("8930100000018");
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    assert!(
        !checkout_notice(&app).contains("đã đặt cho đơn hàng"),
        "{}",
        checkout_notice(&app)
    );
    let _ = app.update(Message::Command(Command::Quantity));
    let _ = app.update(Message::Checkout(Checkout::PanelInputChanged("5".into())));
    let _ = app.update(Message::Checkout(Checkout::PanelSubmitted));
    assert_eq!(
        app.checkout().unwrap().cart().lines[0].quantity,
        Decimal::from(5)
    );
    assert!(
        checkout_notice(&app).contains("đã đặt cho đơn hàng"),
        "{}",
        checkout_notice(&app)
    );
    // The company buys them, in cash: 825.000 ₫ today, no warning.
    let _ = app.update(Message::Command(Command::Buyer));
    step(&mut app, |ui| {
        ui.click(selector::id(Field::TaxCode.id()))?;
        ui.typewrite(COMPANY.0);
        ui.tap_key(Named::Enter);
        Ok(())
    })?;
    click(&mut app, "Ghi người mua cho đơn này")?;
    let _ = app.update(Message::Command(Command::Pay));
    assert!(!checkout_notice(&app).contains("khấu trừ"));
    let _ = app.update(Message::Command(Command::ExactCash));
    assert_eq!(app.store().unwrap().sale_count().unwrap(), 1);

    // Later the same day, four gift boxes (4 × 260.000 ₫ = 1.040.000 ₫, 1.865.000 ₫ in the
    // day): no warning; with eighteen more the day reaches 6.545.000 ₫ and the cashier is told
    // before taking cash.
    let company_buyer = |app: &mut App| -> Result<(), Error> {
        let _ = app.update(Message::Command(Command::Buyer));
        step(app, |ui| {
            ui.click(selector::id(Field::TaxCode.id()))?;
            ui.typewrite(COMPANY.0);
            ui.tap_key(Named::Enter);
            Ok(())
        })?;
        click(app, "Ghi người mua cho đơn này")
    };
    let gift_box = app
        .store()
        .unwrap()
        .gift_packs(Utc::now())
        .unwrap()
        .iter()
        .position(|p| p.name == "Hộp quà Phú Quốc 3 món")
        .unwrap();
    for _ in 0..4 {
        let _ = app.update(Message::Checkout(Checkout::PickPack(gift_box)));
    }
    company_buyer(&mut app)?;
    let _ = app.update(Message::Command(Command::Pay));
    assert!(
        !checkout_notice(&app).contains("khấu trừ"),
        "{}",
        checkout_notice(&app)
    );
    let _ = app.update(Message::Command(Command::Cancel));
    for _ in 0..18 {
        let _ = app.update(Message::Checkout(Checkout::PickPack(gift_box)));
    }
    let _ = app.update(Message::Command(Command::Pay));
    let warning = checkout_notice(&app);
    assert!(warning.contains("khấu trừ thuế GTGT"), "{warning}");
    assert!(warning.contains("6.545.000 ₫"), "{warning}");
    Ok(())
}

#[test]
fn a_basket_put_together_for_the_order_reserves_each_of_its_products() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    let _ = app.update(Message::Command(Command::Show(Tab::Orders)));
    click(&mut app, "Đơn mới")?;
    new_company(&mut app)?;
    let code = |app: &mut App, code: &str| {
        form(app, FormMessage::CodeChanged(code.into()));
        form(app, FormMessage::AddProduct);
    };
    // The basket: a bottle of fish sauce and two bags of rice; an unknown code adds nothing.
    click(&mut app, "Giỏ tự chọn")?;
    form(
        &mut app,
        FormMessage::BasketNameChanged("Giỏ quà Biển Xanh".into()),
    );
    code(&mut app, "8930100000018");
    code(&mut app, "8930101000123");
    code(&mut app, "8930101000123");
    code(&mut app, "8930199999999");
    assert!(notice(&app).contains("8930199999999"), "{}", notice(&app));
    click(&mut app, "Đóng giỏ")?;
    form(&mut app, FormMessage::Quantity(0, "12".into()));
    form(&mut app, FormMessage::Price(0, "600.000".into()));
    form(
        &mut app,
        FormMessage::Card(0, "Tri ân khách hàng Biển Xanh".into()),
    );
    // And, apart, five bottles of fish sauce at an agreed price.
    code(&mut app, "8930100000018");
    form(&mut app, FormMessage::Quantity(1, "5".into()));
    form(&mut app, FormMessage::Price(1, "150.000".into()));
    assert!(shows(&app, "Giá trị: 7.950.000 ₫"));
    click(&mut app, "Lưu đơn và in xác nhận")?;
    let order = app.orders().unwrap().selected().unwrap().clone();
    assert_eq!(order.lines.len(), 2);
    let basket = &order.lines[0];
    assert_eq!(
        (basket.name.as_str(), basket.pack_id, basket.quantity),
        ("Giỏ quà Biển Xanh", None, Decimal::from(12))
    );
    let contents: Vec<(&str, Decimal)> = basket
        .contents
        .iter()
        .map(|c| (c.sku.as_str(), c.quantity))
        .collect();
    assert_eq!(
        contents,
        [("KG001", Decimal::ONE), ("KG012", Decimal::from(2))]
    );
    let store = app.store().unwrap();
    let reserved = |barcode: &str| {
        let product = store
            .product_by_barcode(barcode, Utc::now())
            .unwrap()
            .unwrap();
        store.reserved_of(product.id).unwrap()
    };
    assert_eq!(reserved("8930100000018"), Decimal::from(12 + 5));
    assert_eq!(reserved("8930101000123"), Decimal::from(24));
    // Due in a week (the form's default day): that day's packing list adds the basket's
    // products to the loose ones; today's has nothing yet.
    let today = local_date(Utc::now());
    assert_eq!(basket.due_on, today + chrono::Duration::days(7));
    assert!(store.packing_list(today).unwrap().items.is_empty());
    let packing = store
        .packing_list(today + chrono::Duration::days(7))
        .unwrap();
    let fish = packing.items.iter().find(|i| i.sku == "KG001").unwrap();
    assert_eq!(fish.quantity, Decimal::from(17));
    Ok(())
}

#[test]
fn the_order_list_keeps_the_orders_due_by_the_day_typed() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, CASHIER.0, CASHIER.1);
    let _ = app.update(Message::Command(Command::Show(Tab::Orders)));
    let today = local_date(Utc::now());
    let mut taken = Vec::new();
    for days in [2, 10] {
        click(&mut app, "Đơn mới")?;
        if taken.is_empty() {
            new_company(&mut app)?;
        } else {
            form(&mut app, FormMessage::KeyChanged(COMPANY.0.into()));
            form(&mut app, FormMessage::FindCustomer);
        }
        click(&mut app, "Giỏ quà Tết OCOP 6 món · 1.100.000 ₫")?;
        form(
            &mut app,
            FormMessage::Due(0, format_day(today + chrono::Duration::days(days))),
        );
        click(&mut app, "Lưu đơn và in xác nhận")?;
        taken.push(app.orders().unwrap().selected().unwrap().number.clone());
    }
    let listed = |app: &App| -> Vec<String> {
        app.orders()
            .unwrap()
            .orders()
            .iter()
            .map(|o| o.number.clone())
            .collect()
    };
    assert_eq!(listed(&app), taken, "every open order, by due day");
    let first = app.store().unwrap().order(&taken[0]).unwrap().unwrap();
    list(&mut app, ListMessage::Select(first.id));
    let by = |app: &mut App, day: String| {
        list(app, ListMessage::DueChanged(day));
        list(app, ListMessage::Filter);
    };
    by(&mut app, format_day(today + chrono::Duration::days(3)));
    assert_eq!(listed(&app), taken[..1]);
    // A day that is not one is told, and the list stays as it was.
    by(&mut app, "31/02/2027".into());
    assert!(notice(&app).contains("31/02/2027"), "{}", notice(&app));
    assert_eq!(listed(&app), taken[..1]);
    by(&mut app, String::new());
    assert_eq!(listed(&app), taken);
    Ok(())
}

#[test]
fn the_new_order_form_reads_a_product_from_the_store_by_its_sku_in_any_case() -> Result<(), Error> {
    use ocop_pos::core::inventory::ProductDraft;
    use ocop_pos::core::vat::VatRate;
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(&Config::new(Some(dir.path().to_path_buf()), true));
    sign_in(&mut app, MANAGER.0, MANAGER.1);
    let _ = app.update(Message::Command(Command::Show(Tab::Orders)));
    click(&mut app, "Đơn mới")?;
    new_company(&mut app)?;
    // A product added (at another counter's connection) after the form opened: the form holds
    // no catalogue, so it is found all the same.
    let name = "Mật ong rừng U Minh Hạ 500ml";
    ocop_pos::store::Store::open_in(dir.path())
        .unwrap()
        .create_product(
            ProductDraft {
                sku: "UM900".into(),
                barcodes: Vec::new(),
                name: name.into(),
                producer: "CTCP Thương mại Khải Hoàn".into(),
                ocop_group: "Thực phẩm".into(),
                stars: Some(4),
                unit: "chai".into(),
                sold_by_weight: false,
                plu: None,
                price: Money(250_000),
                vat: VatRate::from_code("8").unwrap(),
                low_stock: Decimal::ZERO,
                active: true,
            },
            Utc::now(),
            MANAGER.0,
        )
        .unwrap();
    for (code, added) in [
        ("um900", name),
        ("Kg001", "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm"),
    ] {
        form(&mut app, FormMessage::CodeChanged(code.into()));
        form(&mut app, FormMessage::AddProduct);
        assert!(notice(&app).contains(added), "{code}: {}", notice(&app));
    }
    // An unknown code adds nothing and says so.
    form(&mut app, FormMessage::CodeChanged("UM901".into()));
    form(&mut app, FormMessage::AddProduct);
    assert!(notice(&app).contains("UM901"), "{}", notice(&app));
    assert!(shows(&app, name));
    // At the prices in force: 250,000 and 165,000.
    let total = format!(
        "{}: {}",
        ocop_pos::i18n::OrderLabel::Total.text(ocop_pos::i18n::Lang::Vi),
        Money(415_000)
    );
    assert!(shows(&app, &total), "{total}");
    Ok(())
}
