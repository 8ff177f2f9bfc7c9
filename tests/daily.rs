//! Daily figures, cash sessions and producer statements, against a real SQLite file.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{demo_store, shop_time};
use ocop_pos::core::cart::{Cart, Discount};
use ocop_pos::core::cash::{CashError, CashMoveKind, NoteCount};
use ocop_pos::core::clock::local_date;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::reduction::{Reduction, ReductionKind};
use ocop_pos::core::refund::{RefundError, RefundItem, RefundRecord, RefundRequest};
use ocop_pos::core::report::Period;
use ocop_pos::core::sale::{SaleDraft, SaleRecord};
use ocop_pos::core::staff::{Role, StaffMember};
use ocop_pos::core::vat::{VatBucket, net_of_refunds, vat_breakdown};
use ocop_pos::store::{CartEvent, SESSION_POLICY_SETTING, Store, StoreError};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn tender(method: PaymentMethod, amount: Money) -> Tender {
    Tender {
        method,
        amount,
        reference: None,
    }
}

/// Rings up `picks` (catalogue position, quantity) paid with `split` of the total by card and
/// the rest in cash with `extra_cash` over.
fn sell(
    store: &mut Store,
    picks: &[(usize, i64)],
    split: (i64, i64),
    extra_cash: i64,
    at: DateTime<Utc>,
) -> SaleRecord {
    let catalogue = store.catalogue(at).unwrap();
    let mut cart = Cart::default();
    for &(pick, quantity) in picks {
        let product = &catalogue[pick % catalogue.len()];
        let quantity = if product.sold_by_weight {
            Decimal::new(quantity * 300, 3)
        } else {
            Decimal::from(quantity)
        };
        cart.add_product(product, quantity).unwrap();
    }
    let total = cart.totals().total;
    let card = Money(total.dong() * split.0.min(split.1) / split.1);
    let cash = total - card + Money(extra_cash);
    let tenders: Vec<Tender> = [(PaymentMethod::Card, card), (PaymentMethod::Cash, cash)]
        .into_iter()
        .filter(|(_, amount)| *amount > Money::ZERO)
        .map(|(method, amount)| tender(method, amount))
        .collect();
    let draft = SaleDraft::new(&cart, tenders, "Lan").unwrap();
    store.commit_sale(&draft, at).unwrap()
}

fn refund_first_line(
    store: &mut Store,
    sale: &SaleRecord,
    method: PaymentMethod,
    at: DateTime<Utc>,
) -> RefundRecord {
    let request = RefundRequest {
        receipt_no: sale.receipt_no.clone(),
        items: vec![RefundItem {
            line_no: 0,
            quantity: sale.draft.lines[0].quantity,
        }],
        method,
        restock: true,
        reason: "khách đổi ý".into(),
        cashier: "Lan".into(),
        approver: None,
    };
    store.commit_refund(&request, at).unwrap()
}

