//! A refund at counter AB of a sale sold (and invoiced) at counter AA: the shop is the seller,
//! so AB issues the adjustment invoice (TCHDon 2) in its own series, referring to AA's invoice
//! as synced, with exactly the lines and VAT a local sale's adjustment would have, and queues
//! it for the tax authority. Two data folders exchanging events files, as `events export` /
//! `events import` do.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{DEMO_PRODUCTS, events_file, sell_for_exact_cash, shop_time, text_of};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::delivery::Destination;
use ocop_pos::core::einvoice::{EInvoice, InvoiceSettings};
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::refund::{RefundError, RefundItem, RefundRecord, RefundRequest};
use ocop_pos::core::sale::SaleRecord;
use ocop_pos::print::refund_pdf;
use ocop_pos::store::{
    AUTO_OPEN_SESSIONS, DATABASE_FILE, Outbox, SESSION_POLICY_SETTING, Store, StoreError,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use tempfile::TempDir;

const PRODUCTS: [&str; 3] = ["KG001", "KG004", "KG005"];

/// A registered shop (not the demo's registration, whose invoices are never sent), each
/// counter invoicing in a series of its own.
fn registered() -> InvoiceSettings {
    InvoiceSettings {
        seller_tax_code: "0100112437".into(),
        authority_code: "K7Q2M".into(),
        ..InvoiceSettings::demo()
    }
}

struct Counter {
    dir: TempDir,
    store: Store,
}

/// Counter AA (the catalogue node) and counter AB, which took AA's catalogue.
fn counters() -> (Counter, Counter) {
    let aa_dir = tempfile::tempdir().unwrap();
    let mut aa = Store::open_in(aa_dir.path()).unwrap();
    aa.seed_demo(DEMO_PRODUCTS, shop_time()).unwrap();
    let ab_dir = tempfile::tempdir().unwrap();
    let mut ab = Store::open_in(ab_dir.path()).unwrap();
    ab.set_node_identity(None, Some("AB"), None).unwrap();
    ab.apply_events(&aa.events_after(0, usize::MAX).unwrap())
        .unwrap();
    for store in [&mut aa, &mut ab] {
        store.save_invoice_settings(&registered()).unwrap();
        store.set_invoice_series_per_node(true).unwrap();
        store
            .set_setting(SESSION_POLICY_SETTING, AUTO_OPEN_SESSIONS)
            .unwrap();
    }
    (
        Counter {
            dir: aa_dir,
            store: aa,
        },
        Counter {
            dir: ab_dir,
            store: ab,
        },
    )
}

fn carry(from: &Counter, to: &mut Counter) {
    to.store.apply_events(&events_file(&from.store)).unwrap();
}

fn sell(counter: &mut Counter, quantities: &[u32], at: DateTime<Utc>) -> SaleRecord {
    let catalogue = counter.store.catalogue(at).unwrap();
    let mut cart = Cart::default();
    for (sku, quantity) in PRODUCTS.iter().zip(quantities) {
        let product = catalogue.iter().find(|p| p.sku == *sku).unwrap();
        cart.add_product(product, Decimal::from(*quantity)).unwrap();
    }
    sell_for_exact_cash(&mut counter.store, &cart, at).unwrap()
}

fn refund(
    counter: &mut Counter,
    receipt_no: &str,
    items: &[(usize, u32)],
    at: DateTime<Utc>,
) -> Result<RefundRecord, StoreError> {
    let request = RefundRequest {
        receipt_no: receipt_no.to_string(),
        items: items
            .iter()
            .filter(|(_, quantity)| *quantity > 0)
            .map(|(line_no, quantity)| RefundItem {
                line_no: *line_no,
                quantity: Decimal::from(*quantity),
            })
            .collect(),
        method: PaymentMethod::Cash,
        restock: true,
        reason: "khách đổi ý".into(),
        cashier: "Lan".into(),
        approver: Some("Hùng".into()),
    };
    counter.store.commit_refund(&request, at)
}

fn invoice_of(sale: &SaleRecord) -> &EInvoice {
    sale.invoice
        .issued()
        .expect("a registered shop invoices its sales")
}

/// What an adjustment says, apart from its own numbers and the invoice it names.
fn content(adjustment: &EInvoice) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        &adjustment.lines,
        &adjustment.vat,
        adjustment.total,
        &adjustment.buyer,
        &adjustment.payment_methods,
    )
}

