//! Tết orders from companies on a real SQLite file: customers, orders with deposits,
//! deliveries (each a sale with its invoice), cancellations, sales on account, payments and
//! the daily figures.

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use common::{DEMO_PRODUCTS, product, shop_time};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::customer::{CreditTerms, Customer, CustomerError, PersonDraft};
use ocop_pos::core::einvoice::{InvoiceBuyer, InvoiceSettings};
use ocop_pos::core::invoice::Buyer;
use ocop_pos::core::money::Money;
use ocop_pos::core::order::{Order, OrderDraft, OrderError, OrderLine, OrderStatus};
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::refund::{RefundItem, RefundRequest};
use ocop_pos::core::report::Period;
use ocop_pos::core::sale::SaleDraft;
use ocop_pos::store::{Store, StoreError};
use rust_decimal::Decimal;
use tempfile::TempDir;

const COMPANY_TAX_CODE: &str = "0100233488";

/// The demo catalogue and gift packs, registered for invoices, and a company buyer.
fn tet_store() -> (TempDir, Store, Customer) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
    store
        .seed_demo_gift_packs(include_str!("../assets/demo_giftpacks.csv"), shop_time())
        .unwrap();
    store
        .save_invoice_settings(&InvoiceSettings::demo())
        .unwrap();
    store
        .save_buyer(
            &Buyer {
                id: 0,
                name: "Công ty TNHH Du lịch Biển Xanh".into(),
                tax_code: COMPANY_TAX_CODE.into(),
                address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
                email: "ketoan@bienxanh.vn".into(),
                contact: "Chị Mai".into(),
            },
            shop_time(),
        )
        .unwrap();
    let company = store
        .company(COMPANY_TAX_CODE, shop_time())
        .unwrap()
        .unwrap();
    (dir, store, company)
}

fn day(month: u32, d: u32) -> NaiveDate {
    let year = if month >= 11 { 2026 } else { 2027 };
    NaiveDate::from_ymd_opt(year, month, d).unwrap()
}

/// 10:00 in Vietnam on that day.
fn at(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(3, 0, 0).unwrap().and_utc()
}

fn baskets(store: &Store, count: i64, price: i64, due: NaiveDate) -> OrderLine {
    let pack = store
        .gift_packs(shop_time())
        .unwrap()
        .into_iter()
        .find(|p| p.sku == "GP001")
        .unwrap();
    let mut line = OrderLine::basket(
        &pack.name,
        &pack.sku,
        Some(pack.id),
        &pack.components(),
        Decimal::from(count),
        Money(price),
        due,
    );
    line.card_message = "Chúc mừng năm mới Đinh Mùi 2027".into();
    line
}

fn order_of(
    store: &mut Store,
    customer: &Customer,
    lines: impl FnOnce(&Store) -> Vec<OrderLine>,
    deposit: i64,
) -> Order {
    let lines = lines(store);
    store
        .create_order(
            &OrderDraft {
                customer_id: customer.id,
                lines,
                delivery_address: "12 Trần Hưng Đạo, Rạch Giá".into(),
                contact: "Chị Mai 0912 345 678".into(),
                notes: String::new(),
                deposit_asked: Money(deposit),
            },
            "Lan",
            shop_time(),
        )
        .unwrap()
}

fn order_refusal(result: Result<impl std::fmt::Debug, StoreError>) -> OrderError {
    match result {
        Err(StoreError::Order(error)) => error,
        other => panic!("expected an order refusal, got {other:?}"),
    }
}

