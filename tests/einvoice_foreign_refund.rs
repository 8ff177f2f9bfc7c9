//! A refund at counter AB of a sale sold (and invoiced) at counter AA: the shop is the seller,
//! so AB issues the adjustment invoice (TCHDon 2) in its own series, referring to AA's invoice
//! as synced, with exactly the lines and VAT a local sale's adjustment would have, and queues
//! it for the tax authority. Two data folders exchanging events files, as `events export` /
//! `events import` do.

mod common;

use chrono::Duration;
use common::counters::{carry, counters, refund, sell};
use common::{older_store_with_rows_of, shop_time, text_of};
use ocop_pos::core::delivery::Destination;
use ocop_pos::core::einvoice::{EInvoice, InvoiceBuyer, InvoiceSettings};
use ocop_pos::core::invoice::Buyer;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::refund::{RefundError, RefundItem, RefundRequest};
use ocop_pos::core::sale::SaleRecord;
use ocop_pos::i18n::{Lang, Notice};
use ocop_pos::print::refund_pdf;
use ocop_pos::store::{
    BuyerCorrection, BuyerCorrectionRequest, DATABASE_FILE, InvoiceError, Outbox, Store, StoreError,
};
use proptest::prelude::*;
use rusqlite::Connection;
use rusqlite::types::Value;
use rust_decimal::Decimal;

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
    // The invoice form (Ctrl+I) at AB lists it under AA's receipt.
    assert_eq!(
        ab.store.einvoices_of_sale(&sold.receipt_no).unwrap(),
        std::slice::from_ref(&adjustment)
    );
    assert_eq!(
        ab.store
            .last_invoice_counter("mccqt:0100112437", 2026)
            .unwrap(),
        100_000_001,
        "AB's MCCQT counter took the first of AB's block"
    );
    assert_eq!(
        adjustment.numbers.authority_code.as_deref(),
        Some("M1-26-K7Q2M-00100000001")
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

fn person(name: &str) -> InvoiceBuyer {
    InvoiceBuyer::Person {
        name: name.into(),
        id_number: "079201001234".into(),
        phone: String::new(),
        address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
    }
}

fn correction(buyer: InvoiceBuyer) -> BuyerCorrectionRequest {
    BuyerCorrectionRequest {
        buyer: Some(buyer),
        reason: "ghi sai tên người mua".into(),
        agreement: String::new(),
        by: "Hùng".into(),
    }
}

#[test]
fn ab_adjusts_the_replacement_when_aa_replaced_its_invoice() {
    let (mut aa, mut ab) = counters();
    let sold = sell(&mut aa, &[2, 1, 1], shop_time());
    let original = invoice_of(&sold).clone();
    let BuyerCorrection::Replaced(replacement) = aa
        .store
        .correct_invoice_buyer(
            &original.reference(),
            &correction(person("Nguyễn Văn An")),
            shop_time() + Duration::minutes(30),
        )
        .unwrap()
    else {
        panic!("a new buyer is a replacement");
    };
    carry(&aa, &mut ab);

    let adjustment = refund(
        &mut ab,
        &sold.receipt_no,
        &[(0, 1)],
        shop_time() + Duration::hours(1),
    )
    .unwrap()
    .adjustment
    .unwrap();
    let related = adjustment.related.as_ref().unwrap();
    assert_eq!(
        (related.series.as_str(), related.number, related.issued_at),
        ("C26MAA", replacement.numbers.number, replacement.issued_at),
        "the invoice in force is AA's replacement"
    );
    assert_eq!(adjustment.buyer, replacement.buyer);
}

/// AB's adjustment is in AB's series, not among AA's invoices: once AA has AB's events, AA
/// refuses to replace the invoice AB adjusted, as it refuses one it adjusted itself, and
/// issues nothing.
#[test]
fn aa_does_not_replace_its_invoice_once_it_knows_ab_adjusted_it() {
    let (mut aa, mut ab) = counters();
    let sold = sell(&mut aa, &[2, 1, 1], shop_time());
    let original = invoice_of(&sold).clone();
    carry(&aa, &mut ab);
    refund(
        &mut ab,
        &sold.receipt_no,
        &[(0, 1)],
        shop_time() + Duration::hours(1),
    )
    .unwrap()
    .adjustment
    .expect("AB adjusts AA's invoice");
    carry(&ab, &mut aa);

    let refused = aa
        .store
        .correct_invoice_buyer(
            &original.reference(),
            &correction(person("Nguyễn Văn An")),
            shop_time() + Duration::hours(2),
        )
        .unwrap_err();
    let StoreError::Invoice(InvoiceError::AdjustedAtAnotherCounter { invoice, counter }) = &refused
    else {
        panic!("refused as adjusted at AB: {refused:?}")
    };
    assert_eq!(
        (invoice.as_str(), counter.as_str()),
        (original.reference().as_str(), "AB")
    );
    let said = Notice::from_store_error(&refused).text(Lang::Vi);
    assert!(said.contains("máy AB điều chỉnh"), "{said}");
    let said = Notice::from_store_error(&refused).text(Lang::En);
    assert!(said.contains("adjusted by counter AB"), "{said}");
    assert_eq!(
        aa.store.einvoice_numbers(1, "C26MAA").unwrap(),
        [1],
        "no replacement issued"
    );

    // A sale AB never touched is still replaced as before.
    let other = sell(&mut aa, &[1], shop_time() + Duration::hours(3));
    assert!(matches!(
        aa.store.correct_invoice_buyer(
            &invoice_of(&other).reference(),
            &correction(person("Nguyễn Văn An")),
            shop_time() + Duration::hours(4),
        ),
        Ok(BuyerCorrection::Replaced(_))
    ));
}

/// Every column of every issued invoice, and every notice.
fn invoice_rows(conn: &Connection) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    for sql in [
        "SELECT id, sale_id, refund_id, kind, related_id, template, series, number,
                authority_code, issued_at, demo, record_json, xml, chain_position, chain_hash
           FROM einvoices ORDER BY id",
        "SELECT id, einvoice_id, noticed_at, noticed_by, reason, buyer_json
           FROM einvoice_notices ORDER BY id",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let count = stmt.column_count();
        rows.extend(
            stmt.query_map([], |row| {
                (0..count).map(|i| row.get::<_, Value>(i)).collect()
            })
            .unwrap()
            .map(Result::unwrap),
        );
    }
    rows
}

