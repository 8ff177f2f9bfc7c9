//! The receiving note (phiếu nhập kho) on a real SQLite file: a posted delivery takes the next
//! number of its year, a refused one takes none, and the A4 note reads back with every line.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{demo_store, flowing, product, shop_time, text_of};
use ocop_pos::core::inventory::{InventoryError, ReceiptLine};
use ocop_pos::core::money::Money;
use ocop_pos::core::receiving::Receiving;
use ocop_pos::documents::Document;
use ocop_pos::print::receiving_note_pdf;
use ocop_pos::store::{Store, StoreError};
use rust_decimal::Decimal;

const FISH_SAUCE_38: &str = "8930100000018"; // KG001, CTCP Thương mại Khải Hoàn
const FISH_SAUCE_40: &str = "8930100000025"; // KG002, the same producer
const PRODUCER: &str = "CTCP Thương mại Khải Hoàn";
const PRODUCER_TAX_CODE: &str = "1700123457";

/// Whether every word of `phrase` is in `text`, in order: a name in a table cell wraps, and the
/// cells beside it come between its lines.
fn has_words_in_order(text: &str, phrase: &str) -> bool {
    let mut rest = text;
    phrase.split_whitespace().all(|word| match rest.find(word) {
        Some(at) => {
            rest = &rest[at + word.len()..];
            true
        }
        None => false,
    })
}

/// The fish-sauce maker, given a tax code so the note has one to print.
fn producer_with_tax_code(store: &mut Store) -> i64 {
    let (id, mut draft) = store
        .producer_drafts()
        .unwrap()
        .into_iter()
        .find(|(_, draft)| draft.name == PRODUCER)
        .expect("demo producer");
    draft.tax_code = PRODUCER_TAX_CODE.into();
    store.save_producer(Some(id), draft).unwrap()
}

/// Twelve bottles of the 38° and twenty-four of the 40°.
fn two_lines(store: &Store) -> Vec<ReceiptLine> {
    vec![
        ReceiptLine {
            product_id: product(store, FISH_SAUCE_38).id,
            quantity: Decimal::from(12),
            unit_cost: Money(120_000),
            lot: "NM-2611".into(),
            expires_on: NaiveDate::from_ymd_opt(2028, 5, 31),
        },
        ReceiptLine {
            product_id: product(store, FISH_SAUCE_40).id,
            quantity: Decimal::from(24),
            unit_cost: Money(105_500),
            lot: String::new(),
            expires_on: None,
        },
    ]
}

fn refused(result: Result<Receiving, StoreError>) -> InventoryError {
    match result {
        Err(StoreError::Inventory(error)) => error,
        other => panic!("expected an inventory refusal, got {other:?}"),
    }
}

#[test]
fn deliveries_take_gapless_numbers_and_refused_ones_take_none() {
    let (_dir, mut store) = demo_store();
    let producer = producer_with_tax_code(&mut store);
    let lines = two_lines(&store);
    let stock_before = product(&store, FISH_SAUCE_38).stock;

    let first = store
        .receive_stock(producer, &lines, " GH-0042 ", shop_time(), "Hùng")
        .unwrap();
    assert_eq!(first.number, "PN2026-AA-000001");
    assert_eq!(first.producer, PRODUCER);
    assert_eq!(first.producer_tax_code, PRODUCER_TAX_CODE);
    assert_eq!(first.delivery_note_no, "GH-0042");
    assert_eq!((first.at, first.by.as_str()), (shop_time(), "Hùng"));
    let skus: Vec<&str> = first.lines.iter().map(|l| l.sku.as_str()).collect();
    assert_eq!(skus, ["KG001", "KG002"]);
    assert_eq!(first.lines[0].name, "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm");
    assert_eq!(first.lines[0].unit, "chai 500ml");
    assert_eq!(first.lines[0].lot, "NM-2611");
    assert_eq!(first.lines[1].total_cost(), Money(2_532_000));
    assert_eq!(first.total_cost(), Money(3_972_000));
    assert_eq!(store.receiving("PN2026-AA-000001").unwrap(), Some(first));
    assert_eq!(
        product(&store, FISH_SAUCE_38).stock,
        stock_before + Decimal::from(12)
    );

    for attempt in [
        store.receive_stock(producer, &[], "GH-0043", shop_time(), "Hùng"),
        store.receive_stock(
            producer,
            &[ReceiptLine {
                quantity: Decimal::ZERO,
                ..lines[0].clone()
            }],
            "GH-0043",
            shop_time(),
            "Hùng",
        ),
    ] {
        assert!(matches!(
            refused(attempt),
            InventoryError::NothingReceived | InventoryError::QuantityNotPositive
        ));
    }
    let unknown_product = ReceiptLine {
        product_id: 999_999,
        ..lines[0].clone()
    };
    assert!(matches!(
        store.receive_stock(
            producer,
            &[lines[0].clone(), unknown_product],
            "GH-0043",
            shop_time(),
            "Hùng"
        ),
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.receive_stock(999_999, &lines, "GH-0043", shop_time(), "Hùng"),
        Err(StoreError::NotFound)
    ));
    // The delivery refused half-way kept none of its lines.
    assert_eq!(
        product(&store, FISH_SAUCE_38).stock,
        stock_before + Decimal::from(12)
    );

    let second = store
        .receive_stock(producer, &lines[..1], "", shop_time(), "Hùng")
        .unwrap();
    assert_eq!(second.number, "PN2026-AA-000002");
    assert_eq!(second.lines.len(), 1);
    let new_year = Utc.with_ymd_and_hms(2027, 1, 2, 2, 0, 0).unwrap();
    let next_year = store
        .receive_stock(producer, &lines, "", new_year, "Hùng")
        .unwrap();
    assert_eq!(next_year.number, "PN2027-AA-000001");
    assert_eq!(store.receiving("PN2026-AA-000003").unwrap(), None);
}