#[test]
fn thirty_baskets_with_a_deposit_delivered_twenty_then_ten() {
    let (_dir, mut store, company) = tet_store();
    store
        .set_credit_terms(
            company.id,
            CreditTerms {
                limit: Money(50_000_000),
                days: 30,
            },
            "Hùng",
            shop_time(),
        )
        .unwrap();
    let order = order_of(
        &mut store,
        &company,
        |store: &Store| vec![baskets(store, 30, 1_000_000, day(1, 20))],
        9_000_000,
    );
    assert_eq!(order.number, "DH2026-AA-000001");
    assert_eq!(order.total(), Money(30_000_000));
    let deposit = store
        .take_deposit(
            order.id,
            PaymentMethod::Transfer,
            Money(9_000_000),
            "BIEN XANH COC DH2026-AA-000001",
            "Lan",
            shop_time(),
        )
        .unwrap();
    assert_eq!(deposit.number, "DC2026-AA-000001");
    // Every component of the 30 baskets is reserved.
    let reserved = store.reserved_stock().unwrap();
    let fish_sauce = product(&store, "8930100000018");
    assert_eq!(reserved.get(&fish_sauce.id), Some(&Decimal::from(30)));

    let first = store
        .deliver_order(
            order.id,
            &[(0, Decimal::from(20))],
            "Nguyễn Thị Mai",
            PaymentMethod::OnAccount,
            None,
            "Lan",
            None,
            at(day(1, 18)),
        )
        .unwrap();
    assert_eq!(first.number(), "DH2026-AA-000001/1");
    assert_eq!(first.sale.draft.total, Money(20_000_000));
    let paid: Vec<(PaymentMethod, Money)> = first
        .sale
        .draft
        .tenders
        .iter()
        .map(|t| (t.method, t.amount))
        .collect();
    assert_eq!(
        paid,
        [
            (PaymentMethod::Deposit, Money(9_000_000)),
            (PaymentMethod::OnAccount, Money(11_000_000))
        ]
    );
    let invoice = first
        .sale
        .invoice
        .issued()
        .expect("an invoice per delivery");
    assert!(
        matches!(&invoice.buyer, Some(InvoiceBuyer::Company(b)) if b.tax_code == COMPANY_TAX_CODE)
    );
    assert_eq!(
        store.reserved_stock().unwrap().get(&fish_sauce.id),
        Some(&Decimal::from(10))
    );
    let balance = store.customer_balance(company.id).unwrap();
    assert_eq!(balance.balance(), Money(11_000_000));

    let second = store
        .deliver_order(
            order.id,
            &[(0, Decimal::from(10))],
            "Nguyễn Thị Mai",
            PaymentMethod::OnAccount,
            None,
            "Lan",
            None,
            at(day(1, 20)),
        )
        .unwrap();
    let second_invoice = second.sale.invoice.issued().unwrap();
    assert_ne!(invoice.reference(), second_invoice.reference());
    assert_eq!(second.order.status, OrderStatus::Delivered);
    assert!(store.reserved_stock().unwrap().is_empty());
    assert_eq!(
        store.customer_balance(company.id).unwrap().balance(),
        Money(21_000_000)
    );
    let open = store.open_invoices(company.id).unwrap();
    assert_eq!(open.len(), 2);
    assert_eq!(open[0].due_on, day(2, 17));

    // A transfer of 15 m settles the older invoice and part of the newer.
    let payment = store
        .receive_account_payment(
            company.id,
            PaymentMethod::Transfer,
            Money(15_000_000),
            "BIEN XANH TT",
            None,
            "Lan",
            at(day(2, 1)),
        )
        .unwrap();
    assert_eq!(payment.number, "PT2027-AA-000001");
    assert_eq!(payment.allocations.len(), 2);
    assert_eq!(payment.allocations[0].amount, Money(11_000_000));
    assert_eq!(
        store.customer_balance(company.id).unwrap().balance(),
        Money(6_000_000)
    );
    // More than is owed is refused, nothing kept.
    assert_eq!(
        order_refusal(store.receive_account_payment(
            company.id,
            PaymentMethod::Cash,
            Money(6_000_001),
            "",
            None,
            "Lan",
            at(day(2, 2)),
        )),
        OrderError::PaymentAboveOpen(Money(6_000_000))
    );
    store.verify_chains(at(day(2, 2))).unwrap();
    assert!(store.unacknowledged_breaks().unwrap().is_empty());
}