#[test]
fn a_store_of_version_14_keeps_its_invoices_and_notices_when_it_moves_to_version_15() {
    let (mut aa, _ab) = counters();
    let at = shop_time();
    // An original adjusted by a refund; one replaced, whose replacement got a 04/SS notice.
    let refunded = sell(&mut aa, &[2, 1, 1], at);
    refund(
        &mut aa,
        &refunded.receipt_no,
        &[(0, 1)],
        at + Duration::minutes(5),
    )
    .unwrap();
    let corrected = sell(&mut aa, &[1, 1, 1], at + Duration::minutes(10));
    let BuyerCorrection::Replaced(replacement) = aa
        .store
        .correct_invoice_buyer(
            &invoice_of(&corrected).reference(),
            &BuyerCorrectionRequest {
                agreement: "BB-01".into(),
                ..correction(company("0100233488", "Công ty TNHH Biển Xanh"))
            },
            at + Duration::minutes(15),
        )
        .unwrap()
    else {
        panic!("a new buyer is a replacement");
    };
    let noticed = aa
        .store
        .correct_invoice_buyer(
            &replacement.reference(),
            &BuyerCorrectionRequest {
                agreement: "BB-02".into(),
                ..correction(company("0100233488", "Công ty TNHH Du lịch Biển Xanh"))
            },
            at + Duration::minutes(20),
        )
        .unwrap();
    assert!(matches!(noticed, BuyerCorrection::Noticed { .. }));
    let source = aa.dir.path().join(DATABASE_FILE);
    let before = invoice_rows(&Connection::open(&source).unwrap());
    // Two originals, the refund's adjustment, the replacement, and the notice.
    assert_eq!(before.len(), 5);

    // The same records in a store of version 14.
    let (_dir, path) = older_store_with_rows_of(&source, 14);

    let mut store = Store::open(&path).expect("version 14 moves to this version");
    let conn = Connection::open(&path).unwrap();
    assert_eq!(
        invoice_rows(&conn),
        before,
        "every invoice and notice as it was"
    );
    let orphans: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(orphans, 0);
    for check in store.verify_chains(at + Duration::hours(1)).unwrap() {
        assert_eq!(check.broken, None, "the {:?} chain holds", check.kind);
    }
    // And the moved table takes the next adjustment, gapless after the others.
    let request = RefundRequest {
        receipt_no: refunded.receipt_no.clone(),
        items: vec![RefundItem {
            line_no: 1,
            quantity: Decimal::ONE,
        }],
        method: PaymentMethod::Cash,
        restock: true,
        reason: "vỡ".into(),
        cashier: "Lan".into(),
        approver: Some("Hùng".into()),
    };
    let next = store
        .commit_refund(&request, at + Duration::hours(2))
        .unwrap()
        .adjustment
        .unwrap();
    assert_eq!(
        store.einvoice_numbers(1, "C26MAA").unwrap(),
        (1..=next.numbers.number).collect::<Vec<_>>()
    );
}

fn company(tax_code: &str, name: &str) -> InvoiceBuyer {
    InvoiceBuyer::Company(Buyer {
        id: 0,
        name: name.into(),
        tax_code: tax_code.into(),
        address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
        email: "ketoan@bienxanh.vn".into(),
        contact: "Trần Thị Mai".into(),
    })
}