#[test]
fn ab_adjusts_the_invoice_aa_issued_for_the_sale_it_refunds() {
    let (mut aa, mut ab) = counters();
    let sold = sell(&mut aa, &[3, 2, 1], shop_time());
    let original = invoice_of(&sold).clone();
    assert_eq!(original.numbers.series, "C26MAA");
    carry(&aa, &mut ab);

    let at = shop_time() + Duration::hours(2);
    let given_back = refund(&mut ab, &sold.receipt_no, &[(0, 1), (2, 1)], at).unwrap();
    let adjustment = given_back
        .adjustment
        .clone()
        .expect("AB adjusts AA's invoice");

    // AB's own series and counters: its first invoice, its own MCCQT.
    assert_eq!(adjustment.numbers.series, "C26MAB");
    assert_eq!(adjustment.numbers.number, 1);
    assert_eq!(
        ab.store.einvoice_numbers(1, "C26MAB").unwrap(),
        [1],
        "AB's series stays gapless"
    );
    assert_eq!(
        ab.store
            .last_invoice_counter("mccqt:0100112437", 2026)
            .unwrap(),
        1,
        "AB's MCCQT counter took it"
    );
    assert!(
        adjustment
            .numbers
            .authority_code
            .as_deref()
            .is_some_and(|code| code.ends_with("-00000000001")),
        "{:?}",
        adjustment.numbers.authority_code
    );

    // The XML refers to AA's invoice: adjusting (2), its template, series, number, date.
    let xml = ab
        .store
        .einvoice_xml(&adjustment.reference())
        .unwrap()
        .unwrap();
    let related = format!(
        "<TTHDLQuan><TCHDon>2</TCHDon><LHDCLQuan>1</LHDCLQuan><KHMSHDCLQuan>1</KHMSHDCLQuan>\
         <KHHDCLQuan>C26MAA</KHHDCLQuan><SHDCLQuan>{}</SHDCLQuan>\
         <NLHDCLQuan>2026-11-26</NLHDCLQuan>",
        original.numbers.number
    );
    assert!(xml.contains(&related), "{xml}");
    assert!(xml.contains("<KHHDon>C26MAB</KHHDon>"), "{xml}");

    // The amounts add up: minus what was given back, VAT per rate as the refund's.
    assert_eq!(adjustment.total, -given_back.total);
    let vat_gross: Money = adjustment.vat.iter().map(|bucket| bucket.gross).sum();
    assert_eq!(vat_gross, -given_back.total);
    for (bucket, refunded) in adjustment.vat.iter().zip(&given_back.vat) {
        assert_eq!(
            (bucket.rate, bucket.pre_vat, bucket.vat),
            (refunded.rate, -refunded.pre_vat, -refunded.vat)
        );
        let lines: Money = adjustment
            .lines
            .iter()
            .filter(|line| line.vat == bucket.rate)
            .map(|line| line.amount)
            .sum();
        assert_eq!(lines, bucket.pre_vat, "rows of a rate add up to its amount");
    }
    assert!(
        adjustment
            .lines
            .iter()
            .all(|line| line.quantity < Decimal::ZERO)
    );

    // Exactly what AA would have issued for the same refund of its own sale.
    let local = refund(&mut aa, &sold.receipt_no, &[(0, 1), (2, 1)], at)
        .unwrap()
        .adjustment
        .unwrap();
    assert_eq!(content(&local), content(&adjustment));
    assert_eq!(local.related, adjustment.related);

    // It goes out through AB's sending queue like any invoice of AB's.
    let outbox = Outbox::open(&ab.dir.path().join(DATABASE_FILE)).unwrap();
    let queued = outbox
        .next_batch(Destination::TaxAuthority, 10, None)
        .unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(
        (queued[0].series.as_str(), queued[0].number, &queued[0].xml),
        ("C26MAB", 1, &xml)
    );

    // The refund slip names the adjustment and AA's invoice, as a local refund's does.
    let slip = common::flowing(&text_of(&refund_pdf(
        &ab.store.shop_settings().unwrap(),
        &given_back,
        &ab.store
            .sale_by_receipt_no(&sold.receipt_no)
            .unwrap()
            .unwrap(),
    )));
    common::assert_contains(&slip, "HÓA ĐƠN ĐIỀU CHỈNH GIẢM");
    common::assert_contains(&slip, "1C26MAB");
    common::assert_contains(
        &slip,
        &format!(
            "Điều chỉnh cho hóa đơn 1C26MAA số {:08} ngày 26/11/2026, mã CQT {}",
            original.numbers.number,
            original.numbers.authority_code.as_deref().unwrap()
        ),
    );
    assert_eq!(
        adjustment.related.as_ref().unwrap().authority_code,
        original.numbers.authority_code,
        "AA's MCCQT kept with the reference"
    );
    drop(aa.dir);
}