#[test]
fn an_order_cancelled_after_a_partial_delivery_releases_only_the_rest() {
    let (_dir, mut store, company) = tet_store();
    let rice = product(&store, "8930101000123");
    let order = order_of(
        &mut store,
        &company,
        |store: &Store| {
            vec![
                baskets(store, 30, 1_000_000, day(1, 20)),
                OrderLine::product(&rice, Decimal::from(10), Money(180_000), day(1, 20)),
            ]
        },
        5_000_000,
    );
    store
        .take_deposit(
            order.id,
            PaymentMethod::Cash,
            Money(12_000_000),
            "",
            "Lan",
            shop_time(),
        )
        .unwrap();
    store
        .deliver_order(
            order.id,
            &[(0, Decimal::from(8)), (1, Decimal::from(4))],
            "Mai",
            PaymentMethod::Cash,
            None,
            "Lan",
            None,
            at(day(1, 10)),
        )
        .unwrap();
    let before = store.reserved_stock().unwrap();
    let fish_sauce = product(&store, "8930100000018");
    assert_eq!(before.get(&fish_sauce.id), Some(&Decimal::from(22)));
    assert_eq!(before.get(&rice.id), Some(&Decimal::from(6)));
    let stock_before = product(&store, "8930100000018").stock;

    // 8 baskets and 4 rice = 8.720.000 ₫ came out of the 12 m deposit: 3.280.000 ₫ goes back.
    let (cancelled, refund) = store
        .cancel_order(
            order.id,
            "Công ty đổi kế hoạch",
            PaymentMethod::Cash,
            ocop_pos::core::audit::Actor {
                name: "Lan",
                approver: Some("Hùng"),
            },
            at(day(1, 12)),
        )
        .unwrap();
    assert_eq!(cancelled.status, OrderStatus::Cancelled);
    let refund = refund.expect("the unused deposit is paid back");
    assert_eq!(refund.amount, Money(3_280_000));
    assert_eq!(refund.number, "PC2027-AA-000001");
    assert!(store.reserved_stock().unwrap().is_empty());
    // What was delivered stays sold: no stock comes back.
    assert_eq!(product(&store, "8930100000018").stock, stock_before);
    assert_eq!(cancelled.lines[0].delivered, Decimal::from(8));
    assert_eq!(
        store.customer_balance(company.id).unwrap().balance(),
        Money::ZERO
    );
    // A cancelled order takes no more deliveries or deposits.
    assert_eq!(
        order_refusal(store.take_deposit(
            order.id,
            PaymentMethod::Cash,
            Money(1),
            "",
            "Lan",
            at(day(1, 12))
        )),
        OrderError::NotOpen(OrderStatus::Cancelled)
    );
}

#[test]
fn over_the_credit_limit_is_refused_unless_a_manager_approves() {
    let (_dir, mut store, company) = tet_store();
    store
        .set_credit_terms(
            company.id,
            CreditTerms {
                limit: Money(2_000_000),
                days: 15,
            },
            "Hùng",
            shop_time(),
        )
        .unwrap();
    let pack = store.gift_packs(shop_time()).unwrap().remove(0);
    let mut cart = Cart::default();
    cart.add_basket(pack.cart_line()).unwrap();
    cart.add_basket(pack.cart_line()).unwrap();
    cart.buyer = company.invoice_buyer();
    let on_account = |cart: &Cart| {
        SaleDraft::new(
            cart,
            vec![Tender {
                method: PaymentMethod::OnAccount,
                amount: cart.totals().total,
                reference: None,
            }],
            "Lan",
        )
        .unwrap()
    };
    // Two baskets: 2.200.000 ₫ over a 2.000.000 ₫ limit.
    let sales_before = store.sale_count().unwrap();
    assert_eq!(
        order_refusal(store.commit_sale(&on_account(&cart), shop_time())),
        OrderError::OverCreditLimit {
            limit: Money(2_000_000),
            owed: Money::ZERO,
            asked: Money(2_200_000)
        }
    );
    assert_eq!(store.sale_count().unwrap(), sales_before, "nothing written");
    let sale = store
        .commit_sale_approving_credit(&on_account(&cart), "Trần Văn Hùng", shop_time())
        .unwrap();
    assert_eq!(
        store.customer_balance(company.id).unwrap().balance(),
        Money(2_200_000)
    );
    let audit = store
        .audit_entries(&ocop_pos::store::AuditFilter {
            act: Some(ocop_pos::core::audit::AuditAct::OverCreditLimit),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].approver.as_deref(), Some("Trần Văn Hùng"));
    assert!(audit[0].subject.contains(&sale.receipt_no));
    // Within the limit after a payment: no approval needed.
    store
        .receive_account_payment(
            company.id,
            PaymentMethod::Transfer,
            Money(2_200_000),
            "",
            None,
            "Lan",
            shop_time(),
        )
        .unwrap();
    let mut one = Cart::default();
    one.add_basket(pack.cart_line()).unwrap();
    one.buyer = company.invoice_buyer();
    store.commit_sale(&on_account(&one), shop_time()).unwrap();
    // A consumer, or a person, never buys on account.
    let mut anonymous = one.clone();
    anonymous.buyer = None;
    assert_eq!(
        order_refusal(store.commit_sale_approving_credit(
            &on_account(&anonymous),
            "Hùng",
            shop_time()
        )),
        OrderError::OnAccountCompaniesOnly
    );
}