fn sum_vat(buckets: impl Iterator<Item = VatBucket>) -> Vec<VatBucket> {
    let all: Vec<VatBucket> = buckets.collect();
    net_of_refunds(&all, &[])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Every figure of a day equals the same figure summed over that day's receipts and refunds.
    #[test]
    fn daily_figures_equal_the_sum_over_receipts(
        sales in prop::collection::vec((
            prop::collection::vec((0usize..42, 1i64..4), 1..5),
            (0i64..3, 1i64..3),
            0i64..100_000,
            0i64..72 * 60,
            prop::option::of((0usize..3, 0i64..24 * 60)),
            prop::option::of(0u32..30),
        ), 1..14),
    ) {
        let (_dir, mut store) = demo_store();
        let start = shop_time(); // 26 Nov 2026, 10:00 local, when the demo was seeded
        let mut receipts = Vec::new();
        let mut refunds = Vec::new();
        for (picks, split, extra, minute, refund, percent) in &sales {
            let at = start + Duration::minutes(*minute);
            let mut sale = sell(&mut store, picks, *split, *extra, at);
            if let Some(percent) = percent {
                // A discounted sale: ring it up again with an order discount.
                let catalogue = store.catalogue(at).unwrap();
                let mut cart = Cart::default();
                let product = &catalogue[picks[0].0 % catalogue.len()];
                let quantity = if product.sold_by_weight { Decimal::ONE } else { Decimal::from(2) };
                cart.add_product(product, quantity).unwrap();
                cart.set_order_discount(Discount::Percent(Decimal::from(*percent))).unwrap();
                let total = cart.totals().total;
                let draft = SaleDraft::new(&cart, vec![tender(PaymentMethod::Transfer, total)], "Lan").unwrap();
                receipts.push(store.commit_sale(&draft, at).unwrap());
            }
            if let Some((method, later)) = refund {
                let when = at + Duration::minutes(*later);
                refunds.push(refund_first_line(&mut store, &sale, PaymentMethod::ALL[*method], when));
            }
            sale.draft.cashier = "Lan".into();
            receipts.push(sale);
        }
        for offset in 0..4 {
            let day = local_date(start) + Duration::days(offset);
            let summary = store.day_summary(Period::day(day)).unwrap();
            let day_sales: Vec<&SaleRecord> = receipts.iter().filter(|s| local_date(s.sold_at) == day).collect();
            let day_refunds: Vec<&RefundRecord> = refunds.iter().filter(|r| local_date(r.refunded_at) == day).collect();
            prop_assert_eq!(summary.sales_count, day_sales.len() as i64);
            prop_assert_eq!(summary.gross, day_sales.iter().map(|s| s.draft.gross).sum::<Money>());
            prop_assert_eq!(summary.discounts, day_sales.iter().map(|s| s.draft.discounts).sum::<Money>());
            let sales_total: Money = day_sales.iter().map(|s| s.draft.total).sum();
            prop_assert_eq!(summary.sales_total, sales_total);
            let refunded: Money = day_refunds.iter().map(|r| r.total).sum();
            prop_assert_eq!(summary.refunds, refunded);
            prop_assert_eq!(summary.net, sales_total - refunded);
            let sales_vat = sum_vat(day_sales.iter().flat_map(|s| s.draft.vat.clone()));
            let refund_vat = sum_vat(day_refunds.iter().flat_map(|r| r.vat.clone()));
            prop_assert_eq!(&summary.vat, &net_of_refunds(&sales_vat, &refund_vat));
            prop_assert_eq!(summary.vat.iter().map(|b| b.gross).sum::<Money>(), summary.net);
            let mut takings: BTreeMap<&str, Money> = BTreeMap::new();
            for sale in &day_sales {
                for t in &sale.draft.tenders {
                    *takings.entry(t.method.code()).or_default() += t.amount;
                }
                *takings.entry("cash").or_default() -= sale.draft.change;
            }
            for refund in &day_refunds {
                *takings.entry(refund.method.code()).or_default() -= refund.total;
            }
            for (method, amount) in &summary.takings {
                prop_assert_eq!(*amount, takings.get(method.code()).copied().unwrap_or_default());
            }
            prop_assert_eq!(summary.takings.iter().map(|(_, a)| *a).sum::<Money>(), summary.net);
            prop_assert_eq!(summary.by_hour.iter().copied().sum::<Money>(), sales_total);
            for breakdown in [&summary.by_producer, &summary.by_group, &summary.by_stars] {
                prop_assert_eq!(breakdown.iter().map(|t| t.amount).sum::<Money>(), summary.net);
            }
            // Settlement reconciles: all producers' statements add up to the day's net.
            let statements: Money = store
                .producers()
                .unwrap()
                .iter()
                .map(|p| store.producer_statement(p.id, Period::day(day)).unwrap().net())
                .sum();
            prop_assert_eq!(statements, summary.net);
        }
    }
}

#[test]
fn days_turn_at_local_midnight() {
    let (_dir, mut store) = demo_store();
    // 23:59:59 on 26 Nov in Vietnam is 16:59:59 UTC; one second later it is 27 Nov.
    let last_second = Utc.with_ymd_and_hms(2026, 11, 26, 16, 59, 59).unwrap();
    let late = sell(&mut store, &[(0, 1)], (0, 1), 0, last_second);
    let early = sell(
        &mut store,
        &[(1, 1)],
        (0, 1),
        0,
        last_second + Duration::seconds(1),
    );
    let day = |d| Period::day(chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap());
    let on_26 = store.day_summary(day(26)).unwrap();
    let on_27 = store.day_summary(day(27)).unwrap();
    assert_eq!(
        (on_26.sales_count, on_26.sales_total),
        (1, late.draft.total)
    );
    assert_eq!(
        (on_27.sales_count, on_27.sales_total),
        (1, early.draft.total)
    );
    assert_eq!(on_26.by_hour[23], late.draft.total);
    assert_eq!(on_27.by_hour[0], early.draft.total);
    let both = Period {
        from: day(26).from,
        to: day(27).to,
    };
    assert_eq!(store.day_summary(both).unwrap().sales_count, 2);
}

