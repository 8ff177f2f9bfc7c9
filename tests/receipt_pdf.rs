//! The thermal receipt, read back from its bytes the way a customer's PDF viewer would.

mod common;

use common::text_of;

use chrono::{TimeZone, Utc};
use ocop_pos::core::cart::{Cart, Discount};
use ocop_pos::core::catalog::Product;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::{PaymentMethod, Tender};
use ocop_pos::core::sale::{SaleDraft, SaleInvoice, SaleRecord};
use ocop_pos::core::settings::ShopSettings;
use ocop_pos::core::vat::VatRate;
use ocop_pos::core::vietqr::dynamic_payload;
use ocop_pos::print::{ReceiptOptions, receipt_pdf};
use rust_decimal::Decimal;

const ORIGINAL: ReceiptOptions = ReceiptOptions { copy: false };

fn product(
    id: i64,
    sku: &str,
    name: &str,
    stars: u8,
    unit: &str,
    price: i64,
    vat: &str,
) -> Product {
    Product {
        id,
        sku: sku.into(),
        barcode: None,
        plu: None,
        name: name.into(),
        producer: "HTX".into(),
        ocop_group: "Thực phẩm".into(),
        stars: Some(stars),
        unit: unit.into(),
        sold_by_weight: unit == "kg",
        price: Money(price),
        vat: VatRate::from_code(vat).unwrap(),
        stock: Decimal::from(100),
    }
}

/// Fish sauce at 8 %, weighed mangoes and discounted rice at 5 %.
fn cart() -> Cart {
    let mut cart = Cart::default();
    let fish_sauce = product(
        1,
        "KG001",
        "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm",
        5,
        "chai",
        165_000,
        "8",
    );
    let mango = product(2, "KG014", "Xoài cát Hòa Lộc Hòn Đất", 4, "kg", 70_000, "5");
    let rice = product(
        3,
        "KG020",
        "Gạo Điền Tín ST25 lúa tôm",
        4,
        "túi",
        185_000,
        "5",
    );
    cart.add_product(&fish_sauce, Decimal::from(2)).unwrap();
    cart.add_product(&mango, Decimal::new(15, 1)).unwrap();
    let rice_line = cart.add_product(&rice, Decimal::ONE).unwrap();
    cart.set_line_discount(rice_line, Discount::Amount(Money(15_000)))
        .unwrap();
    cart
}

fn sale(tenders: impl FnOnce(Money) -> Vec<Tender>) -> SaleRecord {
    let cart = cart();
    let total = cart.totals().total;
    SaleRecord {
        id: 42,
        receipt_no: "HD2026-000042".into(),
        sold_at: Utc.with_ymd_and_hms(2026, 3, 14, 2, 5, 0).unwrap(),
        draft: SaleDraft::new(&cart, tenders(total), "Lan").unwrap(),
        // Sold before cash-register invoices: the receipt as it always was.
        invoice: SaleInvoice::Before,
        counter: None,
    }
}

fn cash_sale() -> SaleRecord {
    sale(|_| {
        vec![Tender {
            method: PaymentMethod::Cash,
            amount: Money(1_000_000),
            reference: None,
        }]
    })
}

#[test]
fn prints_the_sale_in_vietnamese() {
    let sale = cash_sale();
    let text = text_of(&receipt_pdf(&ShopSettings::demo(), &sale, &ORIGINAL));

    for expected in [
        "HÓA ĐƠN BÁN LẺ",
        "Điểm giới thiệu và bán sản phẩm",
        "Số: HD2026-000042",
        // 02:05 UTC is 09:05 in Vietnam.
        "Ngày: 14/03/2026 09:05",
        "Thu ngân: Lan",
        "Nước mắm Phú Quốc Khải Hoàn",
        "★★★★★",
        "Xoài cát Hòa Lộc Hòn Đất",
        "1,5 kg x 70.000 ₫",
        "Gạo Điền Tín ST25 lúa tôm",
        "VAT 8%",
        "VAT 5%",
        "-15.000 ₫",
        "TỔNG CỘNG",
        "Tổng tiền thuế",
        "Tiền mặt",
        "Tiền thối lại",
        "Cảm ơn quý khách!",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    let draft = &sale.draft;
    assert_eq!(draft.total, Money(605_000));
    let mut figures = vec![draft.gross, draft.total, draft.change];
    for bucket in &draft.vat {
        figures.extend([bucket.pre_vat, bucket.vat]);
    }
    for amount in figures {
        let amount = amount.to_string();
        assert!(text.contains(&amount), "{amount} missing from:\n{text}");
    }
    assert!(!text.contains("Quét mã VietQR"));
}

#[test]
fn a_reprint_is_the_same_document_marked_as_a_copy() {
    let shop = ShopSettings::demo();
    let sale = cash_sale();
    let original = receipt_pdf(&shop, &sale, &ORIGINAL);
    assert_eq!(original, receipt_pdf(&shop, &sale, &ORIGINAL));

    let copy = receipt_pdf(&shop, &sale, &ReceiptOptions { copy: true });
    assert_eq!(
        copy,
        receipt_pdf(&shop, &sale, &ReceiptOptions { copy: true })
    );
    assert!(text_of(&copy).contains("BẢN SAO"));
    assert!(!text_of(&original).contains("BẢN SAO"));
}

#[test]
fn embeds_only_a_font_subset() {
    let pdf = receipt_pdf(&ShopSettings::demo(), &cash_sale(), &ORIGINAL);
    // The whole DejaVu Sans is 750 KB; a subset is tagged `XXXXXX+` before the font's name.
    assert!(pdf.len() <= 60 * 1024, "receipt is {} bytes", pdf.len());
    let subset_tag = b"+DejaVuSans";
    assert!(pdf.windows(subset_tag.len()).any(|w| w == subset_tag));
}

/// A paid transfer's receipt says it was paid, with the note the bank statement shows (the cart's
/// number): never "scan to pay" with a code that would take the money a second time — on the
/// copy neither, nor for a sale of an earlier version that kept the whole VietQR payload.
#[test]
fn a_paid_transfer_is_shown_paid_with_its_note_and_no_code_to_pay_again() {
    let shop = ShopSettings::demo();
    let account = shop.bank_account().unwrap();
    for (reference, note) in [
        ("OCOP GH26-000042".to_string(), Some("OCOP GH26-000042")),
        (
            dynamic_payload(&account, Money(185_000), "OCOP 1012 0930"),
            None,
        ),
    ] {
        let sale = sale(|total| {
            vec![Tender {
                method: PaymentMethod::Transfer,
                amount: total,
                reference: Some(reference.clone()),
            }]
        });
        for options in [ORIGINAL, ReceiptOptions { copy: true }] {
            let pdf = receipt_pdf(&shop, &sale, &options);
            if let Some(path) = std::env::var_os("RECEIPT_SAMPLE_PDF") {
                std::fs::write(path, &pdf).unwrap();
            }
            let text = text_of(&pdf);
            assert!(!text.contains("Quét mã VietQR"), "{text}");
            assert!(!text.contains("000201"), "no payload printed: {text}");
            assert!(text.contains("Đã thanh toán chuyển khoản"), "{text}");
            assert!(text.contains(&sale.draft.total.to_string()), "{text}");
            if let Some(note) = note {
                assert!(text.contains(&format!("Nội dung CK: {note}")), "{text}");
            }
            assert!(!text.contains("Tiền thối lại"));
            assert!(pdf.len() <= 60 * 1024, "receipt is {} bytes", pdf.len());
        }
    }
}