#[test]
fn a_deposit_counts_once_in_the_daily_report_not_again_as_a_sale() {
    let (_dir, mut store, company) = tet_store();
    let order = order_of(
        &mut store,
        &company,
        |store: &Store| vec![baskets(store, 5, 1_000_000, day(1, 20))],
        3_000_000,
    );
    let deposit_day = day(12, 10);
    store
        .take_deposit(
            order.id,
            PaymentMethod::Cash,
            Money(3_000_000),
            "",
            "Lan",
            at(deposit_day),
        )
        .unwrap();
    let delivery_day = day(1, 15);
    store
        .deliver_order(
            order.id,
            &[(0, Decimal::from(5))],
            "Mai",
            PaymentMethod::Cash,
            None,
            "Lan",
            None,
            at(delivery_day),
        )
        .unwrap();
    let first = store.day_summary(Period::day(deposit_day)).unwrap();
    assert_eq!(first.sales_total, Money::ZERO);
    assert_eq!(first.customer_money.deposits_taken(), Money(3_000_000));
    let second = store.day_summary(Period::day(delivery_day)).unwrap();
    assert_eq!(second.sales_total, Money(5_000_000));
    assert_eq!(second.customer_money.deposits_applied, Money(3_000_000));
    assert_eq!(second.customer_money.deposits_taken(), Money::ZERO);
    let cash = |summary: &ocop_pos::core::report::DaySummary| {
        summary
            .takings
            .iter()
            .find(|(m, _)| *m == PaymentMethod::Cash)
            .map_or(Money::ZERO, |(_, amount)| *amount)
    };
    assert_eq!(
        cash(&second),
        Money(2_000_000),
        "only the rest was cash that day"
    );
    // Over both days the money received is the order's price, once.
    let both = store
        .day_summary(Period {
            from: deposit_day,
            to: delivery_day,
        })
        .unwrap();
    let received: Money =
        both.takings.iter().map(|(_, m)| *m).sum::<Money>() + both.customer_money.received(None);
    assert_eq!(received, Money(5_000_000));
    assert_eq!(both.sales_total, Money(5_000_000));
}