#[test]
fn closing_counts_cash_exactly_and_happens_once() {
    let (_dir, mut store) = demo_store();
    let at = shop_time();
    let session = store
        .open_cash_session(Money(1_000_000), "Hùng", at)
        .unwrap();
    assert!(matches!(
        store.open_cash_session(Money(0), "Hùng", at),
        Err(StoreError::Cash(CashError::AlreadyOpen))
    ));
    // 165.000 ₫ fish sauce paid with 200.000 ₫ cash: 165.000 ₫ stays in the drawer.
    let sale = sell(
        &mut store,
        &[(0, 1)],
        (0, 1),
        35_000,
        at + Duration::minutes(5),
    );
    assert_eq!(sale.draft.change, Money(35_000));
    store
        .record_cash_move(
            CashMoveKind::Out,
            Money(50_000),
            "mua túi nilon",
            "Hùng",
            at + Duration::minutes(10),
        )
        .unwrap();
    store
        .record_cash_move(
            CashMoveKind::In,
            Money(20_000),
            "đổi tiền lẻ",
            "Hùng",
            at + Duration::minutes(11),
        )
        .unwrap();
    refund_first_line(
        &mut store,
        &sale,
        PaymentMethod::Cash,
        at + Duration::minutes(20),
    );
    let mut cart = Cart::default();
    let lan = StaffMember {
        id: 2,
        name: "Lan".into(),
        role: Role::Cashier,
    };
    store
        .save_cart_change(
            &mut cart,
            &CartEvent::Reduced(Reduction {
                kind: ReductionKind::LineRemoved,
                subject: "Tiêu xay x1".into(),
                before: Money(55_000),
                after: Money::ZERO,
            }),
            Some(&lan),
            None,
            at + Duration::minutes(21),
        )
        .unwrap();

    let figures = store.session_figures(session.id).unwrap();
    let expected = Money(1_000_000 + 165_000 - 50_000 + 20_000 - 165_000);
    assert_eq!(figures.expected_cash(session.opening_float), expected);
    assert_eq!(
        (figures.refunds_count, figures.refunds),
        (1, Money(165_000))
    );
    assert_eq!((figures.voids_count, figures.voids), (1, Money(55_000)));

    // Counted 500 đ short: refused without a note, and nothing is closed or numbered.
    let mut counts = NoteCount::default();
    counts.set(500_000, 1).unwrap();
    counts.set(200_000, 2).unwrap();
    counts.set(50_000, 1).unwrap();
    counts.set(10_000, 1).unwrap();
    counts.set(5_000, 1).unwrap();
    counts.set(2_000, 2).unwrap();
    counts.set(500, 1).unwrap();
    assert_eq!(counts.total(), expected - Money(500));
    let refused =
        store.close_cash_session(session.id, &counts, "  ", "Hùng", at + Duration::hours(8));
    assert!(matches!(
        refused,
        Err(StoreError::Cash(CashError::NoteRequired {
            difference: Money(-500)
        }))
    ));
    assert!(store.current_cash_session().unwrap().is_some());

    let report = store
        .close_cash_session(
            session.id,
            &counts,
            "thiếu 500 đ tiền lẻ",
            "Hùng",
            at + Duration::hours(8),
        )
        .unwrap();
    let closing = report.session.closing.as_ref().unwrap();
    assert_eq!(closing.z_number, "Z2026-AA-0001");
    assert_eq!(closing.expected, expected);
    assert_eq!(closing.counted, expected - Money(500));
    assert_eq!(closing.difference(), Money(-500));
    assert_eq!(store.z_report("Z2026-AA-0001").unwrap().unwrap(), report);

    // Frozen: a second close is refused and changes nothing; no cash moves without a session.
    let again = store.close_cash_session(
        session.id,
        &NoteCount::default(),
        "x",
        "Hùng",
        at + Duration::hours(9),
    );
    assert!(matches!(
        again,
        Err(StoreError::Cash(CashError::AlreadyClosed))
    ));
    assert_eq!(store.z_report("Z2026-AA-0001").unwrap().unwrap(), report);
    assert!(matches!(
        store.record_cash_move(
            CashMoveKind::In,
            Money(1),
            "x",
            "Hùng",
            at + Duration::hours(9)
        ),
        Err(StoreError::Cash(CashError::NoOpenSession))
    ));
    let raw = rusqlite::Connection::open(store.path()).unwrap();
    assert!(
        raw.execute("UPDATE cash_sessions SET counted_cash = 0", [])
            .is_err()
    );
}