#[test]
fn a_note_keeps_the_names_it_was_posted_with() {
    let (_dir, mut store) = demo_store();
    let producer = producer_with_tax_code(&mut store);
    let posted = store
        .receive_stock(producer, &two_lines(&store), "GH-1", shop_time(), "Hùng")
        .unwrap();
    let (id, mut draft) = store
        .producer_drafts()
        .unwrap()
        .into_iter()
        .find(|(id, _)| *id == producer)
        .unwrap();
    draft.name = "CTCP Khải Hoàn Phú Quốc".into();
    store.save_producer(Some(id), draft).unwrap();
    assert_eq!(store.receiving(&posted.number).unwrap(), Some(posted));
}

#[test]
fn the_note_lists_the_delivery_its_total_and_the_total_in_words() {
    let (dir, mut store) = demo_store();
    let producer = producer_with_tax_code(&mut store);
    let receiving = store
        .receive_stock(producer, &two_lines(&store), "GH-0042", shop_time(), "Hùng")
        .unwrap();
    let shop = store.shop_settings().unwrap();
    let pdf = receiving_note_pdf(&shop, &receiving);
    let text = flowing(&text_of(&pdf));
    for expected in [
        "PHIẾU NHẬP KHO",
        "Số: PN2026-AA-000001",
        "Ngày 26 tháng 11 năm 2026, lúc 10:00",
        PRODUCER,
        PRODUCER_TAX_CODE,
        "GH-0042",
        "KG001",
        "120.000 ₫",
        "1.440.000 ₫",
        "NM-2611",
        "31/05/2028",
        "KG002",
        "105.500 ₫",
        "2.532.000 ₫",
        "3.972.000 ₫",
        "Ba triệu chín trăm bảy mươi hai nghìn đồng",
        "Người giao hàng",
        "Người nhận hàng",
        "Thủ kho",
        "Hùng",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    for line in &receiving.lines {
        assert!(
            has_words_in_order(&text, &line.name) && has_words_in_order(&text, &line.unit),
            "{} missing from:\n{text}",
            line.name
        );
    }

    let document = Document::ReceivingNote(Box::new(receiving.clone()));
    assert_eq!(
        document.path(dir.path()),
        dir.path().join("receivings/2026/11/PN2026-AA-000001.pdf")
    );
    let written = document.write(dir.path(), &shop, None).unwrap();
    // A reprint from the note read back is the same file.
    let again = store.receiving(&receiving.number).unwrap().unwrap();
    assert_eq!(
        std::fs::read(written).unwrap(),
        receiving_note_pdf(&shop, &again)
    );
    assert!(document.is_printable());
}

#[test]
fn the_latest_notes_are_listed_newest_first() {
    let (_dir, mut store) = demo_store();
    let producer = producer_with_tax_code(&mut store);
    assert!(store.recent_receivings(5).unwrap().is_empty());
    let lines = two_lines(&store);
    let mut numbers = Vec::new();
    for note in ["PGH-1", "PGH-2", "PGH-3"] {
        let posted = store
            .receive_stock(producer, &lines, note, shop_time(), "Trần Văn Hùng")
            .unwrap();
        numbers.push(posted.number);
    }
    let recent = store.recent_receivings(2).unwrap();
    let listed: Vec<_> = recent.iter().map(|note| note.number.clone()).collect();
    assert_eq!(listed, [numbers[2].clone(), numbers[1].clone()]);
    assert_eq!(recent[0].delivery_note_no, "PGH-3");
    assert_eq!(recent[0].lines.len(), 2);
}

#[test]
fn another_producers_product_prints_under_its_own_producer() {
    let (_dir, mut store) = demo_store();
    let producer = producer_with_tax_code(&mut store);
    let rice = ReceiptLine {
        product_id: product(&store, "8930101000116").id, // KG011, CTCP Điền Tín
        quantity: Decimal::from(5),
        unit_cost: Money(150_000),
        lot: String::new(),
        expires_on: None,
    };
    let mut lines = two_lines(&store);
    lines.insert(1, rice);
    let posted = store
        .receive_stock(producer, &lines, "GH-0044", shop_time(), "Hùng")
        .unwrap();
    let producers: Vec<&str> = posted.lines.iter().map(|l| l.producer.as_str()).collect();
    assert_eq!(producers, ["", "CTCP Điền Tín", ""]);
    // A reprint reads the same producer back.
    assert_eq!(
        store.receiving(&posted.number).unwrap(),
        Some(posted.clone())
    );
    let text = flowing(&text_of(&receiving_note_pdf(
        &store.shop_settings().unwrap(),
        &posted,
    )));
    // The fish sauces first, under the note's producer; then the rice under its own.
    let heading = text
        .find("Hàng của CTCP Điền Tín:")
        .expect("the other producer's heading");
    assert!(text.find("KG002").unwrap() < heading, "{text}");
    assert!(heading < text.find("KG011").unwrap(), "{text}");
}