#[test]
fn a_sale_sold_before_the_shop_was_registered_gets_no_adjustment_at_another_counter() {
    let (mut aa, mut ab) = counters();
    aa.store
        .save_invoice_settings(&InvoiceSettings::default())
        .unwrap();
    let sold = sell(&mut aa, &[1, 1, 1], shop_time());
    assert!(sold.invoice.issued().is_none());
    carry(&aa, &mut ab);

    let given_back = refund(
        &mut ab,
        &sold.receipt_no,
        &[(1, 1)],
        shop_time() + Duration::hours(1),
    )
    .unwrap();
    assert!(given_back.adjustment.is_none());
    assert!(ab.store.einvoice_numbers(1, "C26MAB").unwrap().is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// However a sale is given back across the two counters (AB, then AA, then AB again, each
    /// knowing the other's refunds by sync), AB's adjustments never take back more than AA's
    /// invoice holds, line by line and in all, and AB's series stays gapless.
    #[test]
    fn adjustments_at_ab_never_exceed_aas_invoice(
        sold in prop::collection::vec(1u32..4, 3),
        rounds in prop::collection::vec(prop::collection::vec(0u32..3, 3), 3),
    ) {
        let (mut aa, mut ab) = counters();
        let sale = sell(&mut aa, &sold, shop_time());
        let original = invoice_of(&sale).clone();
        carry(&aa, &mut ab);
        let mut adjustments: Vec<EInvoice> = Vec::new();
        for (round, quantities) in rounds.iter().enumerate() {
            let at = shop_time() + Duration::hours(round as i64 + 1);
            let items: Vec<(usize, u32)> = quantities.iter().copied().enumerate().collect();
            let at_ab = round % 2 == 0;
            let counter = if at_ab { &mut ab } else { &mut aa };
            match refund(counter, &sale.receipt_no, &items, at) {
                Ok(done) => {
                    if at_ab {
                        adjustments.push(done.adjustment.expect("AB adjusts"));
                    }
                }
                Err(StoreError::Refund(
                    RefundError::MoreThanSold { .. } | RefundError::NothingToRefund,
                )) => {}
                Err(other) => panic!("{other:?}"),
            }
            if at_ab { carry(&ab, &mut aa) } else { carry(&aa, &mut ab) }
        }
        let adjusted: Money = adjustments.iter().map(|a| -a.total).sum();
        prop_assert!(adjusted <= original.total);
        for line in &original.lines {
            let taken: Decimal = adjustments
                .iter()
                .flat_map(|a| &a.lines)
                .filter(|l| l.sku == line.sku)
                .map(|l| -l.quantity)
                .sum();
            prop_assert!(taken <= line.quantity, "{}: {taken} of {}", line.sku, line.quantity);
        }
        let numbers = ab.store.einvoice_numbers(1, "C26MAB").unwrap();
        prop_assert_eq!(numbers, (1..=adjustments.len() as i64).collect::<Vec<_>>());
    }
}