#[test]
fn selling_without_a_session_is_refused_when_the_store_requires_one() {
    let (_dir, mut store) = demo_store();
    store
        .set_setting(SESSION_POLICY_SETTING, "require")
        .unwrap();
    let catalogue = store.catalogue(shop_time()).unwrap();
    let mut cart = Cart::default();
    cart.add_product(&catalogue[0], Decimal::ONE).unwrap();
    let draft = SaleDraft::new(
        &cart,
        vec![tender(PaymentMethod::Cash, Money(165_000))],
        "Lan",
    )
    .unwrap();
    let refused = store.commit_sale(&draft, shop_time());
    assert!(matches!(
        refused,
        Err(StoreError::Cash(CashError::NoOpenSession))
    ));
    assert_eq!(store.sale_count().unwrap(), 0);
    assert_eq!(store.last_receipt_number(2026).unwrap(), 0);

    store
        .open_cash_session(Money(500_000), "Hùng", shop_time())
        .unwrap();
    let sale = store.commit_sale(&draft, shop_time()).unwrap();
    assert_eq!(sale.receipt_no, "2026-AA-000001");
}

#[test]
fn refunds_never_exceed_what_was_sold() {
    let (_dir, mut store) = demo_store();
    let sale = sell(&mut store, &[(0, 3)], (0, 1), 0, shop_time());
    let request = |quantity: i64| RefundRequest {
        receipt_no: sale.receipt_no.clone(),
        items: vec![RefundItem {
            line_no: 0,
            quantity: Decimal::from(quantity),
        }],
        method: PaymentMethod::Cash,
        restock: true,
        reason: String::new(),
        cashier: "Lan".into(),
        approver: None,
    };
    let first = store.commit_refund(&request(2), shop_time()).unwrap();
    assert_eq!(first.refund_no, "TH2026-AA-000001");
    assert!(matches!(
        store.commit_refund(&request(2), shop_time()),
        Err(StoreError::Refund(RefundError::MoreThanSold {
            line_no: 0,
            ..
        }))
    ));
    let last = store.commit_refund(&request(1), shop_time()).unwrap();
    assert_eq!(first.total + last.total, sale.draft.lines[0].total);
    assert_eq!(
        last.vat,
        vat_breakdown([(sale.draft.lines[0].vat, last.total)])
    );
    let fish = store
        .product_by_id(sale.draft.lines[0].product_id, shop_time())
        .unwrap()
        .unwrap();
    assert_eq!(fish.stock, Decimal::from(48));
    assert!(store.stock_mismatches().unwrap().is_empty());
}

#[test]
fn a_consignment_producer_is_paid_net_of_commission() {
    let (_dir, mut store) = demo_store();
    // KG016, dried shrimp from a household business (consignment at 15 % in the demo).
    let shrimp = store
        .product_by_barcode("8930101000161", shop_time())
        .unwrap()
        .unwrap();
    let catalogue = store.catalogue(shop_time()).unwrap();
    let position = catalogue.iter().position(|p| p.id == shrimp.id).unwrap();
    let sale = sell(&mut store, &[(position, 2)], (0, 1), 0, shop_time());
    assert_eq!(sale.draft.total, Money(700_000));
    let producer = store
        .producers()
        .unwrap()
        .into_iter()
        .find(|p| p.name == shrimp.producer)
        .unwrap();
    let statement = store
        .producer_statement(producer.id, Period::day(local_date(shop_time())))
        .unwrap();
    assert!(statement.producer.consignment);
    assert_eq!(statement.lines.len(), 1);
    assert_eq!(statement.lines[0].sold, Decimal::from(2));
    assert_eq!(statement.net(), Money(700_000));
    assert_eq!(statement.commission(), Money(105_000));
    assert_eq!(statement.payable(), Money(595_000));
}