#[test]
fn a_persons_data_needs_consent_and_is_erased_on_request_keeping_the_sales() {
    let (_dir, mut store, _company) = tet_store();
    let draft = PersonDraft {
        name: "Lê Văn An".into(),
        phone: "+84 912 345 678".into(),
        id_number: "036204001234".into(),
        address: "Phú Quốc".into(),
        notes: "Mua giỏ Tết hằng năm".into(),
        consent_given: false,
    };
    assert_eq!(
        order_refusal(store.save_person(&draft, None, "Lan", shop_time())),
        OrderError::Customer(CustomerError::ConsentRequired)
    );
    let person = store
        .save_person(
            &PersonDraft {
                consent_given: true,
                ..draft.clone()
            },
            None,
            "Lan",
            shop_time(),
        )
        .unwrap();
    assert_eq!(person.phone, "0912345678");
    assert_eq!(person.consent.as_ref().unwrap().recorded_by, "Lan");
    // A second person with the same phone is refused.
    assert_eq!(
        order_refusal(store.save_person(
            &PersonDraft {
                name: "Người khác".into(),
                consent_given: true,
                ..draft.clone()
            },
            None,
            "Lan",
            shop_time()
        )),
        OrderError::Customer(CustomerError::PhoneTaken("0912345678".into()))
    );
    // Picked by phone at the counter, the sale is theirs.
    let mut cart = Cart::default();
    cart.add_product(&product(&store, "8930100000018"), Decimal::ONE)
        .unwrap();
    cart.buyer = Some(InvoiceBuyer::Person {
        name: person.name.clone(),
        id_number: String::new(),
        phone: "0912 345 678".into(),
        address: String::new(),
    });
    let sale = common::sell_for_exact_cash(&mut store, &cart, shop_time()).unwrap();
    assert_eq!(
        store
            .day_purchases(person.id, common::shop_time().date_naive())
            .unwrap(),
        sale.draft.total
    );
    let order = order_of(
        &mut store,
        &person,
        |store: &Store| vec![baskets(store, 1, 1_100_000, day(1, 20))],
        0,
    );
    assert_eq!(
        order_refusal(store.erase_person(person.id, "Hùng", shop_time())),
        OrderError::Customer(CustomerError::OpenOrders(vec![order.number.clone()]))
    );
    store
        .deliver_order(
            order.id,
            &[(0, Decimal::ONE)],
            "An",
            PaymentMethod::Cash,
            None,
            "Lan",
            None,
            at(day(1, 2)),
        )
        .unwrap();
    store
        .erase_person(person.id, "Hùng", at(day(1, 3)))
        .unwrap();
    let erased = store.customer(person.id).unwrap();
    assert!(erased.erased);
    // Audited by the record's number, with none of the data erased.
    let audit = store
        .audit_entries(&ocop_pos::store::AuditFilter {
            act: Some(ocop_pos::core::audit::AuditAct::EraseCustomer),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor, "Hùng");
    let row = format!(
        "{} {} {}",
        audit[0].subject, audit[0].before, audit[0].after
    );
    assert!(
        !row.contains("Lê Văn An") && !row.contains("0912345678"),
        "{row}"
    );
    assert_eq!(
        (
            erased.name.as_str(),
            erased.phone.as_str(),
            erased.id_number.as_str()
        ),
        ("", "", "")
    );
    assert!(
        store
            .find_customer("0912345678", shop_time())
            .unwrap()
            .is_none()
    );
    let kept = store.order(&order.number).unwrap().unwrap();
    assert_eq!(kept.delivery_address, "");
    assert_eq!(kept.lines[0].card_message, "");
    assert_eq!(kept.deliveries[0].receiver, "");
    // The sales stay, and so do the chains.
    assert!(
        store
            .sale_by_receipt_no(&sale.receipt_no)
            .unwrap()
            .is_some()
    );
    assert_eq!(kept.delivered_total(), Money(1_100_000));
    store.verify_chains(at(day(1, 3))).unwrap();
    assert!(store.unacknowledged_breaks().unwrap().is_empty());
    // The phone is free for someone else now.
    store
        .save_person(
            &PersonDraft {
                name: "Người khác".into(),
                consent_given: true,
                ..draft
            },
            None,
            "Lan",
            at(day(1, 4)),
        )
        .unwrap();
}

#[test]
fn a_sale_still_owed_on_account_gives_back_no_more_than_was_paid() {
    let (_dir, mut store, company) = tet_store();
    store
        .set_credit_terms(
            company.id,
            CreditTerms {
                limit: Money(10_000_000),
                days: 30,
            },
            "Hùng",
            shop_time(),
        )
        .unwrap();
    let mut cart = Cart::default();
    cart.add_product(&product(&store, "8930100000018"), Decimal::from(4))
        .unwrap();
    cart.buyer = company.invoice_buyer();
    let total = cart.totals().total;
    assert_eq!(total, Money(660_000));
    let draft = SaleDraft::new(
        &cart,
        vec![Tender {
            method: PaymentMethod::OnAccount,
            amount: total,
            reference: None,
        }],
        "Lan",
    )
    .unwrap();
    let sale = store.commit_sale(&draft, shop_time()).unwrap();
    let refund = |store: &mut Store, count: i64| {
        store.commit_refund(
            &RefundRequest {
                receipt_no: sale.receipt_no.clone(),
                items: vec![RefundItem {
                    line_no: 0,
                    quantity: Decimal::from(count),
                }],
                method: PaymentMethod::Cash,
                restock: true,
                reason: "Khách trả hàng".into(),
                cashier: "Lan".into(),
                approver: Some("Hùng".into()),
            },
            shop_time(),
        )
    };
    // Nothing paid yet: no cash leaves the drawer for goods the company has not paid for.
    assert_eq!(
        order_refusal(refund(&mut store, 1)),
        OrderError::RefundBeyondPaid {
            owed: Money(660_000),
            most: Money::ZERO
        }
    );
    store
        .receive_account_payment(
            company.id,
            PaymentMethod::Transfer,
            Money(330_000),
            "",
            None,
            "Lan",
            shop_time(),
        )
        .unwrap();
    // Half paid: two of the four come back, a third does not.
    let first = refund(&mut store, 2).unwrap();
    assert_eq!(first.total, Money(330_000));
    assert_eq!(
        order_refusal(refund(&mut store, 1)),
        OrderError::RefundBeyondPaid {
            owed: Money(330_000),
            most: Money::ZERO
        }
    );
    // Paid in full, the rest may come back.
    store
        .receive_account_payment(
            company.id,
            PaymentMethod::Cash,
            Money(330_000),
            "",
            None,
            "Lan",
            shop_time(),
        )
        .unwrap();
    assert_eq!(refund(&mut store, 2).unwrap().total, Money(330_000));
    assert_eq!(
        store.customer_balance(company.id).unwrap().balance(),
        Money::ZERO
    );
}

#[test]
fn a_deposit_pays_only_its_own_orders_deliveries_and_no_further_than_it_goes() {
    let (_dir, mut store, company) = tet_store();
    let order = order_of(
        &mut store,
        &company,
        |store: &Store| vec![baskets(store, 10, 1_000_000, day(1, 20))],
        2_000_000,
    );
    store
        .take_deposit(
            order.id,
            PaymentMethod::Cash,
            Money(2_000_000),
            "",
            "Lan",
            shop_time(),
        )
        .unwrap();
    let sales_before = store.sale_count().unwrap();
    // A counter sale cannot claim to be paid from a deposit.
    let mut cart = Cart::default();
    cart.add_product(&product(&store, "8930100000018"), Decimal::ONE)
        .unwrap();
    cart.buyer = company.invoice_buyer();
    let from_deposit = SaleDraft::new(
        &cart,
        vec![Tender {
            method: PaymentMethod::Deposit,
            amount: cart.totals().total,
            reference: None,
        }],
        "Lan",
    )
    .unwrap();
    assert_eq!(
        order_refusal(store.commit_sale(&from_deposit, shop_time())),
        OrderError::DepositNeedsOrder
    );
    // A delivery's rest is not "from the deposit" beyond the 2 m held.
    assert_eq!(
        order_refusal(store.deliver_order(
            order.id,
            &[(0, Decimal::from(5))],
            "Mai",
            PaymentMethod::Deposit,
            None,
            "Lan",
            None,
            at(day(1, 10)),
        )),
        OrderError::RestNotPayable
    );
    // Nor is a line delivered twice over by naming it twice.
    assert_eq!(
        order_refusal(store.deliver_order(
            order.id,
            &[(0, Decimal::from(6)), (0, Decimal::from(6))],
            "Mai",
            PaymentMethod::Cash,
            None,
            "Lan",
            None,
            at(day(1, 10)),
        )),
        OrderError::QuantityNotValid(1)
    );
    assert_eq!(store.sale_count().unwrap(), sales_before, "nothing sold");
    let unchanged = store.order(&order.number).unwrap().unwrap();
    assert_eq!(unchanged.unused_deposit(), Money(2_000_000));
    assert_eq!(unchanged.lines[0].delivered, Decimal::ZERO);
}
