//! Shelf labels read back: the EAN-13 bars decoded from the rendered dots, and OCOP stars that
//! go away, on labels, receipts and gift slips, once the certificate has lapsed.

mod common;

use chrono::{Duration, NaiveDate};
use common::{demo_store, product, sell_for_exact_cash, shop_time, text_of};
use ocop_pos::core::cart::Cart;
use ocop_pos::core::inventory::Certificate;
use ocop_pos::core::label::{LabelChoice, ShelfLabel, choose};
use ocop_pos::core::printer::LabelSize;
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::print::{
    Raster, ReceiptOptions, gift_slip_pdf, label_roll, label_sheets, receipt_pdf,
};
use rust_decimal::Decimal;

const FISH_SAUCE: &str = "8930100000018";

const L: [&str; 10] = [
    "0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011",
    "0110111", "0001011",
];

/// The digits an EAN-13 scanner would read along row `y` of `raster` between `from` and
/// `to` (dots): the bars' modules sampled at their centres, each digit looked up in the L, G
/// and R codes of the standard, the first digit from the left half's parity.
fn decode_row(raster: &Raster, y: u32, from: u32, to: u32) -> Option<String> {
    let start = (from..to).find(|&x| raster.is_black(x, y))?;
    let module = (start..to).take_while(|&x| raster.is_black(x, y)).count() as f32;
    let bit = |index: usize| {
        let x = start as f32 + (index as f32 + 0.5) * module;
        raster.is_black(x as u32, y)
    };
    let bits: String = (0..95).map(|i| if bit(i) { '1' } else { '0' }).collect();
    if &bits[..3] != "101" || &bits[45..50] != "01010" || &bits[92..] != "101" {
        return None;
    }
    let invert = |code: &str| -> String {
        code.chars()
            .map(|c| if c == '1' { '0' } else { '1' })
            .collect()
    };
    let mut digits = String::new();
    let mut parity = String::new();
    for index in 0..6 {
        let code = &bits[3 + 7 * index..10 + 7 * index];
        let g = |d: &str| invert(d).chars().rev().collect::<String>();
        let (digit, kind) = (0..10)
            .find_map(|d| (L[d] == code).then_some((d, 'L')))
            .or_else(|| (0..10).find_map(|d| (g(L[d]) == code).then_some((d, 'G'))))?;
        digits.push(char::from(b'0' + digit as u8));
        parity.push(kind);
    }
    for index in 0..6 {
        let code = &bits[50 + 7 * index..57 + 7 * index];
        let digit = (0..10).find(|&d| invert(L[d]) == code)?;
        digits.push(char::from(b'0' + digit as u8));
    }
    let parities = [
        "LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL",
        "LGGLGL",
    ];
    let first = parities.iter().position(|p| *p == parity)?;
    Some(format!("{first}{digits}"))
}

/// Every code found by scanning `raster`'s rows between `from` and `to`, each once.
fn codes_in(raster: &Raster, from: (u32, u32), to: (u32, u32)) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for y in from.1..to.1 {
        if let Some(code) = decode_row(raster, y, from.0, to.0)
            && !codes.contains(&code)
        {
            codes.push(code);
        }
    }
    codes
}

#[test]
fn the_bars_of_every_label_decode_back_to_its_digits() {
    let (_dir, store) = demo_store();
    let catalogue = store.catalogue(shop_time()).unwrap();
    let chosen = choose(&LabelChoice::All, &catalogue, &[]);
    let labels: Vec<ShelfLabel> = chosen.iter().map(|p| ShelfLabel::of(p)).collect();
    assert!(labels.len() >= 24, "a full sheet at least");
    let shop = ShopSettings::demo();

    // A4 sheet: each of the 24 cells (70 × 36 mm, 4.5 mm from the top; 8 dots a mm).
    let sheet = label_sheets(&shop, &labels, shop_time()).rasters();
    for (place, label) in labels.iter().take(24).enumerate() {
        let (column, row) = (place as u32 % 3, place as u32 / 3);
        let (left, top) = (column * 560, 36 + row * 288);
        let codes = codes_in(&sheet[0], (left, top), (left + 560, top + 288));
        assert_eq!(codes, vec![label.barcode.clone().unwrap()], "label {place}");
    }

    // The label printer: one 50 × 30 mm label a page, 400 dots across.
    let roll = label_roll(&shop, &labels[..5], LabelSize::DEFAULT, shop_time()).rasters();
    for (raster, label) in roll.iter().zip(&labels) {
        assert_eq!(raster.width(), 400);
        let codes = codes_in(raster, (0, 0), (400, raster.height()));
        assert_eq!(codes, vec![label.barcode.clone().unwrap()]);
    }
}

#[test]
fn stars_go_once_the_certificate_lapses_on_labels_receipts_and_gift_slips() {
    let (_dir, mut store) = demo_store();
    let fish_sauce = product(&store, FISH_SAUCE);
    assert_eq!(fish_sauce.stars, Some(5));
    // Issued 36 months and a day before the sale: lapsed the day before.
    let lapsed_on = shop_time().date_naive() - Duration::days(1);
    let issued_on = NaiveDate::from_ymd_opt(2023, 11, 25).unwrap();
    assert_eq!(
        issued_on.checked_add_months(chrono::Months::new(36)),
        Some(lapsed_on)
    );
    // The cart is rung up from a catalogue read while the certificate still held.
    let mut cart = Cart::default();
    cart.add_product(&fish_sauce, Decimal::ONE).unwrap();
    store
        .save_certificate(
            fish_sauce.id,
            Certificate {
                number: "123/QĐ-UBND".into(),
                issuer: "UBND tỉnh An Giang".into(),
                issued_on,
                stars: 5,
            },
        )
        .unwrap();

    let now = product(&store, FISH_SAUCE);
    assert_eq!(now.stars, None, "the catalogue drops lapsed stars");
    let label = ShelfLabel::of(&now);
    let shop = ShopSettings::demo();
    let sheet = text_of(&label_sheets(&shop, &[label], shop_time()).pdf());
    assert!(sheet.contains("Nước mắm Phú Quốc"));
    assert!(!sheet.contains('★'), "{sheet}");

    let sale = sell_for_exact_cash(&mut store, &cart, shop_time()).unwrap();
    assert_eq!(
        sale.draft.lines[0].stars, None,
        "settled when the sale was committed"
    );
    let receipt = receipt_pdf(&shop, &sale, &ReceiptOptions { copy: false });
    assert!(!text_of(&receipt).contains('★'));
    assert!(!text_of(&gift_slip_pdf(&shop, &sale)).contains('★'));
    // A reprint reads the sale back: the same file, whatever the certificate says later.
    let renewed = Certificate {
        number: "456/QĐ-UBND".into(),
        issuer: "UBND tỉnh An Giang".into(),
        issued_on: shop_time().date_naive(),
        stars: 5,
    };
    store.save_certificate(fish_sauce.id, renewed).unwrap();
    let read_back = store.sale_by_receipt_no(&sale.receipt_no).unwrap().unwrap();
    assert_eq!(
        receipt_pdf(&shop, &read_back, &ReceiptOptions { copy: false }),
        receipt
    );

    // Renewed, the stars are back on the next label.
    let renewed = ShelfLabel::of(&product(&store, FISH_SAUCE));
    assert!(text_of(&label_sheets(&shop, &[renewed], shop_time()).pdf()).contains("★★★★★"));
}
